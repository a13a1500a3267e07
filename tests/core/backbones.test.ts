import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../cli/nodeBackend';
import { generateDemo } from '../../src/core/data/demo';
import { defaultConfig, withBackbone } from '../../src/core/config';
import { Trainer } from '../../src/core/train/trainer';
import { BACKBONES, BACKBONE_PRESETS } from '../../src/core/models/backbones';
import type { TrainEvent } from '../../src/core/train/events';

const demo = generateDemo({ users: 200, items: 150, interactions: 5000, seed: 4 });

describe('backbones (wasm)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  for (const name of BACKBONES) {
    it(`${name}: trains, reports its loss terms, keeps tensors flat`, async () => {
      const c = withBackbone(defaultConfig(), name, BACKBONE_PRESETS);
      c.train.epochs = 3;
      c.train.batchSize = 512;
      c.train.lr = 1e-2;
      c.train.evalEvery = 3;
      const epochs: Extract<TrainEvent, { type: 'epoch' }>[] = [];
      const before = tf.memory().numTensors;
      const t = new Trainer(demo, c, e => { if (e.type === 'epoch') epochs.push(e); });
      const r = (await t.run())!;
      const cf = t.cfEmbeddings();
      expect(cf.users.shape).toEqual([demo.numUsers, name === 'gccf' ? 32 * 3 : 32]);
      tf.dispose([cf.users, cf.items]);
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const terms = Object.keys(epochs[0]!.loss).sort();
      expect(terms).toEqual(name === 'sgl' || name === 'simgcl' ? ['bpr', 'cl', 'reg'] : ['bpr', 'reg']);
      expect(new Set(epochs.map(e => e.numTensors)).size).toBe(1);
      expect(epochs[2]!.loss.bpr!).toBeLessThan(epochs[0]!.loss.bpr!);
      expect(r.test['recall@20']!).toBeGreaterThan(0.05);
    });
  }

  it('SimGCL repeats exactly for a seed (on-device noise is seeded)', async () => {
    const run = async () => {
      const c = withBackbone(defaultConfig(), 'simgcl', BACKBONE_PRESETS);
      c.train.epochs = 1;
      c.train.batchSize = 1024;
      const out: number[] = [];
      const t = new Trainer(demo, c, e => { if (e.type === 'step') out.push(e.loss.cl!); });
      await t.run();
      t.dispose();
      return out;
    };
    expect(await run()).toEqual(await run());
  });
});
