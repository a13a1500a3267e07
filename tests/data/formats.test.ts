/**
 * One test per format on small hand-written fixtures (same 5 users x 6 items x
 * 16 ratings in every layout, so each must give the same interactions), plus
 * chunk-boundary independence of the streaming parsers.
 */
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/core/data/load';
import { createParser } from '../../src/core/data/formats/index';
import { parsePyLiteral } from '../../src/core/data/formats/pyLiteral';
import { amazonItemText } from '../../src/core/data/formats/amazon';
import { chunks, fixtureBytes, fixtureFiles, originalPairs } from './fixtures';

const PAIRS = [
  '1 10', '1 11', '1 12', '1 13', '2 10', '2 12', '2 14', '3 10', '3 11', '3 12', '3 15', '4 13', '4 14', '4 15', '5 10', '5 11',
].sort();

function load(dir: string, config = {}) {
  return loadDataset(fixtureFiles(dir), config);
}

describe('formats', () => {
  it('MovieLens 100K: u.data + Latin-1 u.item + u.genre', () => {
    const r = load('ml-100k');
    expect(r.detection.format).toBe('movielens-100k');
    expect(r.dataset.numUsers).toBe(5);
    expect(r.dataset.numItems).toBe(6);
    expect(originalPairs(r.dataset)).toEqual(PAIRS);
    const les = r.dataset.itemText![r.dataset.itemIds!.indexOf('12')]!;
    expect(les).toEqual({ title: 'Les Misérables (1995)', categories: ['Drama'] });
    expect(r.dataset.itemText![r.dataset.itemIds!.indexOf('10')]!.categories).toEqual(['Animation', "Children's", 'Comedy']);
    expect(r.detection.ignored).toEqual(['ml-100k/u.user']);
    expect(r.dataset.name).toBe('ml-100k');
  });

  it('MovieLens 1M: "::" files, Latin-1 movies.dat read with a warning', () => {
    const r = load('ml-1m');
    expect(r.detection.format).toBe('movielens-dat');
    expect(originalPairs(r.dataset)).toEqual(PAIRS);
    expect(r.dataset.itemText![r.dataset.itemIds!.indexOf('12')]!.title).toBe('Les Misérables (1995)');
    expect(r.report.warnings).toContain('ml-1m/movies.dat is not UTF-8; read it as Latin-1');
  });

  it('MovieLens CSV: quoted titles, CRLF, "(no genres listed)", tags merged case-insensitively', () => {
    const r = load('ml-latest-small');
    expect(r.detection.format).toBe('movielens-csv');
    expect(originalPairs(r.dataset)).toEqual(PAIRS);
    const t = (id: string) => r.dataset.itemText![r.dataset.itemIds!.indexOf(id)]!;
    expect(t('13').title).toBe('Seven (a.k.a. "Se7en"), The (1995)');
    expect(t('10').description).toBe('Tags: pixar, toys, friendship');
    expect(r.report.warnings.some(w => w.includes('1 of 7 items have no interactions'))).toBe(true);
    expect(r.detection.ignored).toEqual(['ml-latest-small/links.csv']);
  });

  it('RecBole atomic: typed header, .item text fields', () => {
    const r = load('recbole');
    expect(r.detection.format).toBe('recbole');
    expect(originalPairs(r.dataset)).toEqual(PAIRS);
    expect(r.dataset.itemText![r.dataset.itemIds!.indexOf('10')]).toEqual({ title: 'Toy Story', description: 'release_year: 1995', categories: ['Animation', "Children's", 'Comedy'] });
    expect(r.report.input.hasTimestamp).toBe(true);
  });

  it('RecBole sequence files: history lists expanded, split kept, later split wins duplicates', () => {
    const r = load('recbole-seq', { split: 'given' });
    const named = (d: typeof r.dataset, split: 'train' | 'val' | 'test') => Array.from(d[split].users, (u, k) => `${d.userIds![u]} ${d.itemIds![d[split].items[k]!]}`).sort();
    expect(named(r.dataset, 'train')).toEqual(['u1 a', 'u1 b', 'u1 c', 'u2 b', 'u2 c', 'u2 d', 'u3 a', 'u3 d']);
    expect(named(r.dataset, 'val')).toEqual(['u1 d', 'u2 a', 'u3 b']);
    expect(named(r.dataset, 'test')).toEqual(['u1 e', 'u2 e', 'u3 c']);
    // Ordinal timestamps follow the sequences, so leave-one-out picks each user's last target.
    const loo = load('recbole-seq', { split: 'loo' }).dataset;
    expect(named(loo, 'test')).toEqual(['u1 e', 'u2 e', 'u3 c']);
    expect(named(loo, 'val')).toEqual(['u1 d', 'u2 a', 'u3 b']);
  });

  it('split folder: train/val/test TSV with a header, split given', () => {
    const r = load('split', { split: 'given' });
    expect(r.detection.format).toBe('split-folder');
    expect([r.report.split.train, r.report.split.val, r.report.split.test]).toEqual([7, 2, 3]);
    expect(r.dataset.userIds).toEqual(['0', '1', '2', '3']);
    expect(Array.from(r.dataset.test.users)).toEqual([0, 2, 3]);
    expect(Array.from(r.dataset.test.items)).toEqual([3, 1, 0]);
    expect(r.detection.ignored).toEqual(['split/README.md']);
  });

  it('generic CSV with header and quoted ids, plus item metadata CSV', () => {
    const r = load('generic');
    expect(r.detection.format).toBe('generic');
    expect(r.detection.ambiguous).toBe(false);
    expect(originalPairs(r.dataset)).toEqual(PAIRS.map(p => p.replace(/(\d+) (\d+)/, 'u$1 p$2')).sort());
    expect(r.detection.mapping.interactions).toMatchObject({ user: 'visitor', item: 'product', rating: 'stars', timestamp: 'when', delimiter: ',', header: true });
    expect(r.dataset.itemText![r.dataset.itemIds!.indexOf('p12')]).toEqual({ title: 'Les Misérables (1995)', description: 'A film, with "quotes"', categories: ['Drama'] });
  });

  it('generic: a column mapping in the config overrides the guess', () => {
    const r = load('generic', {
      mapping: {
        interactions: { file: 'generic/events.csv', delimiter: ',', header: true, user: 1, item: 0 },
        items: { file: 'generic/events.csv', delimiter: ',', header: true, id: 'visitor', title: 'product' },
      },
    });
    expect(r.dataset.userIds!.slice(0, 2)).toEqual(['p10', 'p11']);
    expect(r.report.input.hasRating).toBe(false);
    expect(r.dataset.itemText![0]!.title).toBe('p10');
  });

  it('generic without header, ";" delimiter: guessed by position and flagged ambiguous', () => {
    const r = load('generic-noheader');
    expect(r.detection.ambiguous).toBe(true);
    expect(r.detection.mapping.interactions).toMatchObject({ delimiter: ';', header: false, user: 0, item: 1, rating: 2, timestamp: 3 });
    expect(originalPairs(r.dataset)).toEqual(PAIRS);
  });

  it('Amazon 2014: reviews JSON + Python-literal metadata', () => {
    const r = load('amazon-2014');
    expect(r.detection.format).toBe('amazon');
    expect(r.dataset.numUsers).toBe(5);
    expect(r.dataset.itemIds).toContain('B000000010');
    const t = r.dataset.itemText![r.dataset.itemIds!.indexOf('B000000010')]!;
    expect(t).toEqual({ title: 'Toy Story (1995)', categories: ['Movies & TV', 'Kids'] });
  });

  it('Amazon 2023 gzipped: user_id/parent_asin/rating/timestamp, metadata with lists and features', () => {
    const files = fixtureFiles('amazon-2023').map(f => ({ name: f.name + '.gz', bytes: gzipSync(f.bytes) }));
    const r = loadDataset(files, { split: 'temporal' });
    expect(r.dataset.itemIds!.every(id => id.startsWith('P'))).toBe(true);
    const t = r.dataset.itemText![r.dataset.itemIds!.indexOf('P12')]!;
    expect(t).toEqual({ title: 'Les Misérables (1995)', description: 'Line one.\nLine two.\nFeatures: Fun; Safe', categories: ['Toys', 'Kids'] });
    expect(r.report.split.kind).toBe('temporal');
  });

  it('Amazon metadata variants: description string or list, 2018 "category"/"feature"', () => {
    expect(amazonItemText({ asin: 'x', title: 'T', description: 'D', category: ['A', 'B'], feature: ['F'] })).toEqual({ title: 'T', description: 'D\nFeatures: F', categories: ['A', 'B'] });
    expect(amazonItemText({ asin: 'x', title: 'T', categories: [['A', 'B'], ['A']] })).toEqual({ title: 'T', categories: ['A', 'B'] });
  });

  it('Python literals of the 2014 metadata', () => {
    expect(parsePyLiteral("{'a': 'it\\'s', \"b\": [1, -2.5, (3,)], 'c': {'d': None, 'e': True}, 'f': 'x\\ny'}")).toEqual({ a: "it's", b: [1, -2.5, [3]], c: { d: null, e: true }, f: 'x\ny' });
    expect(() => parsePyLiteral("{'a': }")).toThrow(/expected a value at character 7/);
  });
});

describe('streaming parsers', () => {
  it('give identical results for any chunking', () => {
    const bytes = fixtureBytes('ml-latest-small/ratings.csv');
    const run = (size: number) => {
      const p = createParser('ratings.csv', { file: 'ratings.csv' });
      for (const c of chunks(bytes, size)) p.push(c);
      p.finish();
      const r = p.result();
      return { u: Array.from(r.users), i: Array.from(r.items), r: Array.from(r.ratings!), t: Array.from(r.timestamps!), ids: r.userIds, rows: p.rows };
    };
    const whole = run(1 << 20);
    expect(whole.rows).toBe(16);
    for (const size of [1, 2, 3, 7, 13]) expect(run(size)).toEqual(whole);
  });

  it('JSON lines too', () => {
    const bytes = fixtureBytes('amazon-2023/Toys.jsonl');
    const run = (size: number) => {
      const p = createParser('amazon-json', { file: 'Toys.jsonl', json: { user: 'user_id', item: 'parent_asin', rating: 'rating', timestamp: 'timestamp' } });
      for (const c of chunks(bytes, size)) p.push(c);
      p.finish();
      const r = p.result();
      return [Array.from(r.users), Array.from(r.items), Array.from(r.timestamps!), r.itemIds];
    };
    const whole = run(1 << 20);
    for (const size of [1, 5, 64]) expect(run(size)).toEqual(whole);
  });
});
