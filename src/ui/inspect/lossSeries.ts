/**
 * Turns runs' logged curves into chart series for the loss dashboard: one series per run and
 * term (or metric), EMA-smoothed, and on a log axis without the points a log axis cannot show.
 */
import { emaSmooth } from './smoothing';

export interface DashboardRun {
  name: string;
  /** Per loss term, [step, value] pairs. */
  stepLoss: Record<string, [number, number][]>;
  val: { epoch: number; metrics: Record<string, number> }[];
  stepsPerSec?: number | null;
  backend?: string;
}

export interface ChartSeries {
  name: string;
  points: [number, number][];
}

export function lossTerms(runs: DashboardRun[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) for (const t of Object.keys(r.stepLoss)) seen.add(t);
  return [...seen];
}

export function metricNames(runs: DashboardRun[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) for (const v of r.val) for (const m of Object.keys(v.metrics)) seen.add(m);
  return [...seen];
}

/** A term has values a log axis cannot draw (<= 0 or non-finite) in some run. */
export function hasNonPositive(runs: DashboardRun[], term: string): boolean {
  return runs.some((r) => (r.stepLoss[term] ?? []).some(([, v]) => !(v > 0) || !Number.isFinite(v)));
}

const seriesName = (runs: DashboardRun[], run: string, what: string) => (runs.length > 1 ? `${run} · ${what}` : what);

/** Loss series for `terms`, smoothed with `smoothing` (EMA weight), minus terms a log axis cannot draw when `logY`. */
export function lossSeries(runs: DashboardRun[], terms: string[], smoothing: number, logY: boolean): { series: ChartSeries[]; hidden: string[] } {
  const hidden = logY ? terms.filter((t) => hasNonPositive(runs, t)) : [];
  const series: ChartSeries[] = [];
  for (const t of terms) {
    if (hidden.includes(t)) continue;
    for (const r of runs) {
      const pts = r.stepLoss[t];
      if (pts && pts.length) series.push({ name: seriesName(runs, r.name, t), points: emaSmooth(pts, smoothing) });
    }
  }
  return { series, hidden };
}

export function metricSeries(runs: DashboardRun[], metrics: string[]): ChartSeries[] {
  const series: ChartSeries[] = [];
  for (const m of metrics) {
    for (const r of runs) {
      const pts = r.val.filter((v) => Number.isFinite(v.metrics[m])).map((v): [number, number] => [v.epoch, v.metrics[m]!]);
      if (pts.length) series.push({ name: seriesName(runs, r.name, m), points: pts });
    }
  }
  return series;
}

/** Best (largest) value of each metric over a run's evaluations, with its epoch. */
export function bestMetrics(run: DashboardRun, metrics: string[]): Record<string, { value: number; epoch: number } | null> {
  const out: Record<string, { value: number; epoch: number } | null> = {};
  for (const m of metrics) {
    let best: { value: number; epoch: number } | null = null;
    for (const v of run.val) {
      const x = v.metrics[m];
      if (x !== undefined && Number.isFinite(x) && (!best || x > best.value)) best = { value: x, epoch: v.epoch };
    }
    out[m] = best;
  }
  return out;
}
