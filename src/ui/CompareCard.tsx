import { useState } from 'react';
import { DAREC_ABLATIONS } from '../core/align/darec/config';
import type { FinishedRun } from './useTrainRun';
import { download } from './download';
import { csvField } from '../core/io/history';

const COLS = ['recall@5', 'recall@10', 'recall@20', 'ndcg@5', 'ndcg@10', 'ndcg@20'];

/** The comparison table as rows of cells (method, metrics, best epoch, epochs, ms/epoch). */
export function comparisonRows(runs: FinishedRun[]): string[][] {
  return runs.filter(r => r.view.test).map(r => {
    const t = r.view.test!;
    return [r.name, ...COLS.map(c => (t.metrics[c] ?? 0).toFixed(4)), String(t.bestEpoch), String(t.epochs), String(Math.round(r.view.totalEpochMs / Math.max(1, r.view.epoch)))];
  });
}

export const COMPARISON_HEADER = ['method', ...COLS, 'best epoch', 'epochs', 'ms/epoch'];

export function toCsv(rows: string[][]): string {
  return [COMPARISON_HEADER, ...rows].map(r => r.map(csvField).join(',')).join('\n') + '\n';
}

export function toMarkdown(rows: string[][]): string {
  // One table row per run whatever a name holds: line breaks become spaces; `|` would end a cell,
  // `<` / `>` start inline HTML in a renderer, a backslash escapes the next one: all backslash-escaped.
  const esc = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\\|<>]/g, (c) => `\\${c}`);
  return [COMPARISON_HEADER, COMPARISON_HEADER.map(() => '---'), ...rows].map(r => `| ${r.map(esc).join(' | ')} |`).join('\n') + '\n';
}

/**
 * One click runs base / RLMRec-Con / RLMRec-Gen / DaRec (and chosen ablations)
 * on the same split, seed and embeddings, one after another.
 */
export function CompareCard(props: { disabled: boolean; runs: FinishedRun[]; onRun(ablations: string[]): void; onClear(): void }) {
  const [ablations, setAblations] = useState<string[]>([]);
  const rows = comparisonRows(props.runs);
  return (
    <section className="card" data-testid="compare">
      <h2>Compare methods</h2>
      <p className="muted">Runs the base backbone, RLMRec-Con, RLMRec-Gen and DaRec with the form's settings on the same data, seed and LLM embeddings.</p>
      <div className="checks">
        {DAREC_ABLATIONS.filter(a => a !== 'full').map(a => (
          <label key={a}>
            <input type="checkbox" checked={ablations.includes(a)} onChange={e => setAblations(e.currentTarget.checked ? [...ablations, a] : ablations.filter(x => x !== a))} /> DaRec {a}
          </label>
        ))}
      </div>
      <div className="controls">
        <button data-testid="run-compare" disabled={props.disabled} onClick={() => props.onRun(ablations)}>Run comparison</button>
        <button disabled={props.disabled || rows.length === 0} onClick={() => download('comparison.csv', toCsv(rows), 'text/csv')}>CSV</button>
        <button disabled={props.disabled || rows.length === 0} onClick={() => download('comparison.md', toMarkdown(rows), 'text/markdown')}>Markdown</button>
        <button disabled={props.disabled || props.runs.length === 0} onClick={props.onClear}>Clear</button>
      </div>
      {rows.length > 0 && (
        <table className="metrics" data-testid="compare-table">
          <caption>Test at the best validation epoch</caption>
          <thead><tr>{COMPARISON_HEADER.map(h => <th key={h}>{h}</th>)}</tr></thead>
          <tbody>{rows.map((r, k) => <tr key={k}>{r.map((c, j) => (j === 0 ? <th key={j}>{c}</th> : <td key={j}>{c}</td>))}</tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
