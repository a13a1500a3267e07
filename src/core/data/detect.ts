/**
 * Which format did the user drop, which file plays which role, and (where a
 * format does not fix it) which column is what. Works on the first 64 KB of
 * each file only, so it is instant even for a 25M-row ratings.csv. Rules run
 * from the most specific (MovieLens file names) to the most general
 * (any delimited text), and every decision is explained in `notes`.
 */
import Papa from 'papaparse';
import { DataError } from './errors';
import type { ColumnMapping, DelimitedInteractionMapping, ItemMetaMapping, JsonInteractionFields } from './formats/columns';
import { checkText, DelimitedScanner } from './formats/delimited';
import { parseRecordLine, AMAZON_FIELDS } from './formats/amazon';
import { parseRecboleHeader, recboleInterColumns } from './formats/recbole';
import type { SplitLabel } from './formats/sink';
import { baseName, bytesSource, readHead, type SourceFile } from './formats/source';
import { splitLabelOf } from './formats/splitFolder';
import { expandSources } from './archive';

export type FormatId = 'movielens-100k' | 'movielens-dat' | 'movielens-csv' | 'recbole' | 'amazon' | 'split-folder' | 'generic';

export const FORMAT_LABELS: Record<FormatId, string> = {
  'movielens-100k': 'MovieLens 100K (u.data, u.item)',
  'movielens-dat': 'MovieLens 1M/10M (ratings.dat, movies.dat)',
  'movielens-csv': 'MovieLens 20M/25M/32M/latest (ratings.csv, movies.csv)',
  recbole: 'RecBole atomic files (.inter, .item)',
  amazon: 'Amazon reviews (JSON lines)',
  'split-folder': 'Split folder (train/val/test)',
  generic: 'Delimited text (CSV/TSV)',
};

export const FORMAT_IDS = Object.keys(FORMAT_LABELS) as FormatId[];

export type FileRole = 'interactions' | 'items' | 'genres' | 'tags';

export interface RoleFile {
  name: string;
  role: FileRole;
  /** Split given by the file (split folders, RecBole .train/.valid/.test.inter). */
  label?: SplitLabel;
}

export interface FilePreview {
  file: string;
  role: FileRole;
  /** Column names: the header where there is one, else "column 1", ... */
  columns: string[];
  header: boolean;
  /** First data rows as text (at most 10), exactly as the parser will split them. */
  rows: string[][];
  delimiter?: string;
}

export interface Detection {
  format: FormatId;
  label: string;
  /** A name for the dataset (folder, archive or file stem). */
  name: string;
  files: RoleFile[];
  /** Dropped files this format does not read. */
  ignored: string[];
  /** Guessed where the format leaves it open; the loader uses config.mapping over this. */
  mapping: ColumnMapping;
  /** The guess could be wrong: the UI should show the mapping form. */
  ambiguous: boolean;
  notes: string[];
  hasRating: boolean;
  hasTimestamp: boolean;
  hasGivenSplit: boolean;
  preview: FilePreview[];
}

const HEAD_BYTES = 1 << 16;
const PREVIEW_ROWS = 10;

/** Detection for raw dropped files (archives are expanded first). */
export function detectFiles(files: { name: string; bytes: Uint8Array }[], format: FormatId | 'auto' = 'auto'): Detection {
  return detectSources(expandSources(files.map(f => bytesSource(f.name, f.bytes))), format);
}

class Heads {
  private readonly cache = new Map<SourceFile, string>();
  constructor(readonly sources: SourceFile[]) {}

  private readonly headBytes = new Map<SourceFile, Uint8Array>();

  bytes(src: SourceFile): Uint8Array {
    let b = this.headBytes.get(src);
    if (!b) {
      b = readHead(src, HEAD_BYTES);
      this.headBytes.set(src, b);
    }
    return b;
  }

  /** Head as text without the last, possibly cut, line. */
  text(src: SourceFile, encoding: 'utf-8' | 'latin1' = 'utf-8'): string {
    let t = this.cache.get(src);
    if (t === undefined) {
      const b = this.bytes(src);
      t = new TextDecoder(encoding).decode(b);
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
      if (b.length >= HEAD_BYTES) t = t.slice(0, Math.max(0, t.lastIndexOf('\n') + 1));
      this.cache.set(src, t);
    }
    return t;
  }

  /** Head bytes up to the last complete line (the scanner must not see a cut record). */
  lines(src: SourceFile): Uint8Array {
    const b = this.bytes(src);
    if (b.length < HEAD_BYTES) return b;
    return b.subarray(0, b.lastIndexOf(10) + 1);
  }

  /** UTF-8 if the head decodes strictly, else Latin-1 (for previews of files that may be either). */
  encodingOf(src: SourceFile): 'utf-8' | 'latin1' {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(this.lines(src));
      return 'utf-8';
    } catch {
      return 'latin1';
    }
  }

  isBinary(src: SourceFile): boolean {
    return this.bytes(src).subarray(0, 8192).indexOf(0) !== -1;
  }

  byBase(name: string): SourceFile | undefined {
    return this.sources.find(s => baseName(s.name).toLowerCase() === name);
  }
}

export function detectSources(sources: SourceFile[], format: FormatId | 'auto' = 'auto'): Detection {
  if (sources.length === 0) throw new DataError({ file: '(no files)', expected: 'at least one file' });
  const h = new Heads(sources);
  const rules: [FormatId, (h: Heads) => Detection | null][] = [
    ['movielens-100k', detectMl100k],
    ['movielens-dat', detectMlDat],
    ['movielens-csv', detectMlCsv],
    ['recbole', detectRecbole],
    ['split-folder', detectSplitFolder],
    ['amazon', detectAmazon],
    ['generic', detectGeneric],
  ];
  for (const [id, rule] of rules) {
    if (format !== 'auto' && format !== id) continue;
    const d = rule(h);
    if (d) return d;
  }
  const names = sources.map(s => s.name).slice(0, 5).join(', ');
  throw new DataError({
    file: names + (sources.length > 5 ? ', …' : ''),
    expected: format === 'auto' ? 'a supported dataset (MovieLens, RecBole, Amazon JSON lines, train/val/test files, or a delimited text file)' : `the files of ${FORMAT_LABELS[format]}`,
    got: sources.every(s => h.isBinary(s)) ? 'binary files' : 'none of them',
  });
}

function make(
  h: Heads,
  format: FormatId,
  files: RoleFile[],
  d: Partial<Detection> & { hasRating: boolean; hasTimestamp: boolean },
): Detection {
  const used = new Set(files.map(f => f.name));
  const inter = files.find(f => f.role === 'interactions');
  return {
    format,
    label: FORMAT_LABELS[format],
    name: datasetName(h.sources, inter?.name ?? ''),
    files,
    ignored: h.sources.map(s => s.name).filter(n => !used.has(n)),
    mapping: d.mapping ?? {},
    ambiguous: d.ambiguous ?? false,
    notes: d.notes ?? [],
    hasRating: d.hasRating,
    hasTimestamp: d.hasTimestamp,
    hasGivenSplit: d.hasGivenSplit ?? files.some(f => f.label !== undefined),
    preview: d.preview ?? [],
  };
}

/** Folder or archive name when all files share one, else the interaction file's stem. */
export function datasetName(sources: SourceFile[], interactions: string): string {
  const tops = new Set(sources.map(s => (s.name.includes('/') ? s.name.split('/')[0]! : '')));
  if (tops.size === 1) {
    const t = [...tops][0]!;
    if (t) return t;
  }
  const b = baseName(interactions);
  return b.replace(/\.(gz|zip)$/i, '').replace(/\.[^.]*$/, '') || 'dataset';
}

function previewDelimited(
  h: Heads,
  src: SourceFile,
  role: FileRole,
  opts: { delimiter: string; quotes: boolean; header: boolean; encoding?: 'utf-8' | 'latin1'; names?: string[] },
): FilePreview {
  const rows: string[][] = [];
  let header: string[] | null = null;
  const sc = new DelimitedScanner({ file: src.name, delimiter: opts.delimiter, quotes: opts.quotes, encoding: opts.encoding }, s => {
    if (opts.header && !header) header = s.fields().map(f => f.trim());
    else if (rows.length < PREVIEW_ROWS) rows.push(s.fields());
  });
  try {
    sc.push(h.lines(src));
    sc.finish();
  } catch {
    // A preview shows what it can; the real parse reports the error with its position.
  }
  const width = Math.max((header as string[] | null)?.length ?? 0, ...rows.map(r => r.length), 0);
  const columns = Array.from({ length: width }, (_, k) => (header as string[] | null)?.[k] ?? opts.names?.[k] ?? `column ${k + 1}`);
  return { file: src.name, role, columns, header: opts.header, rows, delimiter: opts.delimiter };
}

function previewJson(h: Heads, src: SourceFile, role: FileRole): FilePreview {
  const recs: Record<string, unknown>[] = [];
  const lines = h.text(src).split('\n').filter(l => l.trim());
  for (const [k, line] of lines.slice(0, PREVIEW_ROWS).entries()) {
    try {
      recs.push(parseRecordLine(line, src.name, k + 1));
    } catch {
      recs.push({ '(unreadable line)': line.slice(0, 80) });
    }
  }
  const cols = [...new Set(recs.flatMap(r => Object.keys(r)))].slice(0, 12);
  const cell = (v: unknown) => {
    const s = typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 80) + '…' : s;
  };
  return { file: src.name, role, columns: cols, header: true, rows: recs.map(r => cols.map(c => cell(r[c]))) };
}

function detectMl100k(h: Heads): Detection | null {
  const data = h.byBase('u.data');
  if (!data) return null;
  const files: RoleFile[] = [{ name: data.name, role: 'interactions' }];
  const preview = [previewDelimited(h, data, 'interactions', { delimiter: '\t', quotes: false, header: false, names: ['user_id', 'item_id', 'rating', 'timestamp'] })];
  const item = h.byBase('u.item');
  const genre = h.byBase('u.genre');
  if (item) {
    files.push({ name: item.name, role: 'items' });
    preview.push(previewDelimited(h, item, 'items', { delimiter: '|', quotes: false, header: false, encoding: 'latin1', names: ['movie_id', 'title', 'release_date', 'video_release_date', 'imdb_url'] }));
  }
  if (genre) files.push({ name: genre.name, role: 'genres' });
  const notes = ['u.data is read; ua/ub/u1..u5 split files and u.user are not used'];
  return make(h, 'movielens-100k', files, { hasRating: true, hasTimestamp: true, preview, notes });
}

function detectMlDat(h: Heads): Detection | null {
  const data = h.byBase('ratings.dat');
  if (!data) return null;
  const files: RoleFile[] = [{ name: data.name, role: 'interactions' }];
  const preview = [previewDelimited(h, data, 'interactions', { delimiter: '::', quotes: false, header: false, names: ['UserID', 'MovieID', 'Rating', 'Timestamp'] })];
  const movies = h.byBase('movies.dat');
  if (movies) {
    files.push({ name: movies.name, role: 'items' });
    preview.push(previewDelimited(h, movies, 'items', { delimiter: '::', quotes: false, header: false, encoding: h.encodingOf(movies), names: ['MovieID', 'Title', 'Genres'] }));
  }
  const tags = h.byBase('tags.dat');
  if (tags) files.push({ name: tags.name, role: 'tags' });
  return make(h, 'movielens-dat', files, { hasRating: true, hasTimestamp: true, preview });
}

function detectMlCsv(h: Heads): Detection | null {
  const data = h.byBase('ratings.csv');
  if (!data) return null;
  const first = h.text(data).split('\n', 1)[0] ?? '';
  // MovieLens spells its columns in camelCase; a ratings.csv without them is left to the generic rule.
  if (!/\b(userId|movieId)\b/.test(first)) return null;
  const files: RoleFile[] = [{ name: data.name, role: 'interactions' }];
  const preview = [previewDelimited(h, data, 'interactions', { delimiter: ',', quotes: true, header: true })];
  const movies = h.byBase('movies.csv');
  if (movies) {
    files.push({ name: movies.name, role: 'items' });
    preview.push(previewDelimited(h, movies, 'items', { delimiter: ',', quotes: true, header: true }));
  }
  const tags = h.byBase('tags.csv');
  if (tags) files.push({ name: tags.name, role: 'tags' });
  return make(h, 'movielens-csv', files, { hasRating: /\brating\b/.test(first), hasTimestamp: /\btimestamp\b/.test(first), preview });
}

function detectRecbole(h: Heads): Detection | null {
  const inters = h.sources.filter(s => /\.inter$/i.test(s.name));
  if (inters.length === 0) return null;
  const labelled = inters.filter(s => splitLabelOf(s.name) !== undefined);
  const notes: string[] = [];
  let chosen: RoleFile[];
  if (labelled.some(s => splitLabelOf(s.name) === 0)) {
    chosen = labelled.map(s => ({ name: s.name, role: 'interactions' as const, label: splitLabelOf(s.name) }));
    notes.push('the .train/.valid/.test.inter files carry a split; choose "given" to keep it');
  } else {
    const biggest = inters.reduce((a, b) => (b.size > a.size ? b : a));
    chosen = [{ name: biggest.name, role: 'interactions' }];
    if (inters.length > 1) notes.push(`several .inter files; reading the largest, ${biggest.name}`);
  }
  const first = h.sources.find(s => s.name === chosen[0]!.name)!;
  const stem = baseName(first.name).split('.')[0]!;
  const item = h.sources.find(s => /\.item$/i.test(s.name) && baseName(s.name).split('.')[0] === stem) ?? h.sources.find(s => /\.item$/i.test(s.name));
  const files = [...chosen];
  const preview = [previewDelimited(h, first, 'interactions', { delimiter: '\t', quotes: false, header: true })];
  if (item) {
    files.push({ name: item.name, role: 'items' });
    preview.push(previewDelimited(h, item, 'items', { delimiter: '\t', quotes: false, header: true }));
  }
  let hasRating = false;
  let hasTimestamp = false;
  try {
    const header = (h.text(first).split('\n', 1)[0] ?? '').replace(/\r$/, '').split('\t');
    const c = recboleInterColumns(parseRecboleHeader(header, first.name), first.name);
    hasRating = c.rating >= 0;
    hasTimestamp = c.timestamp >= 0 || c.itemList >= 0;
    if (c.itemList >= 0) notes.push('sequence-style .inter: each history list is expanded into interactions, in order');
  } catch {
    // The parser reports a bad header with its position.
  }
  return make(h, 'recbole', files, { hasRating, hasTimestamp, preview, notes });
}

const TEXT_EXT = /\.(csv|tsv|txt|dat|data|tab|psv|inter)$/i;

function detectSplitFolder(h: Heads): Detection | null {
  const parts = h.sources.filter(s => splitLabelOf(s.name) !== undefined && TEXT_EXT.test(s.name) && !/\.inter$/i.test(s.name));
  const train = parts.find(s => splitLabelOf(s.name) === 0);
  if (!train || !parts.some(s => splitLabelOf(s.name) === 2)) return null;
  const guess = guessDelimited(h, train);
  const files: RoleFile[] = parts.map(s => ({ name: s.name, role: 'interactions' as const, label: splitLabelOf(s.name) }));
  const m: DelimitedInteractionMapping = guess.mapping;
  const preview = [previewDelimited(h, train, 'interactions', { delimiter: m.delimiter, quotes: m.quotes ?? true, header: m.header })];
  return make(h, 'split-folder', files, {
    hasRating: m.rating !== undefined,
    hasTimestamp: m.timestamp !== undefined,
    mapping: { interactions: m },
    ambiguous: guess.ambiguous,
    preview,
    notes: ['the split is given by the files; choose "given" to keep it', ...guess.notes],
  });
}

function findField(rec: Record<string, unknown>, names: string[]): string | undefined {
  return names.find(n => rec[n] !== undefined && rec[n] !== null);
}

function detectAmazon(h: Heads): Detection | null {
  const reviews: SourceFile[] = [];
  const metas: SourceFile[] = [];
  let fields: JsonInteractionFields | null = null;
  for (const s of h.sources) {
    if (h.isBinary(s)) continue;
    const line = h.text(s).split('\n').find(l => l.trim());
    if (!line || !line.trimStart().startsWith('{')) continue;
    let rec: Record<string, unknown>;
    try {
      rec = parseRecordLine(line, s.name, 1);
    } catch {
      continue;
    }
    const user = findField(rec, AMAZON_FIELDS.user);
    const item = findField(rec, AMAZON_FIELDS.item);
    if (user && item) {
      reviews.push(s);
      fields ??= { user, item, rating: findField(rec, AMAZON_FIELDS.rating), timestamp: findField(rec, AMAZON_FIELDS.timestamp) };
    } else if (item || findField(rec, ['asin', 'parent_asin'])) metas.push(s);
  }
  if (reviews.length === 0 || !fields) return null;
  // 2023 reviews carry both asin and parent_asin; metadata is keyed by parent_asin.
  const files: RoleFile[] = reviews.map(s => ({ name: s.name, role: 'interactions' as const }));
  const preview = reviews.slice(0, 1).map(s => previewJson(h, s, 'interactions'));
  if (metas[0]) {
    files.push({ name: metas[0].name, role: 'items' });
    preview.push(previewJson(h, metas[0], 'items'));
  }
  const notes = [`fields: user "${fields.user}", item "${fields.item}"${fields.rating ? `, rating "${fields.rating}"` : ''}${fields.timestamp ? `, time "${fields.timestamp}"` : ''}`];
  if (metas.length > 1) notes.push(`several metadata files; reading ${metas[0]!.name}`);
  return make(h, 'amazon', files, { hasRating: !!fields.rating, hasTimestamp: !!fields.timestamp, mapping: { json: fields }, preview, notes });
}

const NOT_DATA = /(^|\/)(readme|license|licence|changelog|notice)(\.[a-z]+)?$|\.(md|html?|pdf|pkl|pickle|npy|npz|pt|bin|png|jpe?g|gif|py|js|ts|sh|ipynb|json)$/i;

function detectGeneric(h: Heads): Detection | null {
  const texts = h.sources.filter(s => !NOT_DATA.test(s.name) && s.size > 0);
  // UTF-16 has NUL bytes, but deserves its own message rather than "binary".
  for (const s of texts) checkText(s.name, h.bytes(s));
  const candidates = texts.filter(s => !h.isBinary(s));
  if (candidates.length === 0) {
    const bin = h.sources.find(s => h.isBinary(s));
    if (bin) throw new DataError({ file: bin.name, expected: 'a text file', got: `binary data (byte 0x00 in the first ${HEAD_BYTES / 1024} KB)` });
    const empty = h.sources.find(s => s.size === 0);
    if (empty) throw new DataError({ file: empty.name, expected: 'interaction rows', got: 'an empty file' });
    return null;
  }
  const guesses = candidates.map(s => ({ src: s, g: guessDelimited(h, s) }));
  const isInter = (x: (typeof guesses)[number]) => x.g.byName.user && x.g.byName.item;
  const named = guesses.filter(isInter);
  const inter = named.find(x => /rating|inter|review|click|event|log|train|action/i.test(baseName(x.src.name))) ?? named[0] ?? guesses.reduce((a, b) => (b.src.size > a.src.size ? b : a));
  const notes = [...inter.g.notes];
  let ambiguous = inter.g.ambiguous;
  if (named.length === 0 && guesses.length > 1) {
    notes.push(`no file names its user and item columns; using the largest, ${inter.src.name}`);
    ambiguous = true;
  }
  const files: RoleFile[] = [{ name: inter.src.name, role: 'interactions' }];
  const mapping: ColumnMapping = { interactions: { ...inter.g.mapping, file: inter.src.name } };
  const preview = [previewDelimited(h, inter.src, 'interactions', { delimiter: inter.g.mapping.delimiter, quotes: true, header: inter.g.mapping.header })];
  const metaCand = guesses.find(x => x !== inter && x.g.meta);
  if (metaCand && metaCand.g.meta) {
    files.push({ name: metaCand.src.name, role: 'items' });
    mapping.items = { ...metaCand.g.meta, file: metaCand.src.name };
    preview.push(previewDelimited(h, metaCand.src, 'items', { delimiter: metaCand.g.mapping.delimiter, quotes: true, header: metaCand.g.mapping.header }));
    notes.push(`item text from ${metaCand.src.name}`);
  }
  const m = mapping.interactions!;
  return make(h, 'generic', files, { hasRating: m.rating !== undefined, hasTimestamp: m.timestamp !== undefined, mapping, ambiguous, preview, notes });
}

const ROLE_PATTERNS = {
  user: /user|reviewer|customer|member|uid|visitor|session|person|client|account|buyer|listener/i,
  item: /item|movie|product|asin|book|song|track|artist|business|iid|poi|video|article|recipe|game|anime|isbn|sku|film/i,
  timestamp: /time|date|^ts$|epoch|^when$/i,
  rating: /rating|score|stars|overall|preference|value|weight|plays|count|label/i,
};

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

interface DelimitedGuess {
  mapping: DelimitedInteractionMapping;
  /** user and item found by header name (not by position). */
  byName: { user: boolean; item: boolean };
  meta: Omit<ItemMetaMapping, 'file'> | null;
  ambiguous: boolean;
  notes: string[];
}

/**
 * Delimiter by papaparse's guesser (the well-tested part of papaparse we can
 * use; its parser allocates per row, so parsing itself is ours), plus "::"
 * which papaparse cannot guess. Header and columns by names and by what the
 * values look like.
 */
function guessDelimited(h: Heads, src: SourceFile): DelimitedGuess {
  const t = h.text(src);
  const lines = t.split('\n').filter(l => l.trim()).slice(0, 30);
  let delimiter: string;
  if (lines.length > 0 && lines.every(l => l.includes('::'))) delimiter = '::';
  else {
    const r = Papa.parse<string[]>(lines.join('\n'), { delimitersToGuess: ['\t', ',', ';', '|', ' '], preview: 30 });
    delimiter = r.meta.delimiter || ',';
    if (lines.length > 0 && !lines[0]!.includes(delimiter)) delimiter = lines[0]!.includes('\t') ? '\t' : ',';
  }
  const rows: string[][] = [];
  const sc = new DelimitedScanner({ file: src.name, delimiter, quotes: true }, s => {
    if (rows.length < 30) rows.push(s.fields());
  });
  try {
    sc.push(new TextEncoder().encode(lines.join('\n')));
    sc.finish();
  } catch {
    // Preview only.
  }
  const header = guessHeader(rows);
  const notes: string[] = [];
  const names = header ? rows[0]!.map(s => s.trim()) : [];
  const body = header ? rows.slice(1) : rows;
  const width = Math.max(0, ...rows.map(r => r.length));
  const taken = new Set<number>();
  const byName = (re: RegExp): number | undefined => {
    const k = names.findIndex((n, i) => !taken.has(i) && re.test(n));
    if (k === -1) return undefined;
    taken.add(k);
    return k;
  };
  const m: DelimitedInteractionMapping = { delimiter, header, user: 0, item: 1 };
  const u = byName(ROLE_PATTERNS.user);
  const i = byName(ROLE_PATTERNS.item);
  const ts = byName(ROLE_PATTERNS.timestamp);
  const r = byName(ROLE_PATTERNS.rating);
  const col = (k: number) => body.map(row => row[k] ?? '');
  const allNumeric = (k: number) => body.length > 0 && col(k).every(v => NUMERIC.test(v));
  const ref = (k: number) => (header ? names[k]! : k);
  if (u !== undefined && i !== undefined) {
    m.user = ref(u);
    m.item = ref(i);
    if (ts !== undefined && allNumeric(ts)) m.timestamp = ref(ts);
    if (r !== undefined && allNumeric(r)) m.rating = ref(r);
  } else {
    // By position: user, item, then a small number (rating) and a large one (unix time).
    m.user = ref(0);
    m.item = ref(1);
    for (let k = 2; k < Math.min(width, 4); k++) {
      if (!allNumeric(k)) continue;
      const max = Math.max(...col(k).map(Number));
      if (max > 1e8 && m.timestamp === undefined) m.timestamp = ref(k);
      else if (max <= 100 && m.rating === undefined) m.rating = ref(k);
    }
    notes.push(`${src.name}: columns guessed by position (user = 1, item = 2${m.rating !== undefined ? ', rating = a small number' : ''}${m.timestamp !== undefined ? ', time = a large number' : ''}); check the mapping`);
  }
  if (width < 2) notes.push(`${src.name}: found one column only; is the delimiter right?`);
  const ambiguous = !header || u === undefined || i === undefined || width < 2;
  // A metadata file names an id and some text, and has no user column.
  let meta: DelimitedGuess['meta'] = null;
  if (header && u === undefined) {
    taken.clear();
    const id = byName(/^(item|movie|product|asin|book|id|iid|item_?id|movie_?id|parent_asin)$|_id$|Id$/i) ?? byName(ROLE_PATTERNS.item);
    const title = byName(/title|name/i);
    const desc = byName(/desc|plot|summary|overview|abstract|text|blurb/i);
    const cats = byName(/genre|categor|class|tag/i);
    if (id !== undefined && (title !== undefined || desc !== undefined)) {
      const sample = cats !== undefined ? col(cats).join('') : '';
      meta = {
        delimiter,
        header: true,
        id: names[id]!,
        title: title !== undefined ? names[title] : undefined,
        description: desc !== undefined ? names[desc] : undefined,
        categories: cats !== undefined ? names[cats] : undefined,
        categorySeparator: sample.includes('|') ? '|' : sample.includes(';') ? ';' : ',',
      };
    }
  }
  return { mapping: m, byName: { user: u !== undefined, item: i !== undefined }, meta, ambiguous, notes };
}

/** A first row is a header when it names columns that are numeric below, or uses column words the data does not. */
export function guessHeader(rows: string[][]): boolean {
  const first = rows[0];
  if (!first) return false;
  const rest = rows.slice(1);
  for (let k = 0; k < first.length; k++) {
    if (!NUMERIC.test(first[k]!) && first[k]!.trim() !== '' && rest.length > 0 && rest.every(r => r[k] !== undefined && NUMERIC.test(r[k]!))) return true;
  }
  const words = /^(user|item|rating|time|timestamp|movie|product|asin|score|id|label)|(_id|Id|ID)$/;
  return first.some(f => words.test(f.trim())) && !rest.some(r => r.some(f => words.test(f.trim())));
}
