import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../cli/nodeBackend';
import { buildGraph, dropEdges } from '../../src/core/graph/adjacency';
import { uploadGraph, propagate } from '../../src/core/graph/propagate';
import { gatherRows } from '../../src/core/train/gatherRows';
import { bprLoss } from '../../src/core/train/losses';
import { Rng } from '../../src/core/rng';

/** Dense reference adjacency from the RLMRec formula, independent of the CSR code. */
function denseAdjacency(users: number[], items: number[], U: number, I: number): number[][] {
  const n = U + I;
  const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < users.length; k++) {
    A[users[k]!]![U + items[k]!] = 1;
    A[U + items[k]!]![users[k]!] = 1;
  }
  const deg = A.map(r => r.reduce((s, v) => s + v, 0));
  return A.map((r, i) => r.map((v, j) => (v ? v / Math.sqrt(deg[i]! * deg[j]!) : 0)));
}

function randomGraph(seed: number, U: number, I: number, m: number) {
  const rng = new Rng(seed);
  const users: number[] = [], items: number[] = [];
  for (let k = 0; k < m; k++) { users.push(rng.int(U)); items.push(rng.int(I)); }
  // Every node gets at least one edge so the normalisation is defined.
  for (let u = 0; u < U; u++) { users.push(u); items.push(u % I); }
  for (let i = 0; i < I; i++) { users.push(i % U); items.push(i); }
  return { users, items };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`propagation on ${backend}`, () => {
    beforeAll(async () => {
      expect(await initNodeBackend(backend)).toBe(backend);
    });

    it('A·X matches the dense reference, and the graph is symmetric', () => {
      const U = 7, I = 9, d = 5;
      const { users, items } = randomGraph(1, U, I, 30);
      const g = buildGraph({ users: Int32Array.from(users), items: Int32Array.from(items) }, U, I);
      const A = denseAdjacency(users, items, U, I);
      const rng = new Rng(2);
      const X = Array.from({ length: U + I }, () => Array.from({ length: d }, () => rng.normal()));
      const gt = uploadGraph(g);
      const vals = tf.tensor1d(g.vals);
      const y = propagate(gt, vals, vals, tf.tensor2d(X)).arraySync();
      for (let r = 0; r < U + I; r++) for (let c = 0; c < d; c++) {
        const ref = A[r]!.reduce((s, a, j) => s + a * X[j]![c]!, 0);
        expect(y[r]![c]!).toBeCloseTo(ref, 5);
      }
      for (let p = 0; p < g.vals.length; p++) expect(g.vals[g.transposePos[p]!]).toBe(g.vals[p]);
      gt.dispose();
      vals.dispose();
    });

    it('gradient with asymmetric edge dropout is the transpose product', () => {
      const U = 6, I = 8, d = 3;
      const { users, items } = randomGraph(4, U, I, 25);
      const g = buildGraph({ users: Int32Array.from(users), items: Int32Array.from(items) }, U, I);
      const { vals, valsT } = dropEdges(g, 0.6, new Rng(5));
      // Dense dropped matrix from the CSR values.
      const n = U + I;
      const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      for (let r = 0; r < n; r++) for (let p = g.rowPtr[r]!; p < g.rowPtr[r + 1]!; p++) A[r]![g.colIdx[p]!] = vals[p]!;
      let asymmetric = false;
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (A[r]![c] !== A[c]![r]) asymmetric = true;
      expect(asymmetric).toBe(true);
      const gt = uploadGraph(g);
      const v = tf.tensor1d(vals), vt = tf.tensor1d(valsT);
      const rng = new Rng(6);
      const W = tf.tensor2d(Array.from({ length: n * d }, () => rng.normal()), [n, d]);
      const X = tf.tensor2d(Array.from({ length: n * d }, () => rng.normal()), [n, d]);
      // loss = sum(W ∘ (A X))  =>  dX = Aᵀ W
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(W, propagate(gt, v, vt, x as tf.Tensor2D))))(X).arraySync() as number[][];
      const w = W.arraySync();
      for (let j = 0; j < n; j++) for (let c = 0; c < d; c++) {
        let ref = 0;
        for (let r = 0; r < n; r++) ref += A[r]![j]! * w[r]![c]!;
        expect(grad[j]![c]!).toBeCloseTo(ref, 5);
      }
      tf.dispose([v, vt, W, X]);
      gt.dispose();
    });

    it('gatherRows sums gradients of repeated rows', () => {
      const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const idx = tf.tensor1d([2, 0, 2], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.sum(gatherRows(t as tf.Tensor2D, idx)))(x).arraySync();
      expect(g).toEqual([[1, 1], [0, 0], [2, 2]]);
      tf.dispose([x, idx]);
    });

    it('BPR gradient matches central finite differences', () => {
      const rng = new Rng(11);
      const b = 4, d = 3;
      const mk = () => Array.from({ length: b * d }, () => rng.normal() * 0.7);
      const U0 = mk(), P0 = mk(), N0 = mk();
      const f = (u: number[]) => tf.tidy(() => bprLoss(tf.tensor2d(u, [b, d]), tf.tensor2d(P0, [b, d]), tf.tensor2d(N0, [b, d])).dataSync()[0]!);
      const g = tf.grad((u: tf.Tensor) => bprLoss(u as tf.Tensor2D, tf.tensor2d(P0, [b, d]), tf.tensor2d(N0, [b, d])))(tf.tensor2d(U0, [b, d])).dataSync();
      // Plain-JS reference of the loss value too.
      let ref = 0;
      for (let r = 0; r < b; r++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += U0[r * d + c]! * (N0[r * d + c]! - P0[r * d + c]!);
        ref += Math.log1p(Math.exp(s));
      }
      expect(f(U0)).toBeCloseTo(ref / b, 5);
      const eps = 1e-2;
      for (let k = 0; k < U0.length; k++) {
        const up = U0.slice(), dn = U0.slice();
        up[k]! += eps;
        dn[k]! -= eps;
        const fd = (f(up) - f(dn)) / (2 * eps);
        expect(Math.abs(g[k]! - fd)).toBeLessThan(2e-3);
      }
    });
  });
}

describe('csrSpmm column blocking', () => {
  it('gives the same result for every width (blocks of 8 plus a tail)', async () => {
    const { csrSpmm } = await import('../../src/core/graph/csr');
    const rng = new Rng(3);
    const n = 5;
    const rowPtr = Int32Array.from([0, 2, 2, 5, 6, 8]);
    const colIdx = Int32Array.from([1, 3, 0, 2, 4, 1, 0, 4]);
    const vals = Float32Array.from(colIdx, () => rng.normal());
    for (const d of [1, 3, 8, 11, 16, 21]) {
      const x = Float32Array.from({ length: n * d }, () => rng.normal());
      const out = new Float32Array(n * d);
      csrSpmm(rowPtr, colIdx, vals, x, d, out);
      for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) {
        let ref = 0;
        for (let p = rowPtr[r]!; p < rowPtr[r + 1]!; p++) ref += vals[p]! * x[colIdx[p]! * d + c]!;
        expect(out[r * d + c]).toBeCloseTo(ref, 5);
      }
    }
  });
});

describe('gatherRows inside a gradient function (wasm)', () => {
  it('keeps its index tensor for the backward pass', async () => {
    await initNodeBackend('wasm');
    const x = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
    const opt = tf.train.sgd(1);
    tf.tidy(() => { opt.minimize(() => tf.sum(gatherRows(x, tf.tensor1d([1, 1], "int32"))) as tf.Scalar); });
    expect(x.arraySync()).toEqual([[1, 2], [1, 2]]);
    x.dispose();
    opt.dispose();
  });
});
