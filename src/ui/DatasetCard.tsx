import type { DemoDataRef } from '../core/config';
import type { DatasetSummary } from '../workers/protocol';

/** Demo size controls and the summary of the dataset the worker actually built. */
export function DatasetCard(props: { demo: DemoDataRef | null; disabled: boolean; summary: DatasetSummary | null; onDemoChange(d: DemoDataRef): void }) {
  const { demo, summary } = props;
  const field = (key: 'users' | 'items' | 'interactions' | 'seed', label: string) =>
    demo && (
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
      {demo && (
        <fieldset className="form" disabled={props.disabled}>
          <legend>Built-in demo (synthetic, planted tastes and topic text)</legend>
          {field('users', 'Users')}
          {field('items', 'Items')}
          {field('interactions', 'Interactions')}
          {field('seed', 'Generator seed')}
        </fieldset>
      )}
      {summary ? (
        <dl className="summary" data-testid="dataset-summary">
          <dt>Name</dt><dd>{summary.name}</dd>
          <dt>Users</dt><dd>{summary.users.toLocaleString()}</dd>
          <dt>Items</dt><dd>{summary.items.toLocaleString()}</dd>
          <dt>Train / val / test</dt><dd>{summary.train.toLocaleString()} / {summary.val.toLocaleString()} / {summary.test.toLocaleString()}</dd>
          <dt>Density</dt><dd>{(summary.density * 100).toFixed(3)} %</dd>
          {summary.sampleTitles.length > 0 && <><dt>Item titles</dt><dd>{summary.sampleTitles.join(' · ')}</dd></>}
        </dl>
      ) : (
        <p className="muted">The summary appears when a run starts (the dataset is built in the worker).</p>
      )}
    </section>
  );
}
