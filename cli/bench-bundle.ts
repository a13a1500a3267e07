/**
 * `npx tsx cli/bench-bundle.ts [--quick]`: export-bundle size and build / read time with random
 * data of the real shapes:
 *   demo        1,500 users x 1,000 items, d 32, DaRec's four 2-layer MLPs from a 64-d LLM side
 *   amazon-book 11,000 users x 9,332 items, d 32, the same MLPs from a 1,536-d (or 384-d) LLM side
 * each with and without the frozen LLM input tables (llm_users / llm_items), and with binary files
 * stored (level 0, the default) or deflated (level 1). Random float32 compresses about as badly
 * as trained weights do, so sizes are representative; times are the median of a few runs.
 * Prints a table, then one JSON line.
 */
import { buildBundle, readBundle, type BundleContents, type BundleWeight } from '../src/core/io/bundle';
import { defaultConfig } from '../src/core/config';

const log = (s: string) => process.stderr.write(s + '\n');

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[k] = (s / 2 ** 32 - 0.5) * 0.2;
  }
  return out;
}

function ints(n: number, max: number, seed: number): Int32Array {
  const r = random(n, seed);
  return Int32Array.from(r, (x) => Math.min(max - 1, Math.floor((x / 0.2 + 0.5) * max)));
}

interface Scenario {
  name: string;
  users: number;
  items: number;
  d: number;
  llm: number;
  llmInputs: boolean;
  train: number;
  val: number;
  test: number;
}

function contents(s: Scenario): BundleContents {
  const { users: U, items: I, d, llm } = s;
  let seed = 1;
  const weights: Record<string, BundleWeight> = {
    user_embeds: { shape: [U, d], data: random(U * d, seed++) },
    item_embeds: { shape: [I, d], data: random(I * d, seed++) },
  };
  for (const [name, inDim] of [['sharedCF', d], ['specificCF', d], ['sharedLLM', llm], ['specificLLM', llm]] as const) {
    const h = Math.floor((inDim + d) / 2);
    weights[`${name}.0.weight`] = { shape: [inDim, h], data: random(inDim * h, seed++), layout: 'torch' };
    weights[`${name}.0.bias`] = { shape: [h], data: random(h, seed++) };
    weights[`${name}.2.weight`] = { shape: [h, d], data: random(h * d, seed++), layout: 'torch' };
    weights[`${name}.2.bias`] = { shape: [d], data: random(d, seed++) };
  }
  const embeddings: BundleContents['embeddings'] = {};
  for (const side of ['users', 'items'] as const) {
    const n = side === 'users' ? U : I;
    for (const t of ['cf', 'shared_cf', 'specific_cf', 'shared_llm', 'specific_llm']) embeddings[`${t}_${side}`] = { rows: n, cols: d, data: random(n * d, seed++) };
    if (s.llmInputs) embeddings[`llm_${side}`] = { rows: n, cols: llm, data: random(n * llm, seed++) };
  }
  const config = defaultConfig();
  config.data = { kind: 'file', name: s.name };
  config.align = { method: 'darec', options: {} };
  const history = Array.from({ length: 60 }, (_, k) => ({
    epoch: k + 1,
    loss: { bpr: 0.7 / (k + 1), reg: 1e-6, orth: 0.01, uni: -3.2, glo: 0.02, loc: 0.4 },
    ...(k % 3 === 2 ? { val: { 'recall@10': 0.05, 'recall@20': 0.08, 'ndcg@10': 0.03, 'ndcg@20': 0.04 } } : {}),
  }));
  return {
    version: 1,
    config,
    weights,
    embeddings,
    metrics: { test: { 'recall@20': 0.1, 'ndcg@20': 0.05 }, bestEpoch: 42 },
    history,
    idMaps: { users: Array.from({ length: U }, (_, k) => `A${(k * 7919).toString(36).toUpperCase()}`), items: Array.from({ length: I }, (_, k) => `B0${(k * 104729).toString(36).toUpperCase()}`) },
    dataset: { name: s.name, fingerprint: '0123456789abcdef', users: U, items: I, train: s.train, val: s.val, test: s.test },
    trainInteractions: { users: ints(s.train, U, 77), items: ints(s.train, I, 78) },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const quick = process.argv.includes('--quick');
const demo = { users: 1500, items: 1000, d: 32, train: 40_000, val: 5_000, test: 5_000 };
const amazon = { users: 11_000, items: 9_332, d: 32, train: 120_464, val: 40_131, test: 40_131 };
const scenarios: Scenario[] = [
  { name: 'demo, LLM 64, no LLM inputs', ...demo, llm: 64, llmInputs: false },
  { name: 'demo, LLM 64, with LLM inputs', ...demo, llm: 64, llmInputs: true },
  { name: 'amazon-book, LLM 1536, no LLM inputs', ...amazon, llm: 1536, llmInputs: false },
  ...(quick ? [] : [
    { name: 'amazon-book, LLM 384, with LLM inputs', ...amazon, llm: 384, llmInputs: true },
    { name: 'amazon-book, LLM 1536, with LLM inputs', ...amazon, llm: 1536, llmInputs: true },
  ]),
];

const rows: Record<string, unknown>[] = [];
for (const s of scenarios) {
  const c = contents(s);
  for (const binaryLevel of [0, 1]) {
    const big = s.users > 5000;
    const reps = big ? 2 : 3;
    const buildMs: number[] = [];
    const readMs: number[] = [];
    let zip: Uint8Array = new Uint8Array(0);
    for (let r = 0; r < reps; r++) {
      let t = performance.now();
      zip = buildBundle(c, { binaryLevel, created: '2025-01-01T00:00:00Z' });
      buildMs.push(performance.now() - t);
      t = performance.now();
      readBundle(zip);
      readMs.push(performance.now() - t);
    }
    const row = { scenario: s.name, binaryLevel, mib: +(zip.length / 2 ** 20).toFixed(2), buildMs: Math.round(median(buildMs)), readMs: Math.round(median(readMs)) };
    rows.push(row);
    log(`${s.name.padEnd(40)} level ${binaryLevel}  ${String(row.mib).padStart(8)} MiB  build ${String(row.buildMs).padStart(6)} ms  read ${String(row.readMs).padStart(6)} ms`);
  }
}
console.log(JSON.stringify({ node: process.version, rows }));
