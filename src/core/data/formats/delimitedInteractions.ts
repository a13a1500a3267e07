/**
 * One interaction parser for every delimited layout (u.data, ratings.dat,
 * ratings.csv, split-folder TSV, generic CSV): formats differ only in
 * delimiter, quoting, header and which columns hold what.
 */
import { DataError } from '../errors';
import { DelimitedScanner, describeFound, parseNumberAt, scannerParser } from './delimited';
import type { IdInterner, InteractionSink, SplitLabel } from './sink';
import type { TextEncoding } from './text';
import type { ChunkParser } from './textParser';
import { resolveColumn, type InteractionColumns } from './columns';

export interface DelimitedInteractionSpec {
  file: string;
  encoding?: TextEncoding;
  delimiter: string;
  quotes: boolean;
  header: boolean;
  columns: InteractionColumns;
  /** Column names for messages when the file has no header (the format's documented names). */
  names?: string[];
  /** Formats with a fixed layout reject extra columns (a sign of a wrong file). */
  exactColumns?: number;
  label?: SplitLabel;
}

/** Reads field k as an id; canonical integers skip the substring (the hot path of big files). */
export function internFieldAt(sc: DelimitedScanner, k: number, interner: IdInterner): number {
  const a = sc.starts[k]!;
  const b = sc.ends[k]!;
  const s = sc.bytes;
  if (!sc.quoted[k]) {
    const len = b - a;
    if (len > 0 && len <= 9 && (len === 1 || s[a] !== 48)) {
      let v = 0;
      let i = a;
      for (; i < b; i++) {
        const c = s[i]! - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (i === b) return interner.internNum(v);
    }
  }
  const str = sc.field(k).trim();
  return str === '' ? -1 : interner.intern(str);
}

export function numberField(sc: DelimitedScanner, k: number): number {
  const v = parseNumberAt(sc.bytes, sc.starts[k]!, sc.ends[k]!);
  if (!Number.isFinite(v)) throw sc.error(k, 'a number', describeFound(sc.field(k)));
  return v;
}

export function delimitedInteractionParser(spec: DelimitedInteractionSpec, sink: InteractionSink): ChunkParser {
  const label: SplitLabel = spec.label ?? 0;
  const c = spec.columns;
  let cu = -1, ci = -1, cr = -1, ct = -1, need = 0;
  let headerSeen = false;
  let rows = 0;
  if (c.rating !== undefined) sink.ensure('rating');
  if (c.timestamp !== undefined) sink.ensure('timestamp');
  if (spec.label !== undefined) sink.ensure('labels');

  const resolve = (header: readonly string[] | null) => {
    cu = resolveColumn(c.user, header, spec.file, 'user');
    ci = resolveColumn(c.item, header, spec.file, 'item');
    cr = c.rating === undefined ? -1 : resolveColumn(c.rating, header, spec.file, 'rating');
    ct = c.timestamp === undefined ? -1 : resolveColumn(c.timestamp, header, spec.file, 'timestamp');
    need = Math.max(cu, ci, cr, ct) + 1;
  };
  if (!spec.header) resolve(null);

  const scanner = new DelimitedScanner({ file: spec.file, delimiter: spec.delimiter, quotes: spec.quotes, encoding: spec.encoding }, sc => {
    if (spec.header && !headerSeen) {
      headerSeen = true;
      const names = sc.fields().map(s => s.trim());
      sc.names = names;
      resolve(names);
      return;
    }
    // Checked inline so the message (which allocates) is only built on failure.
    if (spec.exactColumns !== undefined) {
      if (sc.count !== spec.exactColumns) sc.requireFields(spec.exactColumns, true, describeColumns(sc.names, spec.exactColumns));
    } else if (sc.count < need) sc.requireFields(need, false, describeColumns(sc.names, need));
    const u = internFieldAt(sc, cu, sink.users);
    if (u < 0) throw sc.error(cu, 'a user id', 'an empty field');
    const i = internFieldAt(sc, ci, sink.items);
    if (i < 0) throw sc.error(ci, 'an item id', 'an empty field');
    const r = cr >= 0 ? numberField(sc, cr) : NaN;
    const t = ct >= 0 ? numberField(sc, ct) : NaN;
    sink.add(u, i, r, t, label);
    rows++;
  });
  scanner.names = spec.names ?? [];

  return scannerParser(scanner, () => rows, () => {
    if (rows === 0) {
      throw new DataError({ file: spec.file, expected: 'at least one interaction row', got: headerSeen ? 'only a header line' : 'an empty file' });
    }
  });
}

function describeColumns(names: readonly string[], n: number): string | undefined {
  if (names.length < n) return undefined;
  return names.slice(0, n).join(', ');
}
