/**
 * Pure helpers behind the mapping and options forms (tested in Node): which
 * formats need a column mapping, how a select value becomes a ColumnRef, and
 * how dropped folders become named files.
 */
import type { Detection, FilePreview } from '../../core/data/detect';
import type { ColumnMapping, ColumnRef, DelimitedInteractionMapping } from '../../core/data/formats/columns';

/** Formats whose columns the user may (or must) assign; the others have a fixed layout. */
export function mappingKind(d: Detection): 'delimited' | 'json' | null {
  if (d.format === 'generic' || d.format === 'split-folder') return 'delimited';
  if (d.format === 'amazon') return 'json';
  return null;
}

export const DELIMITERS: { value: string; label: string }[] = [
  { value: ',', label: 'comma ,' },
  { value: '\t', label: 'tab' },
  { value: ';', label: 'semicolon ;' },
  { value: '|', label: 'pipe |' },
  { value: '::', label: 'double colon ::' },
  { value: ' ', label: 'space' },
];

/** Column choices of a preview: value is what goes into the mapping (header name, or index). */
export function columnOptions(p: FilePreview | undefined, header: boolean): { value: string; label: string }[] {
  if (!p) return [];
  return p.columns.map((c, k) => ({ value: header ? c : String(k), label: header ? c : `${k + 1}: ${p.rows[0]?.[k] ?? c}` }));
}

export function refToValue(r: ColumnRef | undefined): string {
  return r === undefined ? '' : String(r);
}

/** A select's value back to a ColumnRef: an index when the file has no header. */
export function valueToRef(v: string, header: boolean): ColumnRef | undefined {
  if (v === '') return undefined;
  if (!header && /^\d+$/.test(v)) return Number(v);
  return v;
}

/** Switching header on/off turns names into indices and back (by position in the preview). */
export function rebaseMapping(m: DelimitedInteractionMapping, p: FilePreview | undefined, header: boolean): DelimitedInteractionMapping {
  const cols = p?.columns ?? [];
  const conv = (r: ColumnRef | undefined): ColumnRef | undefined => {
    if (r === undefined) return undefined;
    if (header) return typeof r === 'number' ? (cols[r] ?? r) : r;
    if (typeof r === 'number') return r;
    const k = cols.indexOf(r);
    return k === -1 ? r : k;
  };
  const out: DelimitedInteractionMapping = { ...m, header, user: conv(m.user) ?? 0, item: conv(m.item) ?? 1 };
  const rating = conv(m.rating), ts = conv(m.timestamp);
  if (rating === undefined) delete out.rating;
  else out.rating = rating;
  if (ts === undefined) delete out.timestamp;
  else out.timestamp = ts;
  return out;
}

/** The mapping to put into the config: only for formats that use one. */
export function effectiveMapping(d: Detection, m: ColumnMapping | undefined): ColumnMapping | undefined {
  return mappingKind(d) ? m : undefined;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M rows/s`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k rows/s`;
  return `${Math.round(n)} rows/s`;
}

/** Bin label of a degree histogram bar: "0", "1", "2–3", "4–7". */
export function binLabel(b: { from: number; to: number }): string {
  return b.from === b.to ? String(b.from) : `${b.from}–${b.to}`;
}
