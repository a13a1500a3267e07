import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../src/core/config';
import type { Dataset } from '../src/core/data/types';
import { generateDemo } from '../src/core/data/demo';
import { readNpy } from '../src/core/io/npy';
import { tfidfProjection } from '../src/core/embed/tfidfProjection';
import type { LlmEmbeddings } from '../src/core/train/trainer';
import { loadDataFromPath } from './loadData';

/** The CLI's dataset: the generated demo, or a file / folder / archive on disk with the config's preprocessing. */
export async function loadCliDataset(config: RunConfig): Promise<Dataset> {
  if (config.data.kind === 'demo') return generateDemo(config.data);
  return (await loadDataFromPath(config.data.name, config.data.preprocess)).dataset;
}

/**
 * LLM-side vectors for the CLI: a folder holding users.npy and items.npy (as
 * `npm run embed` writes them), or "tfidf" for the built-in model-free text
 * embedder over the dataset's item text.
 */
export function loadCliEmbeddings(spec: string, d: Dataset, dim: number): LlmEmbeddings {
  if (spec === 'tfidf') return tfidfProjection(d, dim);
  const read = (side: 'users' | 'items', count: number) => {
    const p = join(spec, `${side}.npy`);
    if (!existsSync(p)) throw new Error(`--embeddings: ${p} not found (expected users.npy and items.npy from npm run embed)`);
    const m = readNpy(new Uint8Array(readFileSync(p)), `${side}.npy`);
    if (m.rows !== count) throw new Error(`${side}.npy: ${m.rows} rows but the dataset has ${count} ${side}`);
    for (const x of m.data) if (!Number.isFinite(x)) throw new Error(`${side}.npy holds NaN or Inf values`);
    return m;
  };
  const u = read('users', d.numUsers), i = read('items', d.numItems);
  if (u.cols !== i.cols) throw new Error(`users.npy has dimension ${u.cols} but items.npy has ${i.cols}`);
  return { users: u.data, items: i.data, dim: u.cols };
}
