import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import type { RawDataset } from '../../src/core/data/formats/index';
import { DEFAULT_PREPROCESS, kcore, leaveOneOut, preprocess, preprocessConfig, temporalLabels, type PreprocessConfig } from '../../src/core/data/preprocess';
import { DataError } from '../../src/core/data/errors';
import { originalPairs } from './fixtures';

interface Row {
  u: string;
  i: string;
  r?: number;
  t?: number;
  l?: 0 | 1 | 2;
}

/** A RawDataset from readable rows, interning ids in order of appearance like the parsers. */
function raw(rows: Row[], opts: { meta?: Record<string, string> } = {}): RawDataset {
  const uids: string[] = [], iids: string[] = [];
  const idx = (list: string[], id: string) => {
    let k = list.indexOf(id);
    if (k === -1) k = list.push(id) - 1;
    return k;
  };
  const users = Int32Array.from(rows, r => idx(uids, r.u));
  const items = Int32Array.from(rows, r => idx(iids, r.i));
  const has = (f: keyof Row) => rows.some(r => r[f] !== undefined);
  return {
    name: 'toy',
    format: 'generic',
    interactions: {
      users,
      items,
      ratings: has('r') ? Float32Array.from(rows, r => r.r ?? NaN) : null,
      timestamps: has('t') ? Float64Array.from(rows, r => r.t ?? NaN) : null,
      labels: has('l') ? Uint8Array.from(rows, r => r.l ?? 0) : null,
      userIds: uids,
      itemIds: iids,
      source: 'toy.csv',
    },
    meta: opts.meta ? { file: 'items.csv', texts: new Map(Object.entries(opts.meta).map(([k, v]) => [k, { title: v }])), rows: 0, unmatched: 0 } : null,
    files: { used: ['toy.csv'], ignored: [] },
    warnings: [],
  };
}

const run = (rows: Row[], c: Partial<PreprocessConfig> = {}) => preprocess(raw(rows), preprocessConfig(c));

function named(d: ReturnType<typeof run>['dataset'], split: 'train' | 'val' | 'test'): string[] {
  const x = d[split];
  return Array.from(x.users, (u, k) => `${d.userIds![u]} ${d.itemIds![x.items[k]!]}`).sort();
}

describe('config', () => {
  it('has the documented defaults and survives a JSON round trip', () => {
    const c = preprocessConfig();
    expect(c).toEqual({ format: 'auto', threshold: null, dedup: true, kcore: { user: 0, item: 0 }, sampleUsers: 1, split: 'random', ratio: [3, 1, 1], seed: 2024 });
    expect(preprocessConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(DEFAULT_PREPROCESS.split).toBe('random');
  });
  it('rejects bad values with a DataError', () => {
    expect(() => preprocessConfig({ sampleUsers: 0 })).toThrowError(/expected sampleUsers to be a fraction in \(0, 1\], got 0/);
    expect(() => preprocessConfig({ kcore: { user: -1, item: 0 } })).toThrowError(DataError);
    expect(() => preprocessConfig({ split: 'nope' as never })).toThrowError(/expected split to be one of random, loo, temporal, given/);
    expect(() => preprocessConfig({ seed: 1.5 })).toThrowError(/seed/);
  });
});

describe('threshold', () => {
  it('keeps rating >= t, and rows without a rating', () => {
    const r = run([{ u: 'a', i: 'x', r: 5 }, { u: 'a', i: 'y', r: 3 }, { u: 'b', i: 'x', r: 4 }, { u: 'b', i: 'y' }], { threshold: 4 });
    expect(originalPairs(r.dataset)).toEqual(['a x', 'b x', 'b y']);
    expect(r.report.steps[0]).toMatchObject({ step: 'threshold', removedRows: 1, rowsAfter: 3 });
  });
});

describe('dedup', () => {
  it('keeps the earliest interaction of a (user, item) pair; without time, the first', () => {
    const rows: Row[] = [{ u: 'a', i: 'x', t: 50 }, { u: 'a', i: 'y', t: 10 }, { u: 'a', i: 'x', t: 20 }, { u: 'b', i: 'x', t: 5 }, { u: 'a', i: 'x', t: 30 }];
    const r = run(rows, { split: 'loo' });
    expect(r.report.steps.find(s => s.step === 'dedup')).toMatchObject({ removedRows: 2, rowsAfter: 3 });
    // a has x@20 and y@10 left: fewer than 3, so all in train
    expect(named(r.dataset, 'train')).toEqual(['a x', 'a y', 'b x']);
    const noTime = run([{ u: 'a', i: 'x' }, { u: 'a', i: 'x' }, { u: 'a', i: 'y' }]);
    expect(noTime.report.output.rows).toBe(2);
  });
  it('with a given split, the later split wins (a test item also in a history stays test)', () => {
    const r = run([{ u: 'a', i: 'x', l: 0 }, { u: 'a', i: 'y', l: 0 }, { u: 'a', i: 'y', l: 2 }, { u: 'a', i: 'z', l: 1 }, { u: 'a', i: 'z', l: 0 }], { split: 'given' });
    expect(named(r.dataset, 'train')).toEqual(['a x']);
    expect(named(r.dataset, 'val')).toEqual(['a z']);
    expect(named(r.dataset, 'test')).toEqual(['a y']);
  });
  it('can be turned off', () => {
    expect(run([{ u: 'a', i: 'x' }, { u: 'a', i: 'x' }], { dedup: false }).report.output.rows).toBe(2);
  });
});

describe('k-core', () => {
  // A chain that needs three rounds to fall apart, next to a 2x2 block that is a 2-core.
  const chain: Row[] = [
    { u: 'u1', i: 'i1' }, { u: 'u1', i: 'i2' }, { u: 'u2', i: 'i2' }, { u: 'u2', i: 'i3' }, { u: 'u3', i: 'i3' },
    { u: 'u4', i: 'i4' }, { u: 'u4', i: 'i5' }, { u: 'u5', i: 'i4' }, { u: 'u5', i: 'i5' },
  ];
  it('iterates until stable (one pass would not be enough)', () => {
    const r = run(chain, { kcore: { user: 2, item: 2 } });
    expect(originalPairs(r.dataset)).toEqual(['u4 i4', 'u4 i5', 'u5 i4', 'u5 i5']);
    expect(r.report.steps.find(s => s.step === 'kcore')!.detail).toMatch(/4 rounds/);
    expect(r.report.steps.find(s => s.step === 'kcore')).toMatchObject({ removedRows: 5, removedUsers: 3, removedItems: 3 });
  });
  it('matches a brute-force k-core on random data', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = 300;
      const users = Int32Array.from({ length: n }, () => rng.int(40));
      const items = Int32Array.from({ length: n }, () => rng.int(30));
      const ku = 1 + rng.int(5), ki = 1 + rng.int(5);
      const keep = new Uint8Array(n).fill(1);
      kcore({ users, items, userIds: Array(40).fill(''), itemIds: Array(30).fill('') }, keep, ku, ki);
      // Brute force: remove one offending row at a time until none is left.
      const alive = new Set(Array.from({ length: n }, (_, k) => k));
      for (let changed = true; changed; ) {
        changed = false;
        const du = new Map<number, number>(), di = new Map<number, number>();
        for (const k of alive) {
          du.set(users[k]!, (du.get(users[k]!) ?? 0) + 1);
          di.set(items[k]!, (di.get(items[k]!) ?? 0) + 1);
        }
        for (const k of alive) {
          if (du.get(users[k]!)! < ku || di.get(items[k]!)! < ki) {
            alive.delete(k);
            changed = true;
            break;
          }
        }
      }
      expect([...keep].flatMap((v, k) => (v ? [k] : []))).toEqual([...alive].sort((a, b) => a - b));
    }
  });
  it('throws when nothing survives', () => {
    expect(() => run(chain.slice(0, 5), { kcore: { user: 2, item: 2 } })).toThrowError(/toy\.csv: expected some users with >= 2 and items with >= 2 interactions to survive the k-core, got none/);
  });
});

describe('user sampling', () => {
  const rows: Row[] = [];
  for (let u = 0; u < 100; u++) for (let i = 0; i < 3; i++) rows.push({ u: `u${u}`, i: `i${(u + i) % 10}` });
  it('keeps a seeded fraction of users with all their rows', () => {
    const a = run(rows, { sampleUsers: 0.2, seed: 1 });
    expect(a.dataset.numUsers).toBe(20);
    expect(a.report.output.rows).toBe(60);
    expect(run(rows, { sampleUsers: 0.2, seed: 1 }).dataset.userIds).toEqual(a.dataset.userIds);
    expect(run(rows, { sampleUsers: 0.2, seed: 2 }).dataset.userIds).not.toEqual(a.dataset.userIds);
    expect(a.report.steps.find(s => s.step === 'sample')).toMatchObject({ removedUsers: 80, removedRows: 240 });
  });
});

describe('id remapping', () => {
  it('numbers integer ids in numeric order and keeps the originals; other ids in order of appearance', () => {
    const r = run([{ u: '10', i: 'b' }, { u: '9', i: 'a' }, { u: '100', i: 'b' }, { u: '9', i: 'c' }]);
    expect(r.dataset.userIds).toEqual(['9', '10', '100']);
    expect(r.dataset.itemIds).toEqual(['b', 'a', 'c']);
  });
  it('round-trips: every interaction maps back to its original pair', () => {
    const rng = new Rng(9);
    const rows: Row[] = Array.from({ length: 500 }, () => ({ u: `user-${rng.int(60)}`, i: String(1000 + rng.int(80)) }));
    const r = run(rows, { dedup: false, kcore: { user: 2, item: 2 } });
    const kept = originalPairs(r.dataset);
    // Every kept pair is an input pair, with multiplicity preserved.
    const input = rows.map(x => `${x.u} ${x.i}`).sort();
    const counts = new Map<string, number>();
    for (const p of input) counts.set(p, (counts.get(p) ?? 0) + 1);
    for (const p of kept) counts.set(p, counts.get(p)! - 1);
    expect([...counts.values()].every(c => c >= 0)).toBe(true);
    expect(new Set(r.dataset.userIds).size).toBe(r.dataset.numUsers);
    expect(r.dataset.itemIds).toEqual([...r.dataset.itemIds!].sort((a, b) => Number(a) - Number(b)));
  });
  it('aligns item text with item indices, empty title where there is none', () => {
    const r = preprocess(raw([{ u: 'a', i: 'x' }, { u: 'a', i: 'y' }], { meta: { y: 'Why' } }), preprocessConfig());
    expect(r.dataset.itemText).toEqual([{ title: '' }, { title: 'Why' }]);
    expect(r.report.itemText).toEqual({ items: 2, withText: 1, file: 'items.csv' });
  });
});

describe('splits', () => {
  it('random 3:1:1 keeps every user and item in train', () => {
    const rng = new Rng(4);
    const rows: Row[] = Array.from({ length: 2000 }, () => ({ u: String(rng.int(100)), i: String(rng.int(150)) }));
    const r = run(rows);
    const { train, val, test } = r.report.split;
    expect(train + val + test).toBe(r.report.output.rows);
    expect(Math.abs(val - (train + val + test) / 5)).toBeLessThanOrEqual(1);
    expect(new Set(r.dataset.train.users).size).toBe(r.dataset.numUsers);
    expect(new Set(r.dataset.train.items).size).toBe(r.dataset.numItems);
  });

  it('leave-one-out: latest to test, the one before to validation, only for users with >= 3', () => {
    const r = run(
      [
        { u: 'a', i: 'x', t: 3 }, { u: 'a', i: 'y', t: 9 }, { u: 'a', i: 'z', t: 1 }, { u: 'a', i: 'w', t: 5 },
        { u: 'b', i: 'x', t: 1 }, { u: 'b', i: 'y', t: 2 },
        { u: 'c', i: 'x', t: 7 }, { u: 'c', i: 'y', t: 7 }, { u: 'c', i: 'z', t: 7 },
      ],
      { split: 'loo' },
    );
    expect(named(r.dataset, 'test')).toEqual(['a y', 'c z']);
    expect(named(r.dataset, 'val')).toEqual(['a w', 'c y']);
    expect(named(r.dataset, 'train')).toEqual(['a x', 'a z', 'b x', 'b y', 'c x']);
    expect(r.report.split.detail).toMatch(/latest.*2 users/);
  });

  it('leave-one-out without time: one random val and test per user, repeatable by seed', () => {
    const labels = (seed: number) => Array.from(leaveOneOut(Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2]), 3, null, seed).labels);
    const a = labels(5);
    expect(a.slice(0, 4).sort()).toEqual([0, 0, 1, 2]);
    expect(a.slice(4, 7).sort()).toEqual([0, 1, 2]);
    expect(a[7]).toBe(0);
    expect(labels(5)).toEqual(a);
  });

  it('temporal: a global time cut by ratio, ties cut in file order', () => {
    const ts = Float64Array.from([50, 10, 40, 20, 30, 30, 30, 60, 70, 80]);
    const { labels } = temporalLabels(ts, [3, 1, 1]);
    // Sorted: 10 20 30 30 30 40 50 60 70 80 -> train = first 6, val 2, test 2.
    expect(Array.from(labels)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 2, 2]);
    const r = run(Array.from(ts, (t, k) => ({ u: `u${k % 3}`, i: `i${k}`, t })), { split: 'temporal' });
    expect([r.report.split.train, r.report.split.val, r.report.split.test]).toEqual([6, 2, 2]);
  });

  it('given: keeps the labels', () => {
    const r = run([{ u: 'a', i: 'x', l: 0 }, { u: 'a', i: 'y', l: 1 }, { u: 'b', i: 'x', l: 2 }], { split: 'given' });
    expect([named(r.dataset, 'train'), named(r.dataset, 'val'), named(r.dataset, 'test')]).toEqual([['a x'], ['a y'], ['b x']]);
  });

  it('the same config rebuilds the same dataset', () => {
    const rng = new Rng(11);
    const rows: Row[] = Array.from({ length: 3000 }, () => ({ u: String(rng.int(200)), i: String(rng.int(100)), r: 1 + rng.int(5), t: rng.int(1e6) }));
    const cfg: Partial<PreprocessConfig> = { threshold: 2, kcore: { user: 3, item: 3 }, sampleUsers: 0.5, split: 'loo', seed: 77 };
    const a = run(rows, cfg), b = run(rows, JSON.parse(JSON.stringify(preprocessConfig(cfg))));
    expect(b.dataset).toEqual(a.dataset);
    expect(b.report).toEqual(a.report);
  });
});
