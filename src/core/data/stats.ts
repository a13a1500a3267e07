/**
 * Numbers a researcher checks before training: sizes per split, density,
 * degree distributions (log-binned, since they are heavy-tailed), and how many
 * users/items are cold (few or no training interactions).
 */
import type { PreprocessReport } from './preprocess';
import type { Dataset, Interactions } from './types';

export interface DegreeBin {
  /** Inclusive degree range of the bin: [0,0], [1,1], [2,3], [4,7], ... */
  from: number;
  to: number;
  count: number;
}

export interface DegreeSummary {
  min: number;
  max: number;
  mean: number;
  median: number;
}

export interface DatasetStats {
  name: string;
  users: number;
  items: number;
  interactions: { train: number; val: number; test: number; total: number };
  /** All splits / (users x items). */
  density: number;
  trainDensity: number;
  /** Training-set degree per user / item, log2-binned. */
  userDegree: DegreeBin[];
  itemDegree: DegreeBin[];
  userDegreeSummary: DegreeSummary;
  itemDegreeSummary: DegreeSummary;
  coldStart: {
    /** "Cold" means fewer than this many training interactions. */
    threshold: number;
    users: number;
    items: number;
    usersWithoutTrain: number;
    itemsWithoutTrain: number;
    /** Validation/test rows whose user or item never occurs in train. */
    evalRowsUnseenUser: number;
    evalRowsUnseenItem: number;
  };
  usersInVal: number;
  usersInTest: number;
  itemsWithText: number | null;
  report?: PreprocessReport;
}

export function degrees(x: Interactions, n: number, side: 'users' | 'items'): Int32Array {
  const d = new Int32Array(n);
  const col = x[side];
  for (let k = 0; k < col.length; k++) d[col[k]!]!++;
  return d;
}

/** Bin 0 holds degree 0; bin b >= 1 holds degrees [2^(b-1), 2^b - 1]. */
export function logHistogram(deg: Int32Array): DegreeBin[] {
  let max = 0;
  for (let k = 0; k < deg.length; k++) if (deg[k]! > max) max = deg[k]!;
  const nb = max === 0 ? 1 : Math.floor(Math.log2(max)) + 2;
  const counts = new Array<number>(nb).fill(0);
  for (let k = 0; k < deg.length; k++) {
    const v = deg[k]!;
    const b = v === 0 ? 0 : Math.floor(Math.log2(v)) + 1;
    counts[b]!++;
  }
  return counts.map((count, b) => ({ from: b === 0 ? 0 : 2 ** (b - 1), to: b === 0 ? 0 : 2 ** b - 1, count }));
}

function summary(deg: Int32Array): DegreeSummary {
  if (deg.length === 0) return { min: 0, max: 0, mean: 0, median: 0 };
  const s = Int32Array.from(deg).sort();
  let sum = 0;
  for (let k = 0; k < s.length; k++) sum += s[k]!;
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, max: s[s.length - 1]!, mean: sum / s.length, median };
}

function distinct(col: Int32Array, n: number): number {
  const seen = new Uint8Array(n);
  let c = 0;
  for (let k = 0; k < col.length; k++) if (!seen[col[k]!]) (seen[col[k]!] = 1), c++;
  return c;
}

export function computeStats(d: Dataset, report?: PreprocessReport, coldThreshold = 5): DatasetStats {
  const du = degrees(d.train, d.numUsers, 'users');
  const di = degrees(d.train, d.numItems, 'items');
  let coldU = 0, coldI = 0, noU = 0, noI = 0;
  for (let k = 0; k < du.length; k++) {
    if (du[k]! < coldThreshold) coldU++;
    if (du[k] === 0) noU++;
  }
  for (let k = 0; k < di.length; k++) {
    if (di[k]! < coldThreshold) coldI++;
    if (di[k] === 0) noI++;
  }
  let unseenU = 0, unseenI = 0;
  for (const x of [d.val, d.test]) {
    for (let k = 0; k < x.users.length; k++) {
      if (du[x.users[k]!] === 0) unseenU++;
      if (di[x.items[k]!] === 0) unseenI++;
    }
  }
  const tr = d.train.users.length, va = d.val.users.length, te = d.test.users.length;
  const cells = d.numUsers * d.numItems;
  const stats: DatasetStats = {
    name: d.name,
    users: d.numUsers,
    items: d.numItems,
    interactions: { train: tr, val: va, test: te, total: tr + va + te },
    density: cells ? (tr + va + te) / cells : 0,
    trainDensity: cells ? tr / cells : 0,
    userDegree: logHistogram(du),
    itemDegree: logHistogram(di),
    userDegreeSummary: summary(du),
    itemDegreeSummary: summary(di),
    coldStart: { threshold: coldThreshold, users: coldU, items: coldI, usersWithoutTrain: noU, itemsWithoutTrain: noI, evalRowsUnseenUser: unseenU, evalRowsUnseenItem: unseenI },
    usersInVal: distinct(d.val.users, d.numUsers),
    usersInTest: distinct(d.test.users, d.numUsers),
    itemsWithText: d.itemText ? d.itemText.filter(t => t.title || t.description || t.categories?.length).length : null,
  };
  if (report) stats.report = report;
  return stats;
}
