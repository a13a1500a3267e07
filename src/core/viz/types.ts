/**
 * Shared types of the dimensionality reducers behind the inspection views (issue 6). Points are
 * row-major Float32Arrays so they cross the worker boundary as one transferable buffer.
 */

export interface PointSet {
  n: number;
  dim: number;
  /** Row-major, length n * dim. */
  data: Float32Array;
}

/** Called with a private copy of the current 2-D layout (row-major, n * 2). */
export type ProgressFn = (iter: number, embedding2d: Float32Array) => void;

export interface Reducer<O> {
  name: string;
  reduce(x: PointSet, opts: O, onProgress?: ProgressFn, signal?: AbortSignal): Promise<Float32Array>;
}

/** Thrown when a reduction is cancelled through its AbortSignal; `name` matches DOM's convention. */
export class ReduceAbortedError extends Error {
  constructor() {
    super('reduction cancelled');
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ReduceAbortedError();
}

export function checkPointSet(x: PointSet): void {
  if (!Number.isInteger(x.n) || !Number.isInteger(x.dim) || x.n < 0 || x.dim < 1) throw new Error(`bad point set shape ${x.n}x${x.dim}`);
  if (x.data.length !== x.n * x.dim) throw new Error(`point set data has ${x.data.length} values, expected ${x.n}x${x.dim}`);
}

/** Copies the kept rows into a new PointSet (the sample the views and reducers work on). */
export function takeRows(x: PointSet, rows: ArrayLike<number>): PointSet {
  const out = new Float32Array(rows.length * x.dim);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    out.set(x.data.subarray(i * x.dim, (i + 1) * x.dim), r * x.dim);
  }
  return { n: rows.length, dim: x.dim, data: out };
}

/** Stacks point sets of equal width (the joint embedding of shared CF and shared LLM). */
export function stackRows(sets: PointSet[]): PointSet {
  const dim = sets[0]?.dim ?? 1;
  let n = 0;
  for (const s of sets) {
    if (s.dim !== dim) throw new Error(`cannot stack widths ${dim} and ${s.dim}`);
    n += s.n;
  }
  const data = new Float32Array(n * dim);
  let off = 0;
  for (const s of sets) {
    data.set(s.data, off);
    off += s.data.length;
  }
  return { n, dim, data };
}

/** Rows scaled to unit length (zero rows stay zero): cosine geometry for Euclidean reducers. */
export function normalizeRows(x: PointSet): PointSet {
  const out = new Float32Array(x.data);
  for (let i = 0; i < x.n; i++) {
    let s = 0;
    for (let k = i * x.dim; k < (i + 1) * x.dim; k++) s += out[k]! * out[k]!;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let k = i * x.dim; k < (i + 1) * x.dim; k++) out[k]! *= inv;
    }
  }
  return { n: x.n, dim: x.dim, data: out };
}

/** Gives the event loop a turn so a worker can receive its cancel message mid-computation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * One stored snapshot of the representations of one side, produced by the trainer every N
 * epochs for the inspection views. All point sets hold the same n nodes in the same order.
 */
export interface SpacesSnapshot {
  epoch: number;
  side: 'users' | 'items';
  /** The four disentangled spaces; null when the method has none (then the views show `cf` and `llm`). */
  spaces: { sharedCF: PointSet; sharedLLM: PointSet; specificCF: PointSet; specificLLM: PointSet } | null;
  cf: PointSet;
  llm?: PointSet;
  /** K-means (preference cluster) assignment per node. */
  clusters?: Int32Array;
  labels?: { categories?: string[]; titles?: string[]; ids?: string[]; degree?: Int32Array };
}
