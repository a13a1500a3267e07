import * as tf from '@tensorflow/tfjs';
import { addAll } from '../addAll';
import type { Rng } from '../rng';
import { Mlp, RLMREC_LEAKY_SLOPE, uniqueScope } from './mlp';
import { infoNCE } from './ops';
import type { AlignContext, AlignDims, Alignment, AlignNeeds, LossTerms } from './types';

/**
 * RLMRec-Con options. Defaults: HKUDS/RLMRec encoder/config/modelconf/lightgcn_plus.yml
 * (the generic block, equal to its amazon and yelp blocks): kd_weight 1e-2, kd_temperature 0.2.
 */
export interface RlmrecConConfig {
  /** kd_weight. */
  weight: number;
  /** kd_temperature. */
  temperature: number;
  /**
   * Negatives of the user term. 'batch' (default, darec.md §6): the mapped LLM embeddings of the
   * batch's users. 'all': every user's mapped LLM embedding — what RLMRec's lightgcn_plus.py
   * literally does for the anchor term (`cal_infonce_loss(anc, ancprf, usrprf, τ)`), at the cost of
   * mapping the whole user table every step; item terms always use in-batch negatives there too.
   */
  anchorNegatives: 'batch' | 'all';
  leakySlope: number;
}

export function defaultRlmrecConConfig(): RlmrecConConfig {
  return { weight: 1e-2, temperature: 0.2, anchorNegatives: 'batch', leakySlope: RLMREC_LEAKY_SLOPE };
}

/** RLMRec's per-dataset values of lightgcn_plus.yml, for reproducing its tables. */
export const RLMREC_CON_PRESETS: Record<'amazon' | 'yelp' | 'steam', Pick<RlmrecConConfig, 'weight' | 'temperature'>> = {
  amazon: { weight: 1e-2, temperature: 0.2 },
  yelp: { weight: 1e-2, temperature: 0.2 },
  steam: { weight: 1e-3, temperature: 0.1 },
};

/** RLMRec's cal_infonce_loss normalises with sqrt(1e-8 + ‖x‖²). */
const RLMREC_NORM_EPS = 1e-8;

/**
 * RLMRec-Con (contrastive alignment): an MLP d_L -> (d_L+d)/2 -> d maps LLM embeddings into the
 * CF space; each batch node's CF embedding must pick out its own mapped LLM embedding among the
 * others (cosine InfoNCE). As in RLMRec: one term each for users, positives and (when given)
 * negatives, each a mean over the batch rows, summed, times kd_weight. Returned as `kd`.
 */
export class RlmrecConAlignment implements Alignment {
  readonly name = 'rlmrec-con' as const;
  readonly needs: AlignNeeds;
  readonly cfg: RlmrecConConfig;
  readonly mlp: Mlp;

  constructor(cfg: RlmrecConConfig, dims: AlignDims, rng: Rng) {
    if (!(cfg.temperature > 0)) throw new Error('RLMRec-Con temperature must be > 0');
    if (!(cfg.weight >= 0)) throw new Error('RLMRec-Con weight must be >= 0');
    this.cfg = cfg;
    this.mlp = new Mlp('mlp', uniqueScope('rlmrec-con'), dims.llm, dims.cf, rng.fork(), { leakySlope: cfg.leakySlope });
    this.needs = { negatives: true, allCF: false, allLLM: cfg.anchorNegatives === 'all', epochCF: false };
  }

  variables(): tf.Variable[] {
    return this.mlp.variables();
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.mlp.namedVariables();
  }

  weights(): Record<string, number> {
    return { kd: this.cfg.weight };
  }

  losses(ctx: AlignContext): LossTerms {
    if (this.cfg.weight <= 0) return {};
    return tf.tidy(() => {
      const tau = this.cfg.temperature;
      const mu = this.mlp.apply(ctx.userLLM);
      let allU: tf.Tensor2D | undefined;
      if (this.cfg.anchorNegatives === 'all') {
        if (ctx.allUserLLM === undefined) throw new Error("RLMRec-Con anchorNegatives 'all' needs allUserLLM");
        allU = this.mlp.apply(ctx.allUserLLM);
      }
      const terms = [
        infoNCE(ctx.userCF, mu, tau, allU, RLMREC_NORM_EPS),
        infoNCE(ctx.itemCF, this.mlp.apply(ctx.itemLLM), tau, undefined, RLMREC_NORM_EPS),
      ];
      if (ctx.negItemCF !== undefined && ctx.negItemLLM !== undefined) {
        terms.push(infoNCE(ctx.negItemCF, this.mlp.apply(ctx.negItemLLM), tau, undefined, RLMREC_NORM_EPS));
      }
      return { kd: tf.mul(addAll(terms), this.cfg.weight) as tf.Scalar };
    });
  }

  scoringEmbeddings(userCF: tf.Tensor2D, itemCF: tf.Tensor2D): { users: tf.Tensor2D; items: tf.Tensor2D } {
    return { users: tf.clone(userCF), items: tf.clone(itemCF) };
  }

  dispose(): void {
    this.mlp.dispose();
  }
}
