import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { configWarnings, defaultConfig, validateConfig, type RunConfig } from '../core/config';
import type { Dataset } from '../core/data/types';
import type { LlmEmbeddings } from '../core/train/trainer';
import { comparisonRuns } from '../core/compare';
import { ConfigForm } from './ConfigForm';
import { DatasetCard, type DataSource } from './DatasetCard';
import { ModelCard } from './ModelCard';
import { CompareCard } from './CompareCard';
import { LineChart, type Series } from './charts/LineChart';
import { MetricsTable } from './MetricsTable';
import { useTrainRun } from './useTrainRun';
import { EmbedPanel, type EmbeddingsOutput } from './embed/EmbedPanel';
import { ExportCard } from './ExportCard';
import { RunsCard } from './RunsCard';
import { FaultNote } from './FaultNote';
import type { RunRecord } from '../workers/runStore';
import { datasetFingerprint } from '../core/embed/fingerprint';
import { InspectPanel } from './inspect/InspectPanel';
import { LossDashboard } from './inspect/LossDashboard';
import { toSpacesSnapshots } from './inspect/fromSnapshot';
import { download } from './download';
import { configFromHash } from '../core/config-url';

/** The config a shared link carries, or the defaults; a broken link is reported, not fatal. */
function initialConfig(): { config: RunConfig; note: string | null } {
  try {
    const r = configFromHash(location.hash);
    if (!r) return { config: defaultConfig(), note: null };
    const fileNote = r.config.data.kind === 'file' ? ` It was made on "${r.config.data.name}": load that dataset under "Your data".` : '';
    return { config: r.config, note: `Settings loaded from the link.${fileNote}` };
  } catch (e) {
    return { config: defaultConfig(), note: `The link's settings could not be read (${(e as Error).message}); using the defaults.` };
  }
}

const toSeries = (m: Record<string, [number, number][]>, suffix = ''): Series[] =>
  Object.entries(m).map(([name, points]) => ({ name: name + suffix, points }));

const runName = (c: RunConfig) => `${c.model.backbone}${c.align.method === 'none' ? '' : ` + ${c.align.method}`}${c.align.options.ablation ? ` (${c.align.options.ablation})` : ''}`;

/** Snapshots for the Inspect views every this-many epochs (and after epoch 1). */
const SNAPSHOT_EVERY = 3;

export function App() {
  const [init] = useState(initialConfig);
  const [config, setConfig] = useState<RunConfig>(init.config);
  const [source, setSource] = useState<DataSource>(init.config.data.kind === 'file' ? 'file' : 'demo');
  const [dataset, setDataset] = useState<Dataset | null>(null);
  const [fileDataset, setFileDataset] = useState<Dataset | null>(null);
  /** With the fingerprint of the dataset they were made for. */
  const [embeddings, setEmbeddings] = useState<(EmbeddingsOutput & { datasetFingerprint: string | null }) | null>(null);
  const [logLoss, setLogLoss] = useState(true);
  const [pendingResume, setPendingResume] = useState<RunRecord | null>(null);
  const [resumeNote, setResumeNote] = useState<string | null>(null);
  // A demo built before the user switched to their own data must not replace it.
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const onDemo = useCallback((d: Dataset) => { if (sourceRef.current === 'demo') setDataset(d); }, []);
  const run = useTrainRun(onDemo, (name, mime, bytes) => download(name, bytes, mime));
  const { view } = run;
  const busy = view.status === 'running' || view.status === 'paused' || view.status === 'starting';
  const errors = validateConfig(config);
  const warnings = configWarnings(config);
  const demo = config.data.kind === 'demo' ? config.data : null;

  const configRef = useRef(config);
  configRef.current = config;

  // The worker for the chosen backend starts early, so the backend label is there. The dataset is
  // kept: the worker holds none (runs are sent theirs) and the demo does not depend on the backend.
  useEffect(() => {
    run.prepare(config);
  }, [config.backend]); // eslint-disable-line react-hooks/exhaustive-deps

  // The demo is built off the main thread, again only when its parameters (or the source) change.
  useEffect(() => {
    if (source !== 'demo' || !demo || validateConfig(config).length) return;
    // Until the new demo arrives, Start must not launch on the previous one.
    setDataset(null);
    // The latest config: a backend switched within the delay must not bring the old worker back.
    const t = setTimeout(() => run.makeDemo(configRef.current, demo), 150);
    return () => clearTimeout(t);
  }, [source, demo?.users, demo?.items, demo?.interactions, demo?.seed]); // eslint-disable-line react-hooks/exhaustive-deps

  // Resume once the run's dataset is in place (the demo is rebuilt from its config; file data is loaded by the user).
  useEffect(() => {
    const r = pendingResume;
    if (!r || !dataset || busy) return;
    if (r.datasetFingerprint && datasetFingerprint(dataset) !== r.datasetFingerprint) {
      setResumeNote(`Load the dataset of “${r.name}” (${r.config.data.kind === 'file' ? r.config.data.name : 'demo'}) with the same preprocessing to resume it.`);
      return;
    }
    if (r.config.align.method !== 'none' && r.config.llm.source === 'provided' && !embeddings) {
      setResumeNote('This run used LLM embeddings from the Embeddings step: compute or upload them again (the cache makes it quick), then press Resume.');
      return;
    }
    setPendingResume(null);
    setResumeNote(null);
    const e = r.config.llm.source === 'provided' && embeddings ? { users: embeddings.users, items: embeddings.items, dim: embeddings.dim } : undefined;
    run.resumeRun(r.config, r.id, r.name ?? 'run', dataset, e, SNAPSHOT_EVERY);
  }, [pendingResume, dataset, embeddings]); // eslint-disable-line react-hooks/exhaustive-deps

  // New data invalidates embeddings computed for the old one; a rebuilt but identical dataset
  // (the same demo built again, e.g. for a resumed run) keeps them.
  useEffect(() => {
    if (dataset && embeddings && datasetFingerprint(dataset) !== embeddings.datasetFingerprint) setEmbeddings(null);
  }, [dataset]); // eslint-disable-line react-hooks/exhaustive-deps

  const llm: LlmEmbeddings | undefined = config.llm.source === 'provided' && embeddings ? { users: embeddings.users, items: embeddings.items, dim: embeddings.dim } : undefined;
  const llmMissing = config.align.method !== 'none' && config.llm.source === 'provided' && !embeddings;
  const canStart = !busy && errors.length === 0 && !!dataset && !llmMissing;

  const spaces = useMemo(() => (dataset ? view.snapshots.flatMap(s => toSpacesSnapshots(s, dataset)) : []), [view.snapshots, dataset]);
  // Finished runs plus the one in progress, for the overlay dashboard.
  const dashboardRuns = useMemo(() => {
    const asRun = (name: string, v: typeof view) => ({ name, stepLoss: v.stepLoss, val: v.val, stepsPerSec: v.stepsPerSec, backend: v.backend?.name });
    const live = busy && view.epoch > 0 ? [asRun(view.name || 'current run', view)] : [];
    return [...run.finished.map(f => asRun(f.name, f.view)), ...live];
    // Redrawn once per epoch, not on every step flush: several charts redrawing 5x/s stalled the page.
  }, [run.finished, view.epoch, busy]); // eslint-disable-line react-hooks/exhaustive-deps
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
      {init.note && <p className="note" role="status" data-testid="link-note">{init.note}</p>}
      <main>
        <aside>
          <DatasetCard
            source={source}
            demo={demo ?? { kind: 'demo', users: 1500, items: 1000, interactions: 50_000, seed: 7 }}
            dataset={dataset}
            disabled={busy}
            onSource={s => {
              setSource(s);
              if (s === 'demo') {
                setConfig(c => ({ ...c, data: defaultConfig().data }));
                setDataset(null);
              } else setDataset(fileDataset);
            }}
            onDemoChange={d => setConfig({ ...config, data: d })}
            onFileDataset={(d, preprocess) => {
              setFileDataset(d);
              setDataset(d);
              setConfig(c => ({ ...c, data: { kind: 'file', name: d.name, preprocess } }));
            }}
          />
          <section className="card">
            <h2>LLM embeddings</h2>
            <details>
              <summary>Compute text embeddings in the tab, or upload them {embeddings && <strong data-testid="embeddings-ready">— ready: {embeddings.source} ({embeddings.dim}-d)</strong>}</summary>
              <EmbedPanel dataset={dataset} onEmbeddings={e => {
                setEmbeddings({ ...e, datasetFingerprint: dataset && datasetFingerprint(dataset) });
                setConfig(c => ({ ...c, llm: { ...c.llm, source: 'provided', dim: e.dim } }));
              }} />
            </details>
          </section>
          <section className="card">
            <h2>Train</h2>
            <ModelCard config={config} disabled={busy} hasProvidedEmbeddings={!!embeddings} onChange={setConfig} />
            <ConfigForm config={config} disabled={busy} onChange={setConfig} />
            {errors.length > 0 && <ul role="alert" className="error">{errors.map(e => <li key={e}>{e}</li>)}</ul>}
            {warnings.map(w => <p key={w} className="note" data-testid="config-warning">{w}</p>)}
            {llmMissing && <p role="alert" className="error">Compute or upload LLM embeddings first, or choose the built-in TF-IDF embedder.</p>}
            <div className="controls">
              <button data-testid="start" disabled={!canStart} onClick={() => dataset && run.start({ name: runName(config), config }, dataset, llm, SNAPSHOT_EVERY)}>Start</button>
              {view.status === 'paused' ? (
                <button data-testid="resume" onClick={run.resume}>Resume</button>
              ) : (
                <button data-testid="pause" disabled={view.status !== 'running'} onClick={run.pause}>Pause</button>
              )}
              <button data-testid="stop" disabled={!busy} onClick={run.stop}>Stop</button>
            </div>
            <p data-testid="status" data-status={view.status} data-trained-users={view.dataset?.users ?? ''}>
              Status: <strong>{view.status}</strong>
              {view.name && <> · {view.name}</>}
              {view.dataset && <> · on <bdi>{view.dataset.name}</bdi> ({view.dataset.users.toLocaleString()} × {view.dataset.items.toLocaleString()})</>}
              {view.epoch > 0 && <> · epoch {view.epoch}/{config.train.epochs}</>}
              {view.lastEpochMs !== null && <> · {Math.round(view.lastEpochMs)} ms/epoch</>}
              {view.stepsPerSec !== null && <> · {view.stepsPerSec.toFixed(1)} steps/s</>}
              {view.numTensors !== null && <> · {view.numTensors} tensors</>}
            </p>
            {view.error && <p role="alert" className="error" data-testid="error">{view.error}</p>}
            {view.fault && (
              <FaultNote
                fault={view.fault}
                lr={config.train.lr}
                canContinue={!!dataset}
                onContinue={() => {
                  if (!dataset) return;
                  setConfig(c => ({ ...c, backend: 'wasm' }));
                  run.continueOnWasm(config, dataset, llm, SNAPSHOT_EVERY);
                }}
              />
            )}
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
          <section className="card" data-testid="inspect-section">
            <h2>Inspect the learned spaces</h2>
            {spaces.length ? <InspectPanel snapshots={spaces} /> : <p className="muted">Snapshots of the representations appear here during training (every {SNAPSHOT_EVERY} epochs).</p>}
          </section>
          <section className="card">
            <h2>Dashboard: loss terms and metrics across runs</h2>
            {dashboardRuns.length ? <LossDashboard runs={dashboardRuns} /> : <p className="muted">Curves of the current and finished runs, with log scale and smoothing.</p>}
          </section>
          {resumeNote && <p className="note" role="status" data-testid="resume-note">{resumeNote}</p>}
          <RunsCard
            refreshKey={`${view.status}:${view.runId}`}
            busy={busy}
            onResume={r => {
              setConfig(r.config);
              if (r.config.data.kind === 'demo') {
                setSource('demo');
                setDataset(null);
                run.makeDemo(r.config, r.config.data);
              } else setSource('file');
              setPendingResume(r);
            }}
          />
          <ExportCard
            config={config}
            view={view}
            busy={busy}
            canImport={!!dataset}
            onExport={run.exportFile}
            onImport={(bytes, cont) => dataset && run.importBundle(config, bytes, dataset, llm, cont, SNAPSHOT_EVERY)}
          />
          <CompareCard
            disabled={busy || !dataset || llmMissing || errors.length > 0}
            runs={run.finished}
            onClear={run.clearFinished}
            onRun={ablations => {
              if (!dataset) return;
              run.clearFinished();
              run.startQueue(comparisonRuns(config, ablations), dataset, llm, SNAPSHOT_EVERY);
            }}
          />
        </section>
      </main>
    </div>
  );
}
