/**
 * The export bundle: one .zip that takes a run to PyTorch / NumPy and back into the app.
 *
 *   manifest.json                  format, version, created, every file with its size and CRC-32
 *   README.txt                     what each file is, with a PyTorch snippet
 *   config.json                    the full RunConfig
 *   weights.safetensors            trainable parameters (names below), Linear weights as [out, in]
 *   embeddings/<name>.npy          float32 [rows, cols] matrices (final CF tables, DaRec spaces, ...)
 *   metrics.json                   free-form metrics object (test metrics, best epoch, ...)
 *   history.csv                    epoch, loss.<term>..., val.<metric>... (see history.ts)
 *   id_map_users.tsv / _items.tsv  index<TAB>original id, header "index<TAB>id"
 *   dataset.json                   name, fingerprint, user / item / split counts
 *   train_interactions.safetensors optional I32 `user`, `item`: the training split, to mask seen items
 *
 * Tensor names in weights.safetensors are the models' own logical names (RLMRec's parameter
 * names, so a state dict maps over directly):
 *   user_embeds, item_embeds            backbone layer-0 embeddings [users | items, d]
 *   <mlp>.0.weight/bias, <mlp>.2.*      a 2-layer MLP as nn.Sequential(Linear, LeakyReLU, Linear):
 *                                       DaRec sharedCF, specificCF, sharedLLM, specificLLM, decoderCF,
 *                                       decoderLLM; RLMRec-Con / -Gen `mlp`
 *   masker.mask_token                   RLMRec-Gen's mask token [1, d]
 * A weight flagged `layout: 'torch'` is a Linear weight the app holds [in, out]; the file holds it
 * transposed to [out, in] and the header metadata `transposed` lists those names, so reading
 * restores the app layout (without that metadata, e.g. after re-saving from PyTorch, every rank-2
 * `*.<n>.weight` is taken as a Linear weight).
 *
 * CRC-32 rather than SHA-256 in the manifest: `buildBundle` is synchronous (crypto.subtle is not),
 * and the aim is catching corruption (fflate's unzip does not check the zip's own CRCs), not tampering.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { RunConfig } from '../config';
import { normalizeConfig } from '../config-url';
import type { Dataset } from '../data/types';
import { datasetFingerprint } from '../embed/fingerprint';
import { firstNonFiniteIndex } from '../train/faults';
import { historyToCsv, parseHistoryCsv, type HistoryEntry } from './history';
import { jsonProblem } from './jsonError';
import { readNpy, writeNpy } from './npy';
import { oneLine } from './oneLine';
import { readSafetensors, writeSafetensors, type SafetensorsInput } from './safetensors';

export const BUNDLE_FORMAT = 'darec-playground-bundle';
export const BUNDLE_VERSION = 1;

export interface BundleWeight {
  /** Shape as the app holds it (`[in, out]` for a Linear weight). */
  shape: number[];
  data: Float32Array;
  /** 'torch': a Linear weight held `[in, out]`; written transposed as PyTorch's `[out, in]`. */
  layout?: 'torch';
}

export interface BundleEmbedding {
  rows: number;
  cols: number;
  /** Row-major rows * cols. */
  data: Float32Array;
}

export interface BundleDatasetInfo {
  name: string;
  fingerprint: string;
  users: number;
  items: number;
  /** Interaction counts of the splits. */
  train: number;
  val: number;
  test: number;
}

export interface BundleContents {
  version: 1;
  config: RunConfig;
  weights: Record<string, BundleWeight>;
  /**
   * Names (file embeddings/<name>.npy): cf_users / cf_items (final propagated tables), llm_users /
   * llm_items (frozen LLM inputs), shared_cf_*, specific_cf_*, shared_llm_*, specific_llm_* (DaRec's
   * four spaces), score_users / score_items (when scoring uses something else than cf_*).
   * A name ending in _users has one row per user, _items one per item.
   */
  embeddings: Record<string, BundleEmbedding>;
  /** Any JSON object (test metrics, best epoch, ...); `object` so interface-typed values fit. */
  metrics: object;
  history: HistoryEntry[];
  idMaps: { users: string[]; items: string[] };
  dataset: BundleDatasetInfo;
  /** The training split as indices; lets the README snippet mask seen items. */
  trainInteractions?: { users: Int32Array; items: Int32Array };
  /** ISO time from the manifest (set by readBundle; buildBundle takes it from options). */
  created?: string;
}

export interface BuildBundleOptions {
  /** Manifest time and zip entry time; default now. */
  created?: Date | string;
  /** Deflate level of the text files (default 6). */
  textLevel?: number;
  /**
   * Deflate level of .npy / .safetensors (default 0 = stored). Trained float32 barely compresses
   * (a few %), and deflating large tables costs seconds; see cli/bench-bundle.ts.
   */
  binaryLevel?: number;
}

export interface ManifestFile {
  path: string;
  bytes: number;
  /** 8 hex digits, zlib.crc32 / binascii.crc32 of the file. */
  crc32: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  created: string;
  generator: string;
  files: ManifestFile[];
}

export class BundleError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = 'BundleError';
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared with the CLI / page

let crcTable: Uint32Array | null = null;
/** zlib's CRC-32, as Python's `zlib.crc32`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The layout flag a weight of this name and shape gets: rank-2 `*.<layer>.weight` is a Linear weight. */
export function weightLayoutFor(name: string, shape: readonly number[]): 'torch' | undefined {
  return shape.length === 2 && /\.\d+\.weight$/.test(name) ? 'torch' : undefined;
}

/** Width of the backbone's final embeddings (GCCF concatenates its layer outputs). */
export function cfOutDim(config: RunConfig): number {
  const d = config.model.embeddingSize;
  return config.model.backbone === 'gccf' ? d * (config.model.layers + 1) : d;
}

export function bundleDatasetInfo(ds: Dataset): BundleDatasetInfo {
  return {
    name: ds.name,
    fingerprint: datasetFingerprint(ds),
    users: ds.numUsers,
    items: ds.numItems,
    train: ds.train.users.length,
    val: ds.val.users.length,
    test: ds.test.users.length,
  };
}

/** Original ids, or the index as text where the source had none. */
export function idMapsOf(ds: Dataset): { users: string[]; items: string[] } {
  const idx = (n: number) => Array.from({ length: n }, (_, k) => String(k));
  return { users: ds.userIds ? [...ds.userIds] : idx(ds.numUsers), items: ds.itemIds ? [...ds.itemIds] : idx(ds.numItems) };
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[o + c]!;
  }
  return out;
}

/** Backslash escapes keep one id per line whatever it holds (`\\`, `\t`, `\n`, `\r`). */
function escapeId(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function unescapeId(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

export function idMapToTsv(ids: readonly string[]): string {
  const lines = ['index\tid'];
  for (let k = 0; k < ids.length; k++) lines.push(`${k}\t${escapeId(ids[k]!)}`);
  return lines.join('\n') + '\n';
}

export function parseIdMapTsv(text: string, name: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== 'index\tid') throw new BundleError(`${name}: the first line must be "index<TAB>id"`, name);
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    const tab = line.indexOf('\t');
    const idx = tab < 0 ? NaN : Number(line.slice(0, tab));
    if (idx !== k - 1) throw new BundleError(`${name} line ${k + 1}: expected index ${k - 1}<TAB>id, got ${JSON.stringify(line.slice(0, 60))}`, name);
    const id = unescapeId(line.slice(tab + 1));
    const dup = seen.get(id);
    if (dup !== undefined) throw new BundleError(`${name}: id ${JSON.stringify(id)} is listed for index ${dup} and ${k - 1}`, name);
    seen.set(id, k - 1);
    out.push(id);
  }
  return out;
}

const EMBEDDING_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

// ---------------------------------------------------------------------------------------------
// README

const EMBEDDING_NOTES: Record<string, string> = {
  cf_users: 'final CF user embeddings (after graph propagation): score with these',
  cf_items: 'final CF item embeddings (after graph propagation): score with these',
  score_users: 'the embeddings the app scores users with (use these instead of cf_users when present)',
  score_items: 'the embeddings the app scores items with (use these instead of cf_items when present)',
  llm_users: 'frozen LLM (text) embeddings of the user profiles, the alignment input',
  llm_items: 'frozen LLM (text) embeddings of the item texts, the alignment input',
  shared_cf_users: 'DaRec shared space of the CF side, users (sharedCF(cf_users))',
  shared_cf_items: 'DaRec shared space of the CF side, items',
  specific_cf_users: 'DaRec specific space of the CF side, users (specificCF(cf_users))',
  specific_cf_items: 'DaRec specific space of the CF side, items',
  shared_llm_users: 'DaRec shared space of the LLM side, users (sharedLLM(llm_users))',
  shared_llm_items: 'DaRec shared space of the LLM side, items',
  specific_llm_users: 'DaRec specific space of the LLM side, users (specificLLM(llm_users))',
  specific_llm_items: 'DaRec specific space of the LLM side, items',
};

function weightNote(name: string): string {
  if (name === 'user_embeds') return 'backbone layer-0 (ego) user embeddings; LightGCN/GCCF/SGL/SimGCL propagate them over the graph';
  if (name === 'item_embeds') return 'backbone layer-0 (ego) item embeddings';
  if (name === 'masker.mask_token') return 'RLMRec-Gen mask token';
  const m = /^(.+)\.(\d+)\.(weight|bias)$/.exec(name);
  if (m) return `${m[1]} MLP, nn.Linear at Sequential index ${m[2]}: ${m[3] === 'weight' ? 'weight [out, in]' : 'bias [out]'}`;
  return '';
}

function fmtBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

function readme(c: BundleContents, fileShapes: Record<string, number[]>, sizes: Map<string, number>, created: string): string {
  const cfg = c.config;
  const size = (p: string) => (sizes.has(p) ? ` (${fmtBytes(sizes.get(p)!)})` : '');
  const L: string[] = [];
  L.push('DaRec Playground export bundle', '==============================', '');
  L.push(`Created ${created}. Bundle format ${BUNDLE_FORMAT} version ${BUNDLE_VERSION}.`);
  L.push(`Run: backbone ${cfg.model.backbone}, embedding size ${cfg.model.embeddingSize}, ${cfg.model.layers} layers, alignment ${cfg.align.method}.`);
  L.push(`Dataset "${oneLine(c.dataset.name)}": ${c.dataset.users} users, ${c.dataset.items} items; ${c.dataset.train} / ${c.dataset.val} / ${c.dataset.test} train / validation / test interactions.`);
  L.push('Users and items are numbered 0..n-1; every matrix row r is user (or item) r.', '');
  L.push('Files', '-----');
  L.push(`manifest.json${size('manifest.json')}: format, version, creation time, every file with its size and CRC-32 (zlib.crc32).`);
  L.push(`config.json${size('config.json')}: the full run configuration; the app re-creates the run from it.`);
  L.push(`weights.safetensors${size('weights.safetensors')}: trainable parameters, float32, little-endian. Load with`);
  L.push('    safetensors.torch.load_file("weights.safetensors")  or  safetensors.numpy.load_file(...).');
  L.push('  Linear weights are stored [out, in] as torch.nn.Linear.weight (the app computes x @ W with W = [in, out]).');
  L.push('  Each MLP is nn.Sequential(nn.Linear, nn.LeakyReLU(0.01), nn.Linear): "<mlp>.0.*" and "<mlp>.2.*" load into it.');
  for (const [name, shape] of Object.entries(fileShapes).sort(([a], [b]) => a.localeCompare(b))) {
    const note = weightNote(name);
    L.push(`    ${name} [${shape.join(', ')}]${note ? `: ${note}` : ''}`);
  }
  const embNames = Object.keys(c.embeddings).sort();
  if (embNames.length > 0) {
    L.push('embeddings/<name>.npy: float32 matrices, numpy.load("embeddings/cf_users.npy") -> array [rows, cols].');
    for (const name of embNames) {
      const e = c.embeddings[name]!;
      const note = EMBEDDING_NOTES[name] ?? (name.endsWith('_users') ? 'one row per user' : name.endsWith('_items') ? 'one row per item' : '');
      L.push(`    ${name}.npy [${e.rows}, ${e.cols}]${size(`embeddings/${name}.npy`)}${note ? `: ${note}` : ''}`);
    }
  }
  L.push(`metrics.json${size('metrics.json')}: the run's metrics (test metrics, best epoch, ...).`);
  L.push(`history.csv${size('history.csv')}: one row per logged epoch; columns epoch, loss.<term> (training loss terms,`);
  L.push('  already weighted), val.<metric> (validation metrics). Empty cell = not measured that epoch. pandas.read_csv("history.csv").');
  L.push(`id_map_users.tsv, id_map_items.tsv: "index<TAB>id" per line after a header; the original id of each index`);
  L.push('  (the index itself when the source had no ids). Backslash escapes: \\t, \\n, \\r, \\\\.');
  L.push('  pandas.read_csv("id_map_items.tsv", sep="\\t", dtype=str, keep_default_na=False)');
  L.push(`dataset.json${size('dataset.json')}: dataset name, fingerprint (hash of sizes, training interactions, ids and texts), counts.`);
  L.push('  The app refuses to apply the bundle to a dataset whose counts, ids or fingerprint differ.');
  if (c.trainInteractions) {
    L.push(`train_interactions.safetensors${size('train_interactions.safetensors')}: the training split, int32 "user" and "item" (row k = one interaction).`);
  }
  L.push('README.txt: this file.', '');
  L.push('Score a user in PyTorch', '-----------------------');
  const su = c.embeddings.score_users ? 'score_users' : 'cf_users';
  const si = c.embeddings.score_items ? 'score_items' : 'cf_items';
  L.push('import numpy as np, torch');
  L.push('from safetensors.torch import load_file');
  L.push('weights = load_file("weights.safetensors")            # {name: tensor}');
  L.push(`user_embeds = torch.from_numpy(np.load("embeddings/${su}.npy"))`);
  L.push(`item_embeds = torch.from_numpy(np.load("embeddings/${si}.npy"))`);
  L.push('u = 0');
  L.push('scores = user_embeds[u] @ item_embeds.T');
  if (c.trainInteractions) {
    L.push('train = load_file("train_interactions.safetensors")');
    L.push('scores[train["item"][train["user"] == u].long()] = float("-inf")   # mask training items');
  } else {
    L.push('# scores[train_items_of_u] = float("-inf")   # mask training items (not included in this bundle)');
  }
  L.push('top = torch.topk(scores, 20).indices.tolist()');
  L.push('item_ids = [l.split("\\t", 1)[1] for l in open("id_map_items.tsv", encoding="utf-8").read().splitlines()[1:]]');
  L.push('print([item_ids[i] for i in top])');
  const mlpName = ['sharedLLM', 'sharedCF', 'mlp'].find((m) => fileShapes[`${m}.0.weight`] && fileShapes[`${m}.2.weight`]);
  if (mlpName) {
    const w0 = fileShapes[`${mlpName}.0.weight`]!, w2 = fileShapes[`${mlpName}.2.weight`]!;
    L.push('');
    L.push(`# An alignment MLP into torch (weights are [out, in], so they load directly):`);
    L.push(`mlp = torch.nn.Sequential(torch.nn.Linear(${w0[1]}, ${w0[0]}), torch.nn.LeakyReLU(0.01), torch.nn.Linear(${w2[1]}, ${w2[0]}))`);
    L.push(`mlp.load_state_dict({k[len("${mlpName}."):]: v for k, v in weights.items() if k.startswith("${mlpName}.")})`);
  }
  L.push('');
  L.push('Backbone embeddings (user_embeds / item_embeds) are the layer-0 parameters; the graph models');
  L.push('propagate them, so score with the final tables in embeddings/, not with these.');
  return L.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Build

type Level = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
function level(x: number): Level {
  if (!Number.isInteger(x) || x < 0 || x > 9) throw new BundleError(`deflate level must be 0..9 (got ${x})`);
  return x as Level;
}

function json(x: unknown): Uint8Array {
  return strToU8(JSON.stringify(x, null, 2) + '\n');
}

export function buildBundle(c: BundleContents, opts: BuildBundleOptions = {}): Uint8Array {
  const created = opts.created === undefined ? new Date().toISOString() : typeof opts.created === 'string' ? opts.created : opts.created.toISOString();
  const parsed = new Date(created);
  // Zip entry times must be valid dates from 1980 on.
  const mtime = Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() < 1980 ? new Date() : parsed;
  const textLevel = level(opts.textLevel ?? 6);
  const binLevel = level(opts.binaryLevel ?? 0);

  const tensors: Record<string, SafetensorsInput> = {};
  const fileShapes: Record<string, number[]> = {};
  const transposed: string[] = [];
  for (const [name, w] of Object.entries(c.weights)) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (n !== w.data.length) throw new BundleError(`weight "${name}": ${w.data.length} values do not fill shape [${w.shape.join(', ')}]`);
    if (w.layout === 'torch') {
      if (w.shape.length !== 2) throw new BundleError(`weight "${name}" is flagged as a Linear weight but has shape [${w.shape.join(', ')}]`);
      const [inDim, outDim] = w.shape as [number, number];
      tensors[name] = { shape: [outDim, inDim], data: transpose(w.data, inDim, outDim) };
      transposed.push(name);
    } else tensors[name] = { shape: [...w.shape], data: w.data };
    fileShapes[name] = tensors[name]!.shape;
  }
  const meta: Record<string, string> = {
    format: 'pt',
    producer: 'DaRec Playground',
    bundle_version: String(BUNDLE_VERSION),
    transposed: JSON.stringify(transposed.sort()),
    backbone: c.config.model.backbone,
    alignment: c.config.align.method,
  };

  const files = new Map<string, { data: Uint8Array; level: Level }>();
  const add = (path: string, data: Uint8Array, lv: Level) => files.set(path, { data, level: lv });
  add('config.json', json(c.config), textLevel);
  add('weights.safetensors', writeSafetensors(tensors, meta), binLevel);
  for (const name of Object.keys(c.embeddings).sort()) {
    if (!EMBEDDING_NAME.test(name)) throw new BundleError(`embedding name "${name}" cannot be a file name (letters, digits, _ . - only)`);
    const e = c.embeddings[name]!;
    if (e.data.length !== e.rows * e.cols) throw new BundleError(`embedding "${name}": ${e.data.length} values do not fill [${e.rows}, ${e.cols}]`);
    add(`embeddings/${name}.npy`, writeNpy(e.data, e.rows, e.cols), binLevel);
  }
  add('metrics.json', json(c.metrics), textLevel);
  add('history.csv', strToU8(historyToCsv(c.history)), textLevel);
  add('id_map_users.tsv', strToU8(idMapToTsv(c.idMaps.users)), textLevel);
  add('id_map_items.tsv', strToU8(idMapToTsv(c.idMaps.items)), textLevel);
  add('dataset.json', json(c.dataset), textLevel);
  if (c.trainInteractions) {
    const t = c.trainInteractions;
    if (t.users.length !== t.items.length) throw new BundleError('trainInteractions: users and items lengths differ');
    add('train_interactions.safetensors', writeSafetensors({ user: { shape: [t.users.length], data: t.users }, item: { shape: [t.items.length], data: t.items } }, { format: 'pt' }), binLevel);
  }
  const sizes = new Map([...files].map(([p, f]) => [p, f.data.length] as const));
  add('README.txt', strToU8(readme(c, fileShapes, sizes, created)), textLevel);

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    created,
    generator: 'DaRec Playground',
    files: [...files].map(([path, f]) => ({ path, bytes: f.data.length, crc32: crc32(f.data).toString(16).padStart(8, '0') })),
  };
  // Manifest first, so a streaming reader meets it before anything else.
  const zip: Zippable = { 'manifest.json': [json(manifest), { level: textLevel }] };
  for (const [path, f] of files) zip[path] = [f.data, { level: f.level }];
  return zipSync(zip, { mtime });
}

// ---------------------------------------------------------------------------------------------
// Read

/** Offset of the end-of-central-directory record, or -1. */
function endOfCentralDirectory(b: Uint8Array): number {
  const stop = Math.max(0, b.length - 22 - 65535);
  for (let e = b.length - 22; e >= stop; e--) {
    if (b[e] === 0x50 && b[e + 1] === 0x4b && b[e + 2] === 0x05 && b[e + 3] === 0x06) return e;
  }
  return -1;
}

/** Whether the central directory the record points at lies inside the file, before the record. */
function centralDirectoryFits(b: Uint8Array, eocd: number): boolean {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = dv.getUint32(eocd + 12, true);
  const offset = dv.getUint32(eocd + 16, true);
  // 0xffffffff: a zip64 archive keeps the real values elsewhere; leave those to the unzipper.
  if (size === 0xffffffff || offset === 0xffffffff) return true;
  return offset + size <= eocd && b[offset] === 0x50 && b[offset + 1] === 0x4b && b[offset + 2] === 0x01 && b[offset + 3] === 0x02;
}

function unzipBundle(bytes: Uint8Array): Record<string, Uint8Array> {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
  if (!isZip) {
    const first = bytes.length > 0 ? String.fromCharCode(bytes[0]!) : '';
    const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    const hint = first === '{'
      ? ' (it looks like a JSON file: choose the .zip bundle itself)'
      : bytes.length === 0
        ? ' (the file is empty)'
        : gzip
          ? ' (it is gzip-compressed: decompress it and choose the .zip inside)'
          : '';
    throw new BundleError(`Not a bundle: the file is not a zip archive${hint}.`);
  }
  const eocd = endOfCentralDirectory(bytes);
  if (eocd < 0) {
    throw new BundleError(`The bundle is truncated: the end of the zip is missing (${bytes.length} bytes; an interrupted download?).`);
  }
  if (!centralDirectoryFits(bytes, eocd)) {
    throw new BundleError(`The bundle zip is corrupt: its file list is not where the end of the zip says (${bytes.length} bytes; parts of the file are missing or changed).`);
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new BundleError(`The bundle zip is corrupt or truncated (${(e as Error).message}).`);
  }
  // A bundle unzipped and re-zipped as a folder has everything under one directory.
  if (!files['manifest.json']) {
    const nested = Object.keys(files).filter((p) => /^[^/]+\/manifest\.json$/.test(p));
    if (nested.length === 1) {
      const prefix = nested[0]!.slice(0, -'manifest.json'.length);
      const out: Record<string, Uint8Array> = {};
      for (const [p, d] of Object.entries(files)) if (p.startsWith(prefix)) out[p.slice(prefix.length)] = d;
      return out;
    }
  }
  return files;
}

const REQUIRED = ['config.json', 'weights.safetensors', 'metrics.json', 'history.csv', 'id_map_users.tsv', 'id_map_items.tsv', 'dataset.json'];

function parseJson(files: Record<string, Uint8Array>, path: string): unknown {
  const text = strFromU8(files[path]!);
  try {
    return JSON.parse(text);
  } catch (e) {
    const p = jsonProblem(text);
    const where = p ? `line ${p.line}, column ${p.column}: ${p.what}` : (e as Error).message;
    throw new BundleError(`${path} is not valid JSON (${where}).`, path);
  }
}

/** A weight holding NaN or ±Infinity (a diverged run, or a corrupt file) would score every item NaN. */
function checkFiniteWeight(name: string, w: { shape: number[]; data: ArrayLike<number> }): void {
  const k = firstNonFiniteIndex(w.data);
  if (k < 0) return;
  const cols = w.shape.length >= 2 ? w.shape[w.shape.length - 1]! : 1;
  const at = w.shape.length >= 2 ? `row ${Math.floor(k / cols) + 1}, column ${(k % cols) + 1}` : `index ${k}`;
  throw new BundleError(`weights.safetensors: "${name}" holds ${w.data[k]} (${at}); a run that diverged cannot be imported.`, 'weights.safetensors');
}

function readManifest(files: Record<string, Uint8Array>): BundleManifest {
  if (!files['manifest.json']) {
    const list = Object.keys(files);
    throw new BundleError(
      `Not a DaRec Playground bundle: manifest.json is missing (the zip holds ${list.length === 0 ? 'nothing' : list.slice(0, 8).join(', ') + (list.length > 8 ? ', ...' : '')}).`,
      'manifest.json',
    );
  }
  const m = parseJson(files, 'manifest.json') as Partial<BundleManifest> | null;
  if (typeof m !== 'object' || m === null) throw new BundleError('manifest.json is not an object.', 'manifest.json');
  if (m.format !== BUNDLE_FORMAT) throw new BundleError(`Not a DaRec Playground bundle: manifest.json has format ${JSON.stringify(m.format)}.`, 'manifest.json');
  if (typeof m.version !== 'number' || !Number.isInteger(m.version)) throw new BundleError('manifest.json has no version number.', 'manifest.json');
  if (m.version > BUNDLE_VERSION) {
    throw new BundleError(`This bundle was made by a newer version of the app (bundle version ${m.version}; this app reads version ${BUNDLE_VERSION}). Update the app to open it.`, 'manifest.json');
  }
  if (m.version !== BUNDLE_VERSION) throw new BundleError(`Unknown bundle version ${m.version} (this app reads version ${BUNDLE_VERSION}).`, 'manifest.json');
  if (!Array.isArray(m.files)) throw new BundleError('manifest.json has no file list.', 'manifest.json');
  return m as BundleManifest;
}

function checkFiles(files: Record<string, Uint8Array>, m: BundleManifest): void {
  const listed = new Set(m.files.map((f) => f.path));
  for (const req of REQUIRED) if (!listed.has(req)) throw new BundleError(`The bundle is incomplete: manifest.json does not list ${req}.`, req);
  for (const f of m.files) {
    const data = files[f.path];
    if (!data) throw new BundleError(`The bundle is incomplete: ${f.path} is listed in manifest.json but missing from the zip.`, f.path);
    if (data.length !== f.bytes) throw new BundleError(`${f.path} is corrupt: ${data.length} bytes, manifest.json says ${f.bytes}.`, f.path);
    const crc = crc32(data).toString(16).padStart(8, '0');
    if (typeof f.crc32 === 'string' && crc !== f.crc32.toLowerCase()) throw new BundleError(`${f.path} is corrupt: its CRC-32 is ${crc}, manifest.json says ${f.crc32}.`, f.path);
  }
}

function readDatasetInfo(raw: unknown): BundleDatasetInfo {
  const d = raw as Record<string, unknown> | null;
  const bad = (k: string) => new BundleError(`dataset.json: "${k}" is missing or of the wrong type.`, 'dataset.json');
  if (typeof d !== 'object' || d === null) throw new BundleError('dataset.json is not an object.', 'dataset.json');
  for (const k of ['name', 'fingerprint'] as const) if (typeof d[k] !== 'string') throw bad(k);
  for (const k of ['users', 'items', 'train', 'val', 'test'] as const) if (typeof d[k] !== 'number' || !Number.isInteger(d[k]) || (d[k] as number) < 0) throw bad(k);
  return { name: d.name as string, fingerprint: d.fingerprint as string, users: d.users as number, items: d.items as number, train: d.train as number, val: d.val as number, test: d.test as number };
}

/** Reads and checks a bundle; every problem is a BundleError whose message says which file and what. */
export function readBundle(bytes: Uint8Array): BundleContents {
  const files = unzipBundle(bytes);
  const manifest = readManifest(files);
  checkFiles(files, manifest);

  let config: RunConfig;
  try {
    config = normalizeConfig(parseJson(files, 'config.json'), 'config.json').config;
  } catch (e) {
    throw e instanceof BundleError ? e : new BundleError((e as Error).message, 'config.json');
  }

  let st;
  try {
    st = readSafetensors(files['weights.safetensors']!, 'weights.safetensors');
  } catch (e) {
    throw new BundleError(`weights.safetensors is corrupt: ${(e as Error).message.replace(/^weights\.safetensors: /, '')}`, 'weights.safetensors');
  }
  let transposed: Set<string> | null = null;
  if (st.metadata.transposed !== undefined) {
    try {
      const list = JSON.parse(st.metadata.transposed) as unknown;
      if (Array.isArray(list) && list.every((x) => typeof x === 'string')) transposed = new Set(list);
    } catch {
      /* fall back to the naming rule below */
    }
  }
  const weights: Record<string, BundleWeight> = {};
  for (const [name, t] of Object.entries(st.tensors)) {
    if (!(t.data instanceof Float32Array)) throw new BundleError(`weights.safetensors: tensor "${name}" is ${t.dtype}, expected float32.`, 'weights.safetensors');
    // Places as in the file (PyTorch layout), where the user would look.
    checkFiniteWeight(name, t);
    const linear = transposed ? transposed.has(name) : weightLayoutFor(name, t.shape) === 'torch';
    if (linear) {
      if (t.shape.length !== 2) throw new BundleError(`weights.safetensors: "${name}" is listed as a Linear weight but has shape [${t.shape.join(', ')}].`, 'weights.safetensors');
      const [outDim, inDim] = t.shape as [number, number];
      weights[name] = { shape: [inDim, outDim], data: transpose(t.data, outDim, inDim), layout: 'torch' };
    } else weights[name] = { shape: t.shape, data: t.data };
  }

  const embeddings: Record<string, BundleEmbedding> = {};
  // Only files the manifest lists (and so were size- and CRC-checked) are read.
  for (const path of manifest.files.map((f) => f.path).sort()) {
    const m = /^embeddings\/(.+)\.npy$/.exec(path);
    if (!m) continue;
    try {
      const e = readNpy(files[path]!, path);
      embeddings[m[1]!] = { rows: e.rows, cols: e.cols, data: e.data };
    } catch (err) {
      throw new BundleError(`${path} is corrupt: ${(err as Error).message.replace(`${path}: `, '')}`, path);
    }
  }

  const metrics = parseJson(files, 'metrics.json');
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) throw new BundleError('metrics.json must hold a JSON object.', 'metrics.json');
  let history: HistoryEntry[];
  try {
    history = parseHistoryCsv(strFromU8(files['history.csv']!), 'history.csv');
  } catch (e) {
    throw new BundleError((e as Error).message, 'history.csv');
  }
  const idMaps = {
    users: parseIdMapTsv(strFromU8(files['id_map_users.tsv']!), 'id_map_users.tsv'),
    items: parseIdMapTsv(strFromU8(files['id_map_items.tsv']!), 'id_map_items.tsv'),
  };
  const dataset = readDatasetInfo(parseJson(files, 'dataset.json'));

  let trainInteractions: BundleContents['trainInteractions'];
  const trainFile = manifest.files.some((f) => f.path === 'train_interactions.safetensors') ? files['train_interactions.safetensors'] : undefined;
  if (trainFile) {
    try {
      const t = readSafetensors(trainFile, 'train_interactions.safetensors').tensors;
      const users = t.user?.data, items = t.item?.data;
      if (!(users instanceof Int32Array) || !(items instanceof Int32Array) || users.length !== items.length) throw new Error('expected int32 "user" and "item" of equal length');
      trainInteractions = { users, items };
    } catch (e) {
      throw new BundleError(`train_interactions.safetensors is corrupt: ${(e as Error).message.replace(/^train_interactions\.safetensors: /, '')}`, 'train_interactions.safetensors');
    }
  }

  const contents: BundleContents = { version: 1, config, weights, embeddings, metrics, history, idMaps, dataset, created: manifest.created };
  if (trainInteractions) contents.trainInteractions = trainInteractions;
  const problems = bundleShapeProblems(contents);
  if (problems.length > 0) {
    const shown = problems.slice(0, 10);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
    throw new BundleError(`The bundle's shapes disagree with its config and dataset:\n- ${shown.join('\n- ')}`);
  }
  return contents;
}

// ---------------------------------------------------------------------------------------------
// Consistency

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Every way the tensors disagree with config.json (embedding size, backbone, alignment) and
 * dataset.json (user / item counts). Weights are in app layout (Linear `[in, out]`).
 */
export function bundleShapeProblems(c: BundleContents): string[] {
  const p: string[] = [];
  const U = c.dataset.users, I = c.dataset.items, D = c.config.model.embeddingSize, C = cfOutDim(c.config);
  const why = `dataset.json: ${U} users, ${I} items; config: embeddingSize ${D}`;
  if (c.idMaps.users.length !== U) p.push(`id_map_users.tsv has ${c.idMaps.users.length} users, dataset.json ${U}`);
  if (c.idMaps.items.length !== I) p.push(`id_map_items.tsv has ${c.idMaps.items.length} items, dataset.json ${I}`);

  const expect = (name: string, want: number[], reason: string) => {
    const w = c.weights[name];
    if (!w) p.push(`weights.safetensors has no "${name}"`);
    else if (fmt(w.shape) !== fmt(want)) p.push(`"${name}" is ${fmt(w.shape)}, expected ${fmt(want)} (${reason})`);
  };
  expect('user_embeds', [U, D], why);
  expect('item_embeds', [I, D], why);

  // Dimension of the LLM side: every place that shows it must agree.
  const llm: { where: string; dim: number }[] = [];
  // One line per wrong width, not per file: a wrong embedding size would otherwise list ten files.
  const wrongCols = new Map<number, string[]>();
  for (const [name, e] of Object.entries(c.embeddings)) {
    const side = name.endsWith('_users') ? 'users' : name.endsWith('_items') ? 'items' : null;
    if (side && e.rows !== (side === 'users' ? U : I)) p.push(`embeddings/${name}.npy has ${e.rows} rows, dataset.json has ${side === 'users' ? U : I} ${side}`);
    if (/^(cf|shared_cf|specific_cf|shared_llm|specific_llm)_(users|items)$/.test(name) && e.cols !== C) {
      wrongCols.set(e.cols, [...(wrongCols.get(e.cols) ?? []), `${name}.npy`]);
    }
    if (/^llm_(users|items)$/.test(name)) llm.push({ where: `embeddings/${name}.npy`, dim: e.cols });
  }
  for (const [cols, names] of wrongCols) {
    p.push(`embeddings ${names.join(', ')} ${names.length > 1 ? 'have' : 'has'} ${cols} columns, expected ${C} (the ${c.config.model.backbone} output size for embeddingSize ${D})`);
  }

  // 2-layer MLPs: layer 0 [in, h], bias [h], layer 2 [h, out], bias [out].
  const mlps = new Map<string, { in: number; out: number }>();
  for (const name of Object.keys(c.weights)) {
    const m = /^(.+)\.0\.weight$/.exec(name);
    if (!m) continue;
    const pre = m[1]!;
    const w0 = c.weights[`${pre}.0.weight`]!, b0 = c.weights[`${pre}.0.bias`], w2 = c.weights[`${pre}.2.weight`], b2 = c.weights[`${pre}.2.bias`];
    if (w0.shape.length !== 2 || !w2 || w2.shape.length !== 2 || !b0 || !b2) {
      p.push(`MLP "${pre}" is incomplete or malformed (needs ${pre}.0.weight, .0.bias, .2.weight, .2.bias; Linear weights rank 2)`);
      continue;
    }
    const [in0, h] = w0.shape as [number, number];
    const [h2, out] = w2.shape as [number, number];
    if (h2 !== h) p.push(`MLP "${pre}": layer 0 outputs ${h} but layer 2 takes ${h2}`);
    if (fmt(b0.shape) !== fmt([h])) p.push(`"${pre}.0.bias" is ${fmt(b0.shape)}, expected [${h}]`);
    if (fmt(b2.shape) !== fmt([out])) p.push(`"${pre}.2.bias" is ${fmt(b2.shape)}, expected [${out}]`);
    mlps.set(pre, { in: in0, out });
  }
  const method = c.config.align.method;
  const need = (name: string, inDim: number | 'L', outDim: number | 'L', required: boolean, inAlt?: number) => {
    const m = mlps.get(name);
    if (!m) {
      if (required) p.push(`alignment ${method} needs MLP "${name}" but weights.safetensors has none`);
      return;
    }
    const side = (want: number | 'L', got: number, what: string, alt?: number) => {
      if (want === 'L') llm.push({ where: `${name} ${what}`, dim: got });
      else if (got !== want && got !== alt) p.push(`MLP "${name}" ${what} is ${got}, expected ${alt !== undefined ? `${want} or ${alt}` : want} (CF size ${C})`);
    };
    side(inDim, m.in, 'input', inAlt);
    side(outDim, m.out, 'output');
  };
  const known = new Set<string>();
  if (method === 'darec') {
    need('sharedCF', C, C, true);
    need('specificCF', C, C, false);
    need('sharedLLM', 'L', C, true);
    need('specificLLM', 'L', C, false);
    need('decoderCF', C, C, false, 2 * C);
    need('decoderLLM', C, 'L', false, 2 * C);
    ['sharedCF', 'specificCF', 'sharedLLM', 'specificLLM', 'decoderCF', 'decoderLLM'].forEach((n) => known.add(n));
  } else if (method === 'rlmrec-con') {
    need('mlp', 'L', C, true);
    known.add('mlp');
  } else if (method === 'rlmrec-gen') {
    need('mlp', C, 'L', true);
    known.add('mlp');
    expect('masker.mask_token', [1, C], `RLMRec-Gen mask token of CF size ${C}`);
  }
  for (const name of mlps.keys()) if (!known.has(name)) p.push(`weights.safetensors has MLP "${name}", which alignment "${method}" does not use`);
  const dims = new Set(llm.map((x) => x.dim));
  if (dims.size > 1) p.push(`the LLM embedding size disagrees: ${llm.map((x) => `${x.where} ${x.dim}`).join(', ')}`);

  const t = c.trainInteractions;
  if (t) {
    if (t.users.length !== c.dataset.train) p.push(`train_interactions.safetensors has ${t.users.length} interactions, dataset.json ${c.dataset.train}`);
    for (let k = 0; k < t.users.length; k++) {
      if (t.users[k]! < 0 || t.users[k]! >= U || t.items[k]! < 0 || t.items[k]! >= I) {
        p.push(`train_interactions.safetensors row ${k} (${t.users[k]}, ${t.items[k]}) is outside ${U} users x ${I} items`);
        break;
      }
    }
  }
  return p;
}

function idDiff(kind: 'user' | 'item', bundle: readonly string[], data: readonly string[]): string | null {
  let count = 0;
  let first = -1;
  for (let k = 0; k < bundle.length; k++) {
    if (bundle[k] !== data[k]) {
      count++;
      if (first < 0) first = k;
    }
  }
  if (count === 0) return null;
  return `${kind} ids differ at ${count} of ${bundle.length} indices; first at index ${first}: bundle ${JSON.stringify(bundle[first])}, dataset ${JSON.stringify(data[first])}`;
}

/**
 * Why this bundle does not belong to `ds` (empty when it does): counts, id maps, then — only when
 * those agree, since it would repeat them — the fingerprint (training interactions, item texts).
 */
export function checkBundleAgainstDataset(c: BundleContents, ds: Dataset): string[] {
  const p: string[] = [];
  const b = c.dataset;
  const dn = `the loaded dataset "${ds.name}"`;
  if (b.users !== ds.numUsers) p.push(`users: the bundle has ${b.users}, ${dn} has ${ds.numUsers}`);
  if (b.items !== ds.numItems) p.push(`items: the bundle has ${b.items}, ${dn} has ${ds.numItems}`);
  const splits = [b.train, b.val, b.test].join(' / ');
  const dsSplits = [ds.train.users.length, ds.val.users.length, ds.test.users.length].join(' / ');
  if (splits !== dsSplits) p.push(`train / validation / test interactions: the bundle has ${splits}, ${dn} has ${dsSplits}`);
  const ids = idMapsOf(ds);
  if (b.users === ds.numUsers) {
    const d = idDiff('user', c.idMaps.users, ids.users);
    if (d) p.push(d + (ds.userIds ? '' : ' (the dataset has no original user ids)'));
  }
  if (b.items === ds.numItems) {
    const d = idDiff('item', c.idMaps.items, ids.items);
    if (d) p.push(d + (ds.itemIds ? '' : ' (the dataset has no original item ids)'));
  }
  if (p.length === 0) {
    const fp = datasetFingerprint(ds);
    if (fp !== b.fingerprint) {
      p.push(`same sizes and ids, but the training interactions or item texts differ (fingerprint ${b.fingerprint} in the bundle, ${fp} for ${dn}): another split or version of the data`);
    }
  }
  return p;
}
