import type { Dataset } from '../data/types';
import type { LlmEmbeddings } from '../train/trainer';
import { Rng } from '../rng';

/**
 * A model-free text embedder: TF-IDF over the item text (title, categories,
 * description), projected to `dim` dimensions by a seeded Gaussian random
 * projection (one vector per word, derived from the word's hash), rows
 * L2-normalised. A user's vector is the normalised mean of their TRAINING
 * items' vectors, never a validation or test item. It needs no download, runs
 * in milliseconds, and keeps the topic signal of the text, so it is the
 * offline stand-in for an LLM embedder (tests, CLI comparisons, the demo).
 */
export function tfidfProjection(d: Dataset, dim = 64, seed = 1): LlmEmbeddings {
  if (!d.itemText) throw new Error(`dataset "${d.name}" has no item text to embed`);
  const docs = d.itemText.map(t => tokenize([t.title, ...(t.categories ?? []), t.description ?? ''].join(' ')));
  const df = new Map<string, number>();
  for (const doc of docs) for (const w of new Set(doc)) df.set(w, (df.get(w) ?? 0) + 1);
  const wordVec = new Map<string, Float32Array>();
  const vec = (w: string) => {
    let v = wordVec.get(w);
    if (!v) {
      const r = new Rng(hash(w) ^ seed);
      v = Float32Array.from({ length: dim }, () => r.normal());
      wordVec.set(w, v);
    }
    return v;
  };
  const items = new Float32Array(d.numItems * dim);
  docs.forEach((doc, i) => {
    const tf = new Map<string, number>();
    for (const w of doc) tf.set(w, (tf.get(w) ?? 0) + 1);
    const row = items.subarray(i * dim, (i + 1) * dim);
    for (const [w, c] of tf) {
      const weight = c * Math.log((1 + d.numItems) / (1 + df.get(w)!));
      const v = vec(w);
      for (let k = 0; k < dim; k++) row[k]! += weight * v[k]!;
    }
    normalize(row);
  });
  const users = new Float32Array(d.numUsers * dim);
  for (let k = 0; k < d.train.users.length; k++) {
    const u = d.train.users[k]!, i = d.train.items[k]!;
    for (let c = 0; c < dim; c++) users[u * dim + c]! += items[i * dim + c]!;
  }
  for (let u = 0; u < d.numUsers; u++) normalize(users.subarray(u * dim, (u + 1) * dim));
  return { users, items, dim };
}

function tokenize(s: string): string[] {
  return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(w => w.length > 1 && !/^\d+$/.test(w));
}

function hash(s: string): number {
  let h = 2166136261;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  return h >>> 0;
}

function normalize(row: Float32Array): void {
  let n = 0;
  for (const x of row) n += x * x;
  if (n > 0) {
    const s = 1 / Math.sqrt(n);
    for (let k = 0; k < row.length; k++) row[k]! *= s;
  }
}
