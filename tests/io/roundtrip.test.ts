import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../cli/nodeBackend';
import { defaultConfig, type RunConfig } from '../../src/core/config';
import { generateDemo } from '../../src/core/data/demo';
import type { Dataset } from '../../src/core/data/types';
import { tfidfProjection } from '../../src/core/embed/tfidfProjection';
import { buildBundle, readBundle, type BundleContents } from '../../src/core/io/bundle';
import { exportRun, importRun, namedTrainerVariables, runHistory } from '../../src/core/train/bundleIO';
import { Trainer, type LlmEmbeddings, type TrainResult } from '../../src/core/train/trainer';
import type { AlignName } from '../../src/core/align/index';

const DEMO = { users: 150, items: 100, interactions: 2500, seed: 3 };
const demo = generateDemo(DEMO);

function config(method: AlignName, epochs = 3): RunConfig {
  const c = defaultConfig();
  c.data = { kind: 'demo', ...DEMO };
  c.train.batchSize = 512;
  c.train.epochs = epochs;
  c.train.lr = 1e-2;
  c.seed = 5;
  c.align.method = method;
  if (method !== 'none') c.train.regWeight = 1e-7;
  return c;
}

async function weightsOf(t: Trainer): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(namedTrainerVariables(t))) out[k] = new Float32Array(await v.data());
  return out;
}

/** Bitwise equality (NaN-safe, -0 vs 0 distinguished). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}

interface Trained {
  trainer: Trainer;
  result: TrainResult;
  bundle: BundleContents;
  zip: Uint8Array;
  llm: LlmEmbeddings | undefined;
}

async function trainAndExport(method: AlignName, ds: Dataset = demo, cfg: RunConfig = config(method)): Promise<Trained> {
  const llm = method === 'none' ? undefined : tfidfProjection(ds, 16);
  const trainer = new Trainer(ds, cfg, undefined, undefined, llm);
  const result = (await trainer.run())!;
  const before = tf.memory().numTensors;
  const bundle = await exportRun(trainer, result, runHistory(result));
  expect(tf.memory().numTensors).toBe(before);
  return { trainer, result, bundle, zip: buildBundle(bundle), llm };
}

describe.each([
  ['LightGCN', 'none'],
  ['LightGCN + DaRec', 'darec'],
] as const)('bundle round trip: %s (wasm)', (_label, method) => {
  let run: Trained;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    run = await trainAndExport(method);
  });
  afterAll(() => run?.trainer.dispose());

  it('export holds the run: weights, tables, metrics, history', () => {
    const b = run.bundle;
    expect(Object.keys(b.weights)).toEqual(expect.arrayContaining(['user_embeds', 'item_embeds']));
    expect(b.embeddings.cf_users!.rows).toBe(demo.numUsers);
    expect(b.embeddings.cf_items!.rows).toBe(demo.numItems);
    expect(b.embeddings.llm_users).toBeUndefined();
    expect(b.metrics).toMatchObject({ test: run.result.test, bestEpoch: run.result.bestEpoch, epochs: 3 });
    expect(run.result.lossHistory.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(b.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(b.history[2]!.val).toEqual(run.result.history[0]!.val);
    expect(b.history[0]!.loss!.bpr).toBe(run.result.lossHistory[0]!.loss.bpr);
    if (method === 'darec') {
      expect(Object.keys(b.weights)).toEqual(expect.arrayContaining(['sharedCF.0.weight', 'sharedLLM.2.bias', 'specificLLM.0.weight']));
      expect(b.weights['sharedLLM.0.weight']!.layout).toBe('torch');
      for (const s of ['shared_cf', 'specific_cf', 'shared_llm', 'specific_llm']) {
        expect(b.embeddings[`${s}_users`]).toMatchObject({ rows: demo.numUsers, cols: 32 });
        expect(b.embeddings[`${s}_items`]).toMatchObject({ rows: demo.numItems, cols: 32 });
      }
      expect(b.embeddings.clusters_users).toMatchObject({ rows: demo.numUsers, cols: 1 });
      expect(b.embeddings.clusters_items).toMatchObject({ rows: demo.numItems, cols: 1 });
      expect(Array.from(b.embeddings.clusters_items!.data).every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    } else {
      expect(Object.keys(b.weights).sort()).toEqual(['item_embeds', 'user_embeds']);
    }
  });

  it('export → zip → read → import reproduces the weights bitwise and the test metrics exactly', async () => {
    const read = readBundle(run.zip);
    const fresh = new Trainer(demo, config(method), undefined, undefined, run.llm);
    try {
      fresh.init();
      const before = tf.memory().numTensors;
      await importRun(fresh, read);
      expect(tf.memory().numTensors).toBe(before);
      const a = await weightsOf(run.trainer), b = await weightsOf(fresh);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const k of Object.keys(a)) expect(sameBits(a[k]!, b[k]!), k).toBe(true);
      expect(await fresh.evaluate('test')).toEqual(run.result.test);
      // Exporting the imported run gives the same tables.
      const again = await exportRun(fresh, null, []);
      for (const [k, e] of Object.entries(run.bundle.embeddings)) {
        if (k.startsWith('clusters_')) continue; // not carried over: re-clustered on the next epoch
        expect(sameBits(again.embeddings[k]!.data, e.data), k).toBe(true);
      }
    } finally {
      fresh.dispose();
    }
  });

  it('continues training from the imported weights', async () => {
    const c = config(method, 1);
    const fresh = new Trainer(demo, c, undefined, undefined, run.llm);
    try {
      await importRun(fresh, readBundle(run.zip)); // calls init() itself
      const backbone = fresh.backbone;
      const loaded = await weightsOf(fresh);
      const r = (await fresh.run())!;
      expect(fresh.backbone).toBe(backbone); // run() did not re-initialise
      expect(r.lossHistory).toHaveLength(1);
      for (const v of Object.values(r.lossHistory[0]!.loss)) expect(Number.isFinite(v)).toBe(true);
      const after = await weightsOf(fresh);
      // One epoch on from the loaded weights: nearer to them than to the initial ones (3 epochs back).
      const init = new Trainer(demo, c, undefined, undefined, run.llm);
      init.init();
      const initial = await weightsOf(init);
      init.dispose();
      const dist = (x: Float32Array, y: Float32Array) => x.reduce((s, v, k) => s + Math.abs(v - y[k]!), 0);
      const moved = dist(after.user_embeds!, loaded.user_embeds!);
      expect(moved).toBeGreaterThan(0);
      expect(moved).toBeLessThan(dist(after.user_embeds!, initial.user_embeds!));
    } finally {
      fresh.dispose();
    }
  });
});

describe("DaRec with 'concat' scoring", () => {
  it('exports the scoring tables and reproduces the test metrics', async () => {
    await initNodeBackend('wasm');
    const c = config('darec', 2);
    c.align.options = { darec: { scoring: 'concat' } };
    const run = await trainAndExport('darec', demo, c);
    const fresh = new Trainer(demo, c, undefined, undefined, run.llm);
    try {
      expect(run.bundle.embeddings.score_users).toMatchObject({ rows: demo.numUsers, cols: 64 });
      expect(run.bundle.embeddings.score_items).toMatchObject({ rows: demo.numItems, cols: 64 });
      await importRun(fresh, readBundle(run.zip));
      expect(await fresh.evaluate('test')).toEqual(run.result.test);
      const cf = new Trainer(demo, config('darec', 2), undefined, undefined, run.llm);
      await expect(importRun(cf, readBundle(run.zip))).rejects.toThrow(/DaRec scoring: the bundle has "concat", this run "cf"/);
      cf.dispose();
    } finally {
      fresh.dispose();
      run.trainer.dispose();
    }
  });
});

describe('importRun rejects what does not fit', () => {
  let run: Trained;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    run = await trainAndExport('none');
  });
  afterAll(() => run?.trainer.dispose());

  it('a bundle from another dataset, with the reasons', async () => {
    const other = generateDemo({ ...DEMO, seed: 4 });
    const t = new Trainer(other, config('none'));
    try {
      await expect(importRun(t, readBundle(run.zip))).rejects.toThrow(/does not belong to the loaded dataset "demo-150x100"[\s\S]*(interactions|fingerprint)/);
      expect(t.backbone).toBeNull(); // nothing was set up
    } finally {
      t.dispose();
    }
    const bigger = generateDemo({ ...DEMO, users: 160 });
    const t2 = new Trainer(bigger, config('none'));
    try {
      await expect(importRun(t2, readBundle(run.zip))).rejects.toThrow(/users: the bundle has 150, the loaded dataset "demo-160x100" has 160/);
    } finally {
      t2.dispose();
    }
  });

  it('another architecture, a missing or misshapen weight, an extra weight', async () => {
    const c = config('none');
    c.model.embeddingSize = 16;
    const t = new Trainer(demo, c);
    try {
      await expect(importRun(t, readBundle(run.zip))).rejects.toThrow(/embedding size: the bundle has 32, this run 16/);
    } finally {
      t.dispose();
    }
    const t2 = new Trainer(demo, config('none'));
    try {
      const b = readBundle(run.zip);
      const { item_embeds: _drop, ...rest } = b.weights;
      const before = await (async () => { t2.init(); return weightsOf(t2); })();
      await expect(importRun(t2, { ...b, weights: rest })).rejects.toThrow(/weight "item_embeds" \[100, 32\] is missing from the bundle/);
      await expect(importRun(t2, { ...b, weights: { ...b.weights, user_embeds: { shape: [150, 31], data: new Float32Array(150 * 31) } } }))
        .rejects.toThrow(/"user_embeds" is \[150, 31\] in the bundle, this run needs \[150, 32\]/);
      await expect(importRun(t2, { ...b, weights: { ...b.weights, 'mlp.0.bias': { shape: [3], data: new Float32Array(3) } } }))
        .rejects.toThrow(/has weight "mlp.0.bias", which this run/);
      // Nothing was assigned by the failed imports.
      const after = await weightsOf(t2);
      expect(sameBits(after.user_embeds!, before.user_embeds!)).toBe(true);
    } finally {
      t2.dispose();
    }
  });
});

describe('CLI: train --export, then eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'darec-rt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = promisify(execFile);
  const opts = { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 120_000, maxBuffer: 16 << 20 };

  it('writes a bundle that eval reproduces (match: true); exits 1 with one line on another dataset or a truncated bundle', async () => {
    const zip = join(dir, 'run.zip');
    await run('npx', ['tsx', 'cli/train.ts', '--demo-users', '150', '--demo-items', '100', '--demo-interactions', '2500', '--epochs', '2', '--batch', '512', '--export', zip], opts);
    const bytes = readFileSync(zip);
    expect(readBundle(new Uint8Array(bytes)).config.train.epochs).toBe(2);
    const { stdout } = await run('npx', ['tsx', 'cli/eval.ts', '--bundle', zip], opts);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as { test: Record<string, number>; bundle_test: Record<string, number>; match: boolean };
    expect(out.match).toBe(true);
    expect(out.test).toEqual(out.bundle_test);
    expect(out.test['recall@20']).toBeGreaterThan(0);

    // Another dataset: exit 1 with a one-line message.
    const err = await run('npx', ['tsx', 'cli/eval.ts', '--bundle', zip, '--demo-seed', '8'], opts).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(err?.code).toBe(1);
    const msg = err!.stderr.trim().split('\n').at(-1)!;
    expect(msg).toMatch(/^error: This bundle does not belong to the loaded dataset/);

    const cut = join(dir, 'cut.zip');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const err2 = await run('npx', ['tsx', 'cli/eval.ts', '--bundle', cut], opts).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(err2?.code).toBe(1);
    expect(err2!.stderr.trim()).toMatch(/^error: The bundle is truncated/);
  }, 120_000);
});
