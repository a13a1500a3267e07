/**
 * `npm run bench`: LightGCN epoch time (median of 3 after a warm-up epoch) and
 * full-evaluation time at Amazon-book scale, for each backend in Node and in
 * headless Chromium (the built site's lab page, in a worker, as the app trains).
 * Uses ../shared/datasets/rlmrec-amazon-book when present, else a synthetic set
 * of the same shape. Prints a table, then one JSON line.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn, execSync } from 'node:child_process';
import { parseFlags } from './args';
import { initNodeBackend } from './nodeBackend';
import { loadCliDataset } from './dataset';
import { defaultConfig } from '../src/core/config';
import { benchAligned, benchLightGCN, type AlignBenchResult, type BenchOptions, type BenchResult } from '../src/core/bench';
import type { Dataset } from '../src/core/data/types';

const log = (s: string) => process.stderr.write(s + '\n');
const SHARED = resolve(import.meta.dirname, '../../shared/datasets/rlmrec-amazon-book');

async function amazonBook(): Promise<Dataset | undefined> {
  if (!existsSync(SHARED)) {
    log(`(${SHARED} absent: using a synthetic set of the same shape)`);
    return undefined;
  }
  const c = defaultConfig();
  c.data = { kind: 'file', name: SHARED };
  try {
    return await loadCliDataset(c);
  } catch (e) {
    log(`(could not read ${SHARED}: ${(e as Error).message}; using a synthetic set of the same shape)`);
    return undefined;
  }
}

type AlignedOpts = { methods: ('rlmrec-con' | 'rlmrec-gen' | 'darec')[]; llmDim: number; timedSteps: number };

async function inChromium(backends: string[], opts: BenchOptions, data: Dataset | undefined, aligned: AlignedOpts): Promise<{ lightgcn: BenchResult[]; aligned: AlignBenchResult[] }> {
  const { chromium } = await import('@playwright/test');
  if (!existsSync('dist/bench.html')) execSync('npx vite build', { stdio: 'ignore' });
  const port = 4300 + Math.floor(Math.random() * 500);
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--enable-unsafe-webgpu', '--disable-quic', '--no-sandbox'] });
  try {
    const page = await browser.newPage();
    for (let k = 0; k < 50; k++) {
      try { await page.goto(`http://127.0.0.1:${port}/bench.html`); break; } catch { await new Promise(r => setTimeout(r, 300)); }
    }
    await page.waitForFunction(() => document.getElementById('out')?.textContent === 'lab ready');
    // Typed arrays do not cross page.evaluate; plain arrays do.
    const plain = data && {
      ...data,
      train: { users: Array.from(data.train.users), items: Array.from(data.train.items) },
      val: { users: Array.from(data.val.users), items: Array.from(data.val.items) },
      test: { users: Array.from(data.test.users), items: Array.from(data.test.items) },
      userIds: undefined, itemIds: undefined, itemText: undefined,
    };
    const out: BenchResult[] = [];
    const al: AlignBenchResult[] = [];
    // No nested functions inside the evaluated callback: tsx's keepNames would inject a
    // `__name` helper that does not exist in the page.
    const run = <T,>(kind: 'bench' | 'benchAligned', backend: string, o: object) =>
      page.evaluate(([k, b, oo, d]) => (window as unknown as { lab: Record<string, (b: string, o: unknown) => Promise<unknown>> }).lab[k as string]!(b as string, { ...(oo as object), data: d }), [kind, backend, o, plain] as const) as Promise<T>;
    for (const b of backends) {
      log(`chromium ${b}…`);
      try {
        out.push(await run<BenchResult>('bench', b, opts));
        for (const method of aligned.methods) {
          log(`chromium ${b} ${method}…`);
          al.push(await run<AlignBenchResult>('benchAligned', b, { ...opts, method, llmDim: aligned.llmDim, timedSteps: aligned.timedSteps }));
        }
      } catch (e) {
        log(`chromium ${b} failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    return { lightgcn: out, aligned: al };
  } finally {
    await browser.close();
    try { process.kill(-server.pid!); } catch { /* already gone */ }
  }
}

async function main() {
  const f = parseFlags(process.argv.slice(2), { node: { type: 'string' }, chromium: { type: 'string' }, methods: { type: 'string' }, 'timed-steps': { type: 'string' } });
  const aligned: AlignedOpts = {
    methods: String(f.methods ?? 'rlmrec-con,darec').split(',').filter(Boolean) as AlignedOpts['methods'],
    llmDim: Number(f['llm-dim'] ?? 384),
    timedSteps: Number(f['timed-steps'] ?? 3),
  };
  const opts: BenchOptions = {
    dim: Number(f.dim ?? 32), layers: Number(f.layers ?? 3), batch: Number(f.batch ?? 4096), epochs: Number(f.epochs ?? 3),
  };
  const data = await amazonBook();
  const rows: { where: string; r: BenchResult }[] = [];
  const arows: { where: string; r: AlignBenchResult }[] = [];
  for (const b of String(f.node ?? 'wasm,cpu').split(',').filter(Boolean)) {
    log(`node ${b}…`);
    await initNodeBackend(b as 'wasm' | 'cpu');
    rows.push({ where: 'node', r: await benchLightGCN({ ...opts, data }) });
    // Aligned methods on cpu would take hours at this scale; wasm is the CPU reference.
    if (b === 'wasm') for (const method of aligned.methods) {
      log(`node ${b} ${method}…`);
      arows.push({ where: 'node', r: await benchAligned({ ...opts, data, method, llmDim: aligned.llmDim, timedSteps: aligned.timedSteps }) });
    }
  }
  const cb = String(f.chromium ?? 'wasm,webgpu').split(',').filter(Boolean);
  if (cb.length) {
    const c = await inChromium(cb, opts, data, aligned);
    for (const r of c.lightgcn) rows.push({ where: 'chromium', r });
    for (const r of c.aligned) arows.push({ where: 'chromium', r });
  }

  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  console.log(`LightGCN epoch, ${rows[0]?.r.dataset ?? ''}: dim ${opts.dim}, ${opts.layers} layers, batch ${opts.batch}; ms (median of ${opts.epochs} after 1 warm-up)`);
  console.log('| where | backend | epoch ms | steps | sampling | dropout | propagation fwd+bwd | rest (gather, BPR, Adam) | full eval ms | tensor growth |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const { where, r } of rows) {
    const b = r.breakdown;
    console.log(`| ${where} | ${r.backend} | ${fmt(r.medianEpochMs)} | ${r.steps} | ${fmt(b.sampling)} | ${fmt(b.dropout)} | ${fmt(b.propagationFwdBwd)} | ${fmt(b.rest)} | ${fmt(r.evalMs)} | ${r.numTensorsGrowth} |`);
  }
  if (arows.length) {
    console.log(`\nAligned models, same shape, random ${aligned.llmDim}-d LLM vectors; epoch = once-per-epoch work + steps x median step (${aligned.timedSteps} timed steps after 2 warm-up)`);
    console.log('| where | backend | method | step ms | steps | epoch-start ms | epoch ms (est.) | loss terms |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const { where, r } of arows) console.log(`| ${where} | ${r.backend} | ${r.method} | ${fmt(r.stepMs)} | ${r.steps} | ${fmt(r.epochStartMs)} | ${fmt(r.epochMsEstimate)} | ${r.lossTerms.join(' ')} |`);
  }
  console.log(JSON.stringify({ bench: rows.map(({ where, r }) => ({ where, ...r })), aligned: arows.map(({ where, r }) => ({ where, ...r })) }));
}

main().catch(e => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
