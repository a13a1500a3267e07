import { useEffect, useMemo, useState } from 'react';
import { defaultConfig, validateConfig, type RunConfig } from '../core/config';
import { ConfigForm } from './ConfigForm';
import { DatasetCard } from './DatasetCard';
import { LineChart, type Series } from './charts/LineChart';
import { MetricsTable } from './MetricsTable';
import { useTrainRun } from './useTrainRun';

const toSeries = (m: Record<string, [number, number][]>, suffix = ''): Series[] =>
  Object.entries(m).map(([name, points]) => ({ name: name + suffix, points }));

export function App() {
  const [config, setConfig] = useState<RunConfig>(defaultConfig);
  const [logLoss, setLogLoss] = useState(true);
  const run = useTrainRun();
  const { view } = run;
  const busy = view.status === 'running' || view.status === 'paused' || view.status === 'starting';
  const errors = validateConfig(config);

  // Start the worker early so the backend label is there before the first run.
  useEffect(() => run.prepare(config), [config.backend]); // eslint-disable-line react-hooks/exhaustive-deps

  const lossSeries = useMemo(() => [...toSeries(view.stepLoss), ...toSeries(view.epochLoss, ' (epoch mean)')], [view.stepLoss, view.epochLoss]);
  const metricSeries = useMemo<Series[]>(() => {
    const names = ['recall@20', 'ndcg@20', 'recall@10', 'ndcg@10', 'recall@5', 'ndcg@5'];
    return names.map(n => ({ name: n, points: view.val.map(v => [v.epoch, v.metrics[n] ?? 0] as [number, number]) }));
  }, [view.val]);

  return (
    <div className="app">
      <header>
        <h1>DaRec Playground</h1>
        <p className="backend" data-testid="backend" data-backend={view.backend?.name ?? ''}>
          Backend: <strong>{view.backend ? view.backend.name : 'starting…'}</strong>
          {view.backend && <span className="muted"> — {view.backend.adapter}</span>}
          {view.backend?.note && <span className="muted"> ({view.backend.note})</span>}
        </p>
      </header>
      <main>
        <aside>
          <DatasetCard
            demo={config.data.kind === 'demo' ? config.data : null}
            disabled={busy}
            summary={view.dataset}
            onDemoChange={d => setConfig({ ...config, data: d })}
          />
          <section className="card">
            <h2>Model: LightGCN + BPR</h2>
            <ConfigForm config={config} disabled={busy} onChange={setConfig} />
            {errors.length > 0 && <ul role="alert" className="error">{errors.map(e => <li key={e}>{e}</li>)}</ul>}
            <div className="controls">
              <button data-testid="start" disabled={busy || errors.length > 0} onClick={() => run.start(config)}>Start</button>
              {view.status === 'paused' ? (
                <button data-testid="resume" onClick={run.resume}>Resume</button>
              ) : (
                <button data-testid="pause" disabled={view.status !== 'running'} onClick={run.pause}>Pause</button>
              )}
              <button data-testid="stop" disabled={!busy} onClick={run.stop}>Stop</button>
            </div>
            <p data-testid="status" data-status={view.status}>
              Status: <strong>{view.status}</strong>
              {view.epoch > 0 && <> · epoch {view.epoch}/{config.train.epochs}</>}
              {view.lastEpochMs !== null && <> · {Math.round(view.lastEpochMs)} ms/epoch</>}
              {view.stepsPerSec !== null && <> · {view.stepsPerSec.toFixed(1)} steps/s</>}
              {view.numTensors !== null && <> · {view.numTensors} tensors</>}
            </p>
            {view.error && <p role="alert" className="error" data-testid="error">{view.error}</p>}
          </section>
        </aside>
        <section className="results">
          <div className="chart-head">
            <label><input type="checkbox" checked={logLoss} onChange={e => setLogLoss(e.currentTarget.checked)} /> log scale</label>
          </div>
          <LineChart title="Training loss by term" series={lossSeries} xName="epoch" logY={logLoss} testId="loss-chart" />
          <LineChart title="Validation metrics" series={metricSeries} xName="epoch" testId="metrics-chart" />
          {view.val.length > 0 && <MetricsTable metrics={view.val[view.val.length - 1]!.metrics} caption={`Latest validation (epoch ${view.val[view.val.length - 1]!.epoch})`} testId="val-table" />}
          {view.test && (
            <MetricsTable
              metrics={view.test.metrics}
              caption={`Test at best validation epoch ${view.test.bestEpoch} (${view.test.epochs} epochs${view.test.stoppedEarly ? ', stopped early' : ''})`}
              testId="test-table"
            />
          )}
        </section>
      </main>
    </div>
  );
}
