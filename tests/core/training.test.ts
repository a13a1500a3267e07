import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../cli/nodeBackend';
import { generateDemo } from '../../src/core/data/demo';
import { defaultConfig } from '../../src/core/config';
import { Trainer } from '../../src/core/train/trainer';
import { tfidfProjection } from '../../src/core/embed/tfidfProjection';
import type { TrainEvent } from '../../src/core/train/events';
import { popularityMetrics } from '../../src/core/eval/popularity';
import { heldOutByUser } from '../../src/core/eval/evaluator';

const demo = generateDemo({ users: 400, items: 300, interactions: 12_000, seed: 7 });

function smallConfig() {
  const c = defaultConfig();
  c.train.batchSize = 1024;
  c.train.lr = 1e-2;
  c.train.epochs = 12;
  c.train.evalEvery = 3;
  c.seed = 1;
  return c;
}

describe('LightGCN training (wasm)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('beats the popularity baseline on test Recall@20 without leaking tensors', async () => {
    const events: TrainEvent[] = [];
    const before = tf.memory().numTensors;
    const t = new Trainer(demo, smallConfig(), e => events.push(e));
    const r = (await t.run())!;
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const pop = popularityMetrics(demo.train, demo.numItems, heldOutByUser(demo.test), t.trainIndex);
    expect(r.test['recall@20']!).toBeGreaterThan(pop['recall@20']! * 1.2);
    const epochs = events.filter(e => e.type === 'epoch') as Extract<TrainEvent, { type: 'epoch' }>[];
    expect(epochs.length).toBe(r.epochs);
    // Tensor count is flat from epoch to epoch.
    expect(new Set(epochs.map(e => e.numTensors)).size).toBe(1);
    // Loss goes down.
    expect(epochs.at(-1)!.loss.bpr!).toBeLessThan(epochs[0]!.loss.bpr!);
    expect(events.filter(e => e.type === 'eval').length).toBeGreaterThanOrEqual(1);
    expect(r.bestEpoch % 3).toBe(0);
  });

  it('repeats exactly for the same seed', async () => {
    const losses = async () => {
      const c = smallConfig();
      c.train.epochs = 2;
      const out: number[] = [];
      const t = new Trainer(demo, c, e => { if (e.type === 'step') out.push(e.loss.bpr!); });
      await t.run();
      t.dispose();
      return out;
    };
    expect(await losses()).toEqual(await losses());
  });

  it('early-stops after `patience` evaluations without a gain and tests at the best epoch', async () => {
    const c = smallConfig();
    c.train.lr = 0.3; // overshoots quickly so validation stops improving
    c.train.epochs = 60;
    c.train.evalEvery = 1;
    c.train.patience = 2;
    const evals: Extract<TrainEvent, { type: 'eval' }>[] = [];
    const t = new Trainer(demo, c, e => { if (e.type === 'eval') evals.push(e); });
    const r = (await t.run())!;
    t.dispose();
    expect(r.stoppedEarly).toBe(true);
    const best = Math.max(...evals.map(e => e.val['recall@20']!));
    expect(evals.find(e => e.epoch === r.bestEpoch)!.val['recall@20']).toBe(best);
    expect(evals.at(-1)!.epoch).toBe(r.bestEpoch + 2);
  });
});

describe('save and resume', () => {
  it('a restored trainer continues at the next epoch with the early-stopping state', async () => {
    await initNodeBackend('wasm');
    const c = smallConfig();
    c.train.epochs = 2;
    c.train.evalEvery = 1;
    const a = new Trainer(demo, c);
    await a.run();
    const state = await a.saveState();
    a.dispose();
    expect(state.loop.epoch).toBe(2);
    expect(state.loop.history.map(h => h.epoch)).toEqual([1, 2]);

    const c2 = { ...c, train: { ...c.train, epochs: 4 } };
    const epochs: number[] = [];
    const b = new Trainer(demo, c2, e => { if (e.type === 'epoch') epochs.push(e.epoch); });
    await b.restoreState(state);
    const w = (await b.backbone!.userEmb.data()) as Float32Array;
    expect(Array.from(w.subarray(0, 5))).toEqual(Array.from(state.weights[0]!.subarray(0, 5)));
    const r = (await b.run())!;
    b.dispose();
    expect(epochs).toEqual([3, 4]);
    expect(r.history.map(h => h.epoch)).toEqual([1, 2, 3, 4]);
    await expect(new Trainer(demo, { ...c2, model: { ...c2.model, embeddingSize: 16 } }).restoreState(state)).rejects.toThrow(/does not fit/);
  });

  // DaRec re-clustering every 3 epochs: the clusters made at epoch 1 must carry over into epoch 3.
  for (const [method, reclusterEvery] of [['none', 1], ['darec', 1], ['darec', 3]] as const) {
    it(`${method}${reclusterEvery > 1 ? ` (re-clustering every ${reclusterEvery})` : ''}: stopping after epoch 2 and resuming in a new trainer gives bit-identical weights at epoch 4`, async () => {
      await initNodeBackend('wasm');
      const c = smallConfig();
      c.align.method = method;
      if (reclusterEvery > 1) c.align.options = { darec: { local: { reclusterEvery } } };
      const llm = method === 'none' ? undefined : tfidfProjection(demo, 16);
      const straight = new Trainer(demo, c, undefined, undefined, llm);
      straight.init();
      for (let e = 1; e <= 4; e++) await straight.epoch(e);
      const want = await straight.saveState();
      straight.dispose();

      const first = new Trainer(demo, c, undefined, undefined, llm);
      first.init();
      for (let e = 1; e <= 2; e++) await first.epoch(e);
      // Through structured cloning, as the checkpoint store and postMessage do.
      const state = structuredClone(await first.saveState());
      first.dispose();
      expect(state.optimizer!.length).toBe(1 + 2 * state.weights.length);
      expect(state.optimizer![0]!.data[0]).toBe(2 * Math.ceil(demo.train.users.length / c.train.batchSize));

      const before = tf.memory().numTensors;
      const resumed = new Trainer(demo, c, undefined, undefined, llm);
      await resumed.restoreState(state);
      for (let e = 3; e <= 4; e++) await resumed.epoch(e);
      const got = await resumed.saveState();
      resumed.dispose();
      expect(tf.memory().numTensors).toBe(before);
      got.weights.forEach((w, k) => expect(Buffer.from(w.buffer).equals(Buffer.from(want.weights[k]!.buffer))).toBe(true));
      expect(got.optimizer!.length).toBe(want.optimizer!.length);
      got.optimizer!.forEach((o, k) => expect(Buffer.from(o.data.buffer).equals(Buffer.from(want.optimizer![k]!.data.buffer))).toBe(true));
      expect(got.rng).toEqual(want.rng);
      expect(got.align).toEqual(want.align);
    });
  }

  it('a saved state is a snapshot: training on does not change it (cpu, where data() is the tensor\'s own array)', async () => {
    await initNodeBackend('cpu');
    const before = tf.memory().numTensors;
    const t = new Trainer(demo, smallConfig());
    t.init();
    await t.epoch(1);
    const state = await t.saveState();
    const copy = structuredClone(state);
    await t.epoch(2);
    const next = await t.saveState();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(state).toEqual(copy);
    expect(next.optimizer![0]!.data[0]).toBe(2 * state.optimizer![0]!.data[0]!);
    expect(next.optimizer![1]!.data).not.toEqual(state.optimizer![1]!.data);
  });

  it('a checkpoint whose optimiser state does not fit restores the weights and restarts Adam', async () => {
    await initNodeBackend('wasm');
    const a = new Trainer(demo, smallConfig());
    a.init();
    await a.epoch(1);
    const state = await a.saveState();
    a.dispose();
    const b = new Trainer(demo, smallConfig());
    await b.restoreState({ ...state, optimizer: state.optimizer!.slice(0, 3) });
    expect((await b.saveState()).optimizer!.map(o => o.data[0])).toEqual([0]);
    expect(await b.epoch(2)).not.toBeNull();
    b.dispose();
  });
});

describe('backends agree', () => {
  it('cpu and wasm give the same losses for the same seed', async () => {
    const run = async (b: 'cpu' | 'wasm') => {
      await initNodeBackend(b);
      const c = smallConfig();
      c.train.epochs = 1;
      const out: number[] = [];
      const t = new Trainer(demo, c, e => { if (e.type === 'step') out.push(e.loss.bpr!); });
      await t.run();
      t.dispose();
      return out;
    };
    const a = await run('cpu');
    const b = await run('wasm');
    expect(a.length).toBe(b.length);
    a.forEach((v, k) => expect(Math.abs(v - b[k]!)).toBeLessThan(1e-4));
  });
});
