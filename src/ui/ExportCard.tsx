import { useState } from 'react';
import type { RunConfig } from '../core/config';
import { configShareUrl } from '../core/config-url';
import { MetricsTable } from './MetricsTable';
import type { RunView } from './useTrainRun';

/**
 * Keep and share results: the run bundle (weights as safetensors, embeddings as
 * .npy, config, metrics, history, id maps), Projector TSV, RecBole files, a
 * link that recreates the setup, and importing a bundle to evaluate or
 * continue it.
 */
export function ExportCard(props: {
  config: RunConfig;
  view: RunView;
  busy: boolean;
  canImport: boolean;
  onExport(what: 'bundle' | 'projector' | 'recbole'): void;
  onImport(bytes: Uint8Array, continueTraining: boolean): void;
}) {
  const [link, setLink] = useState('');
  const [cont, setCont] = useState(false);
  /** The bundle last chosen for import: an import failure names it (an export failure does not). */
  const [importName, setImportName] = useState<string | null>(null);
  const { view } = props;
  const exportFile = (what: 'bundle' | 'projector' | 'recbole') => {
    setImportName(null);
    props.onExport(what);
  };
  const trained = view.status === 'done' || view.status === 'stopped' || !!view.imported;
  return (
    <section className="card" data-testid="export">
      <h2>Export, import, share</h2>
      <div className="controls wrap">
        <button data-testid="export-bundle" disabled={props.busy || !trained} onClick={() => exportFile('bundle')}>Run bundle (.zip)</button>
        <button data-testid="export-projector" disabled={props.busy || !trained} onClick={() => exportFile('projector')}>Projector TSV</button>
        <button data-testid="export-recbole" disabled={!trained} onClick={() => exportFile('recbole')}>Dataset as RecBole files</button>
        <button data-testid="share" onClick={() => setLink(configShareUrl(location.href.split('#')[0]!, props.config))}>Share link</button>
      </div>
      {link && <input className="share" data-testid="share-link" readOnly value={link} onFocus={e => e.currentTarget.select()} />}
      <div className="controls wrap">
        <label className="file">
          Import a bundle:{' '}
          <input type="file" accept=".zip" data-testid="import-input" disabled={props.busy || !props.canImport} onChange={async e => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (!f) return;
            setImportName(f.name);
            props.onImport(new Uint8Array(await f.arrayBuffer()), cont);
          }} />
        </label>
        <label><input type="checkbox" checked={cont} onChange={e => setCont(e.currentTarget.checked)} /> continue training after loading</label>
      </div>
      {view.ioError && <p role="alert" className="error" data-testid="io-error">{importName ? `${importName}: ` : ''}{view.ioError}</p>}
      {view.imported && (
        <>
          <MetricsTable metrics={view.imported.test} caption="Imported bundle: test metrics recomputed here" testId="imported-table" />
          {view.imported.bundleTest && <MetricsTable metrics={view.imported.bundleTest} caption="…and as stored in the bundle" />}
        </>
      )}
    </section>
  );
}
