import * as tf from '@tensorflow/tfjs';

/**
 * Row lookup `x[idx]` whose gradient is a scatter-add, not tfjs's default
 * UnsortedSegmentSum: tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, so
 * the stock gather gradient fails there. ScatterNd sums duplicate indices on
 * every backend, which is exactly the gradient of a gather. `idx` is saved for
 * the backward pass, so it may be created inside the gradient function.
 */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  const [n, d] = x.shape;
  const f = tf.customGrad(((xIn: tf.Tensor, save: tf.GradSaveFunc) => {
    save([idx]);
    return {
      value: tf.gather(xIn as tf.Tensor2D, idx),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(tf.expandDims(saved[0]!, 1), dy, [n, d]),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor2D;
}
