import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

/**
 * The contract between a trainer and an LLM–CF alignment method (none,
 * RLMRec-Con, RLMRec-Gen, DaRec).
 *
 * How a trainer drives an alignment (per run):
 *  1. `createAlignment(name, cfg, dims, rng)`; add `variables()` to the optimiser's var list
 *     AND to the L2 regulariser (RLMRec's reg_params covers every model parameter,
 *     its alignment MLPs and mask token included).
 *  2. Before each epoch: `await onEpochStart?.(epochCtx)` — outside any gradient function
 *     (DaRec re-clusters here; it reads data back from the device).
 *  3. Each step, inside the closure given to `optimizer.minimize`:
 *       - if `maskInput` exists (RLMRec-Gen): mask the ego table `[users; items]` with it
 *         BEFORE propagation and propagate the masked table (BPR uses that same forward,
 *         as RLMRec does); pass the propagated tables as `allUserCF` / `allItemCF`;
 *       - build an `AlignContext` from the batch and call `losses(ctx)`;
 *       - add every returned scalar to the total loss. Values are ALREADY WEIGHTED
 *         (the weight of each term is `weights()[name]`; divide by it for the raw value);
 *         a term whose weight is 0 is not computed and not returned.
 *  4. Evaluation/scoring: `scoringEmbeddings(users, items)` (identity for all but DaRec's
 *     'concat' option); evaluation never masks.
 *  5. `dispose()` at the end.
 * `needs` says which optional context fields the method reads, so the trainer does not
 * build tables nobody uses.
 */

export type AlignName = 'none' | 'rlmrec-con' | 'rlmrec-gen' | 'darec';

/** Named scalar loss terms, already multiplied by their weights. */
export type LossTerms = Record<string, tf.Scalar>;

export interface AlignDims {
  /** CF embedding size d (backbone output). */
  cf: number;
  /** LLM embedding size d_L. */
  llm: number;
}

/**
 * One training step's batch as the alignment sees it. Rows are triplet-aligned:
 * row r of users / items / negItems is the r-th (user, positive, negative) of the BPR batch,
 * so duplicates occur (popular users and items) exactly as in RLMRec.
 * CF tensors must be the backbone's final (propagated) rows taken with `gatherRows`, so the
 * gradient reaches the backbone; LLM tensors are frozen rows (any gather is fine).
 */
export interface AlignContext {
  userCF: tf.Tensor2D;
  itemCF: tf.Tensor2D;
  userLLM: tf.Tensor2D;
  itemLLM: tf.Tensor2D;
  userIdx: tf.Tensor1D;
  itemIdx: tf.Tensor1D;
  /**
   * Host copies of the batch indices. DaRec looks up cluster assignments with them; reading
   * the index tensors back instead would stall WebGPU every step.
   */
  userIds: Int32Array;
  itemIds: Int32Array;
  /** The negatives of the batch (RLMRec-Con adds a third InfoNCE term over them, DaRec treats them as more item rows). */
  negItemCF?: tf.Tensor2D;
  negItemLLM?: tf.Tensor2D;
  negItemIdx?: tf.Tensor1D;
  negItemIds?: Int32Array;
  /** Full propagated CF tables of this step's forward pass (RLMRec-Gen: the masked forward). */
  allUserCF?: tf.Tensor2D;
  allItemCF?: tf.Tensor2D;
  /** Full frozen LLM tables (RLMRec-Gen targets; RLMRec-Con with anchorNegatives 'all'). */
  allUserLLM?: tf.Tensor2D;
  allItemLLM?: tf.Tensor2D;
  epoch: number;
  step: number;
}

/** Given to `onEpochStart`, outside any gradient function. */
export interface EpochContext {
  epoch: number;
  allUserLLM: tf.Tensor2D;
  allItemLLM: tf.Tensor2D;
  /** Current propagated CF tables (no gradient needed); DaRec's 'separate-match' clustering reads them. */
  allUserCF?: tf.Tensor2D;
  allItemCF?: tf.Tensor2D;
}

export interface MaskResult {
  /** The ego table with masked rows replaced by the learned mask token. */
  masked: tf.Tensor2D;
  /** Node ids (users 0..U-1, items U..U+I-1) that were masked, ascending. */
  maskedIdx: Int32Array;
}

export interface AlignNeeds {
  /** `negItem*` fields are used when present. */
  negatives: boolean;
  /** `allUserCF` / `allItemCF` in the step context. */
  allCF: boolean;
  /** `allUserLLM` / `allItemLLM` in the step context. */
  allLLM: boolean;
  /** `allUserCF` / `allItemCF` in the epoch context. */
  epochCF: boolean;
}

export interface Alignment {
  readonly name: AlignName;
  readonly needs: AlignNeeds;
  /** Trainable variables (optimise and L2-regularise them). */
  variables(): tf.Variable[];
  /**
   * Stable logical names for export, independent of tfjs's global variable registry
   * (which needs unique names per instance). Linear weights are stored `[in, out]` for
   * `matMul` and named `*.weight`; an exporter to PyTorch must transpose them to `[out, in]`.
   * Biases are `*.bias` (shape `[out]`).
   */
  namedVariables(): Record<string, tf.Variable>;
  /** Weight of each loss term by name (0 = off). */
  weights(): Record<string, number>;
  /** Weighted loss terms; call inside the gradient function. */
  losses(ctx: AlignContext): LossTerms;
  onEpochStart?(ctx: EpochContext): Promise<void>;
  /** RLMRec-Gen only: call on the ego table inside the gradient function, before propagation. */
  maskInput?(ego: tf.Tensor2D, rng: Rng): MaskResult;
  /** Random streams it draws from during training (DaRec's clustering), so a checkpoint can restore them. */
  randomStreams?(): Rng[];
  /**
   * State kept between epochs outside its variables (DaRec's clusters between re-clusterings), as
   * plain structured-cloneable data, so a checkpoint can restore it; null when there is none yet.
   */
  saveEpochState?(): Promise<unknown>;
  /** Restores `saveEpochState()`'s result; a state that does not fit these node counts is dropped (rebuilt as without one). */
  restoreEpochState?(state: unknown, nodes: { user: number; item: number }): void;
  /** Embeddings to score with (`score = u · i`). Returns new tensors; the caller disposes them. */
  scoringEmbeddings(userCF: tf.Tensor2D, itemCF: tf.Tensor2D): { users: tf.Tensor2D; items: tf.Tensor2D };
  dispose(): void;
}
