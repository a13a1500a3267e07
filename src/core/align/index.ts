import type { Rng } from '../rng';
import { applyAblation, resolveDaRecConfig, type DaRecAblation, type DaRecConfig, type DeepPartial } from './darec/config';
import { DaRecAlignment } from './darec/darec';
import { NoAlignment } from './none';
import { defaultRlmrecConConfig, RlmrecConAlignment, type RlmrecConConfig } from './rlmrecCon';
import { defaultRlmrecGenConfig, RlmrecGenAlignment, type RlmrecGenConfig } from './rlmrecGen';
import type { AlignDims, Alignment, AlignName } from './types';

export * from './types';
export { DaRecAlignment, matchCentres, membership, type DaRecSpaces } from './darec/darec';
export { applyAblation, defaultDaRecConfig, resolveDaRecConfig, validateDaRecConfig, DAREC_ABLATIONS } from './darec/config';
export type { DaRecAblation, DaRecConfig, DeepPartial } from './darec/config';
export { RlmrecConAlignment, defaultRlmrecConConfig, RLMREC_CON_PRESETS, type RlmrecConConfig } from './rlmrecCon';
export { RlmrecGenAlignment, defaultRlmrecGenConfig, RLMREC_GEN_PRESETS, type RlmrecGenConfig } from './rlmrecGen';
export { NoAlignment } from './none';
export { kmeans, type KMeansOptions, type KMeansResult } from './kmeans';
export { hungarian } from './hungarian';
export { Mlp, RLMREC_LEAKY_SLOPE } from './mlp';

export { ALIGN_NAMES } from './constants';

/** Options of every method; each part is optional and overlays that method's defaults. */
export interface AlignmentConfig {
  darec?: DeepPartial<DaRecConfig>;
  /** Applied to the DaRec config after the overrides. */
  ablation?: DaRecAblation;
  rlmrecCon?: Partial<RlmrecConConfig>;
  rlmrecGen?: Partial<RlmrecGenConfig>;
}

/**
 * Builds an alignment method. `dims.cf` is the backbone's embedding size, `dims.llm` the LLM
 * embedding size; `rng` seeds every initialisation (and DaRec's K-means), so a seed repeats a run.
 */
export function createAlignment(name: AlignName, cfg: AlignmentConfig | undefined, dims: AlignDims, rng: Rng): Alignment {
  const c = cfg ?? {};
  switch (name) {
    case 'none':
      return new NoAlignment();
    case 'rlmrec-con':
      return new RlmrecConAlignment({ ...defaultRlmrecConConfig(), ...c.rlmrecCon }, dims, rng);
    case 'rlmrec-gen':
      return new RlmrecGenAlignment({ ...defaultRlmrecGenConfig(), ...c.rlmrecGen }, dims, rng);
    case 'darec': {
      const base = resolveDaRecConfig(c.darec);
      return new DaRecAlignment(c.ablation ? applyAblation(base, c.ablation) : base, dims, rng);
    }
    default: {
      const never: never = name;
      throw new Error(`unknown alignment "${String(never)}"`);
    }
  }
}
