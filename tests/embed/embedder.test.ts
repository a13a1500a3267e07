// @vitest-environment node
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import {
  createEmbedder,
  checkLocalModel,
  localModelDtypes,
  normalizeLocalFiles,
  EmbedCancelled,
  type TextEmbedder,
  type EmbedProgress,
} from '../../src/core/embed/embedder';

const FIXTURE = resolve(__dirname, '../fixtures/models/tiny-bert');

function readFolder(dir: string, prefix = ''): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(prefix + relative(dir, p).split('\\').join('/'), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return files;
}

const TEXTS = [
  'vegan chocolate cake recipe',
  'chocolate cake recipe, vegan',
  'a jazz album from new york',
  '',
  'Toy Story (1995). Categories: Animation, Children, Comedy',
  'Les Misérables — a very long title '.repeat(40),
  'phone case',
];

function norms(v: Float32Array, d: number): number[] {
  const out = [];
  for (let r = 0; r < v.length / d; r++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += v[r * d + k]! ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe('TextEmbedder on the tiny-bert fixture (Node, cpu)', () => {
  let emb: TextEmbedder;
  beforeAll(async () => {
    emb = await createEmbedder({ kind: 'local', name: 'tiny-bert', files: readFolder(FIXTURE) }, { device: 'cpu', dtype: 'fp32', batchSize: 4 });
  });
  afterAll(async () => {
    await emb.dispose();
  });

  it('gives [n, 64] unit-norm vectors', async () => {
    const v = await emb.embed(TEXTS);
    expect(emb.dim).toBe(64);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v.length).toBe(TEXTS.length * 64);
    for (const n of norms(v, 64)) expect(n).toBeCloseTo(1, 5);
    for (const x of v) expect(Number.isFinite(x)).toBe(true);
  });

  it('is deterministic across calls', async () => {
    const a = await emb.embed(TEXTS);
    const b = await emb.embed(TEXTS);
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it('does not depend on the batch size (within 1e-5) and keeps input order', async () => {
    const b1 = await emb.embed(TEXTS, undefined, { batchSize: 1 });
    const b3 = await emb.embed(TEXTS, undefined, { batchSize: 3 });
    const b64 = await emb.embed(TEXTS, undefined, { batchSize: 64 });
    expect(maxAbsDiff(b1, b3)).toBeLessThan(1e-5);
    expect(maxAbsDiff(b1, b64)).toBeLessThan(1e-5);
    // Row k belongs to TEXTS[k]: embedding one text alone gives the same row.
    const single = await emb.embed([TEXTS[2]!]);
    expect(maxAbsDiff(single, b64.subarray(2 * 64, 3 * 64))).toBeLessThan(1e-5);
  });

  it('ranks word overlap above unrelated text (random weights, but a real BERT graph)', async () => {
    const v = await emb.embed(TEXTS.slice(0, 3));
    const dot = (a: number, b: number) => {
      let s = 0;
      for (let k = 0; k < 64; k++) s += v[a * 64 + k]! * v[b * 64 + k]!;
      return s;
    };
    expect(dot(0, 1)).toBeGreaterThan(dot(0, 2));
  });

  it('reports progress and honours cancellation between batches', async () => {
    const seen: EmbedProgress[] = [];
    const many = Array.from({ length: 20 }, (_, k) => `text number ${k}`);
    await emb.embed(many, (p) => seen.push(p), { batchSize: 5 });
    expect(seen.at(-1)).toMatchObject({ done: 20, total: 20 });
    expect(seen.map((p) => p.done)).toEqual([0, 5, 10, 15, 20]);

    const ctrl = new AbortController();
    const got: number[] = [];
    const run = emb.embed(many, (p) => {
      got.push(p.done);
      if (p.done >= 5) ctrl.abort();
    }, { batchSize: 5, signal: ctrl.signal });
    await expect(run).rejects.toBeInstanceOf(EmbedCancelled);
    expect(Math.max(...got)).toBe(5);
  });

  it('returns an empty matrix for no texts', async () => {
    expect((await emb.embed([])).length).toBe(0);
  });
});

describe('local model folders', () => {
  it('q8 (model_quantized.onnx) runs and stays close to fp32', async () => {
    const files = readFolder(FIXTURE);
    const q = await createEmbedder({ kind: 'local', name: 'tiny', files }, { device: 'cpu', dtype: 'q8' });
    const f = await createEmbedder({ kind: 'local', name: 'tiny', files }, { device: 'cpu', dtype: 'fp32' });
    const a = await q.embed(TEXTS.slice(0, 3));
    const b = await f.embed(TEXTS.slice(0, 3));
    expect(q.dim).toBe(64);
    expect(maxAbsDiff(a, b)).toBeLessThan(0.1);
    await q.dispose();
    await f.dispose();
  });

  it('normalises a webkitdirectory selection (top folder, root-level model.onnx)', () => {
    const raw = readFolder(FIXTURE, 'tiny-bert/');
    const moved = new Map([...raw].map(([p, b]) => [p.replace('onnx/', ''), b]));
    const n = normalizeLocalFiles(moved);
    expect([...n.keys()].sort()).toEqual(['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(localModelDtypes(n)).toEqual(['fp32', 'q8']);
    expect(checkLocalModel(n, 'fp16')).toMatch(/lacks onnx\/model_fp16.onnx \(this folder has dtype fp32, q8\)/);
  });

  it('a folder without a tokenizer is rejected before loading, naming the missing file', async () => {
    const files = readFolder(FIXTURE);
    files.delete('tokenizer.json');
    await expect(createEmbedder({ kind: 'local', name: 'broken', files }, { device: 'cpu', dtype: 'fp32' })).rejects.toThrow(
      'local model "broken": the model folder lacks tokenizer.json',
    );
  });

  it('a corrupt ONNX file fails with a message naming the model and device', async () => {
    const files = readFolder(FIXTURE);
    files.set('onnx/model.onnx', new Uint8Array([1, 2, 3, 4]));
    await expect(createEmbedder({ kind: 'local', name: 'corrupt', files }, { device: 'cpu', dtype: 'fp32' })).rejects.toThrow(
      /local model "corrupt" could not be loaded on cpu \(fp32\)/,
    );
  });
});

describe('ONNX Runtime web assets', () => {
  it('the copy script and the worker agree on the file names, and the installed ORT bundle loads them', async () => {
    const { ORT_FILES, ortDistDir } = await import('../../scripts/copy-ort-assets.mjs');
    const { ORT_WASM_FILES } = await import('../../src/core/embed/embedder');
    expect([...ORT_FILES].sort()).toEqual([ORT_WASM_FILES.mjs, ORT_WASM_FILES.wasm].sort());
    const dist = ortDistDir();
    for (const f of ORT_FILES) expect(statSync(join(dist, f)).size).toBeGreaterThan(10_000);
    const bundle = readFileSync(join(dist, 'ort.webgpu.bundle.min.mjs'), 'utf8');
    expect(bundle).toContain(ORT_WASM_FILES.wasm);
  });

  it('copyOrtAssets writes into <public>/ort and skips unchanged files', async () => {
    const { copyOrtAssets } = await import('../../scripts/copy-ort-assets.mjs');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ort-'));
    try {
      expect(copyOrtAssets(dir)).toHaveLength(2);
      expect(copyOrtAssets(dir)).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fixture generator', () => {
  const py = (() => {
    try {
      execFileSync('python3', ['-c', 'import onnx, numpy'], { env: { ...process.env, PYENV_VERSION: 'system' }, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!py)('scripts/make-tiny-model.py regenerates the committed fixture byte for byte', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tiny-bert-'));
    try {
      execFileSync('python3', [resolve(__dirname, '../../scripts/make-tiny-model.py'), dir], { env: { ...process.env, PYENV_VERSION: 'system' }, stdio: 'ignore' });
      const a = readFolder(dir);
      const b = readFolder(FIXTURE);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [k, v] of a) expect(Buffer.compare(Buffer.from(v), Buffer.from(b.get(k)!)), k).toBe(0);
      let total = 0;
      for (const v of b.values()) total += v.byteLength;
      expect(total).toBeLessThan(1_000_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
