/**
 * Collecting item text. Only items that occur in the interactions are kept
 * (the filter runs while parsing), so a multi-GB Amazon metadata file costs
 * memory only for the items actually used.
 */
import { DataError } from '../errors';
import type { ItemText } from '../types';
import { DelimitedScanner, scannerParser } from './delimited';
import type { ItemMeta } from './sink';
import type { TextEncoding } from './text';
import type { ChunkParser } from './textParser';

export class MetaCollector {
  readonly texts = new Map<string, ItemText>();
  rows = 0;
  unmatched = 0;
  exampleUnmatched: string | undefined;

  constructor(
    readonly file: string,
    private readonly wanted: (id: string) => boolean,
  ) {}

  add(id: string, text: ItemText): void {
    this.rows++;
    if (!this.wanted(id)) {
      this.unmatched++;
      this.exampleUnmatched ??= id;
      return;
    }
    const prev = this.texts.get(id);
    if (!prev) this.texts.set(id, text);
  }

  result(): ItemMeta {
    return { file: this.file, texts: this.texts, rows: this.rows, unmatched: this.unmatched, exampleUnmatched: this.exampleUnmatched };
  }
}

export interface DelimitedRecordSpec {
  file: string;
  encoding: TextEncoding;
  delimiter: string;
  quotes: boolean;
  header: boolean;
  /** Column names for messages when there is no header. */
  names?: string[];
  onHeader?(names: string[], sc: DelimitedScanner): void;
  onRecord(sc: DelimitedScanner): void;
  /** What the file should hold, for the "empty file" message. */
  what: string;
  /** Row count for progress when records expand into several rows (sequence files). */
  rows?: () => number;
}

/** A delimited file read record by record (metadata, tags); errors when it holds no record. */
export function delimitedRecordParser(spec: DelimitedRecordSpec): ChunkParser {
  let headerSeen = false;
  let rows = 0;
  const scanner = new DelimitedScanner({ file: spec.file, delimiter: spec.delimiter, quotes: spec.quotes, encoding: spec.encoding }, sc => {
    if (spec.header && !headerSeen) {
      headerSeen = true;
      const names = sc.fields().map(s => s.trim());
      sc.names = names;
      spec.onHeader?.(names, sc);
      return;
    }
    spec.onRecord(sc);
    rows++;
  });
  scanner.names = spec.names ?? [];
  return scannerParser(scanner, spec.rows ?? (() => rows), () => {
    if (rows === 0) throw new DataError({ file: spec.file, expected: `at least one ${spec.what}`, got: headerSeen ? 'only a header line' : 'an empty file' });
  });
}

/** Title/description/categories trimmed; empty parts left out so the LLM prompt stays clean. */
export function itemText(title: string, description?: string, categories?: string[]): ItemText {
  const t: ItemText = { title: title.trim() };
  const d = description?.trim();
  if (d) t.description = d;
  const c = categories?.map(s => s.trim()).filter(s => s.length > 0);
  if (c && c.length) t.categories = c;
  return t;
}

/** Tags per item (MovieLens tags), distinct case-insensitively, capped so popular items stay small. */
export class TagCollector {
  readonly tags = new Map<string, string[]>();
  private readonly seen = new Map<string, Set<string>>();
  constructor(
    private readonly wanted: (id: string) => boolean,
    private readonly maxPerItem = 20,
  ) {}

  add(item: string, tag: string): void {
    const t = tag.trim();
    if (!t || !this.wanted(item)) return;
    let list = this.tags.get(item);
    let seen = this.seen.get(item);
    if (!list || !seen) {
      list = [];
      seen = new Set();
      this.tags.set(item, list);
      this.seen.set(item, seen);
    }
    const key = t.toLowerCase();
    if (list.length < this.maxPerItem && !seen.has(key)) {
      seen.add(key);
      list.push(t);
    }
  }
}

/** Adds "Tags: a, b" to each item's description; an item with tags but no metadata gets an empty title. */
export function mergeTags(meta: ItemMeta | null, tags: Map<string, string[]>, file: string): ItemMeta {
  const out: ItemMeta = meta ?? { file, texts: new Map(), rows: 0, unmatched: 0 };
  for (const [id, list] of tags) {
    const t = out.texts.get(id) ?? { title: '' };
    const line = `Tags: ${list.join(', ')}`;
    t.description = t.description ? `${t.description}\n${line}` : line;
    out.texts.set(id, t);
  }
  return out;
}
