import * as tf from '@tensorflow/tfjs';

/**
 * `op(a) @ op(b)` (op = transpose where the flag is set), like `tf.matMul(a, b, ta, tb)`.
 * On wasm (tfjs 4.22, measured in Node) a matMul with a transpose flag runs 8–18x slower
 * than an explicit `tf.transpose` followed by a plain matMul — and tf.matMul's own gradient
 * always uses the flags. So on wasm the transposes are explicit, in the forward and in a
 * custom gradient; other backends use tf.matMul unchanged (the flags are free there).
 */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D, ta = false, tb = false): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, ta, tb);
  const f = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    const A = (ta ? tf.transpose(x) : x) as tf.Tensor2D;
    const B = (tb ? tf.transpose(y) : y) as tf.Tensor2D;
    return {
      value: tf.matMul(A, B),
      // Saved tensors, not the closure's: those may be disposed before the backward pass.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        const Ap = ta ? tf.transpose(sx) : sx;
        const Bp = tb ? tf.transpose(sy) : sy;
        // C = A'B': dA' = dy B'ᵀ, dB' = A'ᵀ dy; a transposed operand takes the transposed gradient.
        const da = ta ? tf.matMul(Bp, tf.transpose(g)) : tf.matMul(g, tf.transpose(Bp));
        const db = tb ? tf.matMul(tf.transpose(g), Ap) : tf.matMul(tf.transpose(Ap), g);
        return [da, db];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(a, b) as tf.Tensor2D;
}

/**
 * Row-wise L2 normalisation as `x * rsqrt(sum(x²) + eps)`: this form's forward and
 * gradient match cpu on webgpu (browser probe), and `eps` keeps the gradient finite for a
 * zero row. RLMRec's `cal_infonce_loss` uses eps 1e-8 inside the square root; F.normalize
 * clamps the norm at 1e-12 (same value to float32 precision for non-tiny rows).
 */
export function l2normalize(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), eps))) as tf.Tensor2D);
}

/** Row-wise dot products of two equally shaped matrices: `[n]`. */
export function rowDot(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(a, b), 1) as tf.Tensor1D);
}

/** Cosine-similarity matrix of two row sets (rows normalised here). */
export function cosineMatrix(a: tf.Tensor2D, b: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.tidy(() => mm(l2normalize(a, eps), l2normalize(b, eps), false, true));
}

/**
 * InfoNCE with cosine similarity:
 *   mean_i [ -cos(a_i, b_i)/τ + log Σ_j exp(cos(a_i, all_j)/τ) ]
 * which is RLMRec's `cal_infonce_loss` divided by the number of rows (`all` defaults to `b`,
 * i.e. in-batch negatives). Cosine logits never exceed 1/τ, so a constant shift by 1/τ makes
 * the log-sum-exp overflow-free without a max op in the graph.
 */
export function infoNCE(a: tf.Tensor2D, b: tf.Tensor2D, tau: number, all?: tf.Tensor2D, eps = 1e-12): tf.Scalar {
  return tf.tidy(() => {
    const an = l2normalize(a, eps);
    const bn = l2normalize(b, eps);
    const alln = all === undefined ? bn : l2normalize(all, eps);
    const pos = tf.div(rowDot(an, bn), tau);
    const shift = 1 / tau;
    const logits = tf.div(mm(an, alln, false, true), tau);
    const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(logits, shift)), 1)), shift);
    return tf.mean(tf.sub(lse, pos)) as tf.Scalar;
  });
}

/** ½ (InfoNCE(a→b) + InfoNCE(b→a)), the positives being equal row indices. */
export function symmetricInfoNCE(a: tf.Tensor2D, b: tf.Tensor2D, tau: number): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.add(infoNCE(a, b, tau), infoNCE(b, a, tau)), 0.5) as tf.Scalar);
}

/** A zero that stays connected to `x` in the gradient tape (so minimize never sees a loss without variables). */
export function connectedZero(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.sum(x), 0) as tf.Scalar);
}
