/**
 * Amazon reviews as JSON lines (plain or gzipped; archive.ts ungzips), in the
 * field names of the 2014/2018 releases (reviewerID, asin, overall,
 * unixReviewTime) and of 2023 (user_id, parent_asin/asin, rating, timestamp in
 * ms). 2023 metadata is keyed by parent_asin, so reviews use it when present.
 * Metadata lines give title, description (string or list), categories (list, or
 * list of lists in 2014) and features (appended to the description).
 */
import { DataError, quoteValue } from '../errors';
import type { ItemText } from '../types';
import { itemText, MetaCollector } from './meta';
import { parsePyLiteral, PyLiteralError } from './pyLiteral';
import type { InteractionSink, ItemMeta } from './sink';
import type { SourceFile } from './source';
import { LineScanner, pump, TextFileParser, type ChunkParser } from './textParser';

export interface JsonFieldMapping {
  user: string[];
  item: string[];
  rating: string[];
  timestamp: string[];
}

export const AMAZON_FIELDS: JsonFieldMapping = {
  user: ['reviewerID', 'user_id'],
  item: ['parent_asin', 'asin'],
  rating: ['overall', 'rating'],
  timestamp: ['unixReviewTime', 'timestamp'],
};

/** JSON first; Python literal for the 2014 metadata; a DataError naming line and character otherwise. */
export function parseRecordLine(line: string, file: string, lineNo: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    const t = line.trimStart();
    if (t.startsWith("{'") || t.startsWith('{"')) {
      try {
        v = parsePyLiteral(t);
      } catch (pe) {
        const col = pe instanceof PyLiteralError ? pe.offset + 1 : undefined;
        throw new DataError({ file, line: lineNo, column: col, expected: 'a JSON object (one per line)', got: quoteValue(line), hint: (e as Error).message });
      }
    } else {
      throw new DataError({ file, line: lineNo, expected: 'a JSON object (one per line)', got: quoteValue(line) });
    }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new DataError({ file, line: lineNo, expected: 'a JSON object (one per line)', got: quoteValue(line) });
  }
  return v as Record<string, unknown>;
}

function pick(rec: Record<string, unknown>, names: string[]): [string, unknown] | undefined {
  for (const n of names) if (rec[n] !== undefined && rec[n] !== null && rec[n] !== '') return [n, rec[n]];
  return undefined;
}

function idOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function numOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return NaN;
}

export function jsonReviewsParser(file: string, sink: InteractionSink, fields: JsonFieldMapping = AMAZON_FIELDS): ChunkParser {
  let rows = 0;
  sink.ensure('rating');
  sink.ensure('timestamp');
  const scanner = new LineScanner((line, lineNo) => {
    const rec = parseRecordLine(line, file, lineNo);
    const u = pick(rec, fields.user);
    const i = pick(rec, fields.item);
    const names = (l: string[]) => l.map(n => `"${n}"`).join(' or ');
    const uid = u && idOf(u[1]);
    if (!uid) throw new DataError({ file, line: lineNo, expected: `a user id field ${names(fields.user)}`, got: u ? quoteValue(String(u[1])) : 'none' });
    const iid = i && idOf(i[1]);
    if (!iid) throw new DataError({ file, line: lineNo, expected: `an item id field ${names(fields.item)}`, got: i ? quoteValue(String(i[1])) : 'none' });
    const r = pick(rec, fields.rating);
    const rating = r ? numOf(r[1]) : NaN;
    if (r && !Number.isFinite(rating)) throw new DataError({ file, line: lineNo, columnName: r[0], expected: 'a number', got: quoteValue(String(r[1])) });
    const t = pick(rec, fields.timestamp);
    const ts = t ? numOf(t[1]) : NaN;
    if (t && !Number.isFinite(ts)) throw new DataError({ file, line: lineNo, columnName: t[0], expected: 'a number (unix time)', got: quoteValue(String(t[1])) });
    sink.add(sink.users.intern(uid), sink.items.intern(iid), rating, ts, 0);
    rows++;
  });
  return new TextFileParser(file, 'utf-8', scanner, () => rows, () => {
    if (rows === 0) throw new DataError({ file, expected: 'at least one review line', got: 'an empty file' });
  });
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  return [];
}

/** One metadata record to ItemText; exported for tests of the field variants. */
export function amazonItemText(rec: Record<string, unknown>): ItemText {
  const title = strings(rec.title).join(' ');
  const description = strings(rec.description).filter(s => s.trim()).join('\n');
  const features = strings(rec.features ?? rec.feature).filter(s => s.trim());
  const cats = [...strings(rec.main_category), ...strings(rec.categories ?? rec.category)];
  const unique = [...new Set(cats.map(c => c.trim()).filter(c => c))];
  const desc = features.length ? `${description}${description ? '\n' : ''}Features: ${features.join('; ')}` : description;
  return itemText(title, desc, unique);
}

export function parseAmazonMeta(src: SourceFile, wanted: (id: string) => boolean): ItemMeta {
  const meta = new MetaCollector(src.name, wanted);
  const scanner = new LineScanner((line, lineNo) => {
    const rec = parseRecordLine(line, src.name, lineNo);
    const ids = ['parent_asin', 'asin'].map(k => idOf(rec[k])).filter((x): x is string => x !== undefined);
    if (ids.length === 0) throw new DataError({ file: src.name, line: lineNo, expected: 'an item id field "parent_asin" or "asin"', got: 'none' });
    // Reviews were keyed by parent_asin when they had it; accept either key.
    const id = ids.find(wanted) ?? ids[0]!;
    meta.add(id, amazonItemText(rec));
  });
  pump(
    src,
    new TextFileParser(src.name, 'utf-8', scanner, () => meta.rows, () => {
      if (meta.rows === 0) throw new DataError({ file: src.name, expected: 'at least one item line', got: 'an empty file' });
    }),
  );
  return meta.result();
}
