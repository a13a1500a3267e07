import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PointSet, SpacesSnapshot } from '../../src/core/viz/types';
import { colourGroups, degreeBuckets } from '../../src/ui/inspect/colour';
import { escapeHtml, tooltipHtml } from '../../src/ui/inspect/escape';
import { InspectPanel } from '../../src/ui/inspect/InspectPanel';
import { LossDashboard } from '../../src/ui/inspect/LossDashboard';
import { bestMetrics, lossSeries, metricSeries, type DashboardRun } from '../../src/ui/inspect/lossSeries';
import { buildSeries } from '../../src/ui/inspect/ScatterView';
import { emaSmooth } from '../../src/ui/inspect/smoothing';
import { linkRatio } from '../../src/ui/inspect/AlignmentOverlay';
import { rowOf } from '../../src/ui/inspect/SpacesGrid';
import { DEFAULT_REDUCE_SETTINGS, overallFraction, settingsKey, viewsOf } from '../../src/ui/inspect/useReductions';
import { reductionInput } from '../../src/ui/inspect/views';
import { plantedClusters } from './planted';

const HOSTILE = '<img src=x onerror=alert(1)><script>alert("x")</script>';

function snapshot(n: number, withSpaces: boolean): SpacesSnapshot {
  const mk = (seed: number): PointSet => plantedClusters(n, 8, 3, seed).x;
  return {
    epoch: 3,
    side: 'items',
    spaces: withSpaces ? { sharedCF: mk(1), sharedLLM: mk(2), specificCF: mk(3), specificLLM: mk(4) } : null,
    cf: mk(5),
    llm: mk(6),
    clusters: Int32Array.from({ length: n }, (_, i) => i % 3),
    labels: {
      titles: Array.from({ length: n }, (_, i) => `${HOSTILE} ${i}`),
      categories: Array.from({ length: n }, (_, i) => (i % 2 ? `<b>genre</b>` : 'Drama & "Crime"')),
      degree: Int32Array.from({ length: n }, (_, i) => i % 17),
    },
  };
}

describe('escaping', () => {
  it('escapes the five HTML-significant characters and nothing else', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('Amélie (2001) — ok')).toBe('Amélie (2001) — ok');
    expect(tooltipHtml([HOSTILE, 'cluster 1'])).not.toMatch(/<img|<script/);
    expect(tooltipHtml(['a', 'b'])).toBe('a<br/>b');
  });
});

describe('smoothing and dashboard series', () => {
  it('EMA is debiased, identity at weight 0, and skips non-finite values', () => {
    const pts: [number, number][] = [[0, 1], [1, 1], [2, 1]];
    expect(emaSmooth(pts, 0.9).map(([, y]) => y)).toEqual([1, 1, 1].map((v) => expect.closeTo(v, 12) as unknown as number));
    expect(emaSmooth([[0, 2], [1, 4]], 0)).toEqual([[0, 2], [1, 4]]);
    const s = emaSmooth([[0, 0], [1, NaN], [2, 10]], 0.5);
    expect(s[1]![1]).toBeNaN();
    // (0.5 * 0 + 0.5 * 0) = 0 -> step 2: 0.5 * 0 + 0.5 * 10 = 5, debias 1 - 0.25 = 0.75.
    expect(s[2]![1]).toBeCloseTo(5 / 0.75, 12);
  });

  it('log scale hides terms with non-positive values; runs overlay with prefixed names', () => {
    const runs: DashboardRun[] = [
      { name: 'darec', stepLoss: { bpr: [[0, 0.7], [1, 0.6]] as [number, number][], uni: [[0, -3], [1, -3.2]] as [number, number][] }, val: [{ epoch: 3, metrics: { 'recall@20': 0.1 } }, { epoch: 6, metrics: { 'recall@20': 0.12 } }] },
      { name: 'base', stepLoss: { bpr: [[0, 0.69]] as [number, number][] }, val: [{ epoch: 3, metrics: { 'recall@20': 0.09 } }] },
    ];
    const lin = lossSeries(runs, ['bpr', 'uni'], 0, false);
    expect(lin.series.map((s) => s.name)).toEqual(['darec · bpr', 'base · bpr', 'darec · uni']);
    const log = lossSeries(runs, ['bpr', 'uni'], 0, true);
    expect(log.hidden).toEqual(['uni']);
    expect(metricSeries(runs, ['recall@20']).map((s) => s.points.length)).toEqual([2, 1]);
    expect(bestMetrics(runs[0]!, ['recall@20'])['recall@20']).toEqual({ value: 0.12, epoch: 6 });
  });
});

describe('colourings', () => {
  it('groups cover every row once, with top categories and degree quintiles', () => {
    const s = snapshot(300, true);
    const kept = Int32Array.from({ length: 100 }, (_, i) => i * 3);
    for (const by of ['cluster', 'category', 'popularity', 'side'] as const) {
      const groups = colourGroups(by, s, kept, (p) => (p % 2 ? 'LLM' : 'CF'));
      const seen = new Int32Array(100);
      for (const g of groups) for (const p of g.members) seen[p]!++;
      expect(Array.from(seen).every((c) => c === 1)).toBe(true);
    }
    expect(colourGroups('cluster', s, kept, () => 'CF').map((g) => g.name)).toEqual(['cluster 0']);
    const b = degreeBuckets(Int32Array.from({ length: 100 }, (_, i) => i));
    expect(b.upper).toEqual([20, 40, 60, 80, 99]);
    expect(b.names[0]).toBe('degree 0–20');
    // Mostly-zero degrees collapse into fewer buckets instead of empty ones.
    expect(degreeBuckets(Int32Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : i))).upper).toEqual([0, 99]);
  });

  it('scatter series are typed arrays per group, with lines and a highlight', () => {
    const emb = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const built = buildSeries(emb, [{ name: 'a', colour: '#000', members: Int32Array.from([0, 2]) }, { name: 'b', colour: '#111', members: Int32Array.from([1, 3]) }], Int32Array.from([0, 1]), [3]);
    expect(built.series.map((s) => s.type)).toEqual(['lines', 'scatter', 'scatter', 'scatter']);
    expect(Array.from(built.series[1]!.data as Float32Array)).toEqual([0, 0, 2, 2]);
    expect(built.meta[0]).toBeNull();
    expect(Array.from(built.meta[2]!)).toEqual([1, 3]);
    expect(built.points).toBe(4);
  });

  it('rowOf finds sampled rows; linkRatio is 0 for coincident copies', () => {
    expect(rowOf(Int32Array.from([2, 5, 9]), 5)).toBe(1);
    expect(rowOf(Int32Array.from([2, 5, 9]), 6)).toBe(-1);
    const m = 4;
    const emb = Float32Array.from([0, 0, 5, 0, 0, 5, 5, 5, 0, 0, 5, 0, 0, 5, 5, 5]);
    expect(linkRatio(emb, m, Int32Array.from([0, 1, 2, 3]))).toBe(0);
  });
});

describe('views', () => {
  it('the overlay input stacks normalised shared CF over shared LLM', () => {
    const s = snapshot(50, true);
    const kept = Int32Array.from([1, 4, 9]);
    const x = reductionInput(s, 'overlay', kept, true)!;
    expect(x.n).toBe(6);
    for (let r = 0; r < 6; r++) {
      let q = 0;
      for (let a = 0; a < 8; a++) q += x.data[r * 8 + a]! ** 2;
      expect(q).toBeCloseTo(1, 5);
    }
    expect(reductionInput(snapshot(50, false), 'overlay', kept, true)).toBeNull();
    expect(viewsOf(snapshot(50, true))).toEqual(['sharedCF', 'sharedLLM', 'specificCF', 'specificLLM', 'overlay']);
    expect(viewsOf(snapshot(50, false))).toEqual(['cf', 'llm']);
  });
});

describe('reduction bookkeeping', () => {
  it('overall progress counts finished jobs and running iterations; settings keys ignore t-SNE fields under PCA', () => {
    const base = { embeddings: {}, statuses: {}, error: null, cancelled: false };
    expect(overallFraction({ ...base, progress: {}, jobs: 0, finished: 0, done: true })).toBe(1);
    expect(overallFraction({ ...base, progress: { sharedCF: { iter: 50, total: 100 } }, jobs: 4, finished: 1, done: false })).toBeCloseTo(1.5 / 4, 12);
    expect(settingsKey({ ...DEFAULT_REDUCE_SETTINGS, perplexity: 5 })).toBe(settingsKey(DEFAULT_REDUCE_SETTINGS));
    expect(settingsKey({ ...DEFAULT_REDUCE_SETTINGS, method: 'tsne', perplexity: 5 })).not.toBe(settingsKey({ ...DEFAULT_REDUCE_SETTINGS, method: 'tsne' }));
  });
});

describe('InspectPanel server render', () => {
  it('renders the four views and the neighbour list with hostile titles escaped', () => {
    const html = renderToString(createElement(InspectPanel, { snapshots: [snapshot(120, true), { ...snapshot(120, true), epoch: 6 }], initialPicked: 7 }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const id of ['sharedCF', 'sharedLLM', 'specificCF', 'specificLLM', 'overlay']) expect(html).toContain(`data-testid="view-${id}"`);
    expect(html).toContain('data-testid="neighbours"');
    expect(html).toContain('data-testid="snapshot-slider"');
    expect(html).toContain('epoch 6 (2 of 2)');
  });

  it('without disentangled spaces shows CF and LLM only and explains the missing overlay', () => {
    const html = renderToString(createElement(InspectPanel, { snapshots: [snapshot(40, false)] }));
    expect(html).toContain('data-testid="view-cf"');
    expect(html).toContain('data-testid="view-llm"');
    expect(html).not.toContain('data-testid="view-sharedCF"');
    expect(html).toContain('data-testid="overlay-unavailable"');
  });

  it('default control values pass the browser step/range checks, so "apply" can submit the form', () => {
    // A number input whose value is off its step grid (counted from min) blocks form submission.
    const html = renderToString(createElement(InspectPanel, { snapshots: [snapshot(40, true)] }));
    const inputs = [...html.matchAll(/<input type="number"[^>]*>/g)].map((m) => m[0]);
    expect(inputs.length).toBeGreaterThanOrEqual(3);
    for (const tag of inputs) {
      const attr = (k: string) => Number(new RegExp(` ${k}="([^"]*)"`).exec(tag)![1]);
      const [v, min, max, step] = [attr('value'), attr('min'), attr('max'), attr('step')];
      expect(v, tag).toBeGreaterThanOrEqual(min);
      expect(v, tag).toBeLessThanOrEqual(max);
      expect((v - min) % step, tag).toBe(0);
    }
  });

  it('reports a malformed snapshot instead of drawing it', () => {
    const bad = snapshot(40, true);
    bad.cf = { n: 39, dim: 8, data: new Float32Array(39 * 8) };
    expect(renderToString(createElement(InspectPanel, { snapshots: [bad] }))).toContain('Cannot draw this snapshot');
  });

  it('LossDashboard renders run names as text', () => {
    const html = renderToString(createElement(LossDashboard, { runs: [{ name: HOSTILE, stepLoss: { bpr: [[0, 1]] }, val: [], stepsPerSec: 12.5, backend: 'webgpu' }] }));
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('12.5');
    expect(html).toContain('webgpu');
  });
});
