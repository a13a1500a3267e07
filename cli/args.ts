import { parseArgs } from 'node:util';
import { defaultConfig, NUMERIC_PARAMS, validateConfig, withBackbone, type BackendChoice, type RunConfig } from '../src/core/config';
import { BACKBONES, BACKBONE_PRESETS, type BackboneName } from '../src/core/models/backbones';
import { ALIGN_NAMES, DAREC_ABLATIONS, type AlignName, type DaRecAblation } from '../src/core/align/index';
import { parsePreprocessFlags } from './loadData';

type Flags = Record<string, string | boolean | undefined>;

/** Flags shared by train/eval/bench/embed: every numeric hyper-parameter of the form, by its key. */
export function configOptions() {
  const opts: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const k of ['data', 'backend', 'combine', 'backbone', 'align', 'ablation', 'align-options', 'embeddings', 'llm-dim',
    'demo-users', 'demo-items', 'demo-interactions', 'demo-seed',
    'threshold', 'kcore', 'sample-users', 'split', 'split-seed', 'split-ratio', 'format', 'dedup']) opts[k] = { type: 'string' };
  for (const p of NUMERIC_PARAMS) opts[p.key] = { type: 'string' };
  return opts;
}

export function parseFlags(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}): Flags {
  return parseArgs({ args: argv, options: { ...configOptions(), ...extra }, strict: true, allowPositionals: false }).values as Flags;
}

function num(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`--${flag} expects a number, got "${v}"`);
  return x;
}

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new Error(`--${flag} expects one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/**
 * Builds a validated RunConfig from flags. Order: RLMRec defaults, then the
 * chosen backbone's RLMRec preset, then RLMRec's reg 1e-7 when an alignment is
 * on (unless --reg is given), then every explicit flag.
 */
export function configFromFlags(f: Flags): RunConfig {
  let c = defaultConfig();
  const data = (f.data as string | undefined) ?? 'demo';
  if (f.backbone) c = withBackbone(c, oneOf('backbone', f.backbone as string, BACKBONES as readonly BackboneName[]), BACKBONE_PRESETS);
  if (data !== 'demo') c.data = { kind: 'file', name: data, preprocess: parsePreprocessFlags(f) };
  else if (c.data.kind === 'demo') {
    if (f['demo-users']) c.data.users = num('demo-users', f['demo-users'] as string);
    if (f['demo-items']) c.data.items = num('demo-items', f['demo-items'] as string);
    if (f['demo-interactions']) c.data.interactions = num('demo-interactions', f['demo-interactions'] as string);
    if (f['demo-seed']) c.data.seed = num('demo-seed', f['demo-seed'] as string);
  }
  if (f.align) c.align.method = oneOf('align', f.align as string, ALIGN_NAMES as readonly AlignName[]);
  if (f['align-options']) {
    try {
      c.align.options = JSON.parse(f['align-options'] as string);
    } catch (e) {
      throw new Error(`--align-options expects JSON, e.g. '{"darec":{"weights":{"glo":0.5}}}': ${(e as Error).message}`);
    }
  }
  if (f.ablation) c.align.options.ablation = oneOf('ablation', f.ablation as string, DAREC_ABLATIONS as readonly DaRecAblation[]);
  if (c.align.method !== 'none') c.train.regWeight = 1e-7;
  if (f.backend) c.backend = f.backend as BackendChoice;
  if (f.combine) c.model.combine = f.combine as RunConfig['model']['combine'];
  for (const p of NUMERIC_PARAMS) {
    const v = f[p.key];
    if (typeof v === 'string') p.set(c, num(p.key, v));
  }
  const errors = validateConfig(c);
  if (errors.length) throw new Error(errors.join('; '));
  return c;
}
