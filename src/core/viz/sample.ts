/**
 * Deterministic subsample for the views: the same (n, labels, max, seed) always keeps the same
 * nodes, so every space and every epoch's snapshot shows the same points and the slider compares
 * like with like. With labels, each label keeps its share (largest remainder), and every label
 * keeps at least one point when the budget allows, so rare categories stay visible.
 */
import { Rng } from '../rng';

export interface SampleOptions {
  /** At most this many points (default 5000). */
  max?: number;
  /** One label per node (category, cluster…): stratify by it. */
  labels?: ArrayLike<number | string>;
  seed?: number;
}

export const DEFAULT_SAMPLE_SIZE = 5000;

/** Kept node indices, ascending. */
export function sampleIndices(n: number, opts: SampleOptions = {}): Int32Array {
  const max = Math.max(0, Math.floor(opts.max ?? DEFAULT_SAMPLE_SIZE));
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(opts.seed ?? 0);
  const labels = opts.labels;
  if (!labels) return sortedPick(Int32Array.from({ length: n }, (_, i) => i), max, rng);
  if (labels.length !== n) throw new Error(`labels has ${labels.length} entries for ${n} nodes`);

  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    let g = groups.get(l);
    if (!g) groups.set(l, (g = []));
    g.push(i);
  }
  const members = [...groups.values()];
  // Largest-remainder apportionment of the budget, proportional to group size.
  const exact = members.map((m) => (m.length * max) / n);
  const quota = exact.map((e) => Math.floor(e));
  let given = quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, gi) => ({ gi, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.gi - b.gi);
  for (const { gi } of byRemainder) {
    if (given >= max) break;
    quota[gi]!++;
    given++;
  }
  // Rare labels get one point each, taken from the currently largest quota.
  if (max >= members.length) {
    for (let gi = 0; gi < members.length; gi++) {
      if (quota[gi]! > 0) continue;
      let donor = 0;
      for (let g = 1; g < quota.length; g++) if (quota[g]! > quota[donor]!) donor = g;
      quota[donor]!--;
      quota[gi] = 1;
    }
  }
  const kept: number[] = [];
  members.forEach((m, gi) => {
    for (const i of sortedPick(Int32Array.from(m), quota[gi]!, rng)) kept.push(i);
  });
  return Int32Array.from(kept).sort();
}

/** `m` of the given indices chosen uniformly (partial Fisher–Yates), ascending. */
function sortedPick(pool: Int32Array, m: number, rng: Rng): Int32Array {
  const take = Math.min(m, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, take).sort();
}
