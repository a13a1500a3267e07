/**
 * Raw interactions to a training-ready Dataset, in a fixed order that matches
 * RLMRec's description (rating filter, user sampling, k-core): threshold →
 * duplicate removal → user sampling → iterated k-core → id remapping → split.
 * Every step works on a keep-mask over typed arrays (no per-row objects), and
 * every choice is in PreprocessConfig so the same files give the same dataset.
 */
import { Rng } from '../rng';
import { DataError } from './errors';
import type { FormatId } from './detect';
import type { ColumnMapping } from './formats/columns';
import type { RawDataset } from './formats/index';
import type { RawInteractions } from './formats/sink';
import { randomSplit } from './split';
import type { Dataset, Interactions, ItemText } from './types';

export type SplitKind = 'random' | 'loo' | 'temporal' | 'given';

export interface PreprocessConfig {
  /** 'auto' detects; a FormatId forces one. */
  format: FormatId | 'auto';
  /** Column mapping for formats that need one; detection's guess when absent. */
  mapping?: ColumnMapping;
  /** Keep rows with rating >= threshold (implicit feedback); null keeps all. Rows without a rating are kept. */
  threshold: number | null;
  /** Keep one row per (user, item): the earliest (by time, else by file order); with 'given' the latest split wins. */
  dedup: boolean;
  /** Iterated k-core: drop users with < user and items with < item interactions until stable; 0 = off. */
  kcore: { user: number; item: number };
  /** Fraction of users kept by uniform sampling (seeded); 1 = all. */
  sampleUsers: number;
  split: SplitKind;
  /** train:val:test for 'random' and 'temporal'. */
  ratio: [number, number, number];
  /** Seeds the split (and, as seed + 1, the user sampling). */
  seed: number;
  /** Dataset name; the folder/archive/file name when absent. */
  name?: string;
}

export const DEFAULT_PREPROCESS: Readonly<PreprocessConfig> = Object.freeze({
  format: 'auto',
  threshold: null,
  dedup: true,
  kcore: Object.freeze({ user: 0, item: 0 }) as { user: number; item: number },
  sampleUsers: 1,
  split: 'random',
  ratio: Object.freeze([3, 1, 1]) as unknown as [number, number, number],
  seed: 2024,
});

const SPLITS: SplitKind[] = ['random', 'loo', 'temporal', 'given'];

function configError(expected: string, got: unknown): DataError {
  return new DataError({ file: 'preprocessing options', expected, got: JSON.stringify(got) });
}

/** Defaults filled in and every field checked; the result is a fresh plain object (safe to serialise). */
export function preprocessConfig(partial: Partial<PreprocessConfig> = {}): PreprocessConfig {
  const c: PreprocessConfig = {
    format: partial.format ?? DEFAULT_PREPROCESS.format,
    threshold: partial.threshold === undefined ? DEFAULT_PREPROCESS.threshold : partial.threshold,
    dedup: partial.dedup ?? DEFAULT_PREPROCESS.dedup,
    kcore: { ...DEFAULT_PREPROCESS.kcore, ...partial.kcore },
    sampleUsers: partial.sampleUsers ?? DEFAULT_PREPROCESS.sampleUsers,
    split: partial.split ?? DEFAULT_PREPROCESS.split,
    ratio: [...(partial.ratio ?? DEFAULT_PREPROCESS.ratio)] as [number, number, number],
    seed: partial.seed ?? DEFAULT_PREPROCESS.seed,
  };
  if (partial.mapping) c.mapping = structuredCloneJson(partial.mapping);
  if (partial.name) c.name = partial.name;
  if (c.threshold !== null && !Number.isFinite(c.threshold)) throw configError('threshold to be a number or null', c.threshold);
  for (const k of ['user', 'item'] as const) {
    const v = c.kcore[k];
    if (!Number.isInteger(v) || v < 0) throw configError(`kcore.${k} to be an integer >= 0`, v);
  }
  if (!(c.sampleUsers > 0 && c.sampleUsers <= 1)) throw configError('sampleUsers to be a fraction in (0, 1]', c.sampleUsers);
  if (!SPLITS.includes(c.split)) throw configError(`split to be one of ${SPLITS.join(', ')}`, c.split);
  if (!isSplitRatio(c.ratio)) throw configError('ratio to be three numbers >= 0 with train > 0', c.ratio);
  if (!Number.isInteger(c.seed)) throw configError('seed to be an integer', c.seed);
  return c;
}

/** The split-ratio rule (train:val:test): three finite numbers >= 0 with train > 0. Shared with the page's ratio field. */
export function isSplitRatio(r: readonly number[]): r is [number, number, number] {
  return r.length === 3 && r.every(x => Number.isFinite(x) && x >= 0) && r[0]! > 0;
}

function structuredCloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export interface StepReport {
  step: 'threshold' | 'dedup' | 'sample' | 'kcore';
  /** What was done, in words ("rating >= 4", "10-core in 3 rounds"). */
  detail: string;
  rowsBefore: number;
  rowsAfter: number;
  removedRows: number;
  removedUsers: number;
  removedItems: number;
}

export interface PreprocessReport {
  name: string;
  format: string;
  source: string;
  config: PreprocessConfig;
  input: { rows: number; users: number; items: number; hasRating: boolean; hasTimestamp: boolean; hasGivenSplit: boolean };
  steps: StepReport[];
  output: { rows: number; users: number; items: number };
  split: { kind: SplitKind; train: number; val: number; test: number; detail: string };
  itemText: { items: number; withText: number; file: string } | null;
  files: { used: string[]; ignored: string[] };
  warnings: string[];
}

interface Counts {
  rows: number;
  users: number;
  items: number;
}

function countKept(raw: RawInteractions, keep: Uint8Array): Counts {
  const u = new Uint8Array(raw.userIds.length);
  const it = new Uint8Array(raw.itemIds.length);
  let rows = 0, users = 0, items = 0;
  for (let k = 0; k < keep.length; k++) {
    if (!keep[k]) continue;
    rows++;
    const a = raw.users[k]!, b = raw.items[k]!;
    if (!u[a]) (u[a] = 1), users++;
    if (!it[b]) (it[b] = 1), items++;
  }
  return { rows, users, items };
}

export function preprocess(data: RawDataset, config: PreprocessConfig): { dataset: Dataset; report: PreprocessReport } {
  const cfg = preprocessConfig(config);
  const raw = data.interactions;
  const n = raw.users.length;
  const keep = new Uint8Array(n).fill(1);
  const input = countKept(raw, keep);
  const steps: StepReport[] = [];
  const warnings = [...data.warnings];
  let cur = input;
  const record = (step: StepReport['step'], detail: string) => {
    const next = countKept(raw, keep);
    steps.push({ step, detail, rowsBefore: cur.rows, rowsAfter: next.rows, removedRows: cur.rows - next.rows, removedUsers: cur.users - next.users, removedItems: cur.items - next.items });
    cur = next;
  };

  if (cfg.threshold !== null) {
    applyThreshold(raw, keep, cfg.threshold);
    record('threshold', `rating >= ${cfg.threshold}`);
  }
  if (cfg.dedup) {
    dedup(raw, keep, cfg.split === 'given');
    record('dedup', 'one row per (user, item)');
  }
  if (cfg.sampleUsers < 1) {
    sampleUsers(raw, keep, cfg.sampleUsers, cfg.seed + 1);
    record('sample', `${Math.round(cfg.sampleUsers * 1000) / 10}% of users (seed ${cfg.seed + 1})`);
  }
  if (cfg.kcore.user > 0 || cfg.kcore.item > 0) {
    const rounds = kcore(raw, keep, cfg.kcore.user, cfg.kcore.item);
    record('kcore', `users >= ${cfg.kcore.user}, items >= ${cfg.kcore.item} interactions (${rounds} round${rounds === 1 ? '' : 's'})`);
    if (cur.rows === 0) {
      throw new DataError({
        file: raw.source,
        expected: `some users with >= ${cfg.kcore.user} and items with >= ${cfg.kcore.item} interactions to survive the k-core`,
        got: 'none (every interaction was removed)',
        hint: 'lower the k-core',
      });
    }
  }

  const remap = remapIds(raw, keep);
  const splitRes = split(raw, keep, remap, cfg);
  const { train, val, test } = splitRes;
  let itemText: ItemText[] | undefined;
  let textReport: PreprocessReport['itemText'] = null;
  if (data.meta) {
    const texts = data.meta.texts;
    let withText = 0;
    itemText = remap.itemIds.map(id => {
      const t = texts.get(id);
      if (t) withText++;
      return t ?? { title: '' };
    });
    textReport = { items: remap.itemIds.length, withText, file: data.meta.file };
    if (withText < remap.itemIds.length) warnings.push(`${remap.itemIds.length - withText} of ${remap.itemIds.length} items have no text in ${data.meta.file}`);
  }
  if (val.users.length === 0) warnings.push('the validation split is empty');
  if (test.users.length === 0) warnings.push('the test split is empty');

  const dataset: Dataset = {
    name: cfg.name ?? data.name,
    numUsers: remap.userIds.length,
    numItems: remap.itemIds.length,
    train,
    val,
    test,
    userIds: remap.userIds,
    itemIds: remap.itemIds,
  };
  if (itemText) dataset.itemText = itemText;
  const report: PreprocessReport = {
    name: dataset.name,
    format: data.format,
    source: raw.source,
    config: cfg,
    input: { ...input, hasRating: raw.ratings !== null, hasTimestamp: raw.timestamps !== null, hasGivenSplit: raw.labels !== null },
    steps,
    output: { rows: cur.rows, users: dataset.numUsers, items: dataset.numItems },
    split: { kind: cfg.split, train: train.users.length, val: val.users.length, test: test.users.length, detail: splitRes.detail },
    itemText: textReport,
    files: data.files,
    warnings,
  };
  return { dataset, report };
}

function applyThreshold(raw: RawInteractions, keep: Uint8Array, t: number): void {
  const r = raw.ratings;
  if (!r) {
    throw new DataError({ file: raw.source, expected: `a rating column to apply the threshold rating >= ${t}`, got: 'interactions without ratings', hint: 'turn the threshold off' });
  }
  let lo = Infinity, hi = -Infinity, kept = 0;
  for (let k = 0; k < keep.length; k++) {
    const v = r[k]!;
    if (Number.isNaN(v)) {
      kept++;
      continue;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v >= t) kept++;
    else keep[k] = 0;
  }
  if (kept === 0) {
    throw new DataError({ file: raw.source, expected: `at least one interaction with rating >= ${t}`, got: `none (ratings range from ${lo} to ${hi})`, hint: 'lower the threshold' });
  }
}

/** Row indices of kept rows grouped by user (stable: file order within a user). */
function groupByUser(users: Int32Array, keep: Uint8Array | null, numUsers: number): { order: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(numUsers + 1);
  for (let k = 0; k < users.length; k++) if (!keep || keep[k]) offsets[users[k]! + 1]!++;
  for (let u = 0; u < numUsers; u++) offsets[u + 1]! += offsets[u]!;
  const fill = offsets.slice(0, numUsers);
  const order = new Int32Array(offsets[numUsers]!);
  for (let k = 0; k < users.length; k++) if (!keep || keep[k]) order[fill[users[k]!]!++] = k;
  return { order, offsets };
}

/**
 * Within each user, rows are sorted by item with a packed Float64 key
 * (item * 2^bits + position) so the native typed-array sort does the work;
 * then one winner per (user, item) run.
 */
function dedup(raw: RawInteractions, keep: Uint8Array, preferLaterSplit: boolean): void {
  const { order, offsets } = groupByUser(raw.users, keep, raw.userIds.length);
  let maxDeg = 0;
  for (let u = 0; u < raw.userIds.length; u++) maxDeg = Math.max(maxDeg, offsets[u + 1]! - offsets[u]!);
  const bits = Math.max(1, Math.ceil(Math.log2(maxDeg + 1)));
  const scale = 2 ** bits;
  if (raw.itemIds.length * scale > 2 ** 53) throw new Error('dedup: too many items x interactions per user to pack');
  const keys = new Float64Array(maxDeg);
  const ts = raw.timestamps;
  const labels = preferLaterSplit ? raw.labels : null;
  // Is row a preferred over row b (both the same user and item)?
  const better = (a: number, b: number): boolean => {
    if (labels && labels[a] !== labels[b]) return labels[a]! > labels[b]!;
    if (ts) {
      const x = ts[a]!, y = ts[b]!;
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return Number.isNaN(y) || x < y;
    }
    return a < b;
  };
  for (let u = 0; u < raw.userIds.length; u++) {
    const s = offsets[u]!, m = offsets[u + 1]! - s;
    if (m < 2) continue;
    const kv = keys.subarray(0, m);
    for (let j = 0; j < m; j++) kv[j] = raw.items[order[s + j]!]! * scale + j;
    kv.sort();
    let j = 0;
    while (j < m) {
      const item = Math.floor(kv[j]! / scale);
      let best = order[s + (kv[j]! - item * scale)]!;
      let e = j + 1;
      for (; e < m && Math.floor(kv[e]! / scale) === item; e++) {
        const row = order[s + (kv[e]! - item * scale)]!;
        if (better(row, best)) {
          keep[best] = 0;
          best = row;
        } else keep[row] = 0;
      }
      j = e;
    }
  }
}

function sampleUsers(raw: RawInteractions, keep: Uint8Array, fraction: number, seed: number): void {
  const present = new Uint8Array(raw.userIds.length);
  for (let k = 0; k < keep.length; k++) if (keep[k]) present[raw.users[k]!] = 1;
  const list: number[] = [];
  for (let u = 0; u < present.length; u++) if (present[u]) list.push(u);
  const ids = Int32Array.from(list);
  new Rng(seed).shuffle(ids);
  const m = Math.max(1, Math.round(fraction * ids.length));
  const chosen = new Uint8Array(raw.userIds.length);
  for (let j = 0; j < m; j++) chosen[ids[j]!] = 1;
  for (let k = 0; k < keep.length; k++) if (keep[k] && !chosen[raw.users[k]!]) keep[k] = 0;
}

/** Iterated k-core: degrees are recounted until no row is removed; returns the number of rounds. */
export function kcore(raw: Pick<RawInteractions, 'users' | 'items' | 'userIds' | 'itemIds'>, keep: Uint8Array, ku: number, ki: number): number {
  const du = new Int32Array(raw.userIds.length);
  const di = new Int32Array(raw.itemIds.length);
  for (let round = 1; ; round++) {
    du.fill(0);
    di.fill(0);
    for (let k = 0; k < keep.length; k++) {
      if (!keep[k]) continue;
      du[raw.users[k]!]!++;
      di[raw.items[k]!]!++;
    }
    let removed = 0;
    for (let k = 0; k < keep.length; k++) {
      if (keep[k] && (du[raw.users[k]!]! < ku || di[raw.items[k]!]! < ki)) {
        keep[k] = 0;
        removed++;
      }
    }
    if (removed === 0) return round;
  }
}

interface Remap {
  user: Int32Array;
  item: Int32Array;
  userIds: string[];
  itemIds: string[];
}

/**
 * Contiguous indices for the ids that survived. All-integer ids are numbered in
 * numeric order (user "1" becomes 0, and RLMRec's 0-based ids stay the same);
 * other ids keep their order of first appearance, which is as deterministic
 * and avoids a comparator sort over millions of strings.
 */
function remapIds(raw: RawInteractions, keep: Uint8Array): Remap {
  const make = (ids: string[], col: Int32Array) => {
    const present = new Uint8Array(ids.length);
    for (let k = 0; k < keep.length; k++) if (keep[k]) present[col[k]!] = 1;
    const idx: number[] = [];
    for (let j = 0; j < ids.length; j++) if (present[j]) idx.push(j);
    if (idx.every(j => /^-?\d{1,15}$/.test(ids[j]!))) {
      const val = new Float64Array(ids.length);
      for (const j of idx) val[j] = Number(ids[j]);
      idx.sort((a, b) => val[a]! - val[b]!);
    }
    const map = new Int32Array(ids.length).fill(-1);
    idx.forEach((j, r) => (map[j] = r));
    return { map, out: idx.map(j => ids[j]!) };
  };
  const u = make(raw.userIds, raw.users);
  const i = make(raw.itemIds, raw.items);
  return { user: u.map, item: i.map, userIds: u.out, itemIds: i.out };
}

interface SplitOut {
  train: Interactions;
  val: Interactions;
  test: Interactions;
  detail: string;
}

function split(raw: RawInteractions, keep: Uint8Array, remap: Remap, cfg: PreprocessConfig): SplitOut {
  // Compact the kept rows, in file order, into remapped arrays.
  let m = 0;
  for (let k = 0; k < keep.length; k++) if (keep[k]) m++;
  const users = new Int32Array(m);
  const items = new Int32Array(m);
  // Times and labels are copied only for the splits that read them (200 MB at 25M rows).
  const ts = raw.timestamps && (cfg.split === 'loo' || cfg.split === 'temporal') ? new Float64Array(m) : null;
  const labels = raw.labels && cfg.split === 'given' ? new Uint8Array(m) : null;
  for (let k = 0, o = 0; k < keep.length; k++) {
    if (!keep[k]) continue;
    users[o] = remap.user[raw.users[k]!]!;
    items[o] = remap.item[raw.items[k]!]!;
    if (ts) ts[o] = raw.timestamps![k]!;
    if (labels) labels[o] = raw.labels![k]!;
    o++;
  }
  const all: Interactions = { users, items };
  const nU = remap.userIds.length, nI = remap.itemIds.length;
  switch (cfg.split) {
    case 'random': {
      const s = randomSplit(all, nU, nI, cfg.seed, cfg.ratio);
      return { ...s, detail: `random ${cfg.ratio.join(':')} by interaction, every user and item kept in train (seed ${cfg.seed})` };
    }
    case 'given': {
      if (!labels) {
        throw new DataError({ file: raw.source, expected: 'a given split (train/val/test files) for split "given"', got: 'one unsplit set of interactions', hint: 'choose random, loo or temporal' });
      }
      return { ...bySplitLabel(all, labels), detail: 'as given by the files' };
    }
    case 'loo': {
      const lab = leaveOneOut(users, nU, ts, cfg.seed);
      const out = bySplitLabel(all, lab.labels);
      return { ...out, detail: `leave-one-out: ${ts ? 'latest' : 'a random'} interaction to test, the one before to validation, for ${lab.users} users with >= 3 interactions${ts ? '' : ` (no timestamps; seed ${cfg.seed})`}` };
    }
    case 'temporal': {
      if (!ts) throw new DataError({ file: raw.source, expected: 'timestamps for the temporal split', got: 'interactions without a time column', hint: 'choose random or loo' });
      let missing = 0;
      for (let k = 0; k < m; k++) if (Number.isNaN(ts[k]!)) missing++;
      if (missing > 0) throw new DataError({ file: raw.source, expected: 'a timestamp on every interaction for the temporal split', got: `${missing} without one` });
      const lab = temporalLabels(ts, cfg.ratio);
      return { ...bySplitLabel(all, lab.labels), detail: `global time cut ${cfg.ratio.join(':')}: train before ${lab.cut1}, test from ${lab.cut2}` };
    }
  }
}

function bySplitLabel(all: Interactions, labels: Uint8Array): { train: Interactions; val: Interactions; test: Interactions } {
  const counts = [0, 0, 0];
  for (let k = 0; k < labels.length; k++) counts[labels[k]!]!++;
  const parts = counts.map(c => ({ users: new Int32Array(c), items: new Int32Array(c) }));
  const fill = [0, 0, 0];
  for (let k = 0; k < labels.length; k++) {
    const l = labels[k]!;
    const p = parts[l]!;
    const o = fill[l]!++;
    p.users[o] = all.users[k]!;
    p.items[o] = all.items[k]!;
  }
  return { train: parts[0]!, val: parts[1]!, test: parts[2]! };
}

/**
 * Per user with >= 3 interactions: the latest (ties: later in the file) goes to
 * test, the one before to validation. One linear pass tracking the top two,
 * instead of sorting each user's history. Without timestamps both are drawn at random.
 */
export function leaveOneOut(users: Int32Array, numUsers: number, ts: Float64Array | null, seed: number): { labels: Uint8Array; users: number } {
  const labels = new Uint8Array(users.length);
  const { order, offsets } = groupByUser(users, null, numUsers);
  const rng = new Rng(seed);
  let eligible = 0;
  const later = (a: number, b: number) => {
    const x = ts![a]!, y = ts![b]!;
    if (x !== y) return Number.isNaN(y) || x > y;
    return a > b;
  };
  for (let u = 0; u < numUsers; u++) {
    const s = offsets[u]!, m = offsets[u + 1]! - s;
    if (m < 3) continue;
    eligible++;
    let first: number, second: number;
    if (ts) {
      first = -1;
      second = -1;
      for (let j = 0; j < m; j++) {
        const r = order[s + j]!;
        if (first === -1 || later(r, first)) {
          second = first;
          first = r;
        } else if (second === -1 || later(r, second)) second = r;
      }
    } else {
      const a = rng.int(m);
      let b = rng.int(m - 1);
      if (b >= a) b++;
      first = order[s + a]!;
      second = order[s + b]!;
    }
    labels[first] = 2;
    labels[second] = 1;
  }
  return { labels, users: eligible };
}

/**
 * Global temporal split: rows ordered by (time, file position); the first
 * ratio[0] share is train, the next ratio[1] validation, the rest test. Needs
 * one native sort of the times, not a comparator sort of rows.
 */
export function temporalLabels(ts: Float64Array, ratio: [number, number, number]): { labels: Uint8Array; cut1: number; cut2: number } {
  const n = ts.length;
  const total = ratio[0] + ratio[1] + ratio[2];
  const p1 = Math.round((n * ratio[0]) / total);
  const p2 = Math.min(n, p1 + Math.round((n * ratio[1]) / total));
  const sorted = Float64Array.from(ts).sort();
  const cut = (p: number) => {
    if (p >= n) return { v: Infinity, quota: 0 };
    const v = sorted[p]!;
    let lo = 0, hi = p;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return { v, quota: p - lo };
  };
  const c1 = cut(p1), c2 = cut(p2);
  const labels = new Uint8Array(n);
  let eq1 = 0, eq2 = 0;
  for (let k = 0; k < n; k++) {
    const t = ts[k]!;
    let before1 = t < c1.v;
    if (t === c1.v) before1 = eq1++ < c1.quota;
    let before2 = t < c2.v;
    if (t === c2.v) before2 = eq2++ < c2.quota;
    labels[k] = before1 ? 0 : before2 ? 1 : 2;
  }
  return { labels, cut1: c1.v, cut2: c2.v };
}
