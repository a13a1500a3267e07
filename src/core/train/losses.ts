import * as tf from '@tensorflow/tfjs';
import { addAll } from '../addAll';

/**
 * Mean BPR loss: mean(softplus(neg - pos)) = mean(-log sigmoid(pos - neg)),
 * as RLMRec's cal_bpr_loss / batch size. softplus rather than logSigmoid:
 * tfjs 4.22's logSigmoid gradient fails on intermediate tensors.
 */
export function bprLoss(u: tf.Tensor2D, p: tf.Tensor2D, n: tf.Tensor2D): tf.Scalar {
  const pos = tf.sum(tf.mul(u, p), 1);
  const neg = tf.sum(tf.mul(u, n), 1);
  return tf.mean(tf.softplus(tf.sub(neg, pos)));
}

/** RLMRec's reg_params: sum of squared L2 norms of all parameters. */
export function l2Reg(vars: tf.Tensor[]): tf.Scalar {
  return addAll(vars.map(v => tf.sum(tf.square(v)))) as tf.Scalar;
}
