import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

/** Xavier-uniform [rows, cols] as torch.nn.init.xavier_uniform_ does for a 2-D tensor. */
export function xavierUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const bound = Math.sqrt(6 / (rows + cols));
  const a = new Float32Array(rows * cols);
  for (let k = 0; k < a.length; k++) a[k] = (rng.next() * 2 - 1) * bound;
  return a;
}

let nextId = 0;

/** A trainable variable from values; the temporary tensor is released. tfjs needs globally unique names, so a counter is appended. */
export function makeVariable(values: Float32Array, shape: [number, number], name: string): tf.Variable<tf.Rank.R2> {
  const t = tf.tensor2d(values, shape);
  const v = tf.variable(t, true, `${name}_${nextId++}`);
  t.dispose();
  return v;
}

/** Edge values of one forward pass (after dropout) and of its transpose. */
export interface EdgeValues {
  vals: tf.Tensor1D;
  valsT: tf.Tensor1D;
}
