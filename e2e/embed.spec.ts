/**
 * Text embeddings in the built page's worker (embed-test.html), with the committed tiny-bert
 * fixture served from disk through page.route: wasm and WebGPU must give the same unit vectors as
 * each other and as Node, and no request may leave 127.0.0.1 (ORT's wasm comes from the app's
 * ort/ folder, the model from memory).
 *
 * The benchmark test (items/s on wasm and WebGPU for the fixture and a MiniLM-sized random model,
 * and ML-100K's 1682 titles) runs only with EMBED_BENCH=1:
 *   EMBED_BENCH=1 npx playwright test e2e/embed.spec.ts
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'tests/fixtures/models/tiny-bert');
const MINILM = join(tmpdir(), 'darec-minilm-random');
const ML100K = join(ROOT, '../shared/datasets/ml-100k/u.item');

const TEXTS = [
  'vegan chocolate cake recipe',
  'chocolate cake recipe, vegan',
  'a jazz album from new york',
  '',
  'Toy Story (1995). Categories: Animation, Children, Comedy',
  'User who liked: Star Wars (1977); Fargo (1996); Contact (1997); Return of the Jedi (1983)',
  'Les Misérables — a very long title '.repeat(30),
];

type Device = 'wasm' | 'webgpu';
interface RunResult { dim: number; vectors: number[]; device: Device; seconds: number; itemsPerSec: number }

async function servedPage(page: Page, folders: Record<string, string>): Promise<string[]> {
  const external: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['blob:', 'data:'].includes(u.protocol)) external.push(r.url());
  });
  await page.route('**/test-models/**', async (route) => {
    const m = /\/test-models\/([^/]+)\/(.+)$/.exec(new URL(route.request().url()).pathname);
    const dir = m ? folders[m[1]!] : undefined;
    const file = dir && m ? join(dir, m[2]!) : null;
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    // route.fulfill goes through the DevTools pipe, which closes on bodies over 100 MB (Chromium's
    // max_buffer_size): big files are left to the preview server, which serves them from dist/.
    if (statSync(file).size > 64 * 2 ** 20) return route.continue();
    return route.fulfill({ status: 200, path: file, contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
  });
  await page.goto('/embed-test.html');
  await page.waitForFunction(() => typeof window.runEmbed === 'function');
  return external;
}

function run(page: Page, device: Device, texts: string[], opts: { model?: string; dtype?: 'fp32' | 'q8'; batchSize?: number } = {}): Promise<RunResult> {
  return page.evaluate(([d, t, o]) => window.runEmbed(d, t, o), [device, texts, opts] as const) as Promise<RunResult>;
}

function maxAbsDiff(a: number[], b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

function checkUnitRows(v: number[], dim: number, rows: number) {
  expect(v.length).toBe(rows * dim);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += v[r * dim + k]! ** 2;
    expect(Math.sqrt(s)).toBeCloseTo(1, 4);
  }
}

async function nodeReference(texts: string[], dtype: 'fp32' | 'q8'): Promise<Float32Array> {
  const { createEmbedder } = await import('../src/core/embed/embedder');
  const { readdirSync, statSync } = await import('node:fs');
  const files = new Map<string, Uint8Array>();
  const walk = (d: string, pre: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p, `${pre}${f}/`);
      else files.set(pre + f, new Uint8Array(readFileSync(p)));
    }
  };
  walk(FIXTURE, '');
  const e = await createEmbedder({ kind: 'local', name: 'tiny-bert', files }, { device: 'cpu', dtype });
  const v = await e.embed(texts);
  await e.dispose();
  return v;
}

test('tiny-bert in the worker: wasm and WebGPU agree with each other and with Node, fully offline', async ({ page }) => {
  const external = await servedPage(page, { 'tiny-bert': FIXTURE });
  expect(await page.evaluate(() => window.hasWebGpu()), 'WebGPU adapter (Chromium needs --enable-unsafe-webgpu)').toBe(true);

  const wasm = await run(page, 'wasm', TEXTS);
  expect(wasm.device).toBe('wasm');
  expect(wasm.dim).toBe(64);
  checkUnitRows(wasm.vectors, 64, TEXTS.length);
  const again = await run(page, 'wasm', TEXTS, { batchSize: 2 });
  expect(maxAbsDiff(wasm.vectors, again.vectors)).toBeLessThan(1e-5);

  const gpu = await run(page, 'webgpu', TEXTS);
  expect(gpu.device).toBe('webgpu');
  expect(gpu.dim).toBe(64);
  checkUnitRows(gpu.vectors, 64, TEXTS.length);
  expect(maxAbsDiff(wasm.vectors, gpu.vectors)).toBeLessThan(1e-3);

  const ref = await nodeReference(TEXTS, 'fp32');
  expect(maxAbsDiff(wasm.vectors, ref)).toBeLessThan(1e-4);

  const q8 = await run(page, 'wasm', TEXTS, { dtype: 'q8' });
  // int8 kernels differ between onnxruntime-web and onnxruntime-node (measured 3.8e-3 on unit
  // vectors); fp32 above agrees to 1e-4, so this bound only allows quantisation rounding.
  const q8ref = await nodeReference(TEXTS, 'q8');
  expect(maxAbsDiff(q8.vectors, q8ref)).toBeLessThan(1e-2);
  expect(maxAbsDiff(q8.vectors, ref)).toBeGreaterThan(0);

  expect(external, 'requests that left the machine').toEqual([]);
});

test('benchmark: items/s on wasm and WebGPU, fixture and MiniLM-sized model, ML-100K titles', async ({ page }) => {
  test.skip(!process.env.EMBED_BENCH, 'set EMBED_BENCH=1 to run the embedding benchmark');
  test.setTimeout(900_000);
  if (!existsSync(join(MINILM, 'onnx/model.onnx'))) {
    execFileSync(
      'python3',
      [join(ROOT, 'scripts/make-tiny-model.py'), MINILM, '--hidden', '384', '--layers', '6', '--heads', '12', '--intermediate', '1536', '--max-pos', '512', '--pad-vocab', '30522', '--no-quantized'],
      { env: { ...process.env, PYENV_VERSION: 'system' }, stdio: 'inherit' },
    );
  }
  const titles = existsSync(ML100K)
    ? new TextDecoder('latin1').decode(readFileSync(ML100K)).split('\n').filter((l) => l.trim()).map((l) => l.split('|')[1] ?? '')
    : null;
  // The preview server serves the built site (E2E_DIST, as in playwright.config.ts); the
  // MiniLM-sized model (> 100 MB) is linked in for it while the benchmark runs.
  const link = join(resolve(ROOT, process.env.E2E_DIST ?? 'dist'), 'test-models/minilm-random');
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true, recursive: true });
  symlinkSync(MINILM, link);
  try {
    await servedPage(page, { 'tiny-bert': FIXTURE, 'minilm-random': MINILM });
    const sentences = Array.from({ length: 256 }, (_, k) => `${TEXTS[k % 3]} number ${k}`);
    const rows: Record<string, unknown>[] = [];
    // SwiftShader's emulated WebGPU is far slower than wasm for the MiniLM-sized model: fewer texts there.
    const plan: { model: string; device: Device; n: number }[] = [
      { model: 'tiny-bert', device: 'wasm', n: 256 },
      { model: 'tiny-bert', device: 'webgpu', n: 256 },
      { model: 'minilm-random', device: 'wasm', n: 256 },
      { model: 'minilm-random', device: 'webgpu', n: 32 },
    ];
    for (const p of plan) {
      const warm = await run(page, p.device, sentences.slice(0, 4), { model: p.model, batchSize: 32 });
      const r = await run(page, p.device, sentences.slice(0, p.n), { model: p.model, batchSize: 32 });
      const row: Record<string, unknown> = { model: p.model, device: r.device, texts: p.n, itemsPerSec: Number((p.n / r.seconds).toFixed(1)), firstCallSec: Number(warm.seconds.toFixed(2)) };
      if (titles && (p.device === 'wasm' || p.model === 'tiny-bert')) {
        const t = await run(page, p.device, titles, { model: p.model, batchSize: 32 });
        row.ml100kItems = titles.length;
        row.ml100kSec = Number(t.seconds.toFixed(2));
      }
      rows.push(row);
      console.log(JSON.stringify(row));
    }
    await test.info().attach('embed-bench.json', { body: JSON.stringify(rows, null, 1), contentType: 'application/json' });
  } finally {
    rmSync(link, { force: true, recursive: true });
  }
});
