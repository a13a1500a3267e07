import * as tf from '@tensorflow/tfjs';
import type { Interactions } from '../data/types';
import type { UserItems } from '../train/sampler';
import { mm } from '../align/ops';
import { KS, MetricAccumulator, userMetrics, type Metrics } from './metrics';

/** Held-out items per user, only for users that have at least one. */
export function heldOutByUser(x: Interactions): Map<number, Set<number>> {
  const m = new Map<number, Set<number>>();
  for (let k = 0; k < x.users.length; k++) {
    const u = x.users[k]!;
    let s = m.get(u);
    if (!s) m.set(u, (s = new Set()));
    s.add(x.items[k]!);
  }
  return m;
}

/**
 * Full-ranking evaluation: for each batch of `batchSize` users, score every
 * item (one matmul on the backend), push training items to the bottom with a
 * large negative mask, take the top max(K) and compute metrics in JS. Memory is
 * bounded by batchSize x numItems scores. Users without held-out items are
 * skipped. `userEmb` [numUsers, d], `itemEmb` [numItems, d].
 */
export async function evaluateRanking(
  userEmb: tf.Tensor2D,
  itemEmb: tf.Tensor2D,
  heldOut: Map<number, Set<number>>,
  trainIndex: UserItems,
  batchSize: number,
  ks: readonly number[] = KS,
): Promise<Metrics> {
  const numItems = itemEmb.shape[0];
  const maxK = Math.min(Math.max(...ks), numItems);
  const users = Int32Array.from([...heldOut.keys()].sort((a, b) => a - b));
  const acc = new MetricAccumulator();
  for (let s = 0; s < users.length; s += batchSize) {
    const batch = users.subarray(s, Math.min(users.length, s + batchSize));
    const maskIdx: number[] = [];
    for (let r = 0; r < batch.length; r++) {
      const u = batch[r]!;
      for (let p = trainIndex.ptr[u]!; p < trainIndex.ptr[u + 1]!; p++) maskIdx.push(r, trainIndex.items[p]!);
    }
    const top = tf.tidy(() => {
      const ub = tf.gather(userEmb, tf.tensor1d(batch, 'int32'));
      // mm: wasm's matMul is many times slower with a transpose flag.
      let scores = mm(ub, itemEmb, false, true);
      if (maskIdx.length) {
        const n = maskIdx.length / 2;
        const mask = tf.scatterND(tf.tensor2d(maskIdx, [n, 2], 'int32'), tf.fill([n], -1e9), [batch.length, numItems]);
        scores = tf.add(scores, mask);
      }
      return tf.topk(scores, maxK).indices;
    });
    const idx = (await top.data()) as Int32Array;
    top.dispose();
    for (let r = 0; r < batch.length; r++) {
      acc.add(userMetrics(idx.subarray(r * maxK, (r + 1) * maxK), heldOut.get(batch[r]!)!, ks));
    }
  }
  const out = acc.mean();
  out.users = acc.count;
  return out;
}
