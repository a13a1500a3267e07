/**
 * Colourings of the inspection scatter plots. Each colouring splits the sampled points into
 * groups, one ECharts series per group: large-mode scatter draws a whole series in one style, so
 * per-point colours would cost per-point objects, which 10k points cannot afford.
 */
import type { SpacesSnapshot } from '../../core/viz/types';

export type ColourBy = 'cluster' | 'category' | 'popularity' | 'side';

export interface Group {
  name: string;
  colour: string;
  /** Positions (rows of the view's embedding) in this group. */
  members: Int32Array;
  /** Marker shape; the overlay draws LLM-side rows as triangles. */
  symbol?: 'circle' | 'triangle';
}

export const COLOUR_LABELS: Record<ColourBy, string> = {
  cluster: 'K-means cluster',
  category: 'category / genre',
  popularity: 'popularity (train degree quintile)',
  side: 'side (CF / LLM)',
};

export const SIDE_COLOURS = { CF: '#1f77b4', LLM: '#d62728' } as const;
const OTHER = '#b0b0b0';
const TABLEAU = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#17becf'];
/** Categories beyond this many share the 'other' colour: more hues are not distinguishable. */
export const MAX_CATEGORIES = 10;

export function paletteColour(k: number, total: number): string {
  if (total <= TABLEAU.length) return TABLEAU[k % TABLEAU.length]!;
  // Golden-angle hues keep neighbouring cluster ids apart when K exceeds the fixed palette.
  return `hsl(${Math.round((k * 137.508) % 360)}, 65%, ${k % 2 ? 42 : 55}%)`;
}

export function availableColourings(s: SpacesSnapshot | undefined): ColourBy[] {
  const out: ColourBy[] = [];
  if (s?.clusters) out.push('cluster');
  if (s?.labels?.categories) out.push('category');
  if (s?.labels?.degree) out.push('popularity');
  out.push('side');
  return out;
}

function fromKeys(keys: (string | null)[], order: string[], names: (key: string) => string, colour: (k: number, total: number) => string): Group[] {
  const buckets = new Map<string, number[]>();
  keys.forEach((key, pos) => {
    const kk = key ?? '\u0000other';
    let b = buckets.get(kk);
    if (!b) buckets.set(kk, (b = []));
    b.push(pos);
  });
  const groups: Group[] = [];
  order.forEach((key, k) => {
    const b = buckets.get(key);
    if (b) groups.push({ name: names(key), colour: colour(k, order.length), members: Int32Array.from(b) });
  });
  const other = buckets.get('\u0000other');
  if (other) groups.push({ name: 'other', colour: OTHER, members: Int32Array.from(other) });
  return groups;
}

/** Quintile boundaries of the degree over all nodes (not just the sample), so bucket meaning does not depend on sampling. */
export function degreeBuckets(degree: Int32Array): { upper: number[]; names: string[] } {
  const sorted = Int32Array.from(degree).sort();
  const upper: number[] = [];
  for (const q of [0.2, 0.4, 0.6, 0.8]) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    if (upper.length === 0 || v > upper[upper.length - 1]!) upper.push(v);
  }
  const max = sorted[sorted.length - 1] ?? 0;
  if (upper.length === 0 || max > upper[upper.length - 1]!) upper.push(max);
  const names = upper.map((u, b) => {
    const lo = b === 0 ? (sorted[0] ?? 0) : upper[b - 1]! + 1;
    return lo === u ? `degree ${u}` : `degree ${lo}–${u}`;
  });
  return { upper, names };
}

/**
 * Groups for one view. `nodeOf[pos]` is the snapshot node drawn at embedding row `pos`;
 * `sideOf(pos)` says whether that row comes from a CF or an LLM space.
 */
export function colourGroups(by: ColourBy, s: SpacesSnapshot, nodeOf: ArrayLike<number>, sideOf: (pos: number) => 'CF' | 'LLM'): Group[] {
  const rows = nodeOf.length;
  if (by === 'cluster' && s.clusters) {
    const clusters = s.clusters;
    const ids = [...new Set(Array.from({ length: rows }, (_, p) => clusters[nodeOf[p]!]!))].sort((a, b) => a - b);
    const keys = Array.from({ length: rows }, (_, p) => String(clusters[nodeOf[p]!]));
    return fromKeys(keys, ids.map(String), (k) => `cluster ${k}`, paletteColour);
  }
  if (by === 'category' && s.labels?.categories) {
    const cats = s.labels.categories;
    const freq = new Map<string, number>();
    for (const c of cats) freq.set(c, (freq.get(c) ?? 0) + 1);
    const top = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_CATEGORIES).map(([c]) => c);
    const topSet = new Set(top);
    const keys = Array.from({ length: rows }, (_, p) => {
      const c = cats[nodeOf[p]!] ?? '';
      return topSet.has(c) ? c : null;
    });
    return fromKeys(keys, top, (c) => c || '(none)', paletteColour);
  }
  if (by === 'popularity' && s.labels?.degree) {
    const degree = s.labels.degree;
    const { upper, names } = degreeBuckets(degree);
    const keys = Array.from({ length: rows }, (_, p) => {
      const d = degree[nodeOf[p]!] ?? 0;
      let b = 0;
      while (b < upper.length - 1 && d > upper[b]!) b++;
      return String(b);
    });
    // Cold to hot: popularity reads as an ordered scale.
    const ramp = ['#313695', '#4575b4', '#fdae61', '#f46d43', '#a50026'];
    return fromKeys(keys, names.map((_, b) => String(b)), (k) => names[Number(k)]!, (k, total) => ramp[Math.round((k * (ramp.length - 1)) / Math.max(1, total - 1))]!);
  }
  const keys = Array.from({ length: rows }, (_, p) => sideOf(p));
  return fromKeys(keys, ['CF', 'LLM'], (k) => (k === 'CF' ? 'CF side' : 'LLM side'), (k) => (k === 0 ? SIDE_COLOURS.CF : SIDE_COLOURS.LLM));
}
