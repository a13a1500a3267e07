import type { Metrics } from '../core/eval/metrics';

const KS = [5, 10, 20];

/** Recall/NDCG at 5/10/20 as a table; the page uses it for the final test metrics. */
export function MetricsTable(props: { metrics: Metrics; caption: string; testId?: string }) {
  return (
    <table className="metrics" data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th />
          {KS.map(k => <th key={k}>@{k}</th>)}
        </tr>
      </thead>
      <tbody>
        {['recall', 'ndcg'].map(m => (
          <tr key={m}>
            <th>{m === 'recall' ? 'Recall' : 'NDCG'}</th>
            {KS.map(k => <td key={k}>{props.metrics[`${m}@${k}`]?.toFixed(4) ?? '–'}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
