/**
 * RecBole atomic files: tab-separated with a typed header (`name:type`, type one
 * of token, token_seq, float, float_seq; sequences space-separated).
 * `.inter` holds interactions, either one per row or sequence-style as
 * UniSRec/LLMRank publish them (`item_id_list:token_seq` history plus a target
 * `item_id:token`), which we expand into one interaction per history item. Files
 * named `X.train.inter` / `X.valid.inter` / `X.test.inter` carry a given split.
 */
import { DataError, quoteValue } from '../errors';
import { type DelimitedScanner } from './delimited';
import { internFieldAt, numberField } from './delimitedInteractions';
import { delimitedRecordParser, itemText, MetaCollector } from './meta';
import type { InteractionSink, ItemMeta, SplitLabel } from './sink';
import type { SourceFile } from './source';
import { pump, type ChunkParser } from './textParser';
import type { InteractionColumns } from './columns';

export type RecboleType = 'token' | 'token_seq' | 'float' | 'float_seq';
export interface RecboleField {
  name: string;
  type: RecboleType;
}

const TYPES = new Set<string>(['token', 'token_seq', 'float', 'float_seq']);

export function parseRecboleHeader(fields: readonly string[], file: string): RecboleField[] {
  return fields.map((f, k) => {
    const m = /^(.+):([a-z_]+)$/.exec(f.trim());
    if (!m || !TYPES.has(m[2]!)) {
      throw new DataError({ file, line: 1, column: k + 1, expected: 'a typed header field like user_id:token (types token, token_seq, float, float_seq)', got: quoteValue(f) });
    }
    return { name: m[1]!, type: m[2] as RecboleType };
  });
}

export interface RecboleInterColumns {
  user: number;
  item: number;
  /** Sequence-style history column, -1 when rows are single interactions. */
  itemList: number;
  rating: number;
  timestamp: number;
}

function find(fields: RecboleField[], ok: (f: RecboleField) => boolean): number {
  return fields.findIndex(ok);
}

function byName(fields: RecboleField[], ref: number | string | undefined): number | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref === 'number') return ref;
  const k = fields.findIndex(f => f.name.toLowerCase() === ref.toLowerCase() || `${f.name}:${f.type}`.toLowerCase() === ref.toLowerCase());
  return k === -1 ? undefined : k;
}

/** Picks roles by RecBole's default field names, then by the closest name of the right type. */
export function recboleInterColumns(fields: RecboleField[], file: string, mapping?: Partial<InteractionColumns>): RecboleInterColumns {
  const tok = (f: RecboleField) => f.type === 'token';
  const flt = (f: RecboleField) => f.type === 'float';
  let user = byName(fields, mapping?.user) ?? find(fields, f => tok(f) && f.name === 'user_id');
  if (user === -1) user = find(fields, f => tok(f) && /user|session/i.test(f.name));
  let item = byName(fields, mapping?.item) ?? find(fields, f => tok(f) && f.name === 'item_id');
  if (item === -1) item = find(fields, f => tok(f) && /item/i.test(f.name));
  const itemList = find(fields, f => f.type === 'token_seq' && /item/i.test(f.name) && /list|seq/i.test(f.name));
  const rating = byName(fields, mapping?.rating) ?? find(fields, f => flt(f) && /^(rating|score|stars|overall)$/i.test(f.name));
  const timestamp = byName(fields, mapping?.timestamp) ?? find(fields, f => flt(f) && /^(timestamp|time|ts|unix_time)$/i.test(f.name));
  const header = quoteValue(fields.map(f => `${f.name}:${f.type}`).join(' '), 100);
  if (user === -1) throw new DataError({ file, line: 1, expected: 'a user column such as user_id:token in the header', got: header });
  if (item === -1) throw new DataError({ file, line: 1, expected: 'an item column such as item_id:token in the header', got: header });
  return { user, item, itemList, rating, timestamp };
}

export function recboleInterParser(file: string, sink: InteractionSink, label?: SplitLabel, mapping?: Partial<InteractionColumns>): ChunkParser {
  let cols: RecboleInterColumns | null = null;
  let need = 0;
  let rows = 0;
  const lab: SplitLabel = label ?? 0;
  if (label !== undefined) sink.ensure('labels');
  return delimitedRecordParser({
    file,
    encoding: 'utf-8',
    delimiter: '\t',
    quotes: false,
    header: true,
    what: 'interaction row after the header',
    onHeader(names) {
      const fields = parseRecboleHeader(names, file);
      const c = recboleInterColumns(fields, file, mapping);
      cols = c;
      need = Math.max(c.user, c.item, c.itemList, c.rating, c.timestamp) + 1;
      if (c.rating >= 0) sink.ensure('rating');
      // Sequence files get ordinal timestamps so leave-one-out keeps the sequence order.
      if (c.timestamp >= 0 || c.itemList >= 0) sink.ensure('timestamp');
    },
    onRecord(sc) {
      const c = cols!;
      sc.requireFields(need, false);
      const u = internFieldAt(sc, c.user, sink.users);
      if (u < 0) throw sc.error(c.user, 'a user id', 'an empty field');
      const i = internFieldAt(sc, c.item, sink.items);
      if (i < 0) throw sc.error(c.item, 'an item id', 'an empty field');
      const r = c.rating >= 0 ? numberField(sc, c.rating) : NaN;
      let t = c.timestamp >= 0 ? numberField(sc, c.timestamp) : NaN;
      if (c.itemList >= 0) {
        const hist = listTokens(sc, c.itemList);
        const base = Number.isNaN(t) ? 0 : t - hist.length;
        for (let p = 0; p < hist.length; p++) {
          // History rows have no rating of their own; the threshold keeps rows without one.
          sink.add(u, sink.items.intern(hist[p]!), NaN, base + p, 0);
          rows++;
        }
        if (Number.isNaN(t)) t = hist.length;
      }
      sink.add(u, i, r, t, lab);
      rows++;
    },
    rows: () => rows,
  });
}

function listTokens(sc: DelimitedScanner, k: number): string[] {
  const v = sc.field(k).trim();
  return v === '' ? [] : v.split(/ +/);
}

/**
 * `.item`: the id is item_id (or the first token field naming an item); the
 * title is the first field naming a title/name; class/genre/category fields
 * become categories; other text fields are kept as "name: value" lines in the
 * description so nothing the file offered is lost for profiles.
 */
export function parseRecboleItem(src: SourceFile, wanted: (id: string) => boolean): ItemMeta {
  const meta = new MetaCollector(src.name, wanted);
  let fields: RecboleField[] = [];
  let id = -1, title = -1, desc = -1;
  let cats: number[] = [];
  let extra: number[] = [];
  pump(
    src,
    delimitedRecordParser({
      file: src.name,
      encoding: 'utf-8',
      delimiter: '\t',
      quotes: false,
      header: true,
      what: 'item row after the header',
      onHeader(names) {
        fields = parseRecboleHeader(names, src.name);
        const text = (f: RecboleField) => f.type === 'token' || f.type === 'token_seq';
        id = find(fields, f => f.type === 'token' && f.name === 'item_id');
        if (id === -1) id = find(fields, f => f.type === 'token' && /item|asin|movie/i.test(f.name));
        if (id === -1) throw new DataError({ file: src.name, line: 1, expected: 'an item_id:token column in the header', got: quoteValue(names.join(' '), 100) });
        title = find(fields, f => text(f) && /title|^name$|_name$/i.test(f.name));
        desc = find(fields, f => text(f) && /desc|plot|summary|abstract/i.test(f.name));
        cats = fields.flatMap((f, k) => (text(f) && /class|genre|categor|tag/i.test(f.name) ? [k] : []));
        extra = fields.flatMap((f, k) => (text(f) && k !== id && k !== title && k !== desc && !cats.includes(k) ? [k] : []));
      },
      onRecord(sc) {
        sc.requireFields(fields.length, false);
        const key = sc.field(id).trim();
        if (!key) throw sc.error(id, 'an item id', 'an empty field');
        const categories = cats.flatMap(k => (fields[k]!.type === 'token_seq' ? listTokens(sc, k) : [sc.field(k)]));
        const lines = [desc >= 0 ? sc.field(desc) : '', ...extra.map(k => (sc.field(k).trim() ? `${fields[k]!.name}: ${sc.field(k).trim()}` : ''))];
        meta.add(key, itemText(title >= 0 ? sc.field(title) : '', lines.filter(l => l.trim()).join('\n'), categories));
      },
    }),
  );
  return meta.result();
}
