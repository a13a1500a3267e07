import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data/types';
import { syntheticShape } from './data/synthetic';
import { defaultConfig } from './config';
import { Trainer } from './train/trainer';
import { sampleEpoch } from './train/sampler';
import { dropEdges } from './graph/adjacency';
import { propagate } from './graph/propagate';
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
    const gtUp = (await import('./graph/propagate')).uploadGraph(t.graph);
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
