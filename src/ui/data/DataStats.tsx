/** What was loaded: sizes, density, cold start, what each preprocessing step removed, degree histograms. */
import type { JSX } from 'react';
import type { PreprocessReport } from '../../core/data/preprocess';
import type { DatasetStats } from '../../core/data/stats';
import { DegreeChart } from './DegreeChart';
import { formatCount } from './mapping';

export function DataStats(props: { stats: DatasetStats; report: PreprocessReport; timings?: { parseMs: number; preprocessMs: number } }): JSX.Element {
  const { stats: s, report: r } = props;
  const pct = (x: number) => `${(x * 100).toFixed(3)} %`;
  return (
    <div data-testid="data-stats">
      <dl className="summary">
        <dt>Name</dt>
        <dd>{s.name}</dd>
        <dt>Format</dt>
        <dd>{r.format} ({r.files.used.join(', ')})</dd>
        <dt>Users × items</dt>
        <dd data-testid="data-stats-size">{formatCount(s.users)} × {formatCount(s.items)}</dd>
        <dt>Train / val / test</dt>
        <dd data-testid="data-stats-splits">
          {formatCount(s.interactions.train)} / {formatCount(s.interactions.val)} / {formatCount(s.interactions.test)}
        </dd>
        <dt>Split</dt>
        <dd>{r.split.detail}</dd>
        <dt>Density</dt>
        <dd>{pct(s.density)} (train {pct(s.trainDensity)})</dd>
        <dt>Degree (train)</dt>
        <dd>
          users: median {s.userDegreeSummary.median}, max {formatCount(s.userDegreeSummary.max)}; items: median {s.itemDegreeSummary.median}, max {formatCount(s.itemDegreeSummary.max)}
        </dd>
        <dt>Cold start (&lt; {s.coldStart.threshold} in train)</dt>
        <dd>
          {formatCount(s.coldStart.users)} users, {formatCount(s.coldStart.items)} items; without any training interaction: {formatCount(s.coldStart.usersWithoutTrain)} users, {formatCount(s.coldStart.itemsWithoutTrain)} items
        </dd>
        {s.itemsWithText !== null && (
          <>
            <dt>Item text</dt>
            <dd>{formatCount(s.itemsWithText)} of {formatCount(s.items)} items</dd>
          </>
        )}
        {props.timings && (
          <>
            <dt>Time</dt>
            <dd>
              parse {(props.timings.parseMs / 1000).toFixed(2)} s, preprocess {(props.timings.preprocessMs / 1000).toFixed(2)} s
            </dd>
          </>
        )}
      </dl>
      <table className="metrics" data-testid="data-report">
        <caption>Preprocessing (from {formatCount(r.input.rows)} rows, {formatCount(r.input.users)} users, {formatCount(r.input.items)} items)</caption>
        <thead>
          <tr>
            <th>step</th>
            <th>what</th>
            <th>rows removed</th>
            <th>users removed</th>
            <th>items removed</th>
            <th>rows left</th>
          </tr>
        </thead>
        <tbody>
          {r.steps.map(st => (
            <tr key={st.step}>
              <td>{st.step}</td>
              <td style={{ textAlign: 'left' }}>{st.detail}</td>
              <td>{formatCount(st.removedRows)}</td>
              <td>{formatCount(st.removedUsers)}</td>
              <td>{formatCount(st.removedItems)}</td>
              <td>{formatCount(st.rowsAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.warnings.length > 0 && (
        <ul className="muted" data-testid="data-warnings">
          {r.warnings.map((w, k) => (
            <li key={k}>{w}</li>
          ))}
        </ul>
      )}
      <DegreeChart title="User degree (training interactions, log2 bins)" bins={s.userDegree} testId="data-user-degree" />
      <DegreeChart title="Item degree (training interactions, log2 bins)" bins={s.itemDegree} testId="data-item-degree" />
    </div>
  );
}
