/**
 * tfjs-free constants of the alignment methods, so the page can build its forms
 * without pulling tfjs into the main bundle (training runs in the worker).
 */
import type { AlignName } from './types';

export const ALIGN_NAMES: readonly AlignName[] = ['none', 'rlmrec-con', 'rlmrec-gen', 'darec'];

/**
 * PyTorch's `nn.LeakyReLU()` default slope. RLMRec builds its alignment MLPs with
 * `nn.LeakyReLU()` (no argument), so 0.01 — not 0.5 — is what "the shape RLMRec uses" means.
 */
export const RLMREC_LEAKY_SLOPE = 0.01;
