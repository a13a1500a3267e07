import * as tf from '@tensorflow/tfjs';

/**
 * Sum of tensors of one shape by pairwise tf.add, used instead of tf.addN:
 * tfjs-backend-webgpu 4.22's AddN returned wrong sums for scalars (a DaRec step
 * gave reg = 0 and a near-zero global loss on WebGPU; the end-to-end check
 * compares every term with cpu). One rule for every rank keeps that bug class out.
 */
export function addAll<T extends tf.Tensor>(ts: T[]): T {
  if (ts.length === 0) throw new Error('addAll needs at least one tensor');
  let s: tf.Tensor = ts[0]!;
  for (let k = 1; k < ts.length; k++) s = tf.add(s, ts[k]!);
  return s as T;
}
