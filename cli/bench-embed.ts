/**
 * Node benchmark of the embedding path (tokenizer + ONNX Runtime + pooling), device 'cpu':
 *
 *   npx tsx cli/bench-embed.ts [--texts 256] [--batch 32] [--skip-minilm] [--skip-ml100k]
 *
 * Models: the committed tiny-bert fixture (64-d, 2 layers) and a MiniLM-sized random model
 * (384-d, 6 layers, 12 heads, 30522 vocab; generated on first use into the OS temp folder with
 * scripts/make-tiny-model.py, which needs Debian's python3-onnx). Random weights change no timing.
 * Also times ML-100K's 1682 item titles when /work/shared/datasets/ml-100k/u.item exists.
 * Prints a table to stderr and one JSON line per measurement to stdout.
 */
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createEmbedder, type EmbedDtype } from '../src/core/embed/embedder';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'tests/fixtures/models/tiny-bert');
const MINILM = join(tmpdir(), 'darec-minilm-random');
const ML100K = '/work/shared/datasets/ml-100k/u.item';
const log = (s: string) => process.stderr.write(s + '\n');

function readFolder(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split('\\').join('/'), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return files;
}

function ensureMiniLm(): boolean {
  if (existsSync(join(MINILM, 'onnx/model.onnx'))) return true;
  log(`generating the MiniLM-sized random model into ${MINILM} ...`);
  try {
    execFileSync(
      'python3',
      [join(ROOT, 'scripts/make-tiny-model.py'), MINILM, '--hidden', '384', '--layers', '6', '--heads', '12', '--intermediate', '1536', '--max-pos', '512', '--pad-vocab', '30522'],
      { env: { ...process.env, PYENV_VERSION: 'system' }, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    return true;
  } catch (e) {
    log(`could not generate it (${(e as Error).message.split('\n')[0]}); skipping`);
    return false;
  }
}

async function main() {
  const { values: f } = parseArgs({
    options: {
      texts: { type: 'string' },
      batch: { type: 'string' },
      'skip-minilm': { type: 'boolean' },
      'skip-ml100k': { type: 'boolean' },
    },
    strict: true,
  });
  const n = Number(f.texts ?? 256);
  const batchSize = Number(f.batch ?? 32);
  const base = ['vegan chocolate cake recipe', 'a jazz album from new york', 'Toy Story (1995). Categories: Animation, Children, Comedy'];
  const sentences = Array.from({ length: n }, (_, k) => `${base[k % 3]} number ${k}`);
  const titles = !f['skip-ml100k'] && existsSync(ML100K)
    ? new TextDecoder('latin1').decode(readFileSync(ML100K)).split('\n').filter((l) => l.trim()).map((l) => l.split('|')[1] ?? '')
    : null;
  if (!titles) log('ML-100K u.item not found (or skipped): no ML-100K timing');

  const models: { name: string; dir: string; dtypes: EmbedDtype[] }[] = [{ name: 'tiny-bert (64-d, 2 layers)', dir: FIXTURE, dtypes: ['fp32', 'q8'] }];
  if (!f['skip-minilm'] && ensureMiniLm()) models.push({ name: 'MiniLM-sized random (384-d, 6 layers)', dir: MINILM, dtypes: ['fp32', 'q8'] });

  const rows: string[] = [];
  for (const m of models) {
    const files = readFolder(m.dir);
    for (const dtype of m.dtypes) {
      if (!files.has(dtype === 'fp32' ? 'onnx/model.onnx' : 'onnx/model_quantized.onnx')) continue;
      const t0 = performance.now();
      const e = await createEmbedder({ kind: 'local', name: m.name, files }, { device: 'cpu', dtype, batchSize });
      const loadSec = (performance.now() - t0) / 1000;
      await e.embed(sentences.slice(0, Math.min(8, n))); // warm-up
      const t1 = performance.now();
      await e.embed(sentences);
      const sec = (performance.now() - t1) / 1000;
      const rec: Record<string, unknown> = { model: m.name, dtype, device: 'cpu (node)', batch: batchSize, texts: n, loadSec: +loadSec.toFixed(3), itemsPerSec: +(n / sec).toFixed(1) };
      if (titles) {
        const t2 = performance.now();
        await e.embed(titles);
        rec.ml100kItems = titles.length;
        rec.ml100kSec = +((performance.now() - t2) / 1000).toFixed(2);
      }
      await e.dispose();
      process.stdout.write(JSON.stringify(rec) + '\n');
      rows.push(`${m.name.padEnd(40)} ${dtype.padEnd(5)} load ${String(rec.loadSec).padStart(6)} s  ${String(rec.itemsPerSec).padStart(8)} texts/s${titles ? `  ML-100K ${titles.length} titles: ${rec.ml100kSec} s` : ''}`);
    }
  }
  log(`\nNode ${process.version}, ${n} short sentences, batch ${batchSize}`);
  for (const r of rows) log(r);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
