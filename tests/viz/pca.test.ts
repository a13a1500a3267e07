import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { pca, pcaReducer, symmetricEigen } from '../../src/core/viz/pca';
import type { PointSet } from '../../src/core/viz/types';

/** Reference: textbook two-sided Jacobi on a dense covariance, written independently of src. */
function referenceEigen(cov: number[][]): { values: number[]; vectors: number[][] } {
  const n = cov.length;
  const a = cov.map((r) => r.slice());
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 200; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += a[i]![j]! ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const phi = 0.5 * Math.atan2(2 * a[p]![q]!, a[q]![q]! - a[p]![p]!);
        const c = Math.cos(phi);
        const s = Math.sin(phi);
        // A <- J^T A J with J the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y]![y]! - a[x]![x]!);
  return { values: order.map((i) => a[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) };
}

function covariance(x: PointSet): number[][] {
  const mean = new Array<number>(x.dim).fill(0);
  for (let i = 0; i < x.n; i++) for (let a = 0; a < x.dim; a++) mean[a]! += x.data[i * x.dim + a]! / x.n;
  const c = Array.from({ length: x.dim }, () => new Array<number>(x.dim).fill(0));
  for (let i = 0; i < x.n; i++)
    for (let a = 0; a < x.dim; a++)
      for (let b = 0; b < x.dim; b++) c[a]![b]! += ((x.data[i * x.dim + a]! - mean[a]!) * (x.data[i * x.dim + b]! - mean[b]!)) / (x.n - 1);
  return c;
}

function randomData(n: number, dim: number, seed: number, scales: number[]): PointSet {
  const rng = new Rng(seed);
  // Random rotation (QR of a Gaussian matrix via Gram–Schmidt) applied to axis-scaled noise.
  const q: number[][] = [];
  for (let r = 0; r < dim; r++) {
    let v = Array.from({ length: dim }, () => rng.normal());
    for (const u of q) {
      const dot = v.reduce((s, x, k) => s + x * u[k]!, 0);
      v = v.map((x, k) => x - dot * u[k]!);
    }
    const nrm = Math.hypot(...v);
    q.push(v.map((x) => x / nrm));
  }
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: dim }, (_, a) => rng.normal() * (scales[a] ?? 0.1));
    for (let b = 0; b < dim; b++) {
      let s = 3;
      for (let a = 0; a < dim; a++) s += z[a]! * q[a]![b]!;
      data[i * dim + b] = s;
    }
  }
  return { n, dim, data };
}

function absCos(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, d: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    dot += a[aOff + k]! * b[bOff + k]!;
    na += a[aOff + k]! ** 2;
    nb += b[bOff + k]! ** 2;
  }
  return Math.abs(dot) / Math.sqrt(na * nb);
}

describe('PCA', () => {
  it('recovers the known axes of a hand-built data set', () => {
    // Points on a line along (1, 1, 0)/sqrt2 with spread 10, plus spread 1 along (1, -1, 0)/sqrt2, none along z.
    const pts: number[] = [];
    for (let s = -5; s <= 5; s++) for (const t of [-1, 1]) pts.push(s + t + 2, s - t - 1, 4);
    const x: PointSet = { n: pts.length / 3, dim: 3, data: Float32Array.from(pts) };
    const r = pca(x);
    const h = Math.SQRT1_2;
    expect(absCos(r.components, 0, [h, h, 0], 0, 3)).toBeCloseTo(1, 10);
    expect(absCos(r.components, 3, [h, -h, 0], 0, 3)).toBeCloseTo(1, 10);
    // Sign convention: largest-magnitude entry positive (first on ties).
    expect(r.components[0]).toBeGreaterThan(0);
    expect(r.components[3]).toBeGreaterThan(0);
    // Variance along (1,1,0)/sqrt2: coordinate sqrt2*s, s in -5..5 twice -> 2 * sum(s^2) * 2 / (n-1).
    expect(r.variances[0]).toBeCloseTo((2 * 2 * 110) / (x.n - 1), 8);
    expect(r.variances[1]).toBeCloseTo((2 * x.n) / (x.n - 1), 8);
    expect(r.mean[0]).toBeCloseTo(2, 10);
    expect(r.mean[1]).toBeCloseTo(-1, 10);
  });

  for (const method of ['covariance', 'subspace'] as const) {
    it(`agrees with a reference Jacobi decomposition (${method} route)`, () => {
      const x = randomData(400, 12, 3, [9, 5, 3, 2, 1.5, 1, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1]);
      const ref = referenceEigen(covariance(x));
      const r = pca(x, { components: 3, method });
      for (let j = 0; j < 3; j++) {
        expect(r.variances[j]! / ref.values[j]!).toBeCloseTo(1, 5);
        expect(absCos(r.components, j * 12, ref.vectors[j]!, 0, 12)).toBeCloseTo(1, 6);
      }
      // Projection = centred data times axes.
      for (const i of [0, 17, 399]) {
        let s = 0;
        for (let a = 0; a < 12; a++) s += (x.data[i * 12 + a]! - r.mean[a]!) * r.components[a]!;
        expect(r.projection[i * 3]).toBeCloseTo(s, 3);
      }
    });
  }

  it('wide input (subspace route chosen automatically) matches the covariance route', () => {
    const scales = Array.from({ length: 160 }, (_, a) => 10 / (1 + a));
    const x = randomData(300, 160, 5, scales);
    const auto = pca(x, { components: 2 });
    expect(auto.iterations).toBeGreaterThan(0);
    const cov = pca(x, { components: 2, method: 'covariance' });
    for (let j = 0; j < 2; j++) {
      expect(auto.variances[j]! / cov.variances[j]!).toBeCloseTo(1, 6);
      expect(absCos(auto.components, j * 160, cov.components, j * 160, 160)).toBeCloseTo(1, 5);
    }
    // Same sign convention on both routes.
    for (let i = 0; i < 2 * 160; i++) expect(auto.components[i]! * cov.components[i]!).toBeGreaterThanOrEqual(-1e-6);
  });

  it('symmetricEigen reconstructs its input', () => {
    const rng = new Rng(11);
    const n = 7;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[k * n + i]! * values[k]! * vectors[k * n + j]!;
        expect(s).toBeCloseTo(a[i * n + j]!, 10);
      }
    for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
  });

  it('is deterministic and the reducer returns n x 2', async () => {
    const x = randomData(50, 5, 9, [3, 2, 1, 1, 1]);
    const a = await pcaReducer.reduce(x, {});
    const b = await pcaReducer.reduce(x, {});
    expect(a.length).toBe(100);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
