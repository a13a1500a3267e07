import * as tf from '@tensorflow/tfjs';

/**
 * Sum of tensors of one shape. Scalars are added pairwise: tfjs-backend-webgpu
 * 4.22's AddN returned wrong sums for scalars (a DaRec step gave reg = 0 and a
 * near-zero global loss on WebGPU; the end-to-end check compares every term with
 * cpu). Larger tensors keep tf.addN: its results match cpu there, and chains of
 * pairwise adds of [n, d] tables made a LightGCN epoch ~10x slower on WebGPU
 * (measured on SwiftShader: 52 s instead of 5 s for the 2-epoch demo test).
 */
export function addAll<T extends tf.Tensor>(ts: T[]): T {
  if (ts.length === 0) throw new Error('addAll needs at least one tensor');
  if (ts.length === 1) return ts[0]!;
  if (ts[0]!.rank > 0) return tf.addN(ts) as T;
  let s: tf.Tensor = ts[0]!;
  for (let k = 1; k < ts.length; k++) s = tf.add(s, ts[k]!);
  return s as T;
}
