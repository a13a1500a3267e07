/**
 * Test page for e2e/inspect.spec.ts (inspect-test.html): InspectPanel and LossDashboard fed with
 * synthetic snapshots of planted clusters for two epochs (the second better separated and
 * aligned, so the picture must change), every title hostile HTML. Hooks on window let the spec
 * find a point's pixel and time t-SNE in the worker.
 */
import { createRoot } from 'react-dom/client';
import * as echarts from 'echarts/core';
import { Rng } from '../../core/rng';
import type { PointSet, SpacesSnapshot } from '../../core/viz/types';
import { ReduceClient } from '../../workers/reduceClient';
import { InspectPanel } from './InspectPanel';
import { LossDashboard, type DashboardRun } from './LossDashboard';

export const HOSTILE_TITLE = '<img src=x onerror=alert(1)>';

declare global {
  interface Window {
    inspectTest: {
      ready: boolean;
      /** Page coordinates of the first drawn point of a view, or null when it has none. */
      pointPixel(testId: string): { x: number; y: number } | null;
      /** t-SNE of n planted-cluster points (32-d) in the reducer worker; seconds including transfer. */
      benchTsne(n: number, iterations?: number): Promise<{ n: number; iterations: number; seconds: number; workerSeconds: number }>;
    };
  }
}

const params = new URLSearchParams(location.search);
const N = Math.max(10, Number(params.get('n')) || 10_000);
const SEED = Number(params.get('seed')) || 1;
const DIM = 32;
const K = 8;
const GENRES = ['Drama', 'Comedy', 'Action', '<b>Noir</b>', 'Sci-Fi', 'Horror'];

/** Yields one macrotask (a MessageChannel message: nested setTimeout(0) is clamped to 4 ms). */
const tick = () =>
  new Promise<void>((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      r();
    };
    ch.port2.postMessage(0);
  });

/** Rows per macrotask: a whole 10k x 32 set at once took 60-100 ms (250+ on a busy machine). */
const ROWS_PER_TICK = 1000;

async function clusterCloud(rng: Rng, assign: Int32Array, centres: Float64Array, sep: number, noise: number): Promise<PointSet> {
  const data = new Float32Array(N * DIM);
  for (let i = 0; i < N; i++) {
    if (i % ROWS_PER_TICK === 0) await tick();
    const c = assign[i]!;
    for (let a = 0; a < DIM; a++) data[i * DIM + a] = centres[c * DIM + a]! * sep + rng.normal() * noise;
  }
  return { n: N, dim: DIM, data };
}

async function nearCopy(rng: Rng, x: PointSet, noise: number): Promise<PointSet> {
  const data = new Float32Array(x.data.length);
  for (let j = 0; j < data.length; j++) {
    if (j % (ROWS_PER_TICK * x.dim) === 0) await tick();
    data[j] = x.data[j]! + rng.normal() * noise;
  }
  return { n: x.n, dim: x.dim, data };
}

/** Generated in chunks of rows between macrotasks, so 10k x 32 x 10 values never make a long task. */
async function makeSnapshots(): Promise<SpacesSnapshot[]> {
  const rng = new Rng(SEED);
  const clusters = Int32Array.from({ length: N }, () => rng.int(K));
  const genre = Int32Array.from({ length: N }, () => rng.int(GENRES.length));
  const centres = Float64Array.from({ length: K * DIM }, () => rng.normal());
  const llmCentres = Float64Array.from({ length: K * DIM }, () => rng.normal());
  const genreCentres = Float64Array.from({ length: GENRES.length * DIM }, () => rng.normal());
  const degree = Int32Array.from({ length: N }, () => Math.floor(Math.exp(rng.next() * 6)));
  const labels = {
    titles: Array.from({ length: N }, (_, i) => `${HOSTILE_TITLE} item ${i}`),
    categories: Array.from(genre, (g) => GENRES[g]!),
    degree,
  };
  const out: SpacesSnapshot[] = [];
  for (const [epoch, sep, align] of [[1, 0.6, false], [2, 3, true]] as const) {
    const sharedCF = await clusterCloud(rng, clusters, centres, sep, 1);
    const sharedLLM = align ? await nearCopy(rng, sharedCF, 0.3) : await clusterCloud(rng, clusters, llmCentres, sep, 1);
    const specificCF = await clusterCloud(rng, genre, genreCentres, sep, 1);
    const specificLLM = await clusterCloud(rng, genre, genreCentres, sep * 0.5, 1);
    const cf = await nearCopy(rng, sharedCF, 0.5);
    out.push({ epoch, side: 'items', spaces: { sharedCF, sharedLLM, specificCF, specificLLM }, cf, clusters, labels });
  }
  return out;
}

function makeRuns(): DashboardRun[] {
  const rng = new Rng(7);
  const run = (name: string, scale: number): DashboardRun => {
    const bpr: [number, number][] = [];
    const glo: [number, number][] = [];
    const uni: [number, number][] = [];
    for (let s = 0; s < 600; s++) {
      bpr.push([s, 0.69 * Math.exp(-s / (200 * scale)) + 0.05 + rng.normal() * 0.02]);
      glo.push([s, 0.02 * Math.exp(-s / 150) + 0.001 + Math.abs(rng.normal()) * 0.002]);
      uni.push([s, -2 - s / 600 + rng.normal() * 0.05]);
    }
    const val = [3, 6, 9, 12].map((epoch) => ({ epoch, metrics: { 'recall@20': 0.05 + epoch * 0.004 * scale, 'ndcg@20': 0.03 + epoch * 0.002 * scale } }));
    return { name, stepLoss: { bpr, 'global align': glo, uniformity: uni }, val, stepsPerSec: 40 * scale, backend: 'webgpu' };
  };
  return [run(`DaRec ${HOSTILE_TITLE}`, 1), run('LightGCN', 0.8)];
}

window.inspectTest = {
  ready: false,
  pointPixel(testId) {
    const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"] .inspect-canvas`);
    const chart = el ? echarts.getInstanceByDom(el) : undefined;
    if (!el || !chart) return null;
    const series = (chart.getOption() as { series?: { type?: string; data?: ArrayLike<number> | unknown[]; silent?: boolean }[] }).series ?? [];
    for (let s = 0; s < series.length; s++) {
      const sr = series[s]!;
      if (sr.type !== 'scatter' || sr.silent || !sr.data || sr.data.length < 2) continue;
      const d = sr.data as ArrayLike<number>;
      const px = chart.convertToPixel({ seriesIndex: s }, [Number(d[0]), Number(d[1])]) as number[];
      const box = el.getBoundingClientRect();
      return { x: box.left + px[0]!, y: box.top + px[1]! };
    }
    return null;
  },
  async benchTsne(n, iterations = 750) {
    const rng = new Rng(3);
    const centres = Float64Array.from({ length: 10 * DIM }, () => rng.normal() * 10);
    const data = new Float32Array(n * DIM);
    for (let i = 0; i < n; i++) for (let a = 0; a < DIM; a++) data[i * DIM + a] = centres[(i % 10) * DIM + a]! + rng.normal();
    const client = new ReduceClient();
    const t0 = performance.now();
    const r = await client.reduce({ method: 'tsne', x: { n, dim: DIM, data }, options: { iterations, progressEvery: 0 } }, {}, true).promise;
    const seconds = (performance.now() - t0) / 1000;
    client.terminate();
    return { n, iterations, seconds, workerSeconds: r.seconds };
  },
};

const root = createRoot(document.getElementById('root')!);
void makeSnapshots().then((snapshots) => {
  root.render(
    <>
      <h2>Representations</h2>
      <InspectPanel snapshots={snapshots} />
      <h2>Training</h2>
      <LossDashboard runs={makeRuns()} />
    </>,
  );
  window.inspectTest.ready = true;
});
