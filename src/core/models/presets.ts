/** tfjs-free backbone names and RLMRec's per-backbone defaults (the page's forms import these). */
import type { LayerCombine } from '../config';

export type BackboneName = 'mf' | 'lightgcn' | 'gccf' | 'sgl' | 'simgcl';
export const BACKBONES: readonly BackboneName[] = ['mf', 'lightgcn', 'gccf', 'sgl', 'simgcl'];

export interface BackboneOptions {
  name: BackboneName;
  dim: number;
  layers: number;
  combine: LayerCombine;
  /** SSL (SGL, SimGCL): weight, InfoNCE temperature, SimGCL noise radius. */
  ssl: { weight: number; temperature: number; eps: number };
}

/** RLMRec's per-backbone hyper-parameters (encoder/config/modelconf/*.yml, Amazon-book). */
export const BACKBONE_PRESETS: Record<BackboneName, { layers: number; regWeight: number; keepRate: number; ssl: BackboneOptions['ssl'] }> = {
  // RLMRec ships no MF config: LightGCN's settings with no propagation.
  mf: { layers: 0, regWeight: 1e-6, keepRate: 1, ssl: { weight: 0, temperature: 0.2, eps: 0 } },
  lightgcn: { layers: 3, regWeight: 1e-6, keepRate: 0.8, ssl: { weight: 0, temperature: 0.2, eps: 0 } },
  // gccf.yml: 2 layers for amazon; its keep_rate is unused by the model code (no dropout).
  gccf: { layers: 2, regWeight: 1e-6, keepRate: 1, ssl: { weight: 0, temperature: 0.2, eps: 0 } },
  sgl: { layers: 3, regWeight: 1e-5, keepRate: 0.8, ssl: { weight: 0.1, temperature: 0.2, eps: 0 } },
  simgcl: { layers: 3, regWeight: 1e-5, keepRate: 1, ssl: { weight: 0.1, temperature: 0.2, eps: 0.9 } },
};

