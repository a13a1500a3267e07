import { RLMREC_LEAKY_SLOPE } from '../constants';

/**
 * DaRec options. Every [open] choice of shared/design/darec.md is a named field here with
 * the default that document lists. The paper gives no loss weights, so the defaults are
 * sized so each term's gradient per batch row is of the order of RLMRec-Con's kd term
 * (weight 1e-2 on an InfoNCE), i.e. about a tenth of BPR's: untuned starting points.
 */
export interface DaRecConfig {
  /** false = the 'no-disentangle' ablation: no specific parts, the shared projections are the full projections. */
  disentangle: boolean;
  /** Term weights; 0 switches a term off (not computed). Terms are returned as `orth`, `uni`, `dec`, `glo`, `loc`. */
  weights: {
    /** λ_orth, orthogonality of shared vs specific, summed over the CF and LLM side. */
    orth: number;
    /** λ_uni, uniformity, summed over the four spaces (each the mean of its user and item terms). */
    uni: number;
    /** λ_rec, the optional reconstruction of each side's input from [S, P] (MSE, CF + LLM side). Off by default. */
    dec: number;
    /** λ_glo, global structure alignment (mean of the user and item terms). */
    glo: number;
    /** λ_loc, local structure alignment through preference clusters. */
    loc: number;
  };
  /** [open] 'cosine': mean cos²(S_k, P_k) per side (default); 'frobenius': ‖Ŝᵀ P̂ / n‖_F². */
  orthogonality: 'cosine' | 'frobenius';
  /** Uniformity temperature t (Wang & Isola use t = 2). */
  uniformityT: number;
  global: {
    /** [open] 'mse' between cosine-similarity matrices (default); 'kl' between row-softmaxed ones. */
    kind: 'mse' | 'kl';
    /** Temperature of the 'kl' variant. */
    temperature: number;
  };
  local: {
    /** K of K-means. */
    clusters: number;
    /** Re-cluster every N epochs (1 = every epoch, darec.md's default). */
    reclusterEvery: number;
    /** τ of the centre InfoNCE. */
    temperature: number;
    /**
     * [open] 'shared-llm': K-means on normalised S^L, the same assignment for both sides (default);
     * 'separate-match': K-means on each side, centres matched by the Hungarian method on cosine;
     * 'soft': Student-t memberships to the S^L K-means centres, used by both sides.
     */
    assignment: 'shared-llm' | 'separate-match' | 'soft';
    /** [open] 'infonce': symmetric InfoNCE over centres (default); 'mse' between matched centres. */
    centreLoss: 'infonce' | 'mse';
    /**
     * 'joint': users and items clustered together (one preference space, as scores are
     * user·item dot products); 'separate': K clusters for users and K for items, losses averaged.
     */
    scope: 'joint' | 'separate';
    /** Student-t degrees of freedom α of the 'soft' variant (DEC uses 1). */
    studentAlpha: number;
    kmeansMaxIter: number;
    kmeansTol: number;
    /** K-means seedings per clustering, best inertia kept. */
    kmeansRestarts: number;
  };
  /**
   * Pairwise terms (uniformity, global) cost O(n²) per batch; they use the first this-many
   * rows of each side's batch (batches are shuffled, so this is a random subsample).
   * 0 = the whole batch. Default 256: on wasm a DaRec step at batch 1024 (demo) took
   * 960 ms with 1024 rows and 250 ms with 256, the n² transposes and matmuls dominating.
   */
  maxPairRows: number;
  /** [open] Scoring embeddings: the backbone's CF embeddings (default) or [S^C, P^C]. */
  scoring: 'cf' | 'concat';
  /** LeakyReLU slope of the projection MLPs (PyTorch's nn.LeakyReLU() default, as in RLMRec). */
  leakySlope: number;
}

export function defaultDaRecConfig(): DaRecConfig {
  return {
    disentangle: true,
    weights: { orth: 0.1, uni: 0.01, dec: 0, glo: 0.1, loc: 0.01 },
    orthogonality: 'cosine',
    uniformityT: 2,
    global: { kind: 'mse', temperature: 0.2 },
    local: {
      clusters: 16,
      reclusterEvery: 1,
      temperature: 0.2,
      assignment: 'shared-llm',
      centreLoss: 'infonce',
      scope: 'joint',
      studentAlpha: 1,
      kmeansMaxIter: 50,
      kmeansTol: 1e-4,
      kmeansRestarts: 1,
    },
    maxPairRows: 256,
    scoring: 'cf',
    leakySlope: RLMREC_LEAKY_SLOPE,
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Defaults overlaid with `over` (nested objects merged field by field). */
export function resolveDaRecConfig(over: DeepPartial<DaRecConfig> = {}): DaRecConfig {
  const d = defaultDaRecConfig();
  return {
    ...d,
    ...(over as Partial<DaRecConfig>),
    weights: { ...d.weights, ...over.weights },
    global: { ...d.global, ...over.global },
    local: { ...d.local, ...over.local },
  };
}

export const DAREC_ABLATIONS = ['full', 'no-disentangle', 'no-global', 'no-local', 'no-orth', 'no-uniform'] as const;
export type DaRecAblation = (typeof DAREC_ABLATIONS)[number];

/** The paper's ablations as switches on a config; returns a new config ('full' = unchanged). */
export function applyAblation(cfg: DaRecConfig, name: DaRecAblation): DaRecConfig {
  const c: DaRecConfig = structuredClone(cfg);
  switch (name) {
    case 'full':
      break;
    case 'no-disentangle':
      c.disentangle = false;
      break;
    case 'no-global':
      c.weights.glo = 0;
      break;
    case 'no-local':
      c.weights.loc = 0;
      break;
    case 'no-orth':
      c.weights.orth = 0;
      break;
    case 'no-uniform':
      c.weights.uni = 0;
      break;
    default: {
      const never: never = name;
      throw new Error(`unknown DaRec ablation "${String(never)}"`);
    }
  }
  return c;
}

/** Problems with a config, human-readable; empty when valid. */
export function validateDaRecConfig(c: DaRecConfig): string[] {
  const e: string[] = [];
  for (const [k, v] of Object.entries(c.weights)) if (!(Number.isFinite(v) && v >= 0)) e.push(`weight ${k} must be >= 0`);
  if (!(c.local.clusters >= 1 && Number.isInteger(c.local.clusters))) e.push('clusters must be a positive integer');
  if (!(c.local.reclusterEvery >= 1 && Number.isInteger(c.local.reclusterEvery))) e.push('reclusterEvery must be a positive integer');
  if (!(c.local.temperature > 0)) e.push('local temperature must be > 0');
  if (!(c.global.temperature > 0)) e.push('global temperature must be > 0');
  if (!(c.uniformityT > 0)) e.push('uniformity t must be > 0');
  if (!(c.local.kmeansRestarts >= 1 && c.local.kmeansMaxIter >= 1)) e.push('kmeansRestarts and kmeansMaxIter must be >= 1');
  if (!(c.local.studentAlpha > 0)) e.push('studentAlpha must be > 0');
  if (!(c.maxPairRows === 0 || c.maxPairRows >= 2)) e.push('maxPairRows must be 0 or >= 2');
  if (!['cosine', 'frobenius'].includes(c.orthogonality)) e.push(`unknown orthogonality "${c.orthogonality}"`);
  if (!['mse', 'kl'].includes(c.global.kind)) e.push(`unknown global kind "${c.global.kind}"`);
  if (!['shared-llm', 'separate-match', 'soft'].includes(c.local.assignment)) e.push(`unknown assignment "${c.local.assignment}"`);
  if (!['infonce', 'mse'].includes(c.local.centreLoss)) e.push(`unknown centre loss "${c.local.centreLoss}"`);
  if (!['joint', 'separate'].includes(c.local.scope)) e.push(`unknown scope "${c.local.scope}"`);
  if (!['cf', 'concat'].includes(c.scoring)) e.push(`unknown scoring "${c.scoring}"`);
  return e;
}
