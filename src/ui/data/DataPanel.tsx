/**
 * The Data step: drop files, see what was detected (format, preview, column
 * mapping where ambiguous), choose preprocessing, load in a worker with a
 * progress bar, and see the statistics. Only a successful load calls
 * onDataset; after a failure the error names file, line and column and the
 * previously loaded dataset stays. All file content is rendered as React text.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import { FORMAT_IDS, FORMAT_LABELS, type Detection, type FormatId } from '../../core/data/detect';
import type { ColumnMapping } from '../../core/data/formats/columns';
import type { LoadProgress } from '../../core/data/load';
import { preprocessConfig, type PreprocessConfig, type PreprocessReport } from '../../core/data/preprocess';
import type { DatasetStats } from '../../core/data/stats';
import type { Dataset } from '../../core/data/types';
import { DataClient, DataLoadCancelled, type LoadedData, type WorkerFile, type WorkerLike } from '../../workers/dataClient';
import { DataStats } from './DataStats';
import { DropZone } from './DropZone';
import { MappingForm } from './MappingForm';
import { effectiveMapping, formatCount, formatRate, mappingKind } from './mapping';
import { PreprocessForm } from './PreprocessForm';
import { fitToDetection } from './preprocessOptions';
import { PreviewTable } from './PreviewTable';

export interface DataPanelProps {
  onDataset(d: Dataset, info: { report: unknown; stats: unknown; config: PreprocessConfig }): void;
  current?: Dataset;
  /** Starting options (e.g. from the URL). */
  initialConfig?: Partial<PreprocessConfig>;
  /** For tests: a worker stand-in. */
  makeWorker?: () => WorkerLike;
}

type Busy = null | { kind: 'detect' } | { kind: 'load'; progress: LoadProgress | null };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function DataPanel(props: DataPanelProps): JSX.Element {
  const client = useRef<DataClient | null>(null);
  const [files, setFiles] = useState<WorkerFile[] | null>(null);
  const [detection, setDetection] = useState<Detection | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [showMapping, setShowMapping] = useState(false);
  const [config, setConfig] = useState<PreprocessConfig>(() => preprocessConfig(props.initialConfig));
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<{ stats: DatasetStats; report: PreprocessReport; timings: LoadedData['timings'] } | null>(null);

  const getClient = () => (client.current ??= new DataClient(props.makeWorker));
  useEffect(() => () => client.current?.dispose(), []);

  const detect = async (fs: WorkerFile[], format: FormatId | 'auto') => {
    setBusy({ kind: 'detect' });
    setError(null);
    try {
      const d = await getClient().detect(fs, format);
      setDetection(d);
      setMapping(d.mapping);
      setShowMapping(d.ambiguous);
      setConfig(c => ({ ...fitToDetection(c, d), format }));
    } catch (e) {
      if (!(e instanceof DataLoadCancelled)) {
        // A forced format that does not fit keeps the previous detection (and its form) on screen.
        if (format === 'auto') setDetection(null);
        setError(message(e));
      }
    } finally {
      setBusy(null);
    }
  };

  const onFiles = (fs: WorkerFile[]) => {
    setFiles(fs);
    setLoaded(null);
    void detect(fs, 'auto');
  };

  const load = async () => {
    if (!detection) return;
    const cfg = { ...config, mapping: effectiveMapping(detection, mapping) };
    if (!cfg.mapping) delete cfg.mapping;
    setBusy({ kind: 'load', progress: null });
    setError(null);
    try {
      const r = await getClient().load(cfg, p => setBusy({ kind: 'load', progress: p }));
      setLoaded({ stats: r.stats, report: r.report, timings: r.timings });
      props.onDataset(r.dataset, { report: r.report, stats: r.stats, config: cfg });
    } catch (e) {
      setError(e instanceof DataLoadCancelled ? 'Loading was cancelled; the previous dataset stays loaded.' : message(e));
    } finally {
      setBusy(null);
    }
  };

  const cur = props.current;
  const progress = busy?.kind === 'load' ? busy.progress : null;
  return (
    <section className="card" data-testid="data-panel">
      <h2>Your dataset</h2>
      {cur && (
        <p className="muted" data-testid="data-current">
          Loaded: <bdi>{cur.name}</bdi>: {formatCount(cur.numUsers)} users × {formatCount(cur.numItems)} items, {formatCount(cur.train.users.length)} / {formatCount(cur.val.users.length)} / {formatCount(cur.test.users.length)} train/val/test
        </p>
      )}
      <DropZone disabled={busy !== null} onFiles={onFiles} />
      {files && (
        <p className="muted" data-testid="data-files">
          {files.length} file{files.length === 1 ? '' : 's'}:{' '}
          {files.slice(0, 6).map((f, k) => <span key={k}>{k > 0 && ', '}<bdi>{f.name}</bdi></span>)}
          {files.length > 6 ? ', …' : ''}
        </p>
      )}
      {busy?.kind === 'detect' && <p className="muted">Reading the files…</p>}
      {error && (
        <p role="alert" className="error" data-testid="data-error">
          {error}
        </p>
      )}
      {detection && files && (
        <>
          <div className="form" style={{ gridTemplateColumns: '1fr' }}>
            <label>
              <span>Format</span>
              <select
                name="format"
                data-testid="data-format"
                value={config.format === 'auto' ? detection.format : config.format}
                disabled={busy !== null}
                onChange={e => void detect(files, e.currentTarget.value as FormatId)}
              >
                {FORMAT_IDS.map(f => (
                  <option key={f} value={f}>{FORMAT_LABELS[f]}</option>
                ))}
              </select>
            </label>
          </div>
          <p data-testid="data-detected">
            Detected: <strong>{detection.label}</strong> — {detection.name}
          </p>
          {detection.notes.length > 0 && (
            <ul className="muted">
              {detection.notes.map((n, k) => (
                <li key={k}>{n}</li>
              ))}
            </ul>
          )}
          {detection.ignored.length > 0 && <p className="muted">Not used: {detection.ignored.join(', ')}</p>}
          {detection.preview.map(p => (
            <PreviewTable key={p.file} preview={p} />
          ))}
          {mappingKind(detection) && (
            <>
              {detection.ambiguous && <p className="muted">The columns were guessed; please check them.</p>}
              {!showMapping ? (
                <button type="button" onClick={() => setShowMapping(true)} disabled={busy !== null}>
                  Edit column mapping
                </button>
              ) : (
                <MappingForm detection={detection} mapping={mapping} disabled={busy !== null} onChange={setMapping} />
              )}
            </>
          )}
          <PreprocessForm
            config={config}
            disabled={busy !== null}
            hasRating={detection.hasRating}
            hasTimestamp={detection.hasTimestamp}
            hasGivenSplit={detection.hasGivenSplit}
            onChange={setConfig}
          />
          <div className="controls">
            <button type="button" data-testid="data-load" disabled={busy !== null} onClick={() => void load()}>
              Load dataset
            </button>
            {busy?.kind === 'load' && (
              <button type="button" data-testid="data-cancel" onClick={() => client.current?.cancel()}>
                Cancel
              </button>
            )}
          </div>
        </>
      )}
      {busy?.kind === 'load' && (
        <div data-testid="data-progress">
          <progress value={progress?.fraction ?? 0} max={1} style={{ width: '100%' }} />
          <p className="muted">
            {progress ? `${progress.phase === 'parse' ? 'Parsing' : 'Preprocessing'}: ${formatCount(progress.rows)} rows, ${formatRate(progress.rowsPerSec)}` : 'Starting…'}
          </p>
        </div>
      )}
      {loaded && <DataStats stats={loaded.stats} report={loaded.report} timings={loaded.timings} />}
    </section>
  );
}
