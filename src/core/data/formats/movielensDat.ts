/**
 * MovieLens 1M / 10M: "::"-separated ratings.dat (UserID::MovieID::Rating::Timestamp),
 * movies.dat (MovieID::Title::Genres with "|" between genres) and, in 10M,
 * tags.dat (UserID::MovieID::Tag::Timestamp). The files never quote.
 * movies.dat of 1M is Latin-1, of 10M UTF-8; neither says so, hence the fallback.
 */
import { delimitedInteractionParser } from './delimitedInteractions';
import { delimitedRecordParser, itemText, MetaCollector, TagCollector } from './meta';
import type { InteractionSink, ItemMeta } from './sink';
import type { SourceFile } from './source';
import { pumpWithLatin1Fallback, type ChunkParser } from './textParser';

export function ratingsDatParser(file: string, sink: InteractionSink): ChunkParser {
  return delimitedInteractionParser(
    {
      file,
      delimiter: '::',
      quotes: false,
      header: false,
      columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
      names: ['UserID', 'MovieID', 'Rating', 'Timestamp'],
      exactColumns: 4,
    },
    sink,
  );
}

export function splitGenres(s: string): string[] {
  const t = s.trim();
  if (!t || t === '(no genres listed)') return [];
  return t.split('|');
}

export function parseMoviesDat(src: SourceFile, wanted: (id: string) => boolean, warnings: string[]): ItemMeta {
  let meta = new MetaCollector(src.name, wanted);
  pumpWithLatin1Fallback(
    src,
    encoding => {
      meta = new MetaCollector(src.name, wanted);
      return delimitedRecordParser({
        file: src.name,
        encoding,
        delimiter: '::',
        quotes: false,
        header: false,
        names: ['MovieID', 'Title', 'Genres'],
        what: 'movie line (MovieID::Title::Genres)',
        onRecord(sc) {
          sc.requireFields(3, false, 'MovieID::Title::Genres');
          const id = sc.field(0).trim();
          if (!id) throw sc.error(0, 'a movie id', 'an empty field');
          // A title holding "::" would split; the genres are always last.
          const title = sc.fields().slice(1, -1).join('::');
          meta.add(id, itemText(title, undefined, splitGenres(sc.field(sc.count - 1))));
        },
      });
    },
    warnings,
  );
  return meta.result();
}

export function parseTagsDat(src: SourceFile, tags: TagCollector, warnings: string[]): void {
  pumpWithLatin1Fallback(
    src,
    encoding =>
      delimitedRecordParser({
        file: src.name,
        encoding,
        delimiter: '::',
        quotes: false,
        header: false,
        names: ['UserID', 'MovieID', 'Tag', 'Timestamp'],
        what: 'tag line (UserID::MovieID::Tag::Timestamp)',
        onRecord(sc) {
          sc.requireFields(4, false, 'UserID::MovieID::Tag::Timestamp');
          tags.add(sc.field(1).trim(), sc.fields().slice(2, -1).join('::'));
        },
      }),
    warnings,
  );
}
