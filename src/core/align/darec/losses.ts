import * as tf from '@tensorflow/tfjs';
import { l2normalize, mm, rowDot, symmetricInfoNCE } from '../ops';

/*
 * DaRec's loss terms as pure functions of batch tensors. Each returns an unweighted scalar;
 * the DaRecAlignment class weights and names them. Every function is differentiable with
 * ops whose gradients run on cpu, wasm and webgpu (no logSigmoid on intermediates, no
 * einsum, no masks derived from inputs).
 */

/** Orthogonality (default): mean over rows of cos²(S_k, P_k) — 0 iff every node's parts are orthogonal. */
export function orthogonalityCosine(s: tf.Tensor2D, p: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(rowDot(l2normalize(s), l2normalize(p)))) as tf.Scalar);
}

/**
 * Orthogonality (variant): ‖Ŝᵀ P̂ / n‖_F² on row-normalised batches — the squared Frobenius norm
 * of the batch cross-correlation between the two parts. Squared, because the plain norm has
 * an infinite gradient at its optimum (0); divided by n so the scale does not grow with the batch.
 */
export function orthogonalityFrobenius(s: tf.Tensor2D, p: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const n = s.shape[0];
    const m = tf.div(mm(l2normalize(s), l2normalize(p), true, false), n);
    return tf.sum(tf.square(m)) as tf.Scalar;
  });
}

/**
 * Uniformity (Wang & Isola 2020): log mean_{i≠j} exp(−t ‖x̂_i − x̂_j‖²) on normalised rows,
 * as RLMRec's `uniformity` (pdist over i<j; the mean over i≠j is the same by symmetry).
 * ‖x̂_i − x̂_j‖² = 2 − 2 x̂_i·x̂_j, so one matmul gives all pairs; the diagonal is removed by
 * subtracting its terms rather than with a mask. Needs at least 2 rows.
 */
export function uniformity(x: tf.Tensor2D, t = 2): tf.Scalar {
  const n = x.shape[0];
  if (n < 2) throw new Error('uniformity needs at least 2 rows');
  return tf.tidy(() => {
    const xn = l2normalize(x);
    const g = mm(xn, xn, false, true);
    const all = tf.sum(tf.exp(tf.mul(tf.sub(g, 1), 2 * t)));
    const diag = tf.sum(tf.exp(tf.mul(tf.sub(rowDot(xn, xn), 1), 2 * t)));
    return tf.log(tf.div(tf.sub(all, diag), n * (n - 1))) as tf.Scalar;
  });
}

/** Global structure (default): mean over all n² entries of (cos^C_ij − cos^L_ij)² (the diagonal contributes 0). */
export function globalStructureMse(sc: tf.Tensor2D, sl: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const c = l2normalize(sc);
    const l = l2normalize(sl);
    return tf.mean(tf.squaredDifference(mm(c, c, false, true), mm(l, l, false, true))) as tf.Scalar;
  });
}

/**
 * Global structure (variant): mean over rows of KL(P^L_i ‖ P^C_i) where P_i = softmax_j(cos_ij / τ)
 * over j ≠ i. The LLM side is the target because its similarity structure is the knowledge
 * being transferred; the diagonal is excluded because self-similarity (1/τ) would dominate
 * every row. Needs at least 2 rows.
 */
export function globalStructureKl(sc: tf.Tensor2D, sl: tf.Tensor2D, tau: number): tf.Scalar {
  const n = sc.shape[0];
  if (n < 2) throw new Error('globalStructureKl needs at least 2 rows');
  return tf.tidy(() => {
    const c = l2normalize(sc);
    const l = l2normalize(sl);
    const off = tf.mul(tf.eye(n), -1e4);
    const logQ = tf.logSoftmax(tf.add(tf.div(mm(c, c, false, true), tau), off));
    const logP = tf.logSoftmax(tf.add(tf.div(mm(l, l, false, true), tau), off));
    return tf.div(tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ))), n) as tf.Scalar;
  });
}

/** Optional reconstruction: mean squared error of a decoder's output against the projected input. */
export function reconstructionMse(pred: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(pred, target)) as tf.Scalar);
}

/**
 * Cluster centres from hard memberships: `onehot` is a constant `[n, K']` (built on the host,
 * outside the gradient function), `counts` its column sums (all > 0: empty clusters are
 * dropped before). Centres are means of the rows as given.
 */
export function hardCentres(x: tf.Tensor2D, onehot: tf.Tensor2D, counts: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.div(mm(onehot, x, true, false), tf.expandDims(counts, 1)) as tf.Tensor2D);
}

/**
 * Student-t soft memberships (as DEC): q_ik ∝ (1 + ‖x_i − μ_k‖²/α)^(−(α+1)/2), rows sum to 1.
 * Differentiable in `x`; `mu` is a constant `[K, d]`.
 */
export function studentTAssign(x: tf.Tensor2D, mu: tf.Tensor2D, alpha = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const d2 = tf.relu(
      tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(mm(x, mu, false, true), 2)), tf.sum(tf.square(mu), 1)),
    );
    const k = tf.pow(tf.add(tf.div(d2, alpha), 1), -(alpha + 1) / 2);
    return tf.div(k, tf.sum(k, 1, true)) as tf.Tensor2D;
  });
}

/** Centres weighted by soft memberships `q` `[n, K]`: Σ_i q_ik x_i / Σ_i q_ik. */
export function softCentres(x: tf.Tensor2D, q: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(mm(q, x, true, false), tf.expandDims(tf.sum(q, 0), 1)) as tf.Tensor2D);
}

/**
 * Local structure (default): symmetric InfoNCE over matching centres — centre k of the CF side
 * should be closest (cosine, temperature τ) to centre k of the LLM side among all LLM centres,
 * and vice versa. Needs at least one centre (a single centre gives 0).
 */
export function centreInfoNCE(cc: tf.Tensor2D, cl: tf.Tensor2D, tau: number): tf.Scalar {
  return symmetricInfoNCE(cc, cl, tau);
}

/** Local structure (variant): mean squared difference between matching centres. */
export function centreMse(cc: tf.Tensor2D, cl: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(cc, cl)) as tf.Scalar);
}
