import { describe, expect, it } from 'vitest';
import { detectFiles, guessHeader } from '../../src/core/data/detect';
import { DataError } from '../../src/core/data/errors';
import { enc, fixtureFiles } from './fixtures';

describe('detect', () => {
  it('recognises every fixture format and the role of each file', () => {
    const cases: [string, string, [string, string][]][] = [
      ['ml-100k', 'movielens-100k', [['ml-100k/u.data', 'interactions'], ['ml-100k/u.item', 'items'], ['ml-100k/u.genre', 'genres']]],
      ['ml-1m', 'movielens-dat', [['ml-1m/ratings.dat', 'interactions'], ['ml-1m/movies.dat', 'items']]],
      ['ml-latest-small', 'movielens-csv', [['ml-latest-small/ratings.csv', 'interactions'], ['ml-latest-small/movies.csv', 'items'], ['ml-latest-small/tags.csv', 'tags']]],
      ['recbole', 'recbole', [['recbole/toy.inter', 'interactions'], ['recbole/toy.item', 'items']]],
      ['amazon-2014', 'amazon', [['amazon-2014/reviews_Toy_5.json', 'interactions'], ['amazon-2014/meta_Toy.json', 'items']]],
      ['generic', 'generic', [['generic/events.csv', 'interactions'], ['generic/products.csv', 'items']]],
    ];
    for (const [dir, format, roles] of cases) {
      const d = detectFiles(fixtureFiles(dir));
      expect(d.format, dir).toBe(format);
      expect(d.files.map(f => [f.name, f.role]), dir).toEqual(roles);
    }
    const split = detectFiles(fixtureFiles('split'));
    expect(split.files.map(f => f.label)).toEqual([2, 0, 1]);
    expect(split.hasGivenSplit).toBe(true);
  });

  it('gives a preview of the first rows, split exactly as the parser will', () => {
    const d = detectFiles(fixtureFiles('ml-latest-small'));
    const movies = d.preview.find(p => p.role === 'items')!;
    expect(movies.columns).toEqual(['movieId', 'title', 'genres']);
    expect(movies.rows[3]).toEqual(['13', 'Seven (a.k.a. "Se7en"), The (1995)', 'Crime|Thriller']);
    const data = detectFiles(fixtureFiles('ml-100k')).preview[0]!;
    expect(data.columns).toEqual(['user_id', 'item_id', 'rating', 'timestamp']);
    expect(data.rows[0]).toEqual(['1', '10', '5', '100']);
    const items = detectFiles(fixtureFiles('ml-100k')).preview[1]!;
    expect(items.rows[2]![1]).toBe('Les Misérables (1995)');
  });

  it('guesses delimiter, header and columns of generic files', () => {
    const d = detectFiles([{ name: 'clicks.tsv', bytes: enc('session\tarticle\tts\n1\t2\t1600000000\n3\t4\t1600000001\n') }]);
    expect(d.mapping.interactions).toMatchObject({ delimiter: '\t', header: true, user: 'session', item: 'article', timestamp: 'ts' });
    expect(d.ambiguous).toBe(false);
    const dat = detectFiles([{ name: 'x.txt', bytes: enc('1::2::5\n3::4::1\n') }]);
    expect(dat.mapping.interactions).toMatchObject({ delimiter: '::', header: false, user: 0, item: 1, rating: 2 });
    expect(dat.ambiguous).toBe(true);
    expect(dat.notes.join(' ')).toMatch(/guessed by position/);
  });

  it('guessHeader', () => {
    expect(guessHeader([['user', 'item'], ['1', '2']])).toBe(true);
    expect(guessHeader([['1', '2'], ['3', '4']])).toBe(false);
    expect(guessHeader([['alice', 'book'], ['bob', 'pen']])).toBe(false);
    expect(guessHeader([['user_id', 'item_id'], ['alice', 'book']])).toBe(true);
  });

  it('a forced format that does not fit says which files it wanted', () => {
    expect(() => detectFiles(fixtureFiles('generic'), 'movielens-100k')).toThrowError(DataError);
    expect(() => detectFiles(fixtureFiles('generic'), 'movielens-100k')).toThrowError(/expected the files of MovieLens 100K/);
    expect(detectFiles(fixtureFiles('ml-latest-small'), 'generic').format).toBe('generic');
  });

  it('no files at all', () => {
    expect(() => detectFiles([])).toThrowError(/expected at least one file/);
  });
});
