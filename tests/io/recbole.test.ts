import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Dataset, Interactions } from '../../src/core/data/types';
import { exportRecbole, recboleName, recboleZip } from '../../src/core/io/recbole';
import { makeDataset } from './fixtures';

/** A minimal RecBole atomic-file reader: header `name:type`, tab-separated rows. */
function parseAtomic(text: string): { fields: { name: string; type: string }[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l !== '');
  const fields = lines[0]!.split('\t').map((h) => {
    const [name, type] = h.split(':') as [string, string];
    return { name, type };
  });
  const rows = lines.slice(1).map((l) => l.split('\t'));
  for (const r of rows) expect(r.length).toBe(fields.length);
  return { fields, rows };
}

function pairs(x: Interactions, users: (k: number) => string, items: (k: number) => string): string[] {
  return Array.from(x.users, (u, k) => `${users(u)}|${items(x.items[k]!)}`);
}

describe('RecBole atomic files', () => {
  it('benchmark layout: train / valid / test .inter with original ids parse back to the same split', () => {
    const ds = makeDataset({ ids: true, text: true, name: 'My Books.csv' });
    const { name, files } = exportRecbole(ds);
    expect(name).toBe('My_Books');
    expect(Object.keys(files).sort()).toEqual(['My_Books.yaml', 'My_Books/My_Books.item', 'My_Books/My_Books.test.inter', 'My_Books/My_Books.train.inter', 'My_Books/My_Books.valid.inter']);
    for (const [suffix, split] of [['train', ds.train], ['valid', ds.val], ['test', ds.test]] as const) {
      const a = parseAtomic(files[`My_Books/My_Books.${suffix}.inter`]!);
      expect(a.fields).toEqual([{ name: 'user_id', type: 'token' }, { name: 'item_id', type: 'token' }]);
      expect(a.rows.map((r) => `${r[0]}|${r[1]}`)).toEqual(pairs(split, (u) => ds.userIds![u]!, (i) => ds.itemIds![i]!));
    }
    expect(files['My_Books.yaml']).toContain('benchmark_filename: [train, valid, test]');
    expect(files['My_Books.yaml']).toContain('dataset: My_Books');
  });

  it('item file: title and categories as token_seq, tabs removed, multi-word categories joined by _', () => {
    const ds = makeDataset({ ids: true, text: true });
    const { files } = exportRecbole(ds, { name: 'tiny' });
    const a = parseAtomic(files['tiny/tiny.item']!);
    expect(a.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['item_id:token', 'title:token_seq', 'categories:token_seq']);
    expect(a.rows).toHaveLength(ds.numItems);
    expect(a.rows[0]).toEqual(['B000X', 'Item 0 with tab', 'Books Science_Fiction']);
    expect(a.rows[1]).toEqual(['B001X', 'Item 1 with tab', '']);
    const withDesc = parseAtomic(exportRecbole(ds, { name: 'tiny', includeDescription: true }).files['tiny/tiny.item']!);
    expect(withDesc.fields.at(-1)).toEqual({ name: 'description', type: 'token_seq' });
    expect(exportRecbole(ds, { itemFile: false }).files['tiny/tiny.item']).toBeUndefined();
  });

  it('single layout: one .inter with a split column; indices as tokens without original ids', () => {
    const ds = makeDataset({ ids: false, text: false });
    const { files } = exportRecbole(ds, { layout: 'single', name: 'x' });
    expect(Object.keys(files).sort()).toEqual(['x.yaml', 'x/x.inter']);
    const a = parseAtomic(files['x/x.inter']!);
    expect(a.fields.map((f) => f.name)).toEqual(['user_id', 'item_id', 'split']);
    const by = (s: string) => a.rows.filter((r) => r[2] === s).map((r) => `${r[0]}|${r[1]}`);
    expect(by('train')).toEqual(pairs(ds.train, String, String));
    expect(by('valid')).toEqual(pairs(ds.val, String, String));
    expect(by('test')).toEqual(pairs(ds.test, String, String));
    expect(files['x.yaml']).not.toContain('benchmark_filename');
  });

  it('writes rating and timestamp columns when every split has them', () => {
    const ds = makeDataset({ ids: true }) as Dataset & Record<string, unknown>;
    for (const s of [ds.train, ds.val, ds.test]) {
      Object.assign(s, { timestamps: Float64Array.from(s.users, (_, k) => 1_600_000_000 + k), ratings: Float64Array.from(s.users, (_, k) => (k % 5) + 1) });
    }
    const { files } = exportRecbole(ds, { name: 't' });
    const a = parseAtomic(files['t/t.train.inter']!);
    expect(a.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['user_id:token', 'item_id:token', 'rating:float', 'timestamp:float']);
    expect(a.rows[2]!.slice(2)).toEqual(['3', '1600000002']);
    expect(files['t.yaml']).toContain('TIME_FIELD: timestamp');
    expect(files['t.yaml']).toContain('inter: [user_id, item_id, rating, timestamp]');
  });

  it('refuses ids that collide once tabs become spaces', () => {
    const ds = makeDataset({ ids: true });
    ds.userIds![1] = 'a b';
    ds.userIds![2] = 'a\tb';
    expect(() => exportRecbole(ds)).toThrow(/user ids 1 and 2 are both "a b"/);
  });

  it('zips the files and names datasets safely', () => {
    const ds = makeDataset({ ids: true, text: true });
    const files = unzipSync(recboleZip(ds, { name: 'z' }));
    expect(Object.keys(files).sort()).toEqual(['z.yaml', 'z/z.item', 'z/z.test.inter', 'z/z.train.inter', 'z/z.valid.inter']);
    expect(strFromU8(files['z/z.train.inter']!).split('\n')[0]).toBe('user_id:token\titem_id:token');
    expect(recboleName('amazon-book (2).inter.zip')).toBe('amazon-book_2_inter');
    expect(recboleName('...')).toBe('dataset');
  });
});
