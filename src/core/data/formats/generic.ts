/**
 * Generic delimited interactions (any delimiter, header or not, quoted fields)
 * plus an optional delimited item-metadata file, both described by a
 * ColumnMapping (guessed by detect.ts, editable in the mapping form).
 */
import { resolveColumn, type DelimitedInteractionMapping, type ItemMetaMapping } from './columns';
import { delimitedInteractionParser } from './delimitedInteractions';
import { delimitedRecordParser, itemText, MetaCollector } from './meta';
import type { InteractionSink, ItemMeta, SplitLabel } from './sink';
import type { SourceFile } from './source';
import { pumpWithLatin1Fallback, type ChunkParser } from './textParser';

export function genericInteractionParser(file: string, m: DelimitedInteractionMapping, sink: InteractionSink, label?: SplitLabel): ChunkParser {
  return delimitedInteractionParser(
    {
      file,
      delimiter: m.delimiter,
      quotes: m.quotes ?? true,
      header: m.header,
      columns: { user: m.user, item: m.item, rating: m.rating, timestamp: m.timestamp },
      label,
    },
    sink,
  );
}

export function parseGenericMeta(src: SourceFile, m: ItemMetaMapping, wanted: (id: string) => boolean, warnings: string[]): ItemMeta {
  let meta = new MetaCollector(src.name, wanted);
  const sep = m.categorySeparator ?? '|';
  pumpWithLatin1Fallback(
    src,
    encoding => {
      meta = new MetaCollector(src.name, wanted);
      let cId = -1, cTitle = -1, cDesc = -1, cCats = -1;
      const resolve = (h: string[] | null) => {
        cId = resolveColumn(m.id, h, src.name, 'item id');
        cTitle = m.title === undefined ? -1 : resolveColumn(m.title, h, src.name, 'title');
        cDesc = m.description === undefined ? -1 : resolveColumn(m.description, h, src.name, 'description');
        cCats = m.categories === undefined ? -1 : resolveColumn(m.categories, h, src.name, 'categories');
      };
      if (!m.header) resolve(null);
      return delimitedRecordParser({
        file: src.name,
        encoding,
        delimiter: m.delimiter,
        quotes: m.quotes ?? true,
        header: m.header,
        what: 'item row',
        onHeader: names => resolve(names),
        onRecord(sc) {
          sc.requireFields(Math.max(cId, cTitle, cDesc, cCats) + 1, false);
          const id = sc.field(cId).trim();
          if (!id) throw sc.error(cId, 'an item id', 'an empty field');
          const cats = cCats >= 0 ? sc.field(cCats).split(sep) : undefined;
          meta.add(id, itemText(cTitle >= 0 ? sc.field(cTitle) : '', cDesc >= 0 ? sc.field(cDesc) : undefined, cats));
        },
      });
    },
    warnings,
  );
  return meta.result();
}
