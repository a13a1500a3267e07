/**
 * MovieLens 100K: u.data (user TAB item TAB rating TAB timestamp, no header),
 * u.item (Latin-1 by specification, "|"-separated: id|title|release|video|url|19
 * genre flags) and u.genre (name|index). u.user is not used (no user features yet).
 */
import { delimitedInteractionParser } from './delimitedInteractions';
import { delimitedRecordParser, itemText, MetaCollector } from './meta';
import { readAll, type SourceFile } from './source';
import type { InteractionSink, ItemMeta } from './sink';
import type { ChunkParser } from './textParser';
import { pump } from './textParser';
import { DelimitedScanner } from './delimited';
import { DataError } from '../errors';

/** The genres of u.genre in index order, used when u.genre is absent. */
export const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

export function uDataParser(file: string, sink: InteractionSink): ChunkParser {
  return delimitedInteractionParser(
    {
      file,
      delimiter: '\t',
      quotes: false,
      header: false,
      columns: { user: 0, item: 1, rating: 2, timestamp: 3 },
      names: ['user_id', 'item_id', 'rating', 'timestamp'],
      exactColumns: 4,
    },
    sink,
  );
}

export function parseUGenre(src: SourceFile): string[] {
  const genres: string[] = [];
  const sc = new DelimitedScanner({ file: src.name, delimiter: '|', quotes: false, encoding: 'latin1' }, s => {
    s.requireFields(2, true, 'genre, index');
    const k = Number(s.field(1).trim());
    if (!Number.isInteger(k) || k < 0 || k > 1000) throw s.error(1, 'a genre index (0, 1, 2, ...)', JSON.stringify(s.field(1)));
    genres[k] = s.field(0).trim();
  });
  sc.names = ['genre', 'index'];
  sc.push(readAll(src));
  sc.finish();
  if (genres.length === 0) throw new DataError({ file: src.name, expected: 'genre|index lines', got: 'an empty file' });
  return Array.from(genres, g => g ?? '');
}

export function parseUItem(src: SourceFile, genres: string[], wanted: (id: string) => boolean): ItemMeta {
  const meta = new MetaCollector(src.name, wanted);
  const parser = delimitedRecordParser({
    file: src.name,
    encoding: 'latin1',
    delimiter: '|',
    quotes: false,
    header: false,
    names: ['movie_id', 'title', 'release_date', 'video_release_date', 'imdb_url', ...genres],
    what: 'movie line (id|title|...)',
    onRecord(sc) {
      sc.requireFields(5, false, 'movie_id|title|release_date|video_release_date|IMDb_URL|genre flags');
      const id = sc.field(0).trim();
      if (!id) throw sc.error(0, 'a movie id', 'an empty field');
      const cats: string[] = [];
      for (let k = 5; k < sc.count; k++) {
        const f = sc.field(k).trim();
        if (f === '1') cats.push(genres[k - 5] ?? `genre ${k - 5}`);
        else if (f !== '0' && f !== '') throw sc.error(k, 'a genre flag 0 or 1', JSON.stringify(f));
      }
      meta.add(id, itemText(sc.field(1), undefined, cats));
    },
  });
  pump(src, parser);
  return meta.result();
}
