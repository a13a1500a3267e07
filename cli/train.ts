/**
 * Headless training on the same core as the page.
 * stdout: one JSON object per line (dataset, per epoch, per evaluation, final test);
 * stderr: logs; exit code 1 with a one-line message on any error.
 */
import { parseFlags, configFromFlags } from './args';
import { initNodeBackend } from './nodeBackend';
import { loadCliDataset } from './dataset';
import { Trainer } from '../src/core/train/trainer';

const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const log = (s: string) => process.stderr.write(s + '\n');
const round = (x: number) => Number(x.toPrecision(6));
const roundAll = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)]));

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const config = configFromFlags(flags);
  const backend = await initNodeBackend(config.backend);
  log(`backend: ${backend}`);
  const dataset = await loadCliDataset(config, flags);
  out({ dataset: { name: dataset.name, users: dataset.numUsers, items: dataset.numItems, train: dataset.train.users.length, val: dataset.val.users.length, test: dataset.test.users.length } });
  const trainer = new Trainer(dataset, config, e => {
    if (e.type === 'epoch') out({ epoch: e.epoch, ms: Math.round(e.ms), loss: roundAll(e.loss) });
    else if (e.type === 'eval') out({ epoch: e.epoch, val: roundAll(e.val) });
    else if (e.type === 'test') out({ test: roundAll(e.test), best_epoch: e.bestEpoch, epochs: e.epochs, backend });
    else if (e.type === 'start') log(`training LightGCN: ${e.numUsers} users, ${e.numItems} items, ${e.train} train pairs, ${e.stepsPerEpoch} steps/epoch`);
  });
  await trainer.run();
  trainer.dispose();
}

main().catch(e => {
  process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`.replace(/\n(?!$)/g, ' '));
  process.exit(1);
});
