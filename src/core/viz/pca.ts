/**
 * PCA to a few components (2 for the instant preview, ~50 before t-SNE). Narrow inputs (the CF
 * and projected spaces, width 32) get the exact route: covariance plus a Jacobi eigensolver.
 * Wide inputs (raw LLM vectors, 384–1536) would make a d x d covariance cost n*d^2, so they use
 * block subspace iteration on X^T X with Rayleigh–Ritz, which only multiplies by X.
 */
import { Rng } from '../rng';
import { checkPointSet, throwIfAborted, type PointSet, type Reducer } from './types';

export interface PcaOptions {
  /** Number of components (default 2). */
  components?: number;
  /** 'auto' picks 'covariance' for dim <= 128, else 'subspace'. */
  method?: 'auto' | 'covariance' | 'subspace';
  /** Seed of the subspace start block. */
  seed?: number;
  /** Subspace iteration limit (default 200) and residual tolerance (default 1e-7, relative to the eigenvalue). */
  maxIter?: number;
  tol?: number;
}

export interface PcaResult {
  /** Unit principal axes, row-major k x dim, by decreasing variance. */
  components: Float64Array;
  /** Variance along each axis (eigenvalues of the covariance, divisor n - 1). */
  variances: Float64Array;
  mean: Float64Array;
  /** Centred data projected on the axes, row-major n x k. */
  projection: Float32Array;
  k: number;
  /** Subspace iterations used (0 on the covariance route). */
  iterations: number;
}

/**
 * Eigen-decomposition of a symmetric matrix (row-major n x n, not modified) by cyclic Jacobi
 * rotations. Returns eigenvalues in decreasing order and eigenvectors as rows.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = new Float64Array(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += m[p * n + p]! ** 2;
      for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y]! - m[x * n + x]! || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, r) => {
    values[r] = m[col * n + col]!;
    for (let k = 0; k < n; k++) vectors[r * n + k] = v[k * n + col]!;
  });
  return { values, vectors };
}

/** Flips an axis so its largest-magnitude entry (first on ties) is positive: the same data always draws the same way up. */
export function fixSign(vec: Float64Array, offset: number, len: number): void {
  let best = 0;
  let at = offset;
  for (let k = offset; k < offset + len; k++) {
    const a = Math.abs(vec[k]!);
    if (a > best + 1e-12) {
      best = a;
      at = k;
    }
  }
  if (vec[at]! < 0) for (let k = offset; k < offset + len; k++) vec[k] = -vec[k]!;
}

function columnMean(x: PointSet): Float64Array {
  const mean = new Float64Array(x.dim);
  for (let i = 0; i < x.n; i++) for (let a = 0; a < x.dim; a++) mean[a]! += x.data[i * x.dim + a]!;
  for (let a = 0; a < x.dim; a++) mean[a]! /= Math.max(1, x.n);
  return mean;
}

function covarianceRoute(x: PointSet, mean: Float64Array, k: number): { components: Float64Array; variances: Float64Array } {
  const d = x.dim;
  const c = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < x.n; i++) {
    for (let a = 0; a < d; a++) row[a] = x.data[i * d + a]! - mean[a]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) c[a * d + b]! += ra * row[b]!;
    }
  }
  const denom = Math.max(1, x.n - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const val = c[a * d + b]! / denom;
      c[a * d + b] = val;
      c[b * d + a] = val;
    }
  }
  const { values, vectors } = symmetricEigen(c, d);
  return { components: vectors.slice(0, k * d), variances: values.slice(0, k) };
}

/** Modified Gram–Schmidt on the b columns of a row-major d x b matrix; a collapsed column is replaced by a fresh random one. */
function orthonormalizeColumns(m: Float64Array, d: number, b: number, rng: Rng): void {
  for (let j = 0; j < b; j++) {
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let a = 0; a < d; a++) dot += m[a * b + p]! * m[a * b + j]!;
        for (let a = 0; a < d; a++) m[a * b + j]! -= dot * m[a * b + p]!;
      }
      let norm = 0;
      for (let a = 0; a < d; a++) norm += m[a * b + j]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-10) {
        for (let a = 0; a < d; a++) m[a * b + j]! /= norm;
        break;
      }
      for (let a = 0; a < d; a++) m[a * b + j] = rng.normal();
    }
  }
}

function subspaceRoute(x: PointSet, mean: Float64Array, k: number, opts: PcaOptions): { components: Float64Array; variances: Float64Array; iterations: number } {
  const { n, dim: d, data } = x;
  const b = Math.min(d, k + Math.max(8, k));
  const rng = new Rng(opts.seed ?? 7);
  const maxIter = opts.maxIter ?? 200;
  const tol = opts.tol ?? 1e-7;
  let v: Float64Array = new Float64Array(d * b);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  orthonormalizeColumns(v, d, b, rng);
  const t = new Float64Array(n * b);
  const w = new Float64Array(d * b);
  const rowC = new Float64Array(d);
  const denom = Math.max(1, n - 1);
  let ritzV: Float64Array = new Float64Array(d * b);
  let values: Float64Array = new Float64Array(b);
  let iterations = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    iterations = iter;
    // W = C V = Xc^T (Xc V) / (n - 1), never forming Xc or C.
    t.fill(0);
    w.fill(0);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) rowC[a] = data[i * d + a]! - mean[a]!;
      const to = i * b;
      for (let a = 0; a < d; a++) {
        const xa = rowC[a]!;
        if (xa === 0) continue;
        const vo = a * b;
        for (let j = 0; j < b; j++) t[to + j]! += xa * v[vo + j]!;
      }
      for (let a = 0; a < d; a++) {
        const xa = rowC[a]! / denom;
        if (xa === 0) continue;
        const wo = a * b;
        for (let j = 0; j < b; j++) w[wo + j]! += xa * t[to + j]!;
      }
    }
    const h = new Float64Array(b * b);
    for (let p = 0; p < b; p++) {
      for (let q = p; q < b; q++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += v[a * b + p]! * w[a * b + q]!;
        h[p * b + q] = s;
      }
    }
    for (let p = 0; p < b; p++) for (let q = p + 1; q < b; q++) h[q * b + p] = h[p * b + q]!;
    const eig = symmetricEigen(h, b);
    values = eig.values;
    // Ritz vectors V U and their images W U = C (V U); the residual of the top k decides convergence.
    ritzV = new Float64Array(d * b);
    const z = new Float64Array(d * b);
    for (let a = 0; a < d; a++) {
      for (let j = 0; j < b; j++) {
        let sv = 0;
        let sw = 0;
        for (let p = 0; p < b; p++) {
          const u = eig.vectors[j * b + p]!;
          sv += v[a * b + p]! * u;
          sw += w[a * b + p]! * u;
        }
        ritzV[a * b + j] = sv;
        z[a * b + j] = sw;
      }
    }
    let worst = 0;
    for (let j = 0; j < k; j++) {
      const lam = values[j]!;
      let r = 0;
      for (let a = 0; a < d; a++) r += (z[a * b + j]! - lam * ritzV[a * b + j]!) ** 2;
      worst = Math.max(worst, Math.sqrt(r) / Math.max(Math.abs(lam), 1e-300));
    }
    if (worst < tol || values[0]! <= 0) break;
    orthonormalizeColumns(z, d, b, rng);
    v = z;
  }
  const components = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) components[j * d + a] = ritzV[a * b + j]!;
  return { components, variances: values.slice(0, k), iterations };
}

export function pca(x: PointSet, opts: PcaOptions = {}): PcaResult {
  checkPointSet(x);
  const k = Math.min(opts.components ?? 2, x.dim);
  const mean = columnMean(x);
  const method = opts.method ?? 'auto';
  const useCov = method === 'covariance' || (method === 'auto' && x.dim <= 128);
  const r = useCov ? { ...covarianceRoute(x, mean, k), iterations: 0 } : subspaceRoute(x, mean, k, opts);
  for (let j = 0; j < k; j++) fixSign(r.components, j * x.dim, x.dim);
  const projection = new Float32Array(x.n * k);
  for (let i = 0; i < x.n; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < x.dim; a++) s += (x.data[i * x.dim + a]! - mean[a]!) * r.components[j * x.dim + a]!;
      projection[i * k + j] = s;
    }
  }
  return { components: r.components, variances: r.variances, mean, projection, k, iterations: r.iterations };
}

/** Pads a projection to 2 columns when the input had a single dimension. */
function as2d(p: PcaResult, n: number): Float32Array {
  if (p.k === 2) return p.projection;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) out[i * 2] = p.projection[i * p.k] ?? 0;
  return out;
}

export const pcaReducer: Reducer<PcaOptions> = {
  name: 'PCA',
  async reduce(x, opts, onProgress, signal) {
    throwIfAborted(signal);
    const out = as2d(pca(x, { ...opts, components: 2 }), x.n);
    onProgress?.(1, out.slice());
    return out;
  },
};
