/**
 * Text embeddings for a dataset in Node, on the same core as the page:
 *
 *   npm run embed -- --data demo|<path> --model <hub id|local folder> --out <dir>
 *                    [--dtype fp32|q8|fp16|q4|q4f16] [--batch N] [--pooling mean|cls|last_token]
 *                    [--item-template '...'] [--user-template '...'] [--user-items N]
 *                    [--demo-users N --demo-items N --demo-interactions N --demo-seed N]
 *                    [--threshold N|none --kcore K --sample-users F --split random|loo|temporal|given
 *                     --split-seed N --split-ratio 3,1,1 --format <id> --dedup true|false]
 *
 * Give the same data and preprocessing flags as to `npm run train`: user profiles come from the
 * training split, so another split gives other rows.
 *
 * Writes <out>/items.npy and <out>/users.npy (float32, row = index) and <out>/embeddings.json
 * (model, dtype, templates, dataset fingerprint, so a consumer can check the vectors belong to its
 * dataset). Progress goes to stderr; any error exits 1 with a one-line message.
 */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Dataset } from '../src/core/data/types';
import { generateDemo } from '../src/core/data/demo';
import { DEMO_DEFAULT } from '../src/core/config';
import { loadDataFromPath, parsePreprocessFlags } from './loadData';
import { DEFAULT_PROFILE_CONFIG, ITEM_FIELDS, USER_FIELDS, buildItemProfiles, buildUserProfiles, validateTemplate, type ProfileConfig } from '../src/core/embed/profiles';
import { createEmbedder, normalizeLocalFiles, EMBED_DTYPES, DEFAULT_MODEL_ID, type EmbedDtype, type ModelSource, type Pooling } from '../src/core/embed/embedder';
import { datasetFingerprint } from '../src/core/embed/fingerprint';
import { writeNpy } from '../src/core/io/npy';

const log = (s: string) => process.stderr.write(s + '\n');

function int(flag: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > max) throw new Error(`--${flag} expects an integer in ${min}..${max}, got "${v}"`);
  return x;
}

/** Reads the files transformers.js may ask for (JSON and ONNX), not e.g. multi-GB PyTorch weights beside them. */
function readModelFolder(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.json$|\.onnx(_data(_\d+)?)?$/.test(f)) files.set(relative(dir, p).split('\\').join('/'), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return normalizeLocalFiles(files);
}

async function loadDataset(data: string, flags: Record<string, string | undefined>): Promise<Dataset> {
  if (data === 'demo') {
    // Same options as `npm run train -- --data demo`, so the rows match the trained model's ids.
    return generateDemo({
      users: int('demo-users', flags['demo-users'], DEMO_DEFAULT.users, 1, 10_000_000),
      items: int('demo-items', flags['demo-items'], DEMO_DEFAULT.items, 1, 10_000_000),
      interactions: int('demo-interactions', flags['demo-interactions'], DEMO_DEFAULT.interactions, 1, 1_000_000_000),
      seed: int('demo-seed', flags['demo-seed'], DEMO_DEFAULT.seed, 0, 2 ** 31 - 1),
    });
  }
  // The CLI's shared loader and preprocessing flags, so embed reads exactly what train reads.
  return (await loadDataFromPath(data, parsePreprocessFlags(flags))).dataset;
}

async function main() {
  const { values: f } = parseArgs({
    args: process.argv.slice(2),
    options: {
      data: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      dtype: { type: 'string' },
      batch: { type: 'string' },
      pooling: { type: 'string' },
      'item-template': { type: 'string' },
      'user-template': { type: 'string' },
      'user-items': { type: 'string' },
      'demo-users': { type: 'string' },
      'demo-items': { type: 'string' },
      'demo-interactions': { type: 'string' },
      'demo-seed': { type: 'string' },
      threshold: { type: 'string' },
      kcore: { type: 'string' },
      'sample-users': { type: 'string' },
      split: { type: 'string' },
      'split-seed': { type: 'string' },
      'split-ratio': { type: 'string' },
      format: { type: 'string' },
      dedup: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!f.data) throw new Error('--data demo|<path> is required');
  if (!f.out) throw new Error('--out <dir> is required');
  const modelArg = f.model ?? DEFAULT_MODEL_ID;
  const dtype = (f.dtype ?? 'fp32') as EmbedDtype;
  if (!EMBED_DTYPES.includes(dtype)) throw new Error(`--dtype must be one of ${EMBED_DTYPES.join(', ')}, got "${f.dtype}"`);
  const batchSize = int('batch', f.batch, 32, 1, 4096);
  const pooling = f.pooling as Pooling | undefined;
  if (pooling && !['mean', 'cls', 'last_token'].includes(pooling)) throw new Error(`--pooling must be mean, cls or last_token, got "${pooling}"`);
  const cfg: ProfileConfig = {
    ...DEFAULT_PROFILE_CONFIG,
    itemTemplate: f['item-template'] ?? DEFAULT_PROFILE_CONFIG.itemTemplate,
    userTemplate: f['user-template'] ?? DEFAULT_PROFILE_CONFIG.userTemplate,
    userMaxItems: int('user-items', f['user-items'], DEFAULT_PROFILE_CONFIG.userMaxItems, 1, 10_000),
  };
  const tplErr = validateTemplate(cfg.itemTemplate, ITEM_FIELDS) ?? validateTemplate(cfg.userTemplate, USER_FIELDS);
  if (tplErr) throw new Error(tplErr);

  const dataset = await loadDataset(f.data, f);
  log(`dataset ${dataset.name}: ${dataset.numUsers} users, ${dataset.numItems} items, ${dataset.train.users.length} training interactions`);
  const items = buildItemProfiles(dataset, cfg);
  const users = buildUserProfiles(dataset, cfg);
  log(`item profile 0: ${items[0] ?? ''}`);
  log(`user profile 0: ${(users[0] ?? '').slice(0, 200)}`);

  let source: ModelSource;
  const asPath = resolve(modelArg);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) {
    source = { kind: 'local', name: basename(asPath), files: readModelFolder(asPath) };
    log(`model: local folder ${asPath} (${source.files.size} files)`);
  } else {
    source = { kind: 'hub', id: modelArg };
    log(`model: ${modelArg} from the Hugging Face hub (or its cache)`);
  }
  const t0 = performance.now();
  const embedder = await createEmbedder(source, {
    device: 'cpu',
    dtype,
    batchSize,
    ...(pooling ? { pooling } : {}),
  });
  const tLoad = performance.now();
  log(`loaded in ${((tLoad - t0) / 1000).toFixed(2)} s; pooling ${embedder.pooling}`);
  let last = 0;
  const progress = (what: string) => (p: { done: number; total: number; itemsPerSec: number; etaSec: number }) => {
    const now = performance.now();
    if (p.done === 0 || (p.done < p.total && now - last < 1000)) return;
    last = now;
    log(`${what}: ${p.done}/${p.total}, ${p.itemsPerSec.toFixed(1)} texts/s${p.done < p.total ? `, ETA ${Math.ceil(p.etaSec)} s` : ''}`);
  };
  const itemVecs = await embedder.embed(items, progress('items'));
  const userVecs = await embedder.embed(users, progress('users'));
  const dim = embedder.dim ?? 0;
  await embedder.dispose();
  const seconds = (performance.now() - tLoad) / 1000;

  mkdirSync(f.out, { recursive: true });
  writeFileSync(join(f.out, 'items.npy'), writeNpy(itemVecs, dataset.numItems, dim));
  writeFileSync(join(f.out, 'users.npy'), writeNpy(userVecs, dataset.numUsers, dim));
  const meta = {
    model: source.kind === 'hub' ? source.id : `local:${source.name}`,
    dtype,
    pooling: embedder.pooling,
    dim,
    dataset: { name: dataset.name, users: dataset.numUsers, items: dataset.numItems, fingerprint: datasetFingerprint(dataset) },
    profiles: cfg,
    seconds: Number(seconds.toFixed(3)),
    textsPerSec: Number(((items.length + users.length) / seconds).toFixed(1)),
  };
  writeFileSync(join(f.out, 'embeddings.json'), JSON.stringify(meta, null, 1) + '\n');
  process.stdout.write(JSON.stringify({ out: f.out, items: [dataset.numItems, dim], users: [dataset.numUsers, dim], seconds: meta.seconds, textsPerSec: meta.textsPerSec }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`.replace(/\n(?!$)/g, ' '));
  process.exit(1);
});
