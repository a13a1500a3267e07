/**
 * MovieLens 20M / 25M / 32M / latest(-small): ratings.csv
 * (userId,movieId,rating,timestamp with a header), movies.csv
 * (movieId,title,genres; titles with commas are quoted) and optional tags.csv
 * (userId,movieId,tag,timestamp). links.csv and genome-* are not used.
 */
import { resolveColumn } from './columns';
import { delimitedInteractionParser } from './delimitedInteractions';
import { delimitedRecordParser, itemText, MetaCollector, TagCollector } from './meta';
import { splitGenres } from './movielensDat';
import type { InteractionSink, ItemMeta } from './sink';
import type { SourceFile } from './source';
import { pump, type ChunkParser } from './textParser';

export function ratingsCsvParser(file: string, sink: InteractionSink): ChunkParser {
  return delimitedInteractionParser(
    {
      file,
      delimiter: ',',
      quotes: true,
      header: true,
      columns: { user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' },
    },
    sink,
  );
}

export function parseMoviesCsv(src: SourceFile, wanted: (id: string) => boolean): ItemMeta {
  const meta = new MetaCollector(src.name, wanted);
  let cId = 0, cTitle = 1, cGenres = 2;
  pump(
    src,
    delimitedRecordParser({
      file: src.name,
      encoding: 'utf-8',
      delimiter: ',',
      quotes: true,
      header: true,
      what: 'movie row (movieId,title,genres)',
      onHeader(names) {
        cId = resolveColumn('movieId', names, src.name, 'movie id');
        cTitle = resolveColumn('title', names, src.name, 'title');
        cGenres = names.some(n => n.toLowerCase() === 'genres') ? resolveColumn('genres', names, src.name, 'genres') : -1;
      },
      onRecord(sc) {
        sc.requireFields(Math.max(cId, cTitle, cGenres) + 1, false);
        const id = sc.field(cId).trim();
        if (!id) throw sc.error(cId, 'a movie id', 'an empty field');
        meta.add(id, itemText(sc.field(cTitle), undefined, cGenres >= 0 ? splitGenres(sc.field(cGenres)) : undefined));
      },
    }),
  );
  return meta.result();
}

export function parseTagsCsv(src: SourceFile, tags: TagCollector): void {
  let cItem = 1, cTag = 2;
  pump(
    src,
    delimitedRecordParser({
      file: src.name,
      encoding: 'utf-8',
      delimiter: ',',
      quotes: true,
      header: true,
      what: 'tag row (userId,movieId,tag,timestamp)',
      onHeader(names) {
        cItem = resolveColumn('movieId', names, src.name, 'movie id');
        cTag = resolveColumn('tag', names, src.name, 'tag');
      },
      onRecord(sc) {
        sc.requireFields(Math.max(cItem, cTag) + 1, false);
        tags.add(sc.field(cItem).trim(), sc.field(cTag));
      },
    }),
  );
}
