import { describe, expect, it } from 'vitest';
import { projectorBlocksFor, projectorTsv } from '../../src/core/io/projector';
import { makeDataset, randomMatrix } from './fixtures';

describe('Embedding Projector TSV', () => {
  it('vectors: one row of tab-separated floats per point, no header; metadata: header + one row per point', () => {
    const ds = makeDataset({ ids: true, text: true });
    const users = { rows: ds.numUsers, cols: 4, data: randomMatrix(ds.numUsers, 4, 1) };
    const items = { rows: ds.numItems, cols: 4, data: randomMatrix(ds.numItems, 4, 2) };
    const clusters = Int32Array.from({ length: ds.numItems }, (_, k) => k % 3);
    const { vectors, metadata, count } = projectorTsv(projectorBlocksFor(ds, { users, items, itemClusters: clusters }));
    expect(count).toBe(50);
    const v = vectors.trimEnd().split('\n');
    expect(v).toHaveLength(50);
    for (const line of v) {
      const xs = line.split('\t');
      expect(xs).toHaveLength(4);
      for (const x of xs) expect(Number.isFinite(Number(x))).toBe(true);
    }
    // Users first, then items, values to 6 significant digits.
    expect(Number(v[0]!.split('\t')[1])).toBeCloseTo(users.data[1]!, 5);
    expect(Number(v[30]!.split('\t')[0])).toBeCloseTo(items.data[0]!, 5);
    const m = metadata.trimEnd().split('\n');
    expect(m).toHaveLength(51);
    expect(m[0]).toBe('id\ttitle\tcategory\tside\tcluster');
    expect(m[1]).toBe('user-0\t\t\tuser\t');
    expect(m[31]).toBe('B000X\tItem 0 with tab\tBooks\titem\t0');
    expect(m[32]).toBe('B001X\tItem 1 with tab\t\titem\t1');
    for (const line of m) expect(line.split('\t')).toHaveLength(5);
  });

  it('keeps a header even with a single block (side makes two columns)', () => {
    const e = { rows: 3, cols: 2, data: new Float32Array([0.1, 0.2, 1e-8, -3, 123456789, 0]) };
    const r = projectorTsv([{ side: 'item', embedding: e }]);
    expect(r.metadata).toBe('id\tside\n0\titem\n1\titem\n2\titem\n');
    expect(r.vectors).toBe('0.1\t0.2\n1e-8\t-3\n123457000\t0\n');
  });

  it('writes a subset of rows, and full precision on request', () => {
    const e = { rows: 4, cols: 1, data: new Float32Array([1, 2, 3, 4.123456789]) };
    const r = projectorTsv([{ side: 'u', embedding: e, rows: [3, 1] }], { digits: 9 });
    expect(r.vectors).toBe('4.12345695\n2\n');
    expect(r.metadata).toBe('id\tside\n3\tu\n1\tu\n');
  });

  it('rejects mismatched sizes', () => {
    const a = { rows: 2, cols: 3, data: new Float32Array(6) };
    const b = { rows: 2, cols: 4, data: new Float32Array(8) };
    expect(() => projectorTsv([{ side: 'user', embedding: a }, { side: 'item', embedding: b }])).toThrow(/4 dimensions, "user" 3/);
    expect(() => projectorTsv([{ side: 'user', embedding: a, ids: ['x'] }])).toThrow(/1 ids for 2 rows/);
    expect(() => projectorTsv([])).toThrow(/nothing to write/);
    const ds = makeDataset();
    expect(() => projectorBlocksFor(ds, { users: a })).toThrow(/2 user rows for 30 users/);
  });
});
