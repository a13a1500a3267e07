import * as tf from '@tensorflow/tfjs';
import { buildGraph, dropEdges } from './graph/adjacency';
import { uploadGraph, propagate } from './graph/propagate';
import { generateDemo } from './data/demo';
import { defaultConfig } from './config';
import { Trainer } from './train/trainer';
import { sampleEpoch } from './train/sampler';
import { Rng } from './rng';
import type { BackendName } from './config';
import { tfidfProjection } from './embed/tfidfProjection';

export interface CheckResult {
  backend: string;
  spmmForwardMaxErr: number;
  spmmGradMaxErr: number;
  lossesCpu: number[];
  lossesBackend: number[];
  lossMaxErr: number;
  embeddingMaxErr: number;
  /** One full DaRec training step: every loss term by name, cpu and backend. */
  darecCpu: Record<string, number>;
  darecBackend: Record<string, number>;
  darecMaxRelErr: number;
}

const maxErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return a.length === b.length ? m : Infinity;
};

/** Propagation (forward and gradient) and 3 full training steps on `backend` versus the cpu backend. */
export async function checkAgainstCpu(backend: BackendName): Promise<CheckResult> {
  const demo = generateDemo({ users: 120, items: 90, interactions: 2000, seed: 2 });
  const g = buildGraph(demo.train, demo.numUsers, demo.numItems);
  const { vals, valsT } = dropEdges(g, 0.8, new Rng(1));
  const x0 = Float32Array.from({ length: g.n * 8 }, (_, k) => Math.sin(k * 0.37));
  const w0 = Float32Array.from({ length: g.n * 8 }, (_, k) => Math.cos(k * 0.11));

  const runOn = async (name: BackendName) => {
    if (!(await tf.setBackend(name))) throw new Error(`backend ${name} unavailable`);
    await tf.ready();
    const gt = uploadGraph(g);
    const v = tf.tensor1d(vals), vt = tf.tensor1d(valsT);
    const x = tf.tensor2d(x0, [g.n, 8]), w = tf.tensor2d(w0, [g.n, 8]);
    const y = propagate(gt, v, vt, x);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, propagate(gt, v, vt, t as tf.Tensor2D))))(x);
    const fwd = (await y.data()) as Float32Array;
    const gr = (await grad.data()) as Float32Array;
    tf.dispose([v, vt, x, w, y, grad]);
    gt.dispose();

    const cfg = defaultConfig();
    cfg.train.batchSize = 512;
    cfg.train.lr = 1e-2;
    cfg.seed = 5;
    const t = new Trainer(demo, cfg);
    t.init();
    const triples = sampleEpoch(demo.train, t.trainIndex, demo.numItems, new Rng(9));
    const losses: number[] = [];
    for (let s = 0; s < 3; s++) {
      const a = s * 512, e = a + 512;
      const terms = t.step(triples.users.subarray(a, e), triples.pos.subarray(a, e), triples.neg.subarray(a, e));
      losses.push((await terms.bpr!.data())[0]!);
      tf.dispose(Object.values(terms));
    }
    const emb = (await t.backbone!.userEmb.data()) as Float32Array;
    t.dispose();

    // One DaRec step end to end (clustering, projections, every regulariser and alignment term).
    const dc = defaultConfig();
    dc.train.batchSize = 256;
    dc.seed = 5;
    dc.align.method = 'darec';
    dc.align.options = { darec: { local: { clusters: 4 } } };
    const dt = new Trainer(demo, dc, () => {}, undefined, tfidfProjection(demo, 16));
    dt.init();
    await dt.epochStart(1);
    const terms = dt.step(triples.users.subarray(0, 256), triples.pos.subarray(0, 256), triples.neg.subarray(0, 256), 1, 0);
    const darec: Record<string, number> = {};
    for (const [k, v] of Object.entries(terms)) darec[k] = (await v.data())[0]!;
    tf.dispose(Object.values(terms));
    dt.dispose();
    return { fwd, gr, losses, emb, darec };
  };
  const ref = await runOn('cpu');
  const got = await runOn(backend);
  return {
    backend,
    spmmForwardMaxErr: maxErr(ref.fwd, got.fwd),
    spmmGradMaxErr: maxErr(ref.gr, got.gr),
    lossesCpu: ref.losses,
    lossesBackend: got.losses,
    lossMaxErr: maxErr(ref.losses, got.losses),
    embeddingMaxErr: maxErr(ref.emb, got.emb),
    darecCpu: ref.darec,
    darecBackend: got.darec,
    darecMaxRelErr: Math.max(...Object.keys(ref.darec).map(k => Math.abs((got.darec[k] ?? Infinity) - ref.darec[k]!) / Math.max(1e-6, Math.abs(ref.darec[k]!)))),
  };
}
