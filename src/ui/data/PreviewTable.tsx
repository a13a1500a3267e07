/** First rows of a file as the parser splits them; every cell is React text (titles can be hostile). */
import type { JSX } from 'react';
import type { FilePreview } from '../../core/data/detect';

export function PreviewTable(props: { preview: FilePreview }): JSX.Element {
  const p = props.preview;
  return (
    <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
      <table className="metrics" data-testid={`data-preview-${p.role}`} style={{ textAlign: 'left' }}>
        <caption>
          <bdi>{p.file}</bdi> <span className="muted">({p.role}{p.header ? ', header' : ', no header'})</span>
        </caption>
        <thead>
          <tr>
            {p.columns.map((c, k) => (
              <th key={k} style={{ textAlign: 'left' }}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r, i) => (
            <tr key={i}>
              {p.columns.map((_, k) => (
                <td key={k} style={{ textAlign: 'left', maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={r[k] ?? ''}>
                  {r[k] ?? ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
