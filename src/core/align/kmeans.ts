import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { l2normalize, mm } from './ops';

export interface KMeansOptions {
  /** Lloyd iterations at most. */
  maxIter?: number;
  /** Stop when no centre moves more than this (squared Euclidean). */
  tol?: number;
  /**
   * Normalise rows and keep centres on the unit sphere (spherical K-means), so the
   * distance is a cosine distance — what DaRec's preference clusters use.
   */
  cosine?: boolean;
  /** Independent seedings; the run with the lowest inertia wins (scikit-learn's n_init). */
  restarts?: number;
}

export interface KMeansResult {
  /** Cluster of each row, in [0, k). */
  assignments: Int32Array;
  /** Row-major `[k, dim]`. */
  centres: Float32Array;
  /** Effective number of clusters: min(requested k, rows). */
  k: number;
  dim: number;
  iterations: number;
  /** Σ squared distance of each row to its centre (on the normalised rows when cosine). */
  inertia: number;
  /** Rows per cluster. */
  counts: Int32Array;
}

/**
 * Greedy k-means++ seeding on the host (as scikit-learn: each new centre is the best of
 * 2 + ⌊ln k⌋ D²-sampled candidates), which avoids most of plain k-means++'s bad seeds.
 * A few k·n·d flops, and identical on every backend.
 */
function kmeansPlusPlus(x: Float32Array, n: number, d: number, k: number, rng: Rng): Float32Array {
  const centres = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const dist = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = (x[i * d + j] as number) - (x[c * d + j] as number);
      s += diff * diff;
    }
    return s;
  };
  const first = rng.int(n);
  centres.set(x.subarray(first * d, first * d + d), 0);
  let minD: Float64Array = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += minD[i] = dist(i, first);
  for (let c = 1; c < k; c++) {
    let best = -1;
    let bestTotal = Number.POSITIVE_INFINITY;
    let bestD: Float64Array | null = null;
    for (let t = 0; t < trials; t++) {
      let cand = rng.int(n);
      if (total > 0) {
        let r = rng.next() * total;
        cand = n - 1;
        for (let i = 0; i < n; i++) {
          r -= minD[i] as number;
          if (r < 0) {
            cand = i;
            break;
          }
        }
      }
      const nd = new Float64Array(n);
      let tot = 0;
      for (let i = 0; i < n; i++) tot += nd[i] = Math.min(minD[i] as number, dist(i, cand));
      if (tot < bestTotal) {
        bestTotal = tot;
        best = cand;
        bestD = nd;
      }
    }
    centres.set(x.subarray(best * d, best * d + d), c * d);
    minD = bestD as Float64Array;
    total = bestTotal;
  }
  return centres;
}

function normaliseRows(c: Float32Array, k: number, d: number): void {
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (c[a * d + j] as number) ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) c[a * d + j] = (c[a * d + j] as number) * inv;
  }
}

/**
 * Lloyd's K-means with the heavy parts on the tfjs backend: distances by one matmul
 * (`‖c‖² − 2 x·cᵀ`), `argMin`, and centre sums by a one-hot matmul (one-hot from `equal`) — no unsortedSegmentSum,
 * which wasm lacks. The host only updates the k centres, reseeds empty clusters with the
 * farthest rows, and checks convergence. Seeded by `rng`, so a run repeats exactly.
 * Nothing of `x` is modified; every intermediate tensor is disposed.
 */
export async function kmeans(x: tf.Tensor2D, k: number, rng: Rng, opts: KMeansOptions = {}): Promise<KMeansResult> {
  const cosine = opts.cosine ?? true;
  const restarts = Math.max(1, Math.floor(opts.restarts ?? 1));
  const [n, d] = x.shape;
  if (n === 0) throw new Error('kmeans: no rows');
  if (!(k >= 1)) throw new Error(`kmeans: k must be >= 1 (got ${k})`);
  const kk = Math.min(Math.floor(k), n);
  const xs = cosine ? l2normalize(x) : tf.clone(x);
  const xSq = tf.tidy(() => tf.sum(tf.square(xs), 1));
  try {
    const host = (await xs.data()) as Float32Array;
    let best: KMeansResult | null = null;
    for (let r = 0; r < restarts; r++) {
      const res = await lloyd(xs, xSq, host, kmeansPlusPlus(host, n, d, kk, rng), kk, cosine, opts);
      if (best === null || res.inertia < best.inertia) best = res;
    }
    return best as KMeansResult;
  } finally {
    tf.dispose([xs, xSq]);
  }
}

async function lloyd(
  xs: tf.Tensor2D,
  xSq: tf.Tensor,
  host: Float32Array,
  init: Float32Array,
  kk: number,
  cosine: boolean,
  opts: KMeansOptions,
): Promise<KMeansResult> {
  const maxIter = opts.maxIter ?? 50;
  const tol = opts.tol ?? 1e-4;
  const [n, d] = xs.shape;
  let centres = init;
  let assign: Int32Array | null = null;
  let counts = new Int32Array(kk);
  let iterations = 0;
  let inertia = 0;
  let finalPass = false;
  for (;;) {
    const c = tf.tensor2d(centres, [kk, d]);
    const [aT, sT, nT, mT] = tf.tidy(() => {
      const d2 = tf.add(tf.mul(mm(xs, c, false, true), -2), tf.sum(tf.square(c), 1));
      const a = tf.argMin(d2, 1);
      // Not tf.oneHot: tfjs-backend-wasm 4.22 writes float32 one-hots as int32 bit patterns
      // (1 becomes 1.4e-45), and oneHot refuses depth 1.
      const oh = tf.cast(tf.equal(tf.expandDims(a, 1), tf.range(0, kk, 1, 'int32')), 'float32');
      return [a, mm(oh as tf.Tensor2D, xs, true, false), tf.sum(oh, 0), tf.add(tf.min(d2, 1), xSq)];
    });
    c.dispose();
    const [aH, sH, nH, mH] = await Promise.all([aT.data(), sT.data(), nT.data(), mT.data()]);
    tf.dispose([aT, sT, nT, mT]);
    const newAssign = Int32Array.from(aH as Int32Array);
    counts = Int32Array.from(nH as Float32Array, v => Math.round(v));
    inertia = 0;
    for (let i = 0; i < n; i++) inertia += Math.max(0, (mH as Float32Array)[i] as number);
    const unchanged = assign !== null && newAssign.every((v, i) => v === (assign as Int32Array)[i]);
    assign = newAssign;
    if (unchanged || finalPass || iterations >= maxIter) break;
    iterations += 1;

    const next = new Float32Array(kk * d);
    const sums = sH as Float32Array;
    const hasEmpty = counts.some(v => v === 0);
    const far = Array.from(mH as Float32Array, (v, i) => [v, i] as [number, number]);
    if (hasEmpty) far.sort((p, q) => q[0] - p[0] || p[1] - q[1]);
    let farUsed = 0;
    for (let a = 0; a < kk; a++) {
      const cnt = counts[a] as number;
      if (cnt > 0) {
        for (let j = 0; j < d; j++) next[a * d + j] = (sums[a * d + j] as number) / cnt;
      } else {
        // An empty cluster restarts at the row worst served by the current centres.
        const row = (far[farUsed++] as [number, number])[1];
        next.set(host.subarray(row * d, row * d + d), a * d);
      }
    }
    if (cosine) normaliseRows(next, kk, d);
    let shift = 0;
    for (let a = 0; a < kk; a++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += ((next[a * d + j] as number) - (centres[a * d + j] as number)) ** 2;
      if (s > shift) shift = s;
    }
    centres = next;
    // One more assignment pass so the returned assignments belong to the returned centres.
    if (shift < tol && !hasEmpty) finalPass = true;
  }
  return { assignments: assign as Int32Array, centres, k: kk, dim: d, iterations, inertia, counts };
}
