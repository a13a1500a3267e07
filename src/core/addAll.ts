import * as tf from '@tensorflow/tfjs';

/**
 * Sum of tensors of one shape by pairwise tf.add. Used instead of tf.addN:
 * tfjs-backend-webgpu 4.22 returned wrong sums for AddN over scalars (a DaRec
 * step gave reg = 0 and near-zero global loss on WebGPU, cpu's values with this;
 * see the WebGPU-vs-cpu end-to-end check).
 */
export function addAll<T extends tf.Tensor>(ts: T[]): T {
  if (ts.length === 0) throw new Error('addAll needs at least one tensor');
  let s: tf.Tensor = ts[0]!;
  for (let k = 1; k < ts.length; k++) s = tf.add(s, ts[k]!);
  return s as T;
}
