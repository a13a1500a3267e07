/**
 * Headless training on the same core as the page.
 *   npm run train -- --data demo|<file|folder|archive> [--backbone ...] [--align ...] [--embeddings <dir>|tfidf] [--compare]
 *                    [--export run.zip [--export-llm]]
 * --export writes the export bundle (weights, embeddings, config, metrics, history, id maps; see
 * src/core/io/bundle.ts) after training; --export-llm also stores the LLM input embeddings in it.
 * stdout: one JSON object per line (dataset, per epoch, per evaluation, final test; with
 * --compare one line per method); stderr: logs; exit code 1 with a one-line message on any error.
 */
import { writeFileSync } from 'node:fs';
import { parseFlags, configFromFlags } from './args';
import { initNodeBackend } from './nodeBackend';
import { loadCliDataset, loadCliEmbeddings } from './dataset';
import { Trainer, type LlmEmbeddings } from '../src/core/train/trainer';
import { comparisonRuns } from '../src/core/compare';
import type { Dataset } from '../src/core/data/types';
import type { RunConfig } from '../src/core/config';
import type { TrainResult } from '../src/core/train/trainer';
import { exportRun, runHistory } from '../src/core/train/bundleIO';
import { buildBundle } from '../src/core/io/bundle';

const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const log = (s: string) => process.stderr.write(s + '\n');
const round = (x: number) => Number(x.toPrecision(6));
const roundAll = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)]));

type AfterRun = (trainer: Trainer, result: TrainResult) => Promise<void>;

async function train(dataset: Dataset, config: RunConfig, llm: LlmEmbeddings | undefined, verbose: boolean, after?: AfterRun) {
  const label = `${config.model.backbone}+${config.align.method}${config.align.options.ablation ? `/${config.align.options.ablation}` : ''}`;
  const trainer = new Trainer(dataset, config, e => {
    if (e.type === 'epoch') {
      if (verbose) out({ epoch: e.epoch, ms: Math.round(e.ms), loss: roundAll(e.loss) });
      else log(`${label} epoch ${e.epoch}: ${Math.round(e.ms)} ms ${JSON.stringify(roundAll(e.loss))}`);
    } else if (e.type === 'eval') {
      if (verbose) out({ epoch: e.epoch, val: roundAll(e.val) });
      else log(`${label} epoch ${e.epoch}: val recall@20 ${round(e.val['recall@20'] ?? 0)}`);
    } else if (e.type === 'start') log(`training ${label}: ${e.numUsers} users, ${e.numItems} items, ${e.train} train pairs, ${e.stepsPerEpoch} steps/epoch`);
  }, undefined, llm);
  try {
    const result = (await trainer.run())!;
    if (after) await after(trainer, result);
    return result;
  } finally {
    trainer.dispose();
  }
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), { compare: { type: 'boolean' }, ablations: { type: 'string' }, export: { type: 'string' }, 'export-llm': { type: 'boolean' } });
  const exportPath = flags.export as string | undefined;
  if (exportPath !== undefined && flags.compare) throw new Error('--export writes one run: it cannot be combined with --compare');
  if (exportPath === '') throw new Error('--export expects a file name, e.g. --export run.zip');
  const config = configFromFlags(flags);
  const backend = await initNodeBackend(config.backend);
  log(`backend: ${backend}`);
  const dataset = await loadCliDataset(config);
  out({ dataset: { name: dataset.name, users: dataset.numUsers, items: dataset.numItems, train: dataset.train.users.length, val: dataset.val.users.length, test: dataset.test.users.length } });
  const needLlm = flags.compare || config.align.method !== 'none';
  const embSpec = (flags.embeddings as string | undefined) ?? (needLlm && dataset.itemText ? 'tfidf' : undefined);
  if (needLlm && !embSpec) throw new Error('alignment needs LLM embeddings: pass --embeddings <dir with users.npy, items.npy> (from npm run embed) or --embeddings tfidf');
  const llm = embSpec ? loadCliEmbeddings(embSpec, dataset, Number(flags['llm-dim'] ?? 64)) : undefined;
  if (llm) log(`LLM embeddings: ${embSpec} (dimension ${llm.dim})`);

  if (!flags.compare) {
    const after: AfterRun | undefined = exportPath === undefined ? undefined : async (trainer, result) => {
      const t0 = performance.now();
      const contents = await exportRun(trainer, result, runHistory(result), { includeLlm: flags['export-llm'] === true, extraMetrics: { backend } });
      const t1 = performance.now();
      const zip = buildBundle(contents);
      const t2 = performance.now();
      writeFileSync(exportPath, zip);
      const t3 = performance.now();
      out({ export: { path: exportPath, bytes: zip.length, collect_ms: Math.round(t1 - t0), zip_ms: Math.round(t2 - t1), write_ms: Math.round(t3 - t2), total_ms: Math.round(t3 - t0) } });
    };
    const r = await train(dataset, config, llm, true, after);
    out({ test: roundAll(r.test), best_epoch: r.bestEpoch, epochs: r.epochs, epoch_ms: Math.round(r.epochMs), backend });
    return;
  }
  const ablations = String(flags.ablations ?? '').split(',').filter(Boolean);
  for (const run of comparisonRuns(config, ablations, flags.reg !== undefined)) {
    const r = await train(dataset, run.config, llm, false);
    out({ method: run.name, test: roundAll(r.test), best_epoch: r.bestEpoch, epochs: r.epochs, epoch_ms: Math.round(r.epochMs), backend });
  }
}

main().catch(e => {
  process.stderr.write(`error: ${String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
