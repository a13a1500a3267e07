/**
 * Nearest neighbours: of one clicked node in a space (cosine, the geometry the alignment losses
 * use), and of every point (squared Euclidean) for t-SNE's sparse affinities and the quality
 * scores. Brute force: the inputs are at most ~10k points of width <= 50 after PCA, where
 * space-partitioning trees lose their edge, and brute force is exact and deterministic.
 */
import { checkPointSet, throwIfAborted, yieldToEventLoop, type PointSet } from './types';

export interface Neighbour {
  index: number;
  similarity: number;
}

/** The k nodes most cosine-similar to `node` (itself excluded), most similar first, lower index first on ties. */
export function cosineNeighbours(x: PointSet, node: number, k: number): Neighbour[] {
  checkPointSet(x);
  if (node < 0 || node >= x.n) throw new Error(`node ${node} out of range 0..${x.n - 1}`);
  const d = x.dim;
  const q = x.data.subarray(node * d, (node + 1) * d);
  let qn = 0;
  for (let a = 0; a < d; a++) qn += q[a]! * q[a]!;
  qn = Math.sqrt(qn);
  const sims = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let dot = 0;
    let nn = 0;
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const v = x.data[o + a]!;
      dot += v * q[a]!;
      nn += v * v;
    }
    const den = Math.sqrt(nn) * qn;
    sims[i] = den > 0 ? dot / den : 0;
  }
  const kk = Math.min(k, x.n - 1);
  const best: Neighbour[] = [];
  for (let i = 0; i < x.n; i++) {
    if (i === node) continue;
    const s = sims[i]!;
    if (best.length === kk && s <= best[kk - 1]!.similarity) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.similarity < s) at--;
    best.splice(at, 0, { index: i, similarity: s });
    if (best.length > kk) best.pop();
  }
  return best;
}

export interface Knn {
  k: number;
  /** Row-major n x k neighbour indices, nearest first. */
  indices: Int32Array;
  /** Squared Euclidean distances matching `indices`. */
  dist2: Float32Array;
}

/**
 * Exact kNN of every point, built pairwise (each distance computed once and offered to both
 * rows' bounded max-heaps). `step` processes a block of rows so callers can yield in between.
 */
class KnnBuilder {
  readonly k: number;
  private readonly heapIdx: Int32Array;
  private readonly heapD: Float64Array;
  private readonly size: Int32Array;
  private readonly norms: Float64Array;

  constructor(private readonly x: PointSet, k: number) {
    checkPointSet(x);
    this.k = Math.max(0, Math.min(k, x.n - 1));
    this.heapIdx = new Int32Array(x.n * this.k);
    this.heapD = new Float64Array(x.n * this.k);
    this.size = new Int32Array(x.n);
    this.norms = new Float64Array(x.n);
    for (let i = 0; i < x.n; i++) {
      let s = 0;
      for (let a = i * x.dim; a < (i + 1) * x.dim; a++) s += x.data[a]! * x.data[a]!;
      this.norms[i] = s;
    }
  }

  private offer(row: number, j: number, dist: number): void {
    const k = this.k;
    const base = row * k;
    const hi = this.heapIdx;
    const hd = this.heapD;
    let size = this.size[row]!;
    if (size < k) {
      // Sift up in a max-heap keyed by (distance, index) so ties resolve to the lower index.
      let c = size++;
      this.size[row] = size;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const pd = hd[base + p]!;
        if (pd > dist || (pd === dist && hi[base + p]! > j)) break;
        hd[base + c] = pd;
        hi[base + c] = hi[base + p]!;
        c = p;
      }
      hd[base + c] = dist;
      hi[base + c] = j;
      return;
    }
    const top = hd[base]!;
    if (dist > top || (dist === top && j > hi[base]!)) return;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= k) break;
      const r = l + 1;
      let m = l;
      if (r < k && (hd[base + r]! > hd[base + l]! || (hd[base + r]! === hd[base + l]! && hi[base + r]! > hi[base + l]!))) m = r;
      const md = hd[base + m]!;
      if (md < dist || (md === dist && hi[base + m]! < j)) break;
      hd[base + c] = md;
      hi[base + c] = hi[base + m]!;
      c = m;
    }
    hd[base + c] = dist;
    hi[base + c] = j;
  }

  step(iStart: number, iEnd: number): void {
    const { n, dim: d, data } = this.x;
    if (this.k === 0) return;
    for (let i = iStart; i < iEnd; i++) {
      const oi = i * d;
      const ni = this.norms[i]!;
      for (let j = i + 1; j < n; j++) {
        const oj = j * d;
        let dot = 0;
        for (let a = 0; a < d; a++) dot += data[oi + a]! * data[oj + a]!;
        // The norm identity can go slightly negative for near-duplicates.
        const dist = Math.max(0, ni + this.norms[j]! - 2 * dot);
        this.offer(i, j, dist);
        this.offer(j, i, dist);
      }
    }
  }

  result(): Knn {
    const { n } = this.x;
    const k = this.k;
    const indices = new Int32Array(n * k);
    const dist2 = new Float32Array(n * k);
    const order = new Array<number>(k);
    for (let i = 0; i < n; i++) {
      const base = i * k;
      for (let t = 0; t < k; t++) order[t] = t;
      order.sort((a, b) => this.heapD[base + a]! - this.heapD[base + b]! || this.heapIdx[base + a]! - this.heapIdx[base + b]!);
      for (let t = 0; t < k; t++) {
        indices[base + t] = this.heapIdx[base + order[t]!]!;
        dist2[base + t] = this.heapD[base + order[t]!]!;
      }
    }
    return { k, indices, dist2 };
  }
}

export function allKnnSync(x: PointSet, k: number): Knn {
  const b = new KnnBuilder(x, k);
  b.step(0, x.n);
  return b.result();
}

/** As allKnnSync, yielding to the event loop about every 100 ms so a cancel can land. */
export async function allKnn(x: PointSet, k: number, signal?: AbortSignal): Promise<Knn> {
  const b = new KnnBuilder(x, k);
  let last = performance.now();
  // Row i costs (n - i) distances: blocks of ~2M distances between clock checks.
  let i = 0;
  while (i < x.n) {
    let end = i;
    let work = 0;
    while (end < x.n && work < 2_000_000 / Math.max(1, x.dim / 16)) work += x.n - end++;
    b.step(i, end);
    i = end;
    if (performance.now() - last > 100) {
      await yieldToEventLoop();
      throwIfAborted(signal);
      last = performance.now();
    }
  }
  throwIfAborted(signal);
  return b.result();
}
