import { useEffect, useMemo, useState } from 'react';
import { LineChart } from '../charts/LineChart';
import { bestMetrics, lossSeries, lossTerms, metricNames, metricSeries, type DashboardRun } from './lossSeries';
import './inspect.css';

export type { DashboardRun } from './lossSeries';

/**
 * How many animation frames have passed since mount, counting up to `max`. A chart's first
 * ECharts setOption runs cold code (axes, legend) for 80-190 ms; mounting the charts one per
 * frame keeps that out of the task that mounts the rest of the page (the inspection views).
 */
function useFramesSinceMount(max: number): number {
  const [frames, setFrames] = useState(0);
  useEffect(() => {
    if (frames >= max) return;
    const id = requestAnimationFrame(() => setFrames((f) => f + 1));
    return () => cancelAnimationFrame(id);
  }, [frames, max]);
  return frames;
}

/**
 * Training dashboard (issue 6 item 4): every loss term as a line (all in one chart, or one chart
 * per term with the runs overlaid), log-scale and EMA-smoothing toggles, validation metrics per
 * evaluation, and per run its backend, steps/s and best metrics. Several runs overlay their
 * curves, so ablations can be compared on one axis.
 */
export function LossDashboard(props: { runs: DashboardRun[] }) {
  const { runs } = props;
  const [logY, setLogY] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const [perTerm, setPerTerm] = useState(false);
  const terms = useMemo(() => lossTerms(runs), [runs]);
  const metrics = useMemo(() => metricNames(runs), [runs]);
  const combined = useMemo(() => lossSeries(runs, terms, smoothing, logY), [runs, terms, smoothing, logY]);
  const perTermSeries = useMemo(
    () => (perTerm ? terms.map((t) => ({ term: t, ...lossSeries(runs, [t], smoothing, logY) })) : []),
    [perTerm, runs, terms, smoothing, logY],
  );
  const valSeries = useMemo(() => metricSeries(runs, metrics), [runs, metrics]);
  // Chart i (loss charts first, validation last) mounts from frame i + 1 on; charts added later
  // (one chart per term) keep coming one per frame.
  const lossCharts = perTerm ? terms.length : 1;
  const shown = useFramesSinceMount(lossCharts + 1);
  const placeholder = (key: string) => <div key={key} className="chart" style={{ height: 260 }} />;

  return (
    <section className="loss-dashboard" data-testid="loss-dashboard">
      <div className="controls">
        <label>
          <input type="checkbox" data-testid="loss-log" checked={logY} onChange={(e) => setLogY(e.currentTarget.checked)} /> log scale
        </label>
        <label>
          smoothing{' '}
          <input type="range" data-testid="loss-smoothing" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.currentTarget.value))} />{' '}
          <output>{smoothing.toFixed(2)}</output>
        </label>
        <label>
          <input type="checkbox" checked={perTerm} onChange={(e) => setPerTerm(e.currentTarget.checked)} /> one chart per term
        </label>
      </div>

      <table data-testid="run-table">
        <thead>
          <tr>
            <th>run</th>
            <th>backend</th>
            <th>steps/s</th>
            {metrics.map((m) => (
              <th key={m}>best {m}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const best = bestMetrics(r, metrics);
            return (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td>{r.backend ?? '–'}</td>
                <td>{r.stepsPerSec != null && Number.isFinite(r.stepsPerSec) ? r.stepsPerSec.toFixed(1) : '–'}</td>
                {metrics.map((m) => {
                  const b = best[m];
                  return <td key={m}>{b ? `${b.value.toFixed(4)} (ep ${b.epoch})` : '–'}</td>;
                })}
              </tr>
            );
          })}
        </tbody>
      </table>

      <div className="charts">
        {perTerm ? (
          perTermSeries.map((t, i) =>
            i >= shown ? (
              placeholder(t.term)
            ) : t.hidden.length ? (
              <p key={t.term} className="inspect-note">
                {t.term}: has values ≤ 0, not drawable on a log scale.
              </p>
            ) : (
              <LineChart key={t.term} title={t.term} series={t.series} xName="step" logY={logY} testId={`loss-term-${t.term}`} />
            ),
          )
        ) : shown < 1 ? (
          placeholder('loss-combined')
        ) : (
          <LineChart title="loss terms" series={combined.series} xName="step" logY={logY} testId="loss-combined" />
        )}
        {shown < lossCharts + 1 ? placeholder('val-metrics') : <LineChart title="validation metrics" series={valSeries} xName="epoch" testId="val-metrics" />}
      </div>
      {!perTerm && combined.hidden.length ? (
        <p className="inspect-note">Hidden on the log scale (values ≤ 0): {combined.hidden.join(', ')}.</p>
      ) : null}
    </section>
  );
}
