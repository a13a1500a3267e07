/**
 * t-SNE (van der Maaten & Hinton 2008) with Barnes–Hut repulsion (van der Maaten 2014) above
 * `exactBelow` points and exact gradients at or below. Written by hand because no npm package
 * fits: `tsne-js` (1.0.3) implements only the exact O(n^2) formulation (its README lists
 * Barnes–Hut as planned); `@tensorflow/tfjs-tsne` (0.2.0) needs
 * tfjs' WebGL backend, which this app does not ship (it trains on WebGPU/wasm), and peers on
 * tfjs-core >= 0.10, i.e. was written for tfjs 0.x.
 *
 * Conventions follow scikit-learn: gradient includes the factor 4, 'auto' learning rate
 * max(n / exaggeration / 4, 50) (Belkina et al. 2019), momentum 0.5 -> 0.8 after the
 * exaggeration phase, delta-bar-delta gains, PCA init scaled to std 1e-4.
 */
import { Rng } from '../rng';
import { allKnn } from './neighbours';
import { pca } from './pca';
import { checkPointSet, normalizeRows, throwIfAborted, yieldToEventLoop, type PointSet, type ProgressFn, type Reducer } from './types';

export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  learningRate?: number | 'auto';
  earlyExaggeration?: number;
  /** Iterations under early exaggeration (default 250, capped at a third of the run when the run is short). */
  exaggerationIters?: number;
  init?: 'pca' | 'random';
  seed?: number;
  /** Barnes–Hut accuracy: a cell is summarised when its width / distance < theta. */
  theta?: number;
  /**
   * 'auto' is exact for n <= exactBelow (default 500), Barnes–Hut above. Measured in Node: at
   * 1k points the exact O(n^2) gradient is ~4x slower than Barnes–Hut, so exact only pays (in
   * accuracy) for small inputs.
   */
  method?: 'auto' | 'exact' | 'barnes-hut';
  exactBelow?: number;
  /** Emit the layout every this many iterations (default 10; 0 = never). */
  progressEvery?: number;
  /** Inputs wider than this are first reduced by PCA (default 50; 0 = never). */
  pcaDims?: number;
  /** Scale rows to unit length first, so distances follow cosine similarity. */
  normalize?: boolean;
}

const DEFAULTS: Required<Omit<TsneOptions, 'learningRate' | 'init' | 'seed' | 'normalize'>> = {
  method: 'auto',
  perplexity: 30,
  iterations: 750,
  earlyExaggeration: 12,
  exaggerationIters: 250,
  theta: 0.5,
  exactBelow: 500,
  progressEvery: 10,
  pcaDims: 50,
};

/** Binary search of the Gaussian precision that gives row entropy log(perplexity); writes the normalised row into `out`. */
function rowAffinities(d2: ArrayLike<number>, start: number, len: number, skip: number, perplexity: number, out: Float64Array, outStart: number): void {
  const target = Math.log(perplexity);
  let dmin = Infinity;
  for (let t = 0; t < len; t++) if (t !== skip) dmin = Math.min(dmin, d2[start + t]!);
  if (!Number.isFinite(dmin)) dmin = 0;
  let beta = 1;
  let lo = -Infinity;
  let hi = Infinity;
  for (let step = 0; step < 100; step++) {
    let sum = 0;
    let sumDP = 0;
    for (let t = 0; t < len; t++) {
      if (t === skip) {
        out[outStart + t] = 0;
        continue;
      }
      const dd = d2[start + t]! - dmin;
      const p = Math.exp(-beta * dd);
      out[outStart + t] = p;
      sum += p;
      sumDP += dd * p;
    }
    if (sum <= 0) sum = 1e-300;
    const h = Math.log(sum) + (beta * sumDP) / sum;
    const diff = h - target;
    if (Math.abs(diff) < 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
  let sum = 0;
  for (let t = 0; t < len; t++) sum += out[outStart + t]!;
  if (sum <= 0) sum = 1;
  for (let t = 0; t < len; t++) out[outStart + t]! /= sum;
}

/** Dense symmetric P for the exact route (n small). */
function denseP(x: PointSet, perplexity: number): Float64Array {
  const { n, dim: d, data } = x;
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const diff = data[i * d + a]! - data[j * d + a]!;
        s += diff * diff;
      }
      d2[i * n + j] = s;
      d2[j * n + i] = s;
    }
  }
  const cond = new Float64Array(n * n);
  for (let i = 0; i < n; i++) rowAffinities(d2, i * n, n, i, perplexity, cond, i * n);
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.max((cond[i * n + j]! + cond[j * n + i]!) / (2 * n), 1e-12);
      p[i * n + j] = v;
      p[j * n + i] = v;
    }
  }
  return p;
}

interface SparseP {
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** Sparse symmetric P over the 3*perplexity nearest neighbours (duplicated pairs simply add up in the gradient). */
async function sparseP(x: PointSet, perplexity: number, signal?: AbortSignal): Promise<SparseP> {
  const n = x.n;
  const knn = await allKnn(x, Math.min(n - 1, Math.floor(3 * perplexity)), signal);
  const k = knn.k;
  const cond = new Float64Array(n * k);
  for (let i = 0; i < n; i++) rowAffinities(knn.dist2, i * k, k, -1, perplexity, cond, i * k);
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      counts[i + 1]!++;
      counts[knn.indices[i * k + t]! + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const fill = counts.slice(0, n);
  const col = new Int32Array(counts[n]!);
  const val = new Float64Array(counts[n]!);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = knn.indices[i * k + t]!;
      const v = cond[i * k + t]! / (2 * n);
      let at = fill[i]!++;
      col[at] = j;
      val[at] = v;
      at = fill[j]!++;
      col[at] = i;
      val[at] = v;
    }
  }
  return { rowStart: counts, col, val };
}

/**
 * Quadtree over the 2-D layout, rebuilt every iteration by recursive 4-way partition of an index
 * permutation. Nodes live in two interleaved typed arrays with each node's children contiguous,
 * because the traversal below is the hot loop (no per-node objects, few cache misses).
 */
class QuadTree {
  /** Per node: centre-of-mass x, y, squared cell width, point count. */
  f = new Float64Array(0);
  /** Per node: first child, number of children (0 = leaf), first and end position in `idx`. */
  i = new Int32Array(0);
  nodes = 0;
  readonly idx: Int32Array;
  private readonly tmp: Int32Array;
  private readonly quad: Uint8Array;

  constructor(private readonly n: number) {
    this.idx = new Int32Array(n);
    this.tmp = new Int32Array(n);
    this.quad = new Uint8Array(n);
    this.grow(Math.max(16, 2 * n));
  }

  private grow(cap: number): void {
    const f = new Float64Array(cap * 4);
    f.set(this.f.subarray(0, Math.min(this.f.length, cap * 4)));
    const i = new Int32Array(cap * 4);
    i.set(this.i.subarray(0, Math.min(this.i.length, cap * 4)));
    this.f = f;
    this.i = i;
  }

  private alloc(count: number): number {
    while ((this.nodes + count) * 4 > this.f.length) this.grow((this.f.length / 4) * 2);
    const at = this.nodes;
    this.nodes += count;
    return at;
  }

  build(y: Float64Array): void {
    const n = this.n;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let t = 0; t < n; t++) {
      this.idx[t] = t;
      const px = y[2 * t]!;
      const py = y[2 * t + 1]!;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
    const half = (Math.max(maxX - minX, maxY - minY) / 2) * (1 + 1e-6) + 1e-12;
    this.nodes = 0;
    this.fill(this.alloc(1), y, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
  }

  private fill(id: number, y: Float64Array, s: number, e: number, cx: number, cy: number, half: number, depth: number): void {
    const idx = this.idx;
    let sx = 0;
    let sy = 0;
    for (let t = s; t < e; t++) {
      const p = idx[t]!;
      sx += y[2 * p]!;
      sy += y[2 * p + 1]!;
    }
    let f = this.f;
    let ii = this.i;
    f[4 * id] = sx / (e - s);
    f[4 * id + 1] = sy / (e - s);
    f[4 * id + 2] = 4 * half * half;
    f[4 * id + 3] = e - s;
    ii[4 * id + 2] = s;
    ii[4 * id + 3] = e;
    // Depth cap keeps coincident points in one (exactly evaluated) leaf.
    if (e - s <= 1 || depth >= 40) {
      ii[4 * id] = 0;
      ii[4 * id + 1] = 0;
      return;
    }
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    const quad = this.quad;
    for (let t = s; t < e; t++) {
      const p = idx[t]!;
      const q = (y[2 * p]! >= cx ? 1 : 0) + (y[2 * p + 1]! >= cy ? 2 : 0);
      quad[t] = q;
      if (q === 0) c0++;
      else if (q === 1) c1++;
      else if (q === 2) c2++;
    }
    const o1 = s + c0;
    const o2 = o1 + c1;
    const o3 = o2 + c2;
    let p0 = s;
    let p1 = o1;
    let p2 = o2;
    let p3 = o3;
    const tmp = this.tmp;
    for (let t = s; t < e; t++) {
      const q = quad[t]!;
      const v = idx[t]!;
      if (q === 0) tmp[p0++] = v;
      else if (q === 1) tmp[p1++] = v;
      else if (q === 2) tmp[p2++] = v;
      else tmp[p3++] = v;
    }
    idx.set(tmp.subarray(s, e), s);
    const bounds = [s, o1, o2, o3, e];
    let kids = 0;
    for (let q = 0; q < 4; q++) if (bounds[q + 1]! > bounds[q]!) kids++;
    const first = this.alloc(kids);
    // alloc may have replaced the arrays.
    f = this.f;
    ii = this.i;
    ii[4 * id] = first;
    ii[4 * id + 1] = kids;
    const h = half / 2;
    let c = first;
    for (let q = 0; q < 4; q++) {
      const qs = bounds[q]!;
      const qe = bounds[q + 1]!;
      if (qe === qs) continue;
      this.fill(c++, y, qs, qe, cx + (q & 1 ? h : -h), cy + (q & 2 ? h : -h), h, depth + 1);
    }
  }
}

/** Repulsive forces by Barnes–Hut; returns Z = sum over pairs of 1 / (1 + d^2). */
function bhRepulsion(tree: QuadTree, y: Float64Array, theta2: number, fx: Float64Array, fy: Float64Array, stack: Int32Array): number {
  const n = fx.length;
  let z = 0;
  const { f, i: nodeI, idx } = tree;
  // Tree order: consecutive points walk nearly the same nodes, which stay in cache.
  for (let ord = 0; ord < n; ord++) {
    const i = idx[ord]!;
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let rx = 0;
    let ry = 0;
    let sq = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const nd = stack[--sp]!;
      const b = 4 * nd;
      const kids = nodeI[b + 1]!;
      if (kids === 0) {
        const end = nodeI[b + 3]!;
        for (let t = nodeI[b + 2]!; t < end; t++) {
          const j = idx[t]!;
          if (j === i) continue;
          const dx = xi - y[2 * j]!;
          const dy = yi - y[2 * j + 1]!;
          const q = 1 / (1 + dx * dx + dy * dy);
          sq += q;
          rx += q * q * dx;
          ry += q * q * dy;
        }
        continue;
      }
      const dx = xi - f[b]!;
      const dy = yi - f[b + 1]!;
      const d2 = dx * dx + dy * dy;
      if (f[b + 2]! < theta2 * d2) {
        const q = 1 / (1 + d2);
        const m = f[b + 3]! * q;
        sq += m;
        rx += m * q * dx;
        ry += m * q * dy;
      } else {
        const first = nodeI[b]!;
        for (let c = first + kids - 1; c >= first; c--) stack[sp++] = c;
      }
    }
    fx[i] = rx;
    fy[i] = ry;
    z += sq;
  }
  return z;
}

function initLayout(x: PointSet, init: 'pca' | 'random', rng: Rng): Float64Array {
  const n = x.n;
  const y = new Float64Array(n * 2);
  if (init === 'pca' && n > 2) {
    const p = pca(x, { components: 2, seed: rng.int(1 << 30), maxIter: 30 });
    let mean = 0;
    for (let i = 0; i < n; i++) mean += p.projection[i * p.k]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (p.projection[i * p.k]! - mean) ** 2;
    const std = Math.sqrt(v / n);
    if (std > 0) {
      const s = 1e-4 / std;
      for (let i = 0; i < n; i++) {
        y[2 * i] = p.projection[i * p.k]! * s;
        y[2 * i + 1] = (p.k > 1 ? p.projection[i * p.k + 1]! : 0) * s;
      }
      return y;
    }
  }
  for (let i = 0; i < 2 * n; i++) y[i] = rng.normal() * 1e-4;
  return y;
}

export async function tsne(input: PointSet, opts: TsneOptions = {}, onProgress?: ProgressFn, signal?: AbortSignal): Promise<Float32Array> {
  checkPointSet(input);
  throwIfAborted(signal);
  const n = input.n;
  if (n <= 1) return new Float32Array(n * 2);
  const o = { ...DEFAULTS, ...stripUndefined(opts) };
  const rng = new Rng(opts.seed ?? 1);
  let x = opts.normalize ? normalizeRows(input) : input;
  if (o.pcaDims > 0 && x.dim > o.pcaDims && n > o.pcaDims) {
    // Approximate subspace is enough here: it only feeds the neighbour search.
    const p = pca(x, { components: o.pcaDims, seed: rng.int(1 << 30), maxIter: 12, tol: 1e-3 });
    x = { n, dim: p.k, data: p.projection };
  }
  const perplexity = Math.max(1, Math.min(o.perplexity, (n - 1) / 3));
  const exact = o.method === 'exact' || (o.method === 'auto' && n <= o.exactBelow);
  const iterations = Math.max(1, Math.floor(o.iterations));
  const exIters = Math.min(o.exaggerationIters, Math.floor(iterations / 3));
  const lr = opts.learningRate === undefined || opts.learningRate === 'auto' ? Math.max(n / o.earlyExaggeration / 4, 50) : opts.learningRate;

  const pDense = exact ? denseP(x, perplexity) : null;
  const pSparse = exact ? null : await sparseP(x, perplexity, signal);
  throwIfAborted(signal);

  const y = initLayout(x, opts.init ?? 'pca', rng);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const grad = new Float64Array(2 * n);
  const fx = new Float64Array(n);
  const fy = new Float64Array(n);
  const w = exact ? new Float64Array(n * n) : null;
  const tree = exact ? null : new QuadTree(n);
  const stack = new Int32Array(4 * 64 + 16);
  const theta2 = o.theta * o.theta;
  let lastYield = performance.now();

  for (let iter = 1; iter <= iterations; iter++) {
    const exag = iter <= exIters ? o.earlyExaggeration : 1;
    const momentum = iter <= exIters ? 0.5 : 0.8;
    if (pDense && w) {
      let z = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const dx = y[2 * i]! - y[2 * j]!;
          const dy = y[2 * i + 1]! - y[2 * j + 1]!;
          const q = 1 / (1 + dx * dx + dy * dy);
          w[i * n + j] = q;
          w[j * n + i] = q;
          z += 2 * q;
        }
      }
      for (let i = 0; i < n; i++) {
        let gx = 0;
        let gy = 0;
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const q = w[i * n + j]!;
          const m = (exag * pDense[i * n + j]! - q / z) * q;
          gx += m * (y[2 * i]! - y[2 * j]!);
          gy += m * (y[2 * i + 1]! - y[2 * j + 1]!);
        }
        grad[2 * i] = 4 * gx;
        grad[2 * i + 1] = 4 * gy;
      }
    } else if (pSparse && tree) {
      tree.build(y);
      const z = Math.max(bhRepulsion(tree, y, theta2, fx, fy, stack), 1e-300);
      const { rowStart, col, val } = pSparse;
      for (let i = 0; i < n; i++) {
        let ax = 0;
        let ay = 0;
        const xi = y[2 * i]!;
        const yi = y[2 * i + 1]!;
        for (let t = rowStart[i]!; t < rowStart[i + 1]!; t++) {
          const j = col[t]!;
          const dx = xi - y[2 * j]!;
          const dy = yi - y[2 * j + 1]!;
          const m = val[t]! / (1 + dx * dx + dy * dy);
          ax += m * dx;
          ay += m * dy;
        }
        grad[2 * i] = 4 * (exag * ax - fx[i]! / z);
        grad[2 * i + 1] = 4 * (exag * ay - fy[i]! / z);
      }
    }
    let mx = 0;
    let my = 0;
    for (let t = 0; t < 2 * n; t++) {
      const g = grad[t]!;
      const u = update[t]!;
      let gain = (g > 0) !== (u > 0) ? gains[t]! + 0.2 : gains[t]! * 0.8;
      if (gain < 0.01) gain = 0.01;
      gains[t] = gain;
      const nu = momentum * u - lr * gain * g;
      update[t] = nu;
      y[t]! += nu;
      if (t & 1) my += y[t]!;
      else mx += y[t]!;
    }
    mx /= n;
    my /= n;
    for (let i = 0; i < n; i++) {
      y[2 * i]! -= mx;
      y[2 * i + 1]! -= my;
    }
    if (onProgress && o.progressEvery > 0 && (iter % o.progressEvery === 0 || iter === iterations)) onProgress(iter, Float32Array.from(y));
    if (performance.now() - lastYield > 100) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    throwIfAborted(signal);
  }
  return Float32Array.from(y);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}

export const tsneReducer: Reducer<TsneOptions> = {
  name: 't-SNE',
  reduce: (x, opts, onProgress, signal) => tsne(x, opts, onProgress, signal),
};
