import { parseArgs } from 'node:util';
import { defaultConfig, NUMERIC_PARAMS, validateConfig, type BackendChoice, type RunConfig } from '../src/core/config';

/** Flags shared by train/eval/bench: every numeric hyper-parameter of the form, by its key. */
export function configOptions() {
  const opts: Record<string, { type: 'string' }> = {
    data: { type: 'string' },
    backend: { type: 'string' },
    combine: { type: 'string' },
    'demo-users': { type: 'string' },
    'demo-items': { type: 'string' },
    'demo-interactions': { type: 'string' },
    'demo-seed': { type: 'string' },
  };
  for (const p of NUMERIC_PARAMS) opts[p.key] = { type: 'string' };
  return opts;
}

export function parseFlags(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  return parseArgs({ args: argv, options: { ...configOptions(), ...extra }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
}

function num(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`--${flag} expects a number, got "${v}"`);
  return x;
}

/** Builds a validated RunConfig from flags (defaults are RLMRec's). */
export function configFromFlags(f: Record<string, string | boolean | undefined>): RunConfig {
  const c = defaultConfig();
  const data = (f.data as string | undefined) ?? 'demo';
  if (data !== 'demo') c.data = { kind: 'file', name: data };
  else if (c.data.kind === 'demo') {
    if (f['demo-users']) c.data.users = num('demo-users', f['demo-users'] as string);
    if (f['demo-items']) c.data.items = num('demo-items', f['demo-items'] as string);
    if (f['demo-interactions']) c.data.interactions = num('demo-interactions', f['demo-interactions'] as string);
    if (f['demo-seed']) c.data.seed = num('demo-seed', f['demo-seed'] as string);
  }
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
