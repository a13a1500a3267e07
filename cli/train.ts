/**
 * Headless training on the same core as the page.
 *   npm run train -- --data demo|<file|folder|archive> [--backbone ...] [--align ...] [--embeddings <dir>|tfidf] [--compare]
 * stdout: one JSON object per line (dataset, per epoch, per evaluation, final test; with
 * --compare one line per method); stderr: logs; exit code 1 with a one-line message on any error.
 */
import { parseFlags, configFromFlags } from './args';
import { initNodeBackend } from './nodeBackend';
import { loadCliDataset, loadCliEmbeddings } from './dataset';
import { Trainer, type LlmEmbeddings } from '../src/core/train/trainer';
import { comparisonRuns } from '../src/core/compare';
import type { Dataset } from '../src/core/data/types';
import type { RunConfig } from '../src/core/config';

const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const log = (s: string) => process.stderr.write(s + '\n');
const round = (x: number) => Number(x.toPrecision(6));
const roundAll = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)]));

async function train(dataset: Dataset, config: RunConfig, llm: LlmEmbeddings | undefined, verbose: boolean) {
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
    return (await trainer.run())!;
  } finally {
    trainer.dispose();
  }
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), { compare: { type: 'boolean' }, ablations: { type: 'string' } });
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
    const r = await train(dataset, config, llm, true);
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
