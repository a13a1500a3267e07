/**
 * Evaluates an export bundle on its dataset, headless.
 *   npm run eval -- --bundle run.zip [--data demo|<file|folder|archive>] [demo / preprocess flags]
 *                   [--embeddings <dir>|tfidf] [--llm-dim N] [--backend wasm|cpu]
 * The dataset is rebuilt from the bundle's config (its data reference and preprocessing); --data
 * replaces the path, demo and preprocessing flags replace single settings. The bundle is checked
 * against the dataset (sizes, ids, fingerprint), its weights are loaded, and the test split is
 * evaluated. LLM embeddings (only built because the trainer requires them for an alignment; scoring
 * never reads them): --embeddings, else the bundle's own llm_users / llm_items, else tfidf when the
 * dataset has item text (as npm run train), at the bundle's LLM dimension.
 * stdout: one line {"test":{...},"bundle_test":{...},"match":true|false}; stderr: logs;
 * exit code 1 with a one-line message on a bad bundle or any other error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseFlags } from './args';
import { initNodeBackend } from './nodeBackend';
import { loadCliDataset, loadCliEmbeddings } from './dataset';
import { parsePreprocessFlags } from './loadData';
import { DEMO_DEFAULT, cloneConfig, validateConfig, type BackendChoice, type RunConfig } from '../src/core/config';
import type { PreprocessConfig } from '../src/core/data/preprocess';
import type { Dataset } from '../src/core/data/types';
import { readBundle, type BundleContents } from '../src/core/io/bundle';
import { importRun } from '../src/core/train/bundleIO';
import { Trainer, type LlmEmbeddings } from '../src/core/train/trainer';

const log = (s: string) => process.stderr.write(s + '\n');

type Flags = Record<string, string | boolean | undefined>;

/** Preprocessing flag → PreprocessConfig field. */
const PREPROCESS_FLAGS: Record<string, keyof PreprocessConfig> = {
  threshold: 'threshold', kcore: 'kcore', 'sample-users': 'sampleUsers', split: 'split',
  'split-seed': 'seed', 'split-ratio': 'ratio', format: 'format', dedup: 'dedup',
};

function num(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`--${flag} expects a number, got "${v}"`);
  return x;
}

/** The bundle's data reference with --data and the demo / preprocessing flags applied. */
function dataRefFor(bundleConfig: RunConfig, f: Flags): RunConfig {
  const c = cloneConfig(bundleConfig);
  const data = f.data as string | undefined;
  if (data === 'demo' && c.data.kind !== 'demo') c.data = { ...DEMO_DEFAULT };
  else if (data !== undefined && data !== 'demo') {
    c.data = { kind: 'file', name: data, ...(c.data.kind === 'file' && c.data.preprocess ? { preprocess: c.data.preprocess } : {}) };
  }
  if (c.data.kind === 'demo') {
    for (const [flag, key] of [['demo-users', 'users'], ['demo-items', 'items'], ['demo-interactions', 'interactions'], ['demo-seed', 'seed']] as const) {
      const v = f[flag];
      if (typeof v === 'string') c.data[key] = num(flag, v);
    }
  } else {
    const given = Object.keys(PREPROCESS_FLAGS).filter((k) => typeof f[k] === 'string');
    if (given.length > 0) {
      const parsed = parsePreprocessFlags(f);
      const pre: Record<string, unknown> = { ...(c.data.preprocess ?? {}) };
      for (const k of given) pre[PREPROCESS_FLAGS[k]!] = parsed[PREPROCESS_FLAGS[k]!];
      c.data.preprocess = pre as unknown as PreprocessConfig;
    }
  }
  const errors = validateConfig(c);
  if (errors.length) throw new Error(errors.join('; '));
  return c;
}

/** The LLM dimension the bundle was trained with, when it says. */
function bundleLlmDim(b: BundleContents): number | undefined {
  const m = (b.metrics as Record<string, unknown>).llmDim;
  if (typeof m === 'number' && Number.isInteger(m) && m > 0) return m;
  const e = b.embeddings.llm_users;
  if (e) return e.cols;
  const w = b.weights;
  const fromIn = w['sharedLLM.0.weight'] ?? (b.config.align.method === 'rlmrec-con' ? w['mlp.0.weight'] : undefined);
  if (fromIn) return fromIn.shape[0];
  const fromOut = b.config.align.method === 'rlmrec-gen' ? w['mlp.2.weight'] : undefined;
  return fromOut?.shape[1];
}

function llmFor(b: BundleContents, ds: Dataset, f: Flags): { llm: LlmEmbeddings; source: string } | undefined {
  if (b.config.align.method === 'none') return undefined;
  const spec = f.embeddings as string | undefined;
  const dim = f['llm-dim'] !== undefined ? num('llm-dim', f['llm-dim'] as string) : bundleLlmDim(b) ?? 64;
  if (spec === undefined) {
    const u = b.embeddings.llm_users, i = b.embeddings.llm_items;
    if (u && i && u.cols === i.cols) return { llm: { users: u.data, items: i.data, dim: u.cols }, source: 'the bundle (llm_users / llm_items)' };
    if (!ds.itemText) {
      throw new Error(`alignment ${b.config.align.method} needs LLM embeddings: pass --embeddings <dir with users.npy, items.npy> or --embeddings tfidf`);
    }
    return { llm: loadCliEmbeddings('tfidf', ds, dim), source: 'tfidf' };
  }
  return { llm: loadCliEmbeddings(spec, ds, dim), source: spec };
}

/** Same value up to float summation noise (a changed ranking moves a metric by ~1 / users). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 + 1e-6 * Math.abs(b);
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), { bundle: { type: 'string' } });
  const path = flags.bundle as string | undefined;
  if (!path) throw new Error('--bundle <run.zip> is required');
  if (!existsSync(path)) throw new Error(`--bundle: ${path} not found`);
  const t0 = performance.now();
  const bundle = readBundle(new Uint8Array(readFileSync(path)));
  const tRead = performance.now();
  const config = dataRefFor(bundle.config, flags);
  const backendChoice = (flags.backend as BackendChoice | undefined) ?? (config.backend === 'webgpu' || config.backend === 'webgl' ? 'auto' : config.backend);
  const backend = await initNodeBackend(backendChoice);
  log(`backend: ${backend}`);
  let dataset: Dataset;
  try {
    dataset = await loadCliDataset(config);
  } catch (e) {
    const hint = config.data.kind === 'file' && flags.data === undefined ? ` (the bundle's data is "${config.data.name}": pass --data <path>)` : '';
    throw new Error(`${(e as Error).message}${hint}`);
  }
  const llm = llmFor(bundle, dataset, flags);
  if (llm) log(`LLM embeddings: ${llm.source} (dimension ${llm.llm.dim})`);
  const trainer = new Trainer(dataset, config, undefined, undefined, llm?.llm);
  try {
    const t1 = performance.now();
    await importRun(trainer, bundle);
    const t2 = performance.now();
    log(`bundle ${path}: read ${Math.round(tRead - t0)} ms, import ${Math.round(t2 - t1)} ms`);
    const test = await trainer.evaluate('test');
    const bt = (bundle.metrics as Record<string, unknown>).test;
    const bundleTest = typeof bt === 'object' && bt !== null ? (bt as Record<string, number>) : null;
    const keys = new Set([...Object.keys(test), ...Object.keys(bundleTest ?? {})]);
    const match = bundleTest !== null && [...keys].every((k) => typeof test[k] === 'number' && typeof bundleTest[k] === 'number' && close(test[k]!, bundleTest[k]!));
    process.stdout.write(JSON.stringify({ test, bundle_test: bundleTest, match }) + '\n');
  } finally {
    trainer.dispose();
  }
}

main().catch((e) => {
  process.stderr.write(`error: ${String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
