import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  centreInfoNCE,
  centreMse,
  globalStructureKl,
  globalStructureMse,
  hardCentres,
  orthogonalityCosine,
  orthogonalityFrobenius,
  reconstructionMse,
  softCentres,
  studentTAssign,
  uniformity,
} from '../../src/core/align/darec/losses';
import { membership } from '../../src/core/align/darec/darec';
import { Mlp } from '../../src/core/align/mlp';
import { infoNCE, mm, symmetricInfoNCE } from '../../src/core/align/ops';
import { reconInfoNCE } from '../../src/core/align/rlmrecGen';
import { Rng } from '../../src/core/rng';
import {
  fdGrad,
  globalKlRef,
  globalMseRef,
  hardCentresRef,
  infoNCERef,
  mlpRef,
  mseRef,
  orthCosRef,
  orthFrobRef,
  randMat,
  relErr,
  softCentresRef,
  studentTRef,
  symInfoNCERef,
  t2,
  tfGrad,
  uniformityRef,
  type M,
} from './ref';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Value against the float64 reference (1e-5) and tfjs gradient against its central differences. */
function check(name: string, f: (...xs: tf.Tensor2D[]) => tf.Scalar, ref: (xs: M[]) => number, xs: M[]): void {
  const before = tf.memory().numTensors;
  const { value, grads } = tfGrad(f, xs);
  expect(tf.memory().numTensors, `${name}: leaked tensors`).toBe(before);
  const r = ref(xs);
  expect(relErr(value, r), `${name}: value ${value} vs ${r}`).toBeLessThan(1e-5);
  const fd = fdGrad(ref, xs);
  grads.forEach((g, i) => expect(relErr(g, fd[i] as M), `${name}: gradient of input ${i}`).toBeLessThan(1e-4));
}

const rng = new Rng(11);
const A = randMat(rng, 7, 5);
const B = randMat(rng, 7, 5);
const C = randMat(rng, 9, 5);

describe('DaRec loss terms: value vs plain-loop reference, gradient vs finite differences', () => {
  test('orthogonality (cosine)', () => check('orthCos', orthogonalityCosine, ([s, p]) => orthCosRef(s!, p!), [A, B]));
  test('orthogonality (frobenius)', () => check('orthFrob', orthogonalityFrobenius, ([s, p]) => orthFrobRef(s!, p!), [A, B]));
  test('uniformity t=2 and t=1', () => {
    check('uni2', x => uniformity(x, 2), ([x]) => uniformityRef(x!, 2), [A]);
    check('uni1', x => uniformity(x, 1), ([x]) => uniformityRef(x!, 1), [C]);
  });
  test('global structure MSE', () => check('gloMse', globalStructureMse, ([c, l]) => globalMseRef(c!, l!), [A, B]));
  test('global structure KL', () => {
    check('gloKl', (c, l) => globalStructureKl(c, l, 0.5), ([c, l]) => globalKlRef(c!, l!, 0.5), [A, B]);
    check('gloKl.2', (c, l) => globalStructureKl(c, l, 0.2), ([c, l]) => globalKlRef(c!, l!, 0.2), [A, B]);
  });
  test('reconstruction MSE', () => check('dec', reconstructionMse, ([a, b]) => mseRef(a!, b!), [A, B]));

  test('local: hard centres + symmetric InfoNCE, empty clusters excluded', () => {
    // 9 rows, K = 6: cluster 4 empty everywhere, 5 only on the CF side, 1 only on the LLM side.
    const idsC = [0, 0, 2, 3, 3, 2, 5, 0, 3];
    const idsL = [0, 1, 2, 3, 3, 2, 0, 0, 3];
    const m = membership(Int32Array.from(idsC), Int32Array.from(idsL), 6);
    expect(m?.k).toBe(3); // clusters 0, 2, 3
    const f = (sc: tf.Tensor2D, sl: tf.Tensor2D): tf.Scalar =>
      tf.tidy(() => {
        const n = sc.shape[0];
        const norm = (x: tf.Tensor2D) => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
        const cc = hardCentres(norm(sc), tf.tensor2d(m!.onehotC, [n, m!.k]), tf.tensor1d(m!.countsC));
        const cl = hardCentres(norm(sl), tf.tensor2d(m!.onehotL, [n, m!.k]), tf.tensor1d(m!.countsL));
        return centreInfoNCE(cc, cl, 0.2);
      });
    const ref = ([sc, sl]: M[]): number => {
      const { cc, cl } = hardCentresRef(sc!, sl!, idsC, idsL);
      return symInfoNCERef(cc, cl, 0.2);
    };
    check('locInfoNCE', f, ref, [C, randMat(rng, 9, 5)]);
  });

  test('local: centre MSE', () => {
    const idsC = [0, 1, 1, 2, 0, 2, 1];
    const m = membership(Int32Array.from(idsC), Int32Array.from(idsC), 3)!;
    const f = (sc: tf.Tensor2D, sl: tf.Tensor2D): tf.Scalar =>
      tf.tidy(() => {
        const oh = tf.tensor2d(m.onehotC, [7, m.k]);
        return centreMse(hardCentres(sc, oh, tf.tensor1d(m.countsC)), hardCentres(sl, oh, tf.tensor1d(m.countsL)));
      });
    const ref = ([sc, sl]: M[]): number => {
      const cen = (x: M) =>
        [0, 1, 2].map(c => {
          const rows = x.filter((_, r) => idsC[r] === c);
          return rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
        });
      return mseRef(cen(sc!), cen(sl!));
    };
    check('locMse', f, ref, [A, B]);
  });

  test('local: Student-t soft assignments + centres', () => {
    const mu = randMat(rng, 3, 5, 0.5);
    const f = (sc: tf.Tensor2D, sl: tf.Tensor2D): tf.Scalar =>
      tf.tidy(() => {
        const q = studentTAssign(sl, t2(mu), 1.5);
        return centreInfoNCE(softCentres(sc, q), softCentres(sl, q), 0.3);
      });
    const ref = ([sc, sl]: M[]): number => {
      const q = studentTRef(sl!, mu, 1.5);
      return symInfoNCERef(softCentresRef(sc!, q), softCentresRef(sl!, q), 0.3);
    };
    check('locSoft', f, ref, [randMat(rng, 6, 5, 0.5), randMat(rng, 6, 5, 0.5)]);
    const q = tf.tidy(() => studentTAssign(t2(A), t2(mu), 1).arraySync());
    expect(relErr(q, studentTRef(A, mu, 1))).toBeLessThan(1e-6);
  });
});

describe('InfoNCE (RLMRec-Con kd / RLMRec-Gen recon / centre loss)', () => {
  test('in-batch negatives, explicit negatives, RLMRec eps', () => {
    check('nce', (a, b) => infoNCE(a, b, 0.2), ([a, b]) => infoNCERef(a!, b!, 0.2), [A, B]);
    const all = randMat(rng, 11, 5);
    check('nceAll', (a, b) => infoNCE(a, b, 0.2, t2(all), 1e-8), ([a, b]) => infoNCERef(a!, b!, 0.2, all, 1e-8), [A, B]);
    check('nceAll.1', (a, b, c) => infoNCE(a, b, 0.1, c), ([a, b, c]) => infoNCERef(a!, b!, 0.1, c), [A, B, C]);
  });
  test('symmetric and Gen recon forms', () => {
    check('sym', (a, b) => symmetricInfoNCE(a, b, 0.5), ([a, b]) => symInfoNCERef(a!, b!, 0.5), [A, B]);
    check('gen', (a, b) => reconInfoNCE(a, b, 0.2), ([a, b]) => infoNCERef(a!, b!, 0.2), [A, B]);
  });
  test('matches RLMRec ssl_con_loss written literally (with its 1e-8 guards)', () => {
    const tau = 0.2;
    const an = A.map(r => r.map(v => v / Math.max(Math.hypot(...r), 1e-12)));
    const bn = B.map(r => r.map(v => v / Math.max(Math.hypot(...r), 1e-12)));
    const dotp = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    let acc = 0;
    for (let i = 0; i < an.length; i++) {
      const mole = Math.exp(dotp(an[i]!, bn[i]!) / tau);
      const deno = bn.reduce((s, r) => s + Math.exp(dotp(an[i]!, r) / tau), 0);
      acc += -Math.log(mole / (deno + 1e-8) + 1e-8);
    }
    const v = tf.tidy(() => reconInfoNCE(t2(A), t2(B), tau).dataSync()[0]!);
    expect(Math.abs(v - acc / an.length)).toBeLessThan(1e-5);
  });
  test('no overflow at small temperature', () => {
    const v = tf.tidy(() => infoNCE(t2(A), t2(A), 0.01).dataSync()[0]!);
    expect(Number.isFinite(v)).toBe(true);
    expect(relErr(v, infoNCERef(A, A, 0.01))).toBeLessThan(1e-4);
  });
});

describe('MLP', () => {
  test('forward vs reference, shapes, RLMRec hidden width, slope 0.01, gradient wrt input', () => {
    const mlp = new Mlp('m', 'test-mlp', 5, 3, new Rng(3));
    expect(mlp.w1.shape).toEqual([5, 4]);
    expect(mlp.w2.shape).toEqual([4, 3]);
    expect(mlp.slope).toBe(0.01);
    expect(Object.keys(mlp.namedVariables())).toEqual(['m.0.weight', 'm.0.bias', 'm.2.weight', 'm.2.bias']);
    const w = {
      w1: mlp.w1.arraySync() as M,
      b1: mlp.b1.arraySync() as number[],
      w2: mlp.w2.arraySync() as M,
      b2: mlp.b2.arraySync() as number[],
      slope: 0.01,
    };
    // Xavier bound sqrt(6/(in+out)).
    expect(Math.max(...w.w1.flat().map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 9));
    check('mlp', x => tf.tidy(() => tf.sum(tf.square(mlp.apply(x)))), ([x]) => mlpRef(x!, w).flat().reduce((s, v) => s + v * v, 0), [A]);
    // Same seed, same weights.
    const again = new Mlp('m', 'test-mlp2', 5, 3, new Rng(3));
    expect(again.w1.arraySync()).toEqual(w.w1);
    const chunked = tf.tidy(() => mlp.applyChunked(t2(C), 4).arraySync());
    expect(relErr(chunked, mlpRef(C, w))).toBeLessThan(1e-5);
    mlp.dispose();
    again.dispose();
  });
});

describe('properties', () => {
  test('orthogonality ~0 for orthogonal parts, positive otherwise', () => {
    const r = new Rng(5);
    // S lives in the first 3 coordinates, P in the last 3: orthogonal per node and per column.
    const S = Array.from({ length: 8 }, () => [r.normal(), r.normal(), r.normal(), 0, 0, 0]);
    const P = Array.from({ length: 8 }, () => [0, 0, 0, r.normal(), r.normal(), r.normal()]);
    const R = randMat(r, 8, 6);
    const v = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Scalar, a: M, b: M) => tf.tidy(() => f(t2(a), t2(b)).dataSync()[0]!);
    expect(v(orthogonalityCosine, S, P)).toBeLessThan(1e-10);
    // The Frobenius form measures orthogonality of the parts' columns over the batch (as in
    // domain-separation losses): Hadamard columns are orthogonal and each half-row has norm 2,
    // so row normalisation keeps them orthogonal.
    const h2 = [[1, 1], [1, -1]];
    const kron = (a: M, b: M): M => a.flatMap(ra => b.map(rb => ra.flatMap(x => rb.map(y => x * y))));
    const H8 = kron(kron(h2, h2), h2);
    const HS = H8.map(r => r.slice(0, 4).map(v => v * 3));
    const HP = H8.map(r => r.slice(4, 8));
    expect(v(orthogonalityFrobenius, HS, HP)).toBeLessThan(1e-10);
    expect(v(orthogonalityFrobenius, S, P)).toBeGreaterThan(1e-4);
    expect(v(orthogonalityCosine, S, R)).toBeGreaterThan(1e-3);
    expect(v(orthogonalityFrobenius, S, R)).toBeGreaterThan(1e-4);
    expect(v(orthogonalityCosine, S, S)).toBeCloseTo(1, 5);
  });

  test('uniformity decreases when points spread', () => {
    const r = new Rng(6);
    const centre = [1, 0.5, -0.3, 0.2];
    const tight = Array.from({ length: 20 }, () => centre.map(c => c + 0.05 * r.normal()));
    const loose = Array.from({ length: 20 }, () => centre.map(c => c + 0.5 * r.normal()));
    const spread = randMat(r, 20, 4);
    const u = (x: M) => tf.tidy(() => uniformity(t2(x)).dataSync()[0]!);
    expect(u(tight)).toBeGreaterThan(u(loose));
    expect(u(loose)).toBeGreaterThan(u(spread));
    expect(u(tight)).toBeLessThanOrEqual(0);
    // Identical points: exp(0) = 1 everywhere, log 1 = 0 (the maximum).
    expect(u(Array.from({ length: 5 }, () => centre))).toBeCloseTo(0, 5);
  });

  test('global structure is 0 for identical geometry (rotation, scaling) and positive otherwise', () => {
    const r = new Rng(8);
    const X = randMat(r, 10, 2);
    const rot = X.map(([a, b]) => [3 * (Math.cos(1) * a! - Math.sin(1) * b!), 3 * (Math.sin(1) * a! + Math.cos(1) * b!)]);
    const v = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Scalar, a: M, b: M) => tf.tidy(() => f(t2(a), t2(b)).dataSync()[0]!);
    expect(v(globalStructureMse, X, rot)).toBeLessThan(1e-10);
    expect(v((a, b) => globalStructureKl(a, b, 0.2), X, rot)).toBeLessThan(1e-5);
    expect(v(globalStructureMse, X, randMat(r, 10, 2))).toBeGreaterThan(1e-2);
  });
});

describe('mm', () => {
  test('all transpose combinations against plain loops, with gradients', () => {
    const r = new Rng(12);
    const S1 = randMat(r, 6, 5);
    const S2 = randMat(r, 5, 6);
    const R = randMat(r, 6, 6);
    const T = (m: M): M => m[0]!.map((_, j) => m.map(row => row[j]!));
    const prod = (a: M, b: M): M => a.map(row => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const xs = [ta ? S2 : S1, tb ? S1 : S2];
        check(
          `mm ${ta} ${tb}`,
          (a, b) => tf.tidy(() => tf.sum(tf.mul(mm(a, b, ta, tb), t2(R))) as tf.Scalar),
          ([a, b]) => prod(ta ? T(a!) : a!, tb ? T(b!) : b!).reduce((s, row, i) => s + row.reduce((q, v, j) => q + v * R[i]![j]!, 0), 0),
          xs,
        );
      }
  });
});
