import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { createAlignment, type Alignment, type AlignName } from '../../src/core/align';
import { kmeans } from '../../src/core/align/kmeans';
import {
  centreInfoNCE,
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
import { infoNCE, mm } from '../../src/core/align/ops';
import { Rng } from '../../src/core/rng';
import { makeContext, makeTables, matchedAccuracy, plantedBlobs, withTables } from './fixture';
import { randMat, relErr, t2, tfGrad, type M } from './ref';

/*
 * Every loss and its gradient, K-means, and whole optimisation steps of each alignment, on
 * the wasm backend (no UnsortedSegmentSum kernel) against cpu. Each case runs once per backend
 * from the same plain arrays and seeds.
 */

async function use(backend: 'cpu' | 'wasm'): Promise<void> {
  if (backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  expect(await tf.setBackend(backend)).toBe(true);
}

const rng = new Rng(77);
const A = randMat(rng, 12, 6);
const B = randMat(rng, 12, 6);
const mu = randMat(rng, 4, 6, 0.5);
const ids = Int32Array.from({ length: 12 }, (_, i) => i % 4);
const mem = membership(ids, ids, 4)!;

const S1 = randMat(rng, 6, 5);
const S2 = randMat(rng, 5, 6);
const R = randMat(rng, 6, 6);
/** Σ (op(a) op(b)) ∘ R for each transpose combination (shapes chosen so every combination is 6×6). */
const mmCase = (ta: boolean, tb: boolean): [(...xs: tf.Tensor2D[]) => tf.Scalar, M[]] => [
  (a, b) => tf.tidy(() => tf.sum(tf.mul(mm(a!, b!, ta, tb), t2(R))) as tf.Scalar),
  [ta ? S2 : S1, tb ? S1 : S2],
];

const cases: Record<string, [(...xs: tf.Tensor2D[]) => tf.Scalar, M[]]> = {
  mm: mmCase(false, false),
  mmTA: mmCase(true, false),
  mmTB: mmCase(false, true),
  mmTATB: mmCase(true, true),
  orthCos: [orthogonalityCosine, [A, B]],
  orthFrob: [orthogonalityFrobenius, [A, B]],
  uniformity: [x => uniformity(x, 2), [A]],
  globalMse: [globalStructureMse, [A, B]],
  globalKl: [(a, b) => globalStructureKl(a, b, 0.2), [A, B]],
  dec: [reconstructionMse, [A, B]],
  infoNCE: [(a, b) => infoNCE(a, b, 0.2), [A, B]],
  localHard: [
    (a, b) =>
      tf.tidy(() => {
        const oh = tf.tensor2d(mem.onehotC, [12, mem.k]);
        const n = tf.tensor1d(mem.countsC);
        return centreInfoNCE(hardCentres(a, oh, n), hardCentres(b, oh, n), 0.2);
      }),
    [A, B],
  ],
  localSoft: [
    (a, b) =>
      tf.tidy(() => {
        const q = studentTAssign(b, t2(mu), 1);
        return centreInfoNCE(softCentres(a, q), softCentres(b, q), 0.2);
      }),
    [A, B],
  ],
};

type StepLog = { terms: Record<string, number>[]; clusters: number[] | null };

/** 3 Adam steps of one alignment on its own (backbone tables trainable too), logging every term. */
async function trainSteps(name: AlignName): Promise<StepLog> {
  const t = makeTables(90, 14, 18, 8, 12, 10);
  const a: Alignment = createAlignment(name, { darec: { local: { clusters: 4 }, maxPairRows: 8 } }, { cf: t.d, llm: t.dL }, new Rng(4));
  const cfU = tf.variable(t2(t.userCF));
  const cfI = tf.variable(t2(t.itemCF));
  const lu = t2(t.userLLM);
  const li = t2(t.itemLLM);
  const opt = tf.train.adam(1e-2, 0.9, 0.999, 1e-7);
  const log: StepLog = { terms: [], clusters: null };
  await a.onEpochStart?.({ epoch: 0, allUserLLM: lu, allItemLLM: li, allUserCF: cfU, allItemCF: cfI });
  const maskRng = new Rng(5);
  for (let s = 0; s < 3; s++) {
    let terms: Record<string, number> = {};
    opt.minimize(
      () => {
        let u: tf.Tensor2D = cfU;
        let i: tf.Tensor2D = cfI;
        if (a.maskInput) {
          const { masked } = a.maskInput(tf.concat([cfU, cfI], 0), maskRng);
          u = tf.slice(masked, [0, 0], [t.U, -1]);
          i = tf.slice(masked, [t.U, 0], [t.I, -1]);
        }
        const out = a.losses({ ...makeContext(t, u, i, lu, li), allUserCF: u, allItemCF: i });
        terms = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.dataSync()[0] as number]));
        return tf.addN(Object.values(out)) as tf.Scalar;
      },
      false,
      [cfU, cfI, ...a.variables()],
    );
    log.terms.push(terms);
  }
  const cl = 'clusters' in a && typeof a.clusters === 'function' ? (a.clusters as () => Int32Array | null)() : null;
  log.clusters = cl ? Array.from(cl) : null;
  opt.dispose();
  tf.dispose([cfU, cfI, lu, li]);
  a.dispose();
  return log;
}

describe('wasm backend matches cpu', () => {
  test('loss terms and gradients within 1e-4; K-means assignments; 3 training steps of every alignment', async () => {
    const results: Record<string, Record<string, unknown>> = { cpu: {}, wasm: {} };
    for (const backend of ['cpu', 'wasm'] as const) {
      await use(backend);
      const r = results[backend]!;
      for (const [name, [f, xs]] of Object.entries(cases)) r[name] = tfGrad(f, xs);
      const { x, truth } = plantedBlobs(new Rng(3), 5, 30, 8, 0.2);
      const X = tf.tensor2d(x);
      const before = tf.memory().numTensors;
      const km = await kmeans(X, 5, new Rng(1));
      expect(tf.memory().numTensors).toBe(before);
      expect(matchedAccuracy(km.assignments, truth, 5), backend).toBeGreaterThanOrEqual(0.95);
      r.kmeans = Array.from(km.assignments);
      X.dispose();
      for (const n of ['rlmrec-con', 'rlmrec-gen', 'darec'] as const) r[n] = await trainSteps(n);
      // A gather gradient inside a DaRec context must not need UnsortedSegmentSum.
      const t = makeTables(5);
      const a = createAlignment('darec', { darec: { weights: { loc: 0 } } }, { cf: t.d, llm: t.dL }, new Rng(1));
      r.ctxGrad = withTables(t, (u, i, lu, li) =>
        tf.tidy(() => tf.grads((uu: tf.Tensor) => tf.addN(Object.values(a.losses(makeContext(t, uu as tf.Tensor2D, i, lu, li)))))([u])[0]!.arraySync()),
      );
      a.dispose();
    }
    expect(tf.getBackend()).toBe('wasm');
    const cpu = results.cpu!;
    const wasm = results.wasm!;
    for (const name of Object.keys(cases)) {
      const c = cpu[name] as { value: number; grads: M[] };
      const w = wasm[name] as { value: number; grads: M[] };
      expect(relErr(w.value, c.value), `${name} value`).toBeLessThan(1e-4);
      c.grads.forEach((g, k) => expect(relErr(w.grads[k]!, g), `${name} grad ${k}`).toBeLessThan(1e-4));
    }
    expect(wasm.kmeans).toEqual(cpu.kmeans);
    for (const n of ['rlmrec-con', 'rlmrec-gen', 'darec']) {
      const c = cpu[n] as StepLog;
      const w = wasm[n] as StepLog;
      expect(w.clusters).toEqual(c.clusters);
      c.terms.forEach((step, s) => {
        expect(Object.keys(w.terms[s]!).sort()).toEqual(Object.keys(step).sort());
        for (const [k, v] of Object.entries(step)) expect(relErr(w.terms[s]![k]!, v), `${n} step ${s} ${k}`).toBeLessThan(1e-4);
      });
    }
    expect((cpu.darec as StepLog).terms[0]).toHaveProperty('loc');
    expect(relErr(wasm.ctxGrad as M, cpu.ctxGrad as M)).toBeLessThan(1e-4);
  });
});
