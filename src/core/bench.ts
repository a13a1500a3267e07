import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data/types';
import { syntheticShape } from './data/synthetic';
import { defaultConfig } from './config';
import { Trainer } from './train/trainer';
import { sampleEpoch } from './train/sampler';
import { dropEdges } from './graph/adjacency';
import { propagate, uploadGraph } from './graph/propagate';
import { Rng } from './rng';

export interface BenchOptions {
  /** A dataset to time; when absent, a synthetic one of `shape`. */
  data?: Dataset;
  shape?: { users: number; items: number; train: number; val: number; test: number };
  dim: number;
  layers: number;
  batch: number;
  /** Timed epochs after one warm-up epoch. */
  epochs: number;
}

export interface BenchResult {
  backend: string;
  dataset: string;
  epochMs: number[];
  medianEpochMs: number;
  evalMs: number;
  steps: number;
  /** Where an epoch's time goes (ms per epoch, estimated from separately timed parts). */
  breakdown: { sampling: number; dropout: number; propagationFwdBwd: number; rest: number };
  numTensorsGrowth: number;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

/** LightGCN epoch and full-evaluation timing on the active backend. */
export async function benchLightGCN(o: BenchOptions): Promise<BenchResult> {
  const s = o.shape ?? { users: 11_000, items: 9_332, train: 120_464, val: 40_290, test: 40_106 };
  const data = o.data ?? syntheticShape(s.users, s.items, s.train, s.val, s.test, 1);
  const cfg = defaultConfig();
  cfg.model.embeddingSize = o.dim;
  cfg.model.layers = o.layers;
  cfg.train.batchSize = o.batch;
  const t = new Trainer(data, cfg);
  t.init();
  try {
    await t.epoch(0); // warm-up: shader compilation, wasm instantiation
    const n0 = tf.memory().numTensors;
    const epochMs: number[] = [];
    for (let e = 1; e <= o.epochs; e++) epochMs.push((await t.epoch(e))!.ms);
    const numTensorsGrowth = tf.memory().numTensors - n0;
    const t0 = performance.now();
    await t.evaluate('test');
    const evalMs = performance.now() - t0;

    const steps = Math.ceil(data.train.users.length / o.batch);
    const rng = new Rng(3);
    let a = performance.now();
    sampleEpoch(data.train, t.trainIndex, data.numItems, rng);
    const sampling = performance.now() - a;
    a = performance.now();
    for (let k = 0; k < steps; k++) dropEdges(t.graph, cfg.model.keepRate, rng);
    const dropout = performance.now() - a;
    // One propagation, synced, median of 5; an epoch runs 2 x layers of them per step (forward + transpose).
    const gtUp = uploadGraph(t.graph);
    const v = tf.tensor1d(t.graph.vals);
    const x = tf.randomNormal([t.graph.n, o.dim]) as tf.Tensor2D;
    const times: number[] = [];
    for (let k = 0; k < 6; k++) {
      const b = performance.now();
      const y = propagate(gtUp, v, v, x);
      await y.data();
      y.dispose();
      if (k > 0) times.push(performance.now() - b);
    }
    tf.dispose([v, x]);
    gtUp.dispose();
    const propagationFwdBwd = median(times) * 2 * o.layers * steps;
    const med = median(epochMs);
    return {
      backend: tf.getBackend(), dataset: data.name, epochMs, medianEpochMs: med, evalMs, steps,
      breakdown: { sampling, dropout, propagationFwdBwd, rest: Math.max(0, med - sampling - dropout - propagationFwdBwd) },
      numTensorsGrowth,
    };
  } finally {
    t.dispose();
  }
}

export interface AlignBenchResult {
  backend: string;
  method: string;
  llmDim: number;
  steps: number;
  /** Median of the timed steps (after 2 warm-up steps). */
  stepMs: number;
  /** Once-per-epoch work (DaRec's K-means re-clustering). */
  epochStartMs: number;
  /** epochStartMs + steps x stepMs: an epoch estimated from the timed steps, not run whole. */
  epochMsEstimate: number;
  lossTerms: string[];
}

/**
 * Per-step time of an aligned model (RLMRec-Con, RLMRec-Gen, DaRec) on the
 * benchmark shape with random LLM vectors of `llmDim`. A full aligned epoch at
 * Amazon-book scale takes minutes on CPU backends, so a few steps are timed and
 * the epoch is extrapolated (labelled as such in the output).
 */
export async function benchAligned(o: BenchOptions & { method: 'rlmrec-con' | 'rlmrec-gen' | 'darec'; llmDim: number; timedSteps: number }): Promise<AlignBenchResult> {
  const s = o.shape ?? { users: 11_000, items: 9_332, train: 120_464, val: 40_290, test: 40_106 };
  const data = o.data ?? syntheticShape(s.users, s.items, s.train, s.val, s.test, 1);
  const rng = new Rng(7);
  const rand = (n: number) => Float32Array.from({ length: n * o.llmDim }, () => rng.normal());
  const cfg = defaultConfig();
  cfg.model.embeddingSize = o.dim;
  cfg.model.layers = o.layers;
  cfg.train.batchSize = o.batch;
  cfg.align.method = o.method;
  const t = new Trainer(data, cfg, () => {}, undefined, { users: rand(data.numUsers), items: rand(data.numItems), dim: o.llmDim });
  t.init();
  try {
    let a = performance.now();
    await t.epochStart(1);
    const epochStartMs = performance.now() - a;
    const tr = sampleEpoch(data.train, t.trainIndex, data.numItems, rng);
    const steps = Math.ceil(tr.users.length / o.batch);
    const times: number[] = [];
    let lossTerms: string[] = [];
    for (let k = 0; k < 2 + o.timedSteps; k++) {
      const i0 = (k % steps) * o.batch, i1 = Math.min(tr.users.length, i0 + o.batch);
      a = performance.now();
      const terms = t.step(tr.users.subarray(i0, i1), tr.pos.subarray(i0, i1), tr.neg.subarray(i0, i1), 1, k);
      await Promise.all(Object.values(terms).map(x => x.data()));
      lossTerms = Object.keys(terms);
      tf.dispose(Object.values(terms));
      if (k >= 2) times.push(performance.now() - a);
    }
    const stepMs = median(times);
    return { backend: tf.getBackend(), method: o.method, llmDim: o.llmDim, steps, stepMs, epochStartMs, epochMsEstimate: epochStartMs + steps * stepMs, lossTerms };
  } finally {
    t.dispose();
  }
}
