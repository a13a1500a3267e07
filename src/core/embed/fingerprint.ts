/**
 * Content hashes that key the embedding cache. Not cryptographic: two independent 32-bit
 * FNV-1a-style lanes (64 bits) make an accidental collision between a user's own datasets and
 * settings negligible, and the code is identical in workers, Node and tests.
 */
import type { Dataset } from '../data/types';
import type { InteractionExtras } from './profiles';

export class Hasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  private word(x: number): void {
    x |= 0;
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ ((x >>> 16) | (x << 16)), 0x5bd1e995);
    this.b ^= this.b >>> 15;
  }

  int(x: number): this {
    this.word(x);
    return this;
  }

  num(x: number): this {
    // Float64 bits, so 1.5 and 1 hash differently.
    const f = new Float64Array([x]);
    const w = new Int32Array(f.buffer);
    this.word(w[0]!);
    this.word(w[1]!);
    return this;
  }

  ints(xs: ArrayLike<number>): this {
    this.word(xs.length);
    for (let k = 0; k < xs.length; k++) this.word(xs[k]!);
    return this;
  }

  nums(xs: ArrayLike<number>): this {
    this.word(xs.length);
    for (let k = 0; k < xs.length; k++) this.num(xs[k]!);
    return this;
  }

  str(s: string): this {
    this.word(s.length);
    for (let k = 0; k < s.length; k++) this.word(s.charCodeAt(k));
    return this;
  }

  bytes(b: Uint8Array): this {
    this.word(b.length);
    const n4 = b.length >>> 2;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let k = 0; k < n4; k++) this.word(dv.getInt32(k * 4, true));
    for (let k = n4 * 4; k < b.length; k++) this.word(b[k]!);
    return this;
  }

  hex(): string {
    const h = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
    return h(this.a) + h(this.b);
  }
}

/**
 * Everything a profile can depend on: sizes, the training interactions (with their optional
 * timestamps/ratings, which pick a user's items), ids and item texts. Validation and test splits
 * are left out on purpose: profiles never read them, so re-splitting only changes the key when
 * the training split changes.
 */
export function datasetFingerprint(dataset: Dataset): string {
  // Datasets are never mutated once built, and the page asks for the same one's key from several
  // places (embedding cache, resume check, embeddings' owner): hash each dataset once.
  let fp = fingerprints.get(dataset);
  if (fp === undefined) fingerprints.set(dataset, (fp = hashDataset(dataset)));
  return fp;
}

const fingerprints = new WeakMap<Dataset, string>();

function hashDataset(dataset: Dataset): string {
  const h = new Hasher().str('darec-dataset-v1').int(dataset.numUsers).int(dataset.numItems);
  h.ints(dataset.train.users).ints(dataset.train.items);
  const ex = dataset.train as typeof dataset.train & InteractionExtras;
  h.int(ex.timestamps ? 1 : 0);
  if (ex.timestamps) h.nums(ex.timestamps);
  h.int(ex.ratings ? 1 : 0);
  if (ex.ratings) h.nums(ex.ratings);
  for (const ids of [dataset.userIds, dataset.itemIds]) {
    h.int(ids ? ids.length : -1);
    for (const s of ids ?? []) h.str(s);
  }
  const texts = dataset.itemText;
  h.int(texts ? texts.length : -1);
  for (const t of texts ?? []) {
    h.str(t.title).str(t.description ?? '\u0000');
    const c = t.categories ?? [];
    h.int(c.length);
    for (const s of c) h.str(s);
  }
  return h.hex();
}

/** Hash of a model folder's bytes, so two different folders with the same name never share cache entries. */
export function filesFingerprint(files: Map<string, Uint8Array>): string {
  const h = new Hasher().str('darec-files-v1');
  for (const path of [...files.keys()].sort()) h.str(path).bytes(files.get(path)!);
  return h.hex();
}

export interface EmbedCacheKeyParts {
  /** Hub id, or `local:<name>:<filesFingerprint>` for a folder. */
  model: string;
  dtype: string;
  pooling: string;
  itemTemplate: string;
  userTemplate: string;
  userMaxItems: number;
  userOrder: string;
  maxDescriptionChars: number;
  userMaxCategories: number;
  datasetFingerprint: string;
}

/** A readable key (the model id stays visible for the cache list) ending in a hash of every part. */
export function embedCacheKey(p: EmbedCacheKeyParts): string {
  const h = new Hasher()
    .str('darec-embed-v1')
    .str(p.model)
    .str(p.dtype)
    .str(p.pooling)
    .str(p.itemTemplate)
    .str(p.userTemplate)
    .int(p.userMaxItems)
    .str(p.userOrder)
    .int(p.maxDescriptionChars)
    .int(p.userMaxCategories)
    .str(p.datasetFingerprint);
  return `${p.model}|${p.dtype}|${p.datasetFingerprint}|${h.hex()}`;
}
