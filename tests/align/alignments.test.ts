import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ALIGN_NAMES,
  applyAblation,
  createAlignment,
  DAREC_ABLATIONS,
  DaRecAlignment,
  defaultDaRecConfig,
  matchCentres,
  resolveDaRecConfig,
  RlmrecConAlignment,
  RlmrecGenAlignment,
  type DaRecConfig,
  type KMeansResult,
} from '../../src/core/align';
import { Rng } from '../../src/core/rng';
import { fdGrad, globalMseRef, hardCentresRef, infoNCERef, mlpRef, mseRef, orthCosRef, relErr, symInfoNCERef, t2, uniformityRef, type M, type MlpW } from './ref';
import { makeContext, makeTables, mlpWeights, pick, withTables, type Tables } from './fixture';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cat = (...ms: M[]): M => ms.flat(1) as M;
const hcat = (a: M, b: M): M => a.map((r, i) => [...r, ...(b[i] as number[])]);

/** DaRec's weighted terms written out from the plain-loop references (joint scope, shared-llm, cosine orth, MSE global). */
function darecRef(t: Tables, cfg: DaRecConfig, w: Record<string, MlpW | null>, clusters: Int32Array, userCF: M, itemCF: M): Record<string, number> {
  const itemIds = [...t.pos, ...t.neg];
  const cfU = pick(userCF, t.users);
  const cfI = pick(itemCF, itemIds);
  const lU = pick(t.userLLM, t.users);
  const lI = pick(t.itemLLM, itemIds);
  const sc = { u: mlpRef(cfU, w.shC!), i: mlpRef(cfI, w.shC!) };
  const sl = { u: mlpRef(lU, w.shL!), i: mlpRef(lI, w.shL!) };
  const pc = { u: mlpRef(cfU, w.spC!), i: mlpRef(cfI, w.spC!) };
  const pl = { u: mlpRef(lU, w.spL!), i: mlpRef(lI, w.spL!) };
  const m = cfg.maxPairRows;
  const first = (x: M) => (m > 0 ? x.slice(0, m) : x);
  const out: Record<string, number> = {};
  const W = cfg.weights;
  out.orth = W.orth * (orthCosRef(cat(sc.u, sc.i), cat(pc.u, pc.i)) + orthCosRef(cat(sl.u, sl.i), cat(pl.u, pl.i)));
  out.uni = W.uni * [sc, sl, pc, pl].reduce((s, sp) => s + 0.5 * (uniformityRef(first(sp.u), cfg.uniformityT) + uniformityRef(first(sp.i), cfg.uniformityT)), 0);
  out.glo = W.glo * 0.5 * (globalMseRef(first(sc.u), first(sl.u)) + globalMseRef(first(sc.i), first(sl.i)));
  if (W.dec > 0) {
    const rc = mseRef(mlpRef(hcat(cat(sc.u, sc.i), cat(pc.u, pc.i)), w.decC!), cat(cfU, cfI));
    const rl = mseRef(mlpRef(hcat(cat(sl.u, sl.i), cat(pl.u, pl.i)), w.decL!), cat(lU, lI));
    out.dec = W.dec * (rc + rl);
  }
  const ids = [...Array.from(t.users, u => clusters[u] as number), ...itemIds.map(i => clusters[t.U + i] as number)];
  const { cc, cl } = hardCentresRef(cat(sc.u, sc.i), cat(sl.u, sl.i), ids, ids);
  out.loc = W.loc * symInfoNCERef(cc, cl, cfg.local.temperature);
  return out;
}

function weightsOf(a: DaRecAlignment): Record<string, MlpW | null> {
  return {
    shC: mlpWeights(a.sharedCF),
    spC: a.specificCF && mlpWeights(a.specificCF),
    shL: mlpWeights(a.sharedLLM),
    spL: a.specificLLM && mlpWeights(a.specificLLM),
    decC: a.decoderCF && mlpWeights(a.decoderCF),
    decL: a.decoderLLM && mlpWeights(a.decoderLLM),
  };
}

async function cluster(a: DaRecAlignment, t: Tables, epoch = 0): Promise<void> {
  await withTables(t, async (u, i, lu, li) => a.onEpochStart({ epoch, allUserLLM: lu, allItemLLM: li, allUserCF: u, allItemCF: i }));
}

/**
 * Asserts the gradient of `loss` (built from the alignment's terms on CF tables u, i) with respect
 * to the user and item CF tables matches central finite differences of the reference `ref`.
 */
function expectCfGradsMatch(t: Tables, loss: (u: tf.Tensor2D, i: tf.Tensor2D, lu: tf.Tensor2D, li: tf.Tensor2D) => tf.Scalar, ref: (xs: M[]) => number): M[] {
  const g = tf.tidy(() => {
    const lu = t2(t.userLLM), li = t2(t.itemLLM);
    return tf.grads((u: tf.Tensor, i: tf.Tensor) => loss(u as tf.Tensor2D, i as tf.Tensor2D, lu, li))([t2(t.userCF), t2(t.itemCF)]).map(x => x.arraySync() as M);
  });
  const fd = fdGrad(ref, [t.userCF, t.itemCF]);
  expect(relErr(g[0]!, fd[0]!)).toBeLessThan(1e-4);
  expect(relErr(g[1]!, fd[1]!)).toBeLessThan(1e-4);
  return g;
}

function lossValues(a: { losses: DaRecAlignment['losses'] }, t: Tables, withNeg = true): Record<string, number> {
  return withTables(t, (u, i, lu, li) =>
    tf.tidy(() => {
      const out = a.losses(makeContext(t, u, i, lu, li, withNeg));
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.dataSync()[0] as number]));
    }),
  );
}

describe('DaRec alignment', () => {
  const cfg = resolveDaRecConfig({ maxPairRows: 4, weights: { orth: 0.3, uni: 0.2, dec: 0.5, glo: 0.7, loc: 0.4 }, local: { clusters: 3 } });

  test('every weighted term equals the reference composition; gradient wrt the CF tables matches finite differences', async () => {
    const t = makeTables(21);
    const a = new DaRecAlignment(cfg, { cf: t.d, llm: t.dL }, new Rng(5));
    expect(a.clusters()).toBeNull();
    await cluster(a, t);
    const clusters = a.clusters()!;
    expect(clusters.length).toBe(t.U + t.I);
    const w = weightsOf(a);
    const before = tf.memory().numTensors;
    const got = lossValues(a, t);
    expect(tf.memory().numTensors).toBe(before);
    const ref = darecRef(t, cfg, w, clusters, t.userCF, t.itemCF);
    expect(Object.keys(got).sort()).toEqual(['dec', 'glo', 'loc', 'orth', 'uni']);
    for (const k of Object.keys(ref)) expect(relErr(got[k]!, ref[k]!), k).toBeLessThan(1e-5);
    expect(a.weights()).toEqual({ orth: 0.3, uni: 0.2, dec: 0.5, glo: 0.7, loc: 0.4 });

    const total = (xs: M[]) => Object.values(darecRef(t, cfg, w, clusters, xs[0]!, xs[1]!)).reduce((s, v) => s + v, 0);
    const grads = expectCfGradsMatch(t, (u, i, lu, li) => tf.addN(Object.values(a.losses(makeContext(t, u, i, lu, li)))) as tf.Scalar, total);
    expect(Math.max(...grads[0]!.flat().map(Math.abs))).toBeGreaterThan(0);
    a.dispose();
  });

  test('an Adam step through optimizer.minimize lowers the alignment loss; variables named for export', async () => {
    const t = makeTables(22);
    const a = new DaRecAlignment(cfg, { cf: t.d, llm: t.dL }, new Rng(6));
    await cluster(a, t);
    const names = Object.keys(a.namedVariables());
    expect(names).toContain('sharedCF.0.weight');
    expect(names).toContain('specificLLM.2.bias');
    expect(names).toContain('decoderLLM.2.weight');
    expect(a.variables().length).toBe(names.length);
    const opt = tf.train.adam(1e-2, 0.9, 0.999, 1e-7);
    const sum = () => Object.values(lossValues(a, t)).reduce((s, v) => s + v, 0);
    const start = sum();
    const base = tf.memory().numTensors;
    withTables(t, (u, i, lu, li) => {
      for (let s = 0; s < 30; s++) {
        opt.minimize(() => tf.addN(Object.values(a.losses(makeContext(t, u, i, lu, li)))) as tf.Scalar, false, a.variables());
      }
    });
    expect(sum()).toBeLessThan(start);
    opt.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(base);
    a.dispose();
  });

  test('without negatives in the context the item rows are the positives only', async () => {
    const t = makeTables(23);
    const c = resolveDaRecConfig({ ...cfg, weights: { ...cfg.weights, dec: 0 } });
    const a = new DaRecAlignment(c, { cf: t.d, llm: t.dL }, new Rng(7));
    await cluster(a, t);
    const got = lossValues(a, t, false);
    const ref = darecRef({ ...t, neg: new Int32Array(0) }, c, weightsOf(a), a.clusters()!, t.userCF, t.itemCF);
    for (const k of ['orth', 'uni', 'glo', 'loc']) expect(relErr(got[k]!, ref[k]!), k).toBeLessThan(1e-5);
    a.dispose();
  });

  test('ablations switch terms and networks off', async () => {
    const t = makeTables(24);
    expect(applyAblation(defaultDaRecConfig(), 'no-global').weights.glo).toBe(0);
    expect(applyAblation(defaultDaRecConfig(), 'full')).toEqual(defaultDaRecConfig());
    const expected: Record<string, string[]> = {
      full: ['glo', 'loc', 'orth', 'uni'],
      'no-disentangle': ['glo', 'loc', 'uni'],
      'no-global': ['loc', 'orth', 'uni'],
      'no-local': ['glo', 'orth', 'uni'],
      'no-orth': ['glo', 'loc', 'uni'],
      'no-uniform': ['glo', 'loc', 'orth'],
    };
    for (const ab of DAREC_ABLATIONS) {
      const a = createAlignment('darec', { darec: { local: { clusters: 3 } }, ablation: ab }, { cf: t.d, llm: t.dL }, new Rng(1)) as DaRecAlignment;
      await cluster(a, t);
      expect(Object.keys(lossValues(a, t)).sort(), ab).toEqual(expected[ab]);
      if (ab === 'no-disentangle') {
        expect(a.specificCF).toBeNull();
        expect(Object.keys(a.namedVariables()).some(n => n.startsWith('specific'))).toBe(false);
      }
      if (ab === 'no-local') expect(a.clusters()).toBeNull();
      a.dispose();
    }
  });

  test('no-disentangle: uniformity over the two shared spaces only', async () => {
    const t = makeTables(25);
    const c = applyAblation(resolveDaRecConfig({ maxPairRows: 0, local: { clusters: 2 } }), 'no-disentangle');
    const a = new DaRecAlignment(c, { cf: t.d, llm: t.dL }, new Rng(2));
    await cluster(a, t);
    const got = lossValues(a, t);
    const w = weightsOf(a);
    const items = [...t.pos, ...t.neg];
    const sp = (x: M, ids: ArrayLike<number>, mw: MlpW) => mlpRef(pick(x, ids), mw);
    const uni = (x: M, y: M) => 0.5 * (uniformityRef(x) + uniformityRef(y));
    const ref =
      c.weights.uni *
      (uni(sp(t.userCF, t.users, w.shC!), sp(t.itemCF, items, w.shC!)) + uni(sp(t.userLLM, t.users, w.shL!), sp(t.itemLLM, items, w.shL!)));
    expect(relErr(got.uni!, ref)).toBeLessThan(1e-5);
    a.dispose();
  });

  test('variants run, are finite, differentiable and leak-free', async () => {
    const t = makeTables(26, 12, 15, 4, 6, 10);
    const variants: Parameters<typeof resolveDaRecConfig>[0][] = [
      { orthogonality: 'frobenius' },
      { global: { kind: 'kl', temperature: 0.3 } },
      { local: { assignment: 'separate-match' } },
      { local: { assignment: 'soft' } },
      { local: { centreLoss: 'mse' } },
      { local: { scope: 'separate' } },
      { local: { scope: 'separate', assignment: 'separate-match', centreLoss: 'mse' } },
      { weights: { dec: 0.1 }, disentangle: false },
    ];
    for (const v of variants) {
      const c = resolveDaRecConfig({ ...v, local: { clusters: 3, ...v?.local } });
      const base0 = tf.memory().numTensors;
      const a = new DaRecAlignment(c, { cf: t.d, llm: t.dL }, new Rng(3));
      const base = tf.memory().numTensors;
      await cluster(a, t);
      const kept = tf.memory().numTensors - base;
      expect(kept, JSON.stringify(v)).toBe(c.local.assignment === 'soft' ? (c.local.scope === 'joint' ? 1 : 2) : 0);
      const vals = lossValues(a, t);
      for (const [k, x] of Object.entries(vals)) expect(Number.isFinite(x), `${JSON.stringify(v)} ${k}`).toBe(true);
      const g = withTables(t, (u, i, lu, li) =>
        tf.tidy(() => {
          const gr = tf.grads((uu: tf.Tensor) => tf.addN(Object.values(a.losses(makeContext(t, uu as tf.Tensor2D, i, lu, li)))))([u]);
          return gr[0]!.abs().max().dataSync()[0]!;
        }),
      );
      expect(Number.isFinite(g) && g > 0, JSON.stringify(v)).toBe(true);
      expect(tf.memory().numTensors - base).toBe(kept);
      const cl = a.clusters()!;
      expect(cl.length).toBe(t.U + t.I);
      if (c.local.scope === 'separate') expect(Math.max(...cl.slice(t.U))).toBeGreaterThanOrEqual(3);
      a.dispose();
      expect(tf.memory().numTensors).toBe(base0);
    }
  });

  test("'separate-match' requires CF tables at epoch start; losses require clustering first", async () => {
    const t = makeTables(27);
    const a = new DaRecAlignment(resolveDaRecConfig({ local: { assignment: 'separate-match', clusters: 2 } }), { cf: t.d, llm: t.dL }, new Rng(3));
    expect(a.needs.epochCF).toBe(true);
    expect(() => lossValues(a, t)).toThrow(/onEpochStart/);
    await expect(withTables(t, (_u, _i, lu, li) => a.onEpochStart({ epoch: 0, allUserLLM: lu, allItemLLM: li }))).rejects.toThrow(/allUserCF/);
    a.dispose();
  });

  test('re-clusters every N epochs only', async () => {
    const t = makeTables(28);
    const a = new DaRecAlignment(resolveDaRecConfig({ local: { clusters: 3, reclusterEvery: 2 } }), { cf: t.d, llm: t.dL }, new Rng(3));
    expect(a.clusterEpoch()).toBeNull();
    await cluster(a, t, 0);
    expect(a.clusterEpoch()).toBe(0);
    await cluster(a, t, 1);
    expect(a.clusterEpoch()).toBe(0);
    await cluster(a, t, 2);
    expect(a.clusterEpoch()).toBe(2);
    a.dispose();
  });

  test('scoring embeddings and the four spaces', () => {
    const t = makeTables(29);
    for (const scoring of ['cf', 'concat'] as const) {
      const a = new DaRecAlignment(resolveDaRecConfig({ scoring }), { cf: t.d, llm: t.dL }, new Rng(4));
      const w = weightsOf(a);
      withTables(t, (u, i, lu, li) => {
        const s = a.scoringEmbeddings(u, i);
        const users = s.users.arraySync() as M;
        const items = s.items.arraySync() as M;
        tf.dispose([s.users, s.items]);
        if (scoring === 'cf') {
          expect(users).toEqual(u.arraySync());
        } else {
          expect(relErr(users, hcat(mlpRef(t.userCF, w.shC!), mlpRef(t.userCF, w.spC!)))).toBeLessThan(1e-5);
          expect(items[0]!.length).toBe(2 * t.d);
        }
        const before = tf.memory().numTensors;
        const sp = a.spaces(u, i, lu, li);
        expect(sp.users.sharedLLM.shape).toEqual([t.U, t.d]);
        expect(sp.items.specificCF!.shape).toEqual([t.I, t.d]);
        expect(relErr(sp.items.sharedLLM.arraySync() as M, mlpRef(t.itemLLM, w.shL!))).toBeLessThan(1e-5);
        tf.dispose([sp.users, sp.items].flatMap(x => [x.sharedCF, x.sharedLLM, x.specificCF!, x.specificLLM!]));
        expect(tf.memory().numTensors).toBe(before);
      });
      a.dispose();
    }
  });

  test('matchCentres pairs permuted centres', () => {
    const k = 4;
    const d = 3;
    const base = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6, 0.8, 0]);
    const perm = [2, 0, 3, 1];
    const shuffled = new Float32Array(k * d);
    perm.forEach((p, i) => shuffled.set(base.subarray(p * d, p * d + d), i * d));
    const mk = (c: Float32Array): KMeansResult => ({ assignments: new Int32Array(0), centres: c, k, dim: d, iterations: 0, inertia: 0, counts: new Int32Array(k) });
    const { mapC, mapL } = matchCentres(mk(base), mk(shuffled));
    // CF cluster p matches LLM cluster i where shuffled[i] = base[p].
    for (let i = 0; i < k; i++) expect(mapC[perm[i]!]).toBe(mapL[i]);
  });
});

describe('RLMRec-Con', () => {
  test('kd = w · (user + positive + negative InfoNCE means) against the reference; gradient to CF', () => {
    const t = makeTables(31);
    const a = createAlignment('rlmrec-con', {}, { cf: t.d, llm: t.dL }, new Rng(8)) as RlmrecConAlignment;
    expect(a.cfg).toMatchObject({ weight: 1e-2, temperature: 0.2, anchorNegatives: 'batch' });
    expect(a.mlp.hidden).toBe(Math.floor((t.dL + t.d) / 2));
    const w = mlpWeights(a.mlp);
    const ref = (uCF: M, iCF: M, all = false) => {
      const pu = mlpRef(pick(t.userLLM, t.users), w);
      const term = (cf: M, ids: ArrayLike<number>, llm: M, negs?: M) => infoNCERef(pick(cf, ids), mlpRef(pick(llm, ids), w), 0.2, negs, 1e-8);
      return 1e-2 * (term(uCF, t.users, t.userLLM, all ? mlpRef(t.userLLM, w) : pu) + term(iCF, t.pos, t.itemLLM) + term(iCF, t.neg, t.itemLLM));
    };
    const got = lossValues(a, t);
    expect(Object.keys(got)).toEqual(['kd']);
    expect(relErr(got.kd!, ref(t.userCF, t.itemCF))).toBeLessThan(1e-5);
    expectCfGradsMatch(t, (u, i, lu, li) => a.losses(makeContext(t, u, i, lu, li)).kd!, xs => ref(xs[0]!, xs[1]!));
    a.dispose();

    const b = createAlignment('rlmrec-con', { rlmrecCon: { anchorNegatives: 'all' } }, { cf: t.d, llm: t.dL }, new Rng(8)) as RlmrecConAlignment;
    expect(b.needs.allLLM).toBe(true);
    expect(relErr(lossValues(b, t).kd!, ref(t.userCF, t.itemCF, true))).toBeLessThan(1e-5);
    b.dispose();
  });
});

describe('RLMRec-Gen', () => {
  test('maskInput replaces max(floor(N·ratio), 1) rows by the token; recon loss against the reference; token gets a gradient', () => {
    const t = makeTables(41, 10, 12);
    const N = t.U + t.I;
    const a = createAlignment('rlmrec-gen', { rlmrecGen: { maskRatio: 0.25 } }, { cf: t.d, llm: t.dL }, new Rng(9)) as RlmrecGenAlignment;
    expect(a.cfg).toMatchObject({ weight: 0.1, temperature: 0.2, maskRatio: 0.25 });
    // Make the token non-zero so masked rows are recognisable.
    a.maskToken.assign(tf.fill([1, t.d], 0.5));
    const ego = cat(t.userCF, t.itemCF);
    const before = tf.memory().numTensors;
    const egoT = t2(ego);
    const { masked, maskedIdx } = a.maskInput(egoT, new Rng(1));
    expect(maskedIdx.length).toBe(Math.floor(N * 0.25));
    expect(new Set(maskedIdx).size).toBe(maskedIdx.length);
    const mArr = masked.arraySync() as M;
    tf.dispose([masked, egoT]);
    for (let r = 0; r < N; r++) expect(mArr[r]).toEqual(maskedIdx.includes(r) ? Array(t.d).fill(0.5) : ego[r]!.map(v => Math.fround(v)));
    expect(tf.memory().numTensors).toBe(before);

    // Pretend propagation: all CF = masked ego (identity); the loss reads the masked rows.
    const w = mlpWeights(a.mlp);
    const ref = (uCF: M, iCF: M) => {
      const all = cat(uCF, iCF);
      const llm = cat(t.userLLM, t.itemLLM);
      const ids = Array.from(maskedIdx);
      return 0.1 * infoNCERef(mlpRef(pick(all, ids), w), pick(llm, ids), 0.2);
    };
    const got = lossValues(a, t);
    expect(Object.keys(got)).toEqual(['recon']);
    expect(relErr(got.recon!, ref(t.userCF, t.itemCF))).toBeLessThan(1e-5);
    expectCfGradsMatch(t, (u, i, lu, li) => a.losses(makeContext(t, u, i, lu, li)).recon!, xs => ref(xs[0]!, xs[1]!));

    // End to end through the token: mask → "propagate" (fixed mixing) → loss; the token's gradient is non-zero.
    const mix = tf.randomUniform([N, N], 0, 1 / N, 'float32', 3);
    const { grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const { masked: m } = a.maskInput(t2(ego), new Rng(2));
        const prop = tf.add(m, tf.matMul(mix, m)) as tf.Tensor2D;
        const u = tf.slice(prop, [0, 0], [t.U, -1]) as tf.Tensor2D;
        const i = tf.slice(prop, [t.U, 0], [t.I, -1]) as tf.Tensor2D;
        return a.losses({ ...makeContext(t, u, i, t2(t.userLLM), t2(t.itemLLM)), allUserCF: u, allItemCF: i }).recon!;
      }),
      a.variables(),
    );
    const tokenGrad = grads[a.maskToken.name]!;
    expect(tokenGrad.abs().max().dataSync()[0]!).toBeGreaterThan(0);
    tf.dispose([mix, ...Object.values(grads)]);
    a.dispose();
  });

  test('losses before maskInput is an error; sampling is seeded', () => {
    const a = createAlignment('rlmrec-gen', {}, { cf: 4, llm: 6 }, new Rng(1)) as RlmrecGenAlignment;
    expect(() => lossValues(a, makeTables(1))).toThrow(/maskInput/);
    const ego = tf.zeros([50, 4]) as tf.Tensor2D;
    const r1 = a.maskInput(ego, new Rng(7));
    const r2 = a.maskInput(ego, new Rng(7));
    expect(Array.from(r1.maskedIdx)).toEqual(Array.from(r2.maskedIdx));
    expect(r1.maskedIdx.length).toBe(5);
    tf.dispose([ego, r1.masked, r2.masked]);
    a.dispose();
  });
});

describe('createAlignment', () => {
  test('all names; none is empty; instances coexist; dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    const made = ALIGN_NAMES.map(n => createAlignment(n, undefined, { cf: 8, llm: 12 }, new Rng(1)));
    const again = ALIGN_NAMES.map(n => createAlignment(n, undefined, { cf: 8, llm: 12 }, new Rng(1)));
    expect(made.map(a => a.name)).toEqual(['none', 'rlmrec-con', 'rlmrec-gen', 'darec']);
    expect(made[0]!.variables()).toEqual([]);
    expect(made[0]!.losses(undefined as never)).toEqual({});
    // Same seed, same initial weights.
    expect(made[3]!.variables()[0]!.arraySync()).toEqual(again[3]!.variables()[0]!.arraySync());
    for (const a of [...made, ...again]) a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createAlignment('darec', { darec: { local: { clusters: 0 } } }, { cf: 8, llm: 12 }, new Rng(1))).toThrow(/clusters/);
  });

  test('DaRec defaults are darec.md’s', () => {
    const c = defaultDaRecConfig();
    expect(c.orthogonality).toBe('cosine');
    expect(c.global.kind).toBe('mse');
    expect(c.local).toMatchObject({ reclusterEvery: 1, assignment: 'shared-llm', centreLoss: 'infonce' });
    expect(c.scoring).toBe('cf');
    expect(c.weights.dec).toBe(0);
    expect(c.leakySlope).toBe(0.01);
  });
});
