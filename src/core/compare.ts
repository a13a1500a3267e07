import { cloneConfig, type RunConfig } from './config';
import { DAREC_ABLATIONS, type DaRecAblation } from './align/darec/config';
import type { AlignName } from './align/types';

export interface ComparisonRun {
  name: string;
  config: RunConfig;
}

const METHODS: AlignName[] = ['none', 'rlmrec-con', 'rlmrec-gen', 'darec'];

/**
 * The comparison the paper makes: the base backbone, RLMRec-Con, RLMRec-Gen and
 * DaRec (plus chosen DaRec ablations) on the same data, split, seed and
 * embeddings. Regularisation follows RLMRec: the base keeps the backbone's
 * setting, aligned runs use 1e-7, unless the caller fixed it (`keepReg`).
 */
export function comparisonRuns(base: RunConfig, ablations: string[] = [], keepReg = false): ComparisonRun[] {
  const runs: ComparisonRun[] = [];
  const make = (method: AlignName, ablation?: DaRecAblation): RunConfig => {
    const c = cloneConfig(base);
    c.align.method = method;
    if (ablation) c.align.options.ablation = ablation;
    else delete c.align.options.ablation;
    if (!keepReg && method !== 'none') c.train.regWeight = 1e-7;
    return c;
  };
  for (const m of METHODS) runs.push({ name: m === 'none' ? `${base.model.backbone} (base)` : m, config: make(m) });
  for (const a of ablations) if (!DAREC_ABLATIONS.includes(a as DaRecAblation)) throw new Error(`unknown ablation "${a}" (one of ${DAREC_ABLATIONS.join(', ')})`);
  for (const a of ablations) runs.push({ name: `darec/${a}`, config: make('darec', a as DaRecAblation) });
  return runs;
}
