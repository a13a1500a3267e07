import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { gatherRows } from '../train/gatherRows';
import { Mlp, ownedVariable, RLMREC_LEAKY_SLOPE, uniqueScope } from './mlp';
import { infoNCE } from './ops';
import type { AlignContext, AlignDims, Alignment, AlignNeeds, LossTerms, MaskResult } from './types';

/**
 * RLMRec-Gen options. Defaults: HKUDS/RLMRec encoder/config/modelconf/lightgcn_gene.yml, the
 * generic `model` block (used for any dataset without its own block, as ours): mask_ratio 0.1,
 * recon_weight 0.1, re_temperature 0.2. Its per-dataset blocks are in RLMREC_GEN_PRESETS.
 */
export interface RlmrecGenConfig {
  /** recon_weight. */
  weight: number;
  /** re_temperature. */
  temperature: number;
  /** mask_ratio: share of ALL nodes (users + items) masked each step, at least one. */
  maskRatio: number;
  leakySlope: number;
}

export function defaultRlmrecGenConfig(): RlmrecGenConfig {
  return { weight: 0.1, temperature: 0.2, maskRatio: 0.1, leakySlope: RLMREC_LEAKY_SLOPE };
}

/** lightgcn_gene.yml per dataset (those blocks also set LightGCN to 2 layers). */
export const RLMREC_GEN_PRESETS: Record<'amazon' | 'yelp' | 'steam', Pick<RlmrecGenConfig, 'weight' | 'temperature' | 'maskRatio'>> = {
  amazon: { maskRatio: 0.15, weight: 0.1, temperature: 0.5 },
  yelp: { maskRatio: 0.05, weight: 0.01, temperature: 0.1 },
  steam: { maskRatio: 0.15, weight: 0.1, temperature: 0.5 },
};

/** Picks `m` distinct ids of [0, n) with a partial Fisher–Yates shuffle, returned ascending. */
export function sampleWithoutReplacement(n: number, m: number, rng: Rng): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  return perm.slice(0, m).sort();
}

/**
 * RLMRec-Gen (generative alignment): each step a share of the CF input (ego) embeddings is
 * replaced by a learned mask token (zeros at init, RLMRec's NodeMask), the graph is propagated,
 * and the masked nodes' propagated embeddings, mapped d -> (d+d_L)/2 -> d_L, must identify their
 * own LLM embedding among the masked nodes' (cosine InfoNCE, RLMRec's ssl_con_loss).
 * Returned as `recon`, already times recon_weight.
 *
 * Per step the trainer: `const {masked} = gen.maskInput(ego, rng)` inside the gradient function,
 * propagates `masked` (BPR uses that same forward, as RLMRec does), and passes the propagated
 * tables as `allUserCF` / `allItemCF` with `allUserLLM` / `allItemLLM` to `losses`, which scores
 * the nodes of the latest `maskInput` call.
 */
export class RlmrecGenAlignment implements Alignment {
  readonly name = 'rlmrec-gen' as const;
  readonly needs: AlignNeeds = { negatives: false, allCF: true, allLLM: true, epochCF: false };
  readonly cfg: RlmrecGenConfig;
  readonly mlp: Mlp;
  readonly maskToken: tf.Variable;
  private lastMasked: Int32Array | null = null;
  /**
   * Index tensors of the latest `losses` call. gatherRows' backward reads its index tensor
   * after the forward's tidy has ended, so these are kept until the next call (or dispose).
   */
  private heldIdx: tf.Tensor[] = [];

  constructor(cfg: RlmrecGenConfig, dims: AlignDims, rng: Rng) {
    if (!(cfg.temperature > 0)) throw new Error('RLMRec-Gen temperature must be > 0');
    if (!(cfg.weight >= 0)) throw new Error('RLMRec-Gen weight must be >= 0');
    if (!(cfg.maskRatio >= 0 && cfg.maskRatio <= 1)) throw new Error('RLMRec-Gen mask ratio must be in [0, 1]');
    this.cfg = cfg;
    const scope = uniqueScope('rlmrec-gen');
    this.mlp = new Mlp('mlp', scope, dims.cf, dims.llm, rng.fork(), { leakySlope: cfg.leakySlope });
    this.maskToken = ownedVariable(tf.zeros([1, dims.cf]), `${scope}/masker.mask_token`);
  }

  variables(): tf.Variable[] {
    return [...this.mlp.variables(), this.maskToken];
  }

  namedVariables(): Record<string, tf.Variable> {
    return { ...this.mlp.namedVariables(), 'masker.mask_token': this.maskToken };
  }

  weights(): Record<string, number> {
    return { recon: this.cfg.weight };
  }

  /** The nodes masked by the latest `maskInput` call (users first, then items offset by the user count). */
  maskedNodes(): Int32Array | null {
    return this.lastMasked;
  }

  maskInput(ego: tf.Tensor2D, rng: Rng): MaskResult {
    const n = ego.shape[0];
    const m = Math.max(Math.floor(n * this.cfg.maskRatio), 1);
    const idx = sampleWithoutReplacement(n, m, rng);
    const keep = new Float32Array(n).fill(1);
    for (const i of idx) keep[i] = 0;
    this.lastMasked = idx;
    const masked = tf.tidy(() => {
      const k = tf.tensor2d(keep, [n, 1]);
      return tf.add(tf.mul(ego, k), tf.mul(this.maskToken, tf.sub(1, k))) as tf.Tensor2D;
    });
    return { masked, maskedIdx: idx };
  }

  losses(ctx: AlignContext): LossTerms {
    if (this.cfg.weight <= 0) return {};
    const idx = this.lastMasked;
    if (idx === null) throw new Error('RLMRec-Gen: call maskInput before losses');
    const { allUserCF, allItemCF, allUserLLM, allItemLLM } = ctx;
    if (!allUserCF || !allItemCF || !allUserLLM || !allItemLLM) {
      throw new Error('RLMRec-Gen needs allUserCF, allItemCF, allUserLLM and allItemLLM in the context');
    }
    const numUsers = allUserCF.shape[0];
    // Split node ids by table, so no [users; items] concat of the (wide) LLM tables is built per step.
    let nu = 0;
    while (nu < idx.length && (idx[nu] as number) < numUsers) nu++;
    const uIds = idx.subarray(0, nu);
    const iIds = idx.subarray(nu).map(v => v - numUsers);
    tf.dispose(this.heldIdx);
    this.heldIdx = [];
    const hold = (ids: Int32Array): tf.Tensor1D => {
      const t = tf.keep(tf.tensor1d(ids, 'int32'));
      this.heldIdx.push(t);
      return t;
    };
    return tf.tidy(() => {
      const enc: tf.Tensor2D[] = [];
      const prf: tf.Tensor2D[] = [];
      if (uIds.length > 0) {
        const t = hold(uIds);
        enc.push(gatherRows(allUserCF, t));
        prf.push(tf.gather(allUserLLM, t));
      }
      if (iIds.length > 0) {
        const t = hold(iIds);
        enc.push(gatherRows(allItemCF, t));
        prf.push(tf.gather(allItemLLM, t));
      }
      const x = this.mlp.apply(enc.length === 1 ? (enc[0] as tf.Tensor2D) : tf.concat(enc, 0));
      const y = prf.length === 1 ? (prf[0] as tf.Tensor2D) : tf.concat(prf, 0);
      return { recon: tf.mul(reconInfoNCE(x, y, this.cfg.temperature), this.cfg.weight) as tf.Scalar };
    });
  }

  scoringEmbeddings(userCF: tf.Tensor2D, itemCF: tf.Tensor2D): { users: tf.Tensor2D; items: tf.Tensor2D } {
    return { users: tf.clone(userCF), items: tf.clone(itemCF) };
  }

  dispose(): void {
    tf.dispose(this.heldIdx);
    this.heldIdx = [];
    this.mlp.dispose();
    this.maskToken.dispose();
  }
}

/**
 * RLMRec's ssl_con_loss: mean_i −log( exp(x̂_i·ŷ_i/τ) / Σ_j exp(x̂_i·ŷ_j/τ) ). RLMRec adds 1e-8 to the
 * denominator and to the ratio; those guards only matter once the ratio underflows and are
 * left out (the log-sum-exp form cannot underflow).
 */
export function reconInfoNCE(x: tf.Tensor2D, y: tf.Tensor2D, tau: number): tf.Scalar {
  return infoNCE(x, y, tau);
}
