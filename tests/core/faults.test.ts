import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../cli/nodeBackend';
import { generateDemo } from '../../src/core/data/demo';
import { configWarnings, defaultConfig, validateConfig, type RunConfig } from '../../src/core/config';
import { Trainer } from '../../src/core/train/trainer';
import { NumericalFault, firstNonFinite, firstNonFiniteIndex } from '../../src/core/train/faults';
import { tfidfProjection } from '../../src/core/embed/tfidfProjection';
import type { TrainEvent } from '../../src/core/train/events';
import type { AlignName } from '../../src/core/align/index';

const demo = generateDemo({ users: 120, items: 90, interactions: 2000, seed: 4 });

function config(method: AlignName, lr: number): RunConfig {
  const c = defaultConfig();
  c.data = { kind: 'demo', users: 120, items: 90, interactions: 2000, seed: 4 };
  c.align.method = method;
  c.train.batchSize = 256;
  c.train.epochs = 3;
  c.train.lr = lr;
  c.seed = 9;
  return c;
}

describe('firstNonFinite', () => {
  it('names the first NaN or infinite term in order', () => {
    expect(firstNonFinite({ bpr: 0.7, reg: 1e-3 })).toBeNull();
    expect(firstNonFinite({ bpr: 0.7, reg: Infinity, glo: NaN })).toEqual(['reg', Infinity]);
    expect(firstNonFinite({ bpr: -Infinity })).toEqual(['bpr', -Infinity]);
  });

  it('firstNonFiniteIndex finds the first NaN or infinity in an array, and String() names it', () => {
    expect(firstNonFiniteIndex(new Float32Array([1, 2, 3]))).toBe(-1);
    expect(firstNonFiniteIndex(new Float32Array(0))).toBe(-1);
    const d = Float32Array.from([0, -3.4e38, -Infinity, NaN]);
    expect(firstNonFiniteIndex(d)).toBe(2);
    expect([NaN, Infinity, -Infinity].map(String)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });
});

describe('the NaN/Inf guard (cpu backend)', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  for (const method of ['none', 'darec'] as const) {
    it(`stops ${method} at an absurd learning rate, naming term and step, with the last good step's weights kept`, async () => {
      const before = tf.memory().numTensors;
      const steps: Extract<TrainEvent, { type: 'step' }>[] = [];
      const t = new Trainer(demo, config(method, 1e30), e => { if (e.type === 'step') steps.push(e); }, undefined, method === 'none' ? undefined : tfidfProjection(demo, 16));
      t.init();
      const fault = await t.run().then(() => null, (e: unknown) => e);
      expect(fault).toBeInstanceOf(NumericalFault);
      const f = fault as NumericalFault;
      // One step at lr 1e30 puts weights near 1e30; the next step's terms overflow float32.
      expect(f.epoch).toBe(1);
      expect(f.step).toBe(steps.length + 1);
      expect(f.step).toBeGreaterThanOrEqual(2);
      expect(Number.isFinite(f.value)).toBe(false);
      expect(Object.keys(steps[0]!.loss)).toContain(f.term);
      expect(f.message).toBe(`the loss term "${f.term}" became ${f.value} at epoch 1, step ${f.step} of ${f.steps}`);
      // The faulty step's gradients were not applied: every weight is still finite.
      const s = await t.saveState();
      for (const w of s.weights) expect(w.every(Number.isFinite)).toBe(true);
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a learning rate raised mid-run trips the guard in that epoch', async () => {
    const t = new Trainer(demo, config('none', 1e-3));
    t.init();
    expect(await t.epoch(1)).not.toBeNull();
    t.setLearningRate(1e30);
    await expect(t.epoch(2)).rejects.toMatchObject({ name: 'NumericalFault', epoch: 2 });
    t.dispose();
  });
});

describe('learning-rate limits', () => {
  it('accepts a large learning rate with a warning, refuses a non-positive one', () => {
    const c = defaultConfig();
    expect(validateConfig(c)).toEqual([]);
    expect(configWarnings(c)).toEqual([]);
    c.train.lr = 1e30;
    expect(validateConfig(c)).toEqual([]);
    expect(configWarnings(c)).toEqual(['Learning rate 1e+30 is above 1: training will probably diverge (it stops at the first NaN or infinite loss).']);
    c.train.lr = 0;
    expect(validateConfig(c)).toEqual(['Learning rate must be at least 0.000001 (got 0)']);
  });
});
