/**
 * Runs the parsers a Detection calls for and returns the raw dataset
 * (interactions with interned ids, item text by original id). Also exposes the
 * streaming single-file API, `createParser(kind, ...)`, used by benchmarks.
 */
import { DataError } from '../errors';
import type { Detection, RoleFile } from '../detect';
import { AMAZON_FIELDS, jsonReviewsParser, parseAmazonMeta, type JsonFieldMapping } from './amazon';
import type { ColumnMapping, DelimitedInteractionMapping, JsonInteractionFields } from './columns';
import { genericInteractionParser, parseGenericMeta } from './generic';
import { mergeTags, TagCollector } from './meta';
import { parseUGenre, parseUItem, uDataParser, ML100K_GENRES } from './movielens100k';
import { parseMoviesCsv, parseTagsCsv, ratingsCsvParser } from './movielensCsv';
import { parseMoviesDat, parseTagsDat, ratingsDatParser } from './movielensDat';
import { parseRecboleItem, recboleInterParser } from './recbole';
import { InteractionSink, type ItemMeta, type RawInteractions, type SplitLabel } from './sink';
import type { SourceFile } from './source';
import type { ChunkParser } from './textParser';

export type { ChunkParser } from './textParser';
export type { RawInteractions, ItemMeta, SplitLabel } from './sink';
export { InteractionSink } from './sink';

export interface RawDataset {
  name: string;
  format: Detection['format'];
  interactions: RawInteractions;
  meta: ItemMeta | null;
  files: { used: string[]; ignored: string[] };
  warnings: string[];
}

/** The interaction-file layouts, for the streaming API. */
export type InteractionFileKind = 'u.data' | 'ratings.dat' | 'ratings.csv' | 'recbole-inter' | 'amazon-json' | 'delimited';

export interface ParserOptions {
  file: string;
  sink: InteractionSink;
  label?: SplitLabel;
  /** Required for 'delimited'. */
  mapping?: DelimitedInteractionMapping;
  json?: JsonInteractionFields;
}

/** A streaming parser of one interaction file: `push(chunk)` successive Uint8Arrays, then `finish()`. */
export function createInteractionParser(kind: InteractionFileKind, o: ParserOptions): ChunkParser {
  switch (kind) {
    case 'u.data':
      return uDataParser(o.file, o.sink);
    case 'ratings.dat':
      return ratingsDatParser(o.file, o.sink);
    case 'ratings.csv':
      return ratingsCsvParser(o.file, o.sink);
    case 'recbole-inter':
      return recboleInterParser(o.file, o.sink, o.label);
    case 'amazon-json':
      return jsonReviewsParser(o.file, o.sink, o.json ? jsonFields(o.json) : AMAZON_FIELDS);
    case 'delimited':
      if (!o.mapping) throw new Error('a delimited parser needs a mapping');
      return genericInteractionParser(o.file, o.mapping, o.sink, o.label);
  }
}

/** Convenience: a parser with its own sink; `result()` after `finish()`. */
export function createParser(kind: InteractionFileKind, opts: Omit<ParserOptions, 'sink'> & { capacity?: number }): ChunkParser & { sink: InteractionSink; result(): RawInteractions } {
  const sink = new InteractionSink(opts.capacity);
  const p = createInteractionParser(kind, { ...opts, sink });
  return {
    sink,
    push: c => p.push(c),
    finish: () => p.finish(),
    get rows() {
      return p.rows;
    },
    result: () => sink.result(opts.file),
  };
}

function jsonFields(f: JsonInteractionFields): JsonFieldMapping {
  return { user: [f.user], item: [f.item], rating: f.rating ? [f.rating] : [], timestamp: f.timestamp ? [f.timestamp] : [] };
}

export interface ParseProgress {
  /** Bytes of text handed to parsers so far. */
  bytes: number;
  /** Total bytes expected (decompressed sizes, estimated for .gz). */
  totalBytes: number;
  rows: number;
  file: string;
}

/**
 * Parses every file the detection assigned a role. Interactions first, so the
 * metadata parsers can skip items that never occur.
 */
export function parseDataset(det: Detection, sources: SourceFile[], mapping: ColumnMapping, onProgress?: (p: ParseProgress) => void): RawDataset {
  const byName = new Map(sources.map(s => [s.name, s]));
  const get = (f: RoleFile): SourceFile => {
    const s = byName.get(f.name);
    if (!s) throw new DataError({ file: f.name, expected: 'this file among the dropped files', got: 'it is missing' });
    return s;
  };
  const interFiles = det.files.filter(f => f.role === 'interactions');
  const pinned = mapping.interactions?.file;
  if (det.format === 'generic' && pinned) {
    if (!byName.has(pinned)) throw new DataError({ file: pinned, expected: 'the interaction file named in the column mapping among the dropped files', got: 'it is missing' });
    interFiles.splice(0, interFiles.length, { name: pinned, role: 'interactions' });
  }
  const totalBytes = interFiles.reduce((s, f) => s + get(f).size, 0);
  const sink = new InteractionSink();
  const warnings: string[] = [];
  let bytes = 0;

  for (const f of interFiles) {
    const src = get(f);
    const parser = interactionParserFor(det, f, sink, mapping);
    let estimated = false;
    let fileBytes = 0;
    src.read(chunk => {
      parser.push(chunk);
      fileBytes += chunk.length;
      bytes += chunk.length;
      // Size the arrays once from the first chunk's row density instead of regrowing them 20 times.
      if (!estimated && fileBytes >= 1 << 20 && src.size > fileBytes * 4) {
        estimated = true;
        sink.reserve(sink.length + (parser.rows / fileBytes) * (src.size - fileBytes) * 1.05);
      }
      onProgress?.({ bytes, totalBytes, rows: sink.length, file: src.name });
    });
    parser.finish();
    onProgress?.({ bytes, totalBytes, rows: sink.length, file: src.name });
  }
  const source = interFiles.map(f => f.name).join(', ');
  const interactions = sink.result(source);
  const wanted = (id: string) => sink.items.lookup(id) !== undefined;

  let meta: ItemMeta | null = null;
  const itemsFile = det.files.find(f => f.role === 'items');
  const genresFile = det.files.find(f => f.role === 'genres');
  const tagsFile = det.files.find(f => f.role === 'tags');
  if (itemsFile) {
    const src = get(itemsFile);
    switch (det.format) {
      case 'movielens-100k':
        meta = parseUItem(src, genresFile ? parseUGenre(get(genresFile)) : ML100K_GENRES, wanted);
        break;
      case 'movielens-dat':
        meta = parseMoviesDat(src, wanted, warnings);
        break;
      case 'movielens-csv':
        meta = parseMoviesCsv(src, wanted);
        break;
      case 'recbole':
        meta = parseRecboleItem(src, wanted);
        break;
      case 'amazon':
        meta = parseAmazonMeta(src, wanted);
        break;
      case 'generic':
        if (mapping.items) meta = parseGenericMeta(byName.get(mapping.items.file) ?? src, mapping.items, wanted, warnings);
        break;
      case 'split-folder':
        break;
    }
  } else if (det.format === 'generic' && mapping.items) {
    const src = byName.get(mapping.items.file);
    if (!src) throw new DataError({ file: mapping.items.file, expected: 'the item file named in the column mapping among the dropped files', got: 'it is missing' });
    meta = parseGenericMeta(src, mapping.items, wanted, warnings);
  }
  if (meta && meta.rows > 0 && meta.texts.size === 0) {
    throw new DataError({
      file: meta.file,
      expected: `item ids that occur in ${source}`,
      got: `none of its ${meta.rows} ids do (e.g. ${JSON.stringify(meta.exampleUnmatched ?? '')}, while ${source} has e.g. ${JSON.stringify(interactions.itemIds[0] ?? '')})`,
    });
  }
  if (meta && meta.unmatched > 0) warnings.push(`${meta.file}: ${meta.unmatched} of ${meta.rows} items have no interactions (skipped)`);
  if (tagsFile) {
    const tags = new TagCollector(wanted);
    const src = get(tagsFile);
    if (det.format === 'movielens-dat') parseTagsDat(src, tags, warnings);
    else parseTagsCsv(src, tags);
    meta = mergeTags(meta, tags.tags, src.name);
  }
  const used = det.files.map(f => f.name);
  return { name: det.name, format: det.format, interactions, meta, files: { used, ignored: det.ignored }, warnings };
}

function interactionParserFor(det: Detection, f: RoleFile, sink: InteractionSink, mapping: ColumnMapping): ChunkParser {
  switch (det.format) {
    case 'movielens-100k':
      return uDataParser(f.name, sink);
    case 'movielens-dat':
      return ratingsDatParser(f.name, sink);
    case 'movielens-csv':
      return ratingsCsvParser(f.name, sink);
    case 'recbole':
      return recboleInterParser(f.name, sink, f.label, mapping.interactions);
    case 'amazon':
      return jsonReviewsParser(f.name, sink, mapping.json ? jsonFields(mapping.json) : AMAZON_FIELDS);
    case 'split-folder':
    case 'generic': {
      const m = mapping.interactions;
      if (!m) throw new DataError({ file: f.name, expected: 'a column mapping (user and item columns)', got: 'none' });
      return genericInteractionParser(f.name, m, sink, f.label);
    }
  }
}

