import * as tf from '@tensorflow/tfjs';
import type { AlignContext } from '../../src/core/align/types';
import type { Mlp } from '../../src/core/align/mlp';
import { gatherRows } from '../../src/core/train/gatherRows';
import { Rng } from '../../src/core/rng';
import { hungarian } from '../../src/core/align/hungarian';
import { randMat, t2, type M, type MlpW } from './ref';

export interface Tables {
  U: number;
  I: number;
  d: number;
  dL: number;
  userCF: M;
  itemCF: M;
  userLLM: M;
  itemLLM: M;
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
  /**
   * Index tensors made once, outside any gradient function, as the trainer does: gatherRows'
   * backward reads its index tensor, so it must outlive the gradient computation.
   */
  idx: { users: tf.Tensor1D; pos: tf.Tensor1D; neg: tf.Tensor1D };
}

/** Small random tables and a BPR-like batch (duplicates included, as real batches have). */
export function makeTables(seed: number, U = 7, I = 9, d = 4, dL = 6, B = 6): Tables {
  const rng = new Rng(seed);
  const ids = (n: number) => Int32Array.from({ length: B }, () => rng.int(n));
  const t = {
    U,
    I,
    d,
    dL,
    userCF: randMat(rng, U, d),
    itemCF: randMat(rng, I, d),
    userLLM: randMat(rng, U, dL),
    itemLLM: randMat(rng, I, dL),
    users: ids(U),
    pos: ids(I),
    neg: ids(I),
  };
  const idx = tf.tidy(() => ({
    users: tf.keep(tf.tensor1d(t.users, 'int32')),
    pos: tf.keep(tf.tensor1d(t.pos, 'int32')),
    neg: tf.keep(tf.tensor1d(t.neg, 'int32')),
  }));
  return { ...t, idx };
}

export const pick = (m: M, ids: ArrayLike<number>): M => Array.from(ids, i => (m[i] as number[]).slice());

/**
 * The context a trainer builds: CF rows gathered with gatherRows from the (given) CF tables so
 * gradients reach them; LLM rows with tf.gather. Call inside a tidy / gradient function.
 */
export function makeContext(
  t: Tables,
  cfU: tf.Tensor2D,
  cfI: tf.Tensor2D,
  llmU: tf.Tensor2D,
  llmI: tf.Tensor2D,
  withNeg = true,
): AlignContext {
  const { users: ui, pos: pi, neg: ni } = t.idx;
  return {
    userCF: gatherRows(cfU, ui),
    itemCF: gatherRows(cfI, pi),
    userLLM: tf.gather(llmU, ui),
    itemLLM: tf.gather(llmI, pi),
    userIdx: ui,
    itemIdx: pi,
    userIds: t.users,
    itemIds: t.pos,
    ...(withNeg
      ? { negItemCF: gatherRows(cfI, ni), negItemLLM: tf.gather(llmI, ni), negItemIdx: ni, negItemIds: t.neg }
      : {}),
    allUserCF: cfU,
    allItemCF: cfI,
    allUserLLM: llmU,
    allItemLLM: llmI,
    epoch: 0,
    step: 0,
  };
}

export function mlpWeights(m: Mlp): MlpW {
  return {
    w1: m.w1.arraySync() as M,
    b1: m.b1.arraySync() as number[],
    w2: m.w2.arraySync() as M,
    b2: m.b2.arraySync() as number[],
    slope: m.slope,
  };
}

export function withTables<T>(t: Tables, f: (u: tf.Tensor2D, i: tf.Tensor2D, lu: tf.Tensor2D, li: tf.Tensor2D) => T): T {
  const ts = [t2(t.userCF), t2(t.itemCF), t2(t.userLLM), t2(t.itemLLM)] as const;
  try {
    return f(...ts);
  } finally {
    tf.dispose([...ts]);
  }
}

/** Fraction of rows whose cluster maps to their true label under the best one-to-one relabelling. */
export function matchedAccuracy(pred: Int32Array, truth: Int32Array, k: number): number {
  const conf = new Float64Array(k * k);
  for (let i = 0; i < pred.length; i++) conf[(pred[i] as number) * k + (truth[i] as number)]! += 1;
  const match = hungarian(conf.map(v => -v), k, k);
  let hit = 0;
  for (let a = 0; a < k; a++) hit += conf[a * k + (match[a] as number)] as number;
  return hit / pred.length;
}

export function plantedBlobs(rng: Rng, k: number, perCluster: number, d: number, noise: number) {
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal()));
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let c = 0; c < k; c++)
    for (let i = 0; i < perCluster; i++) {
      rows.push((centres[c] as number[]).map(v => v + noise * rng.normal()));
      truth.push(c);
    }
  // Shuffle so cluster order carries no information.
  const order = rng.shuffle(Array.from(rows.keys()));
  return { x: order.map(i => rows[i] as number[]), truth: Int32Array.from(order.map(i => truth[i] as number)) };
}

