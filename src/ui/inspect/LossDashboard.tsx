import { useMemo, useState } from 'react';
import { LineChart } from '../charts/LineChart';
import { bestMetrics, lossSeries, lossTerms, metricNames, metricSeries, type DashboardRun } from './lossSeries';
import './inspect.css';

export type { DashboardRun } from './lossSeries';

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
          perTermSeries.map((t) =>
            t.hidden.length ? (
              <p key={t.term} className="inspect-note">
                {t.term}: has values ≤ 0, not drawable on a log scale.
              </p>
            ) : (
              <LineChart key={t.term} title={t.term} series={t.series} xName="step" logY={logY} testId={`loss-term-${t.term}`} />
            ),
          )
        ) : (
          <LineChart title="loss terms" series={combined.series} xName="step" logY={logY} testId="loss-combined" />
        )}
        <LineChart title="validation metrics" series={valSeries} xName="epoch" testId="val-metrics" />
      </div>
      {!perTerm && combined.hidden.length ? (
        <p className="inspect-note">Hidden on the log scale (values ≤ 0): {combined.hidden.join(', ')}.</p>
      ) : null}
    </section>
  );
}
