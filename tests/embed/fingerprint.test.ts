// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/data/types';
import { datasetFingerprint, embedCacheKey, filesFingerprint, type EmbedCacheKeyParts } from '../../src/core/embed/fingerprint';

function ds(): Dataset {
  const e = { users: new Int32Array(0), items: new Int32Array(0) };
  return {
    name: 'd', numUsers: 2, numItems: 3,
    train: { users: Int32Array.from([0, 1, 1]), items: Int32Array.from([0, 1, 2]) },
    val: { users: Int32Array.from([0]), items: Int32Array.from([2]) }, test: e,
    itemText: [{ title: 'A' }, { title: 'B', categories: ['x'] }, { title: 'C', description: 'c' }],
  };
}

const parts: EmbedCacheKeyParts = {
  model: 'Xenova/all-MiniLM-L6-v2', dtype: 'q8', pooling: 'mean',
  itemTemplate: '{title}', userTemplate: 'User who liked: {titles}', userMaxItems: 20, userOrder: 'auto',
  maxDescriptionChars: 300, userMaxCategories: 5, datasetFingerprint: datasetFingerprint(ds()),
};

describe('dataset fingerprint', () => {
  it('is stable and ignores the name and the held-out splits', () => {
    const a = ds();
    const b = ds();
    b.name = 'renamed';
    b.val = { users: Int32Array.from([1]), items: Int32Array.from([0]) };
    expect(datasetFingerprint(a)).toBe(datasetFingerprint(b));
    expect(datasetFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
  });
  it('changes with sizes, train interactions and item text', () => {
    const base = datasetFingerprint(ds());
    const variants: ((d: Dataset) => void)[] = [
      (d) => { d.numItems = 4; },
      (d) => { d.train.items[2] = 0; },
      (d) => { d.train = { users: Int32Array.from([0, 1]), items: Int32Array.from([0, 1]) }; },
      (d) => { d.itemText![1]!.title = 'B2'; },
      (d) => { d.itemText![1]!.categories = ['y']; },
      (d) => { d.itemText![2]!.description = 'c2'; },
      (d) => { delete d.itemText; },
      (d) => { d.itemIds = ['a', 'b', 'c']; },
      (d) => { Object.assign(d.train, { ratings: Float32Array.from([1, 2, 3]) }); },
    ];
    const seen = new Set([base]);
    for (const v of variants) {
      const d = ds();
      v(d);
      const f = datasetFingerprint(d);
      expect(seen.has(f)).toBe(false);
      seen.add(f);
    }
  });
});

describe('embedding cache key', () => {
  it('changes with model, dtype, pooling, either template, profile options and dataset', () => {
    const base = embedCacheKey(parts);
    expect(embedCacheKey({ ...parts })).toBe(base);
    const changes: Partial<EmbedCacheKeyParts>[] = [
      { model: 'Xenova/bge-small-en-v1.5' }, { dtype: 'fp32' }, { pooling: 'cls' },
      { itemTemplate: '{title}. {categories}' }, { userTemplate: 'Liked: {titles}' },
      { userMaxItems: 10 }, { userOrder: 'row' }, { maxDescriptionChars: 100 }, { userMaxCategories: 3 },
      { datasetFingerprint: datasetFingerprint({ ...ds(), numUsers: 5 }) },
    ];
    const keys = new Set([base]);
    for (const c of changes) keys.add(embedCacheKey({ ...parts, ...c }));
    expect(keys.size).toBe(changes.length + 1);
    expect(base.startsWith('Xenova/all-MiniLM-L6-v2|q8|')).toBe(true);
  });
  it('local folders are keyed by content, not name', () => {
    const a = new Map([['config.json', Uint8Array.from([1, 2, 3])], ['onnx/model.onnx', Uint8Array.from([9, 9, 9, 9, 9])]]);
    const b = new Map([['config.json', Uint8Array.from([1, 2, 3])], ['onnx/model.onnx', Uint8Array.from([9, 9, 9, 9, 8])]]);
    const a2 = new Map([...a].reverse());
    expect(filesFingerprint(a)).toBe(filesFingerprint(a2));
    expect(filesFingerprint(a)).not.toBe(filesFingerprint(b));
  });
});

describe('dataset fingerprint memo', () => {
  it('hashes a dataset once: the same object gives the cached key (datasets are not mutated once built)', () => {
    const d = ds();
    const first = datasetFingerprint(d);
    d.train.items[2] = 0;
    expect(datasetFingerprint(d)).toBe(first);
    const copy = { ...d };
    expect(datasetFingerprint(copy)).not.toBe(first);
  });
});
