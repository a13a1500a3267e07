import type { DemoDataRef } from '../core/config';
import type { Dataset } from '../core/data/types';
import { summarize } from '../workers/protocol';
import { DataPanel } from './data/DataPanel';
import { clipText } from '../core/io/oneLine';
import type { PreprocessConfig } from '../core/data/preprocess';

export type DataSource = 'demo' | 'file';

/** Demo size controls or the bring-your-own-data panel, and the summary of the dataset in use. */
export function DatasetCard(props: {
  source: DataSource;
  demo: DemoDataRef;
  dataset: Dataset | null;
  disabled: boolean;
  onSource(s: DataSource): void;
  onDemoChange(d: DemoDataRef): void;
  onFileDataset(d: Dataset, preprocess: PreprocessConfig): void;
}) {
  const { demo, dataset } = props;
  const summary = dataset ? summarize(dataset) : null;
  const field = (key: 'users' | 'items' | 'interactions' | 'seed', label: string) => (
    <label>
      <span>{label}</span>
      <input
        type="number"
        name={`demo-${key}`}
        defaultValue={demo[key]}
        min={key === 'seed' ? 0 : 2}
        onChange={e => props.onDemoChange({ ...demo, [key]: e.currentTarget.valueAsNumber })}
      />
    </label>
  );
  return (
    <section className="card">
      <h2>Dataset</h2>
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={props.source === 'demo'} data-testid="source-demo" disabled={props.disabled} onClick={() => props.onSource('demo')}>Built-in demo</button>
        <button role="tab" aria-selected={props.source === 'file'} data-testid="source-file" disabled={props.disabled} onClick={() => props.onSource('file')}>Your data</button>
      </div>
      {props.source === 'demo' ? (
        <fieldset className="form" disabled={props.disabled}>
          <legend>Synthetic: users mix latent tastes, items have topics, titles and descriptions carry the topics</legend>
          {field('users', 'Users')}
          {field('items', 'Items')}
          {field('interactions', 'Interactions')}
          {field('seed', 'Generator seed')}
        </fieldset>
      ) : (
        <DataPanel current={dataset ?? undefined} onDataset={(d, info) => props.onFileDataset(d, info.config)} />
      )}
      {summary ? (
        <dl className="summary" data-testid="dataset-summary">
          <dt>Name</dt><dd>{summary.name}</dd>
          <dt>Users</dt><dd>{summary.users.toLocaleString()}</dd>
          <dt>Items</dt><dd>{summary.items.toLocaleString()}</dd>
          <dt>Train / val / test</dt><dd>{summary.train.toLocaleString()} / {summary.val.toLocaleString()} / {summary.test.toLocaleString()}</dd>
          <dt>Density</dt><dd>{(summary.density * 100).toFixed(3)} %</dd>
          {summary.sampleTitles.length > 0 && (
            // <bdi>: a title's unclosed right-to-left override must not reorder the titles after it.
            <><dt>Item titles</dt><dd>{summary.sampleTitles.map((t, k) => <span key={k}>{k > 0 && ' · '}<bdi title={t}>{clipText(t)}</bdi></span>)}</dd></>
          )}
        </dl>
      ) : (
        <p className="muted">Building the dataset…</p>
      )}
    </section>
  );
}
