import { defaultConfig, type RunConfig } from '../../src/core/config';
import type { Dataset, Interactions } from '../../src/core/data/types';
import { bundleDatasetInfo, idMapsOf, type BundleContents, type BundleWeight } from '../../src/core/io/bundle';

/** Small deterministic generator (tests must not depend on Math.random). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const r = lcg(seed);
  const out = new Float32Array(rows * cols);
  for (let k = 0; k < out.length; k++) out[k] = (r() - 0.5) * 2;
  return out;
}

function split(n: number, users: number, items: number, rnd: () => number): Interactions {
  const u = new Int32Array(n), i = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    u[k] = k < users ? k : Math.floor(rnd() * users);
    i[k] = Math.floor(rnd() * items);
  }
  return { users: u, items: i };
}

export interface DatasetOptions {
  users?: number;
  items?: number;
  ids?: boolean;
  text?: boolean;
  seed?: number;
  name?: string;
}

export function makeDataset(o: DatasetOptions = {}): Dataset {
  const users = o.users ?? 30, items = o.items ?? 20;
  const rnd = lcg(o.seed ?? 1);
  const ds: Dataset = {
    name: o.name ?? 'tiny.csv',
    numUsers: users,
    numItems: items,
    train: split(users * 4, users, items, rnd),
    val: split(users, users, items, rnd),
    test: split(users, users, items, rnd),
  };
  if (o.ids) {
    ds.userIds = Array.from({ length: users }, (_, k) => `user-${k}`);
    ds.itemIds = Array.from({ length: items }, (_, k) => `B00${k}X`);
  }
  if (o.text) {
    ds.itemText = Array.from({ length: items }, (_, k) => ({
      title: `Item ${k}\twith tab`,
      description: `Description of item ${k}`,
      categories: k % 2 === 0 ? ['Books', 'Science Fiction'] : [],
    }));
  }
  return ds;
}

function linear(inDim: number, outDim: number, seed: number): BundleWeight {
  return { shape: [inDim, outDim], data: randomMatrix(inDim, outDim, seed), layout: 'torch' };
}

function bias(n: number, seed: number): BundleWeight {
  return { shape: [n], data: randomMatrix(1, n, seed) };
}

/** DaRec-shaped weights: four 2-layer MLPs with RLMRec's hidden = floor((in + out) / 2). */
export function darecWeights(users: number, items: number, d: number, llm: number, seed = 10): Record<string, BundleWeight> {
  const w: Record<string, BundleWeight> = {
    user_embeds: { shape: [users, d], data: randomMatrix(users, d, seed) },
    item_embeds: { shape: [items, d], data: randomMatrix(items, d, seed + 1) },
  };
  let s = seed + 2;
  for (const [name, inDim] of [['sharedCF', d], ['specificCF', d], ['sharedLLM', llm], ['specificLLM', llm]] as const) {
    const h = Math.floor((inDim + d) / 2);
    w[`${name}.0.weight`] = linear(inDim, h, s++);
    w[`${name}.0.bias`] = bias(h, s++);
    w[`${name}.2.weight`] = linear(h, d, s++);
    w[`${name}.2.bias`] = bias(d, s++);
  }
  return w;
}

export function darecConfig(d = 8): RunConfig {
  const c = defaultConfig();
  c.data = { kind: 'file', name: 'tiny.csv' };
  c.model.embeddingSize = d;
  c.align = { method: 'darec', options: { darec: { weights: { loc: 0.05 } } } };
  return c;
}

export function makeContents(ds: Dataset, d = 8, llm = 12): BundleContents {
  const U = ds.numUsers, I = ds.numItems;
  const embeddings: BundleContents['embeddings'] = {};
  let seed = 100;
  for (const side of ['users', 'items'] as const) {
    const n = side === 'users' ? U : I;
    for (const name of ['cf', 'shared_cf', 'specific_cf', 'shared_llm', 'specific_llm']) embeddings[`${name}_${side}`] = { rows: n, cols: d, data: randomMatrix(n, d, seed++) };
    embeddings[`llm_${side}`] = { rows: n, cols: llm, data: randomMatrix(n, llm, seed++) };
  }
  return {
    version: 1,
    config: darecConfig(d),
    weights: darecWeights(U, I, d, llm),
    embeddings,
    metrics: { test: { 'recall@20': 0.1234, 'ndcg@20': 0.0567 }, bestEpoch: 6 },
    history: [
      { epoch: 1, loss: { bpr: 0.69, reg: 1e-6, orth: 0.01 } },
      { epoch: 2, loss: { bpr: 0.52, reg: 2e-6, orth: 0.02 } },
      { epoch: 3, loss: { bpr: 0.41, reg: 3e-6, orth: 0.015 }, val: { 'recall@20': 0.05, 'ndcg@20': 0.02 } },
    ],
    idMaps: idMapsOf(ds),
    dataset: bundleDatasetInfo(ds),
    trainInteractions: { users: ds.train.users.slice(), items: ds.train.items.slice() },
  };
}
