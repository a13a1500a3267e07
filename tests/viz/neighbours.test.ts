import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { allKnn, allKnnSync, cosineNeighbours } from '../../src/core/viz/neighbours';
import type { PointSet } from '../../src/core/viz/types';

function gaussian(n: number, dim: number, seed: number): PointSet {
  const rng = new Rng(seed);
  return { n, dim, data: Float32Array.from({ length: n * dim }, () => rng.normal()) };
}

describe('cosineNeighbours', () => {
  it('matches brute force sorted by cosine, excluding the node', () => {
    const x = gaussian(300, 16, 1);
    const cos = (i: number, j: number) => {
      let d = 0;
      let a = 0;
      let b = 0;
      for (let k = 0; k < 16; k++) {
        d += x.data[i * 16 + k]! * x.data[j * 16 + k]!;
        a += x.data[i * 16 + k]! ** 2;
        b += x.data[j * 16 + k]! ** 2;
      }
      return d / Math.sqrt(a * b);
    };
    for (const node of [0, 123, 299]) {
      const brute = Array.from({ length: 300 }, (_, j) => j)
        .filter((j) => j !== node)
        .map((j) => ({ index: j, similarity: cos(node, j) }))
        .sort((p, q) => q.similarity - p.similarity || p.index - q.index)
        .slice(0, 10);
      const got = cosineNeighbours(x, node, 10);
      expect(got.map((g) => g.index)).toEqual(brute.map((b) => b.index));
      got.forEach((g, t) => expect(g.similarity).toBeCloseTo(brute[t]!.similarity, 5));
    }
  });

  it('handles k >= n and zero rows', () => {
    const x: PointSet = { n: 3, dim: 2, data: Float32Array.from([1, 0, 0, 0, 0, 1]) };
    const got = cosineNeighbours(x, 0, 10);
    expect(got.map((g) => g.index)).toEqual([1, 2]);
    expect(got.every((g) => g.similarity === 0)).toBe(true);
    expect(() => cosineNeighbours(x, 3, 1)).toThrow();
  });
});

describe('allKnn', () => {
  it('equals brute-force Euclidean kNN with index tie-break, sync and async alike', async () => {
    const x = gaussian(257, 7, 2);
    // Duplicate rows create exact ties.
    x.data.copyWithin(5 * 7, 4 * 7, 5 * 7);
    const k = 9;
    const sync = allKnnSync(x, k);
    const asyncR = await allKnn(x, k);
    expect(Array.from(asyncR.indices)).toEqual(Array.from(sync.indices));
    for (let i = 0; i < x.n; i++) {
      const d = Array.from({ length: x.n }, (_, j) => {
        let s = 0;
        for (let a = 0; a < 7; a++) s += (x.data[i * 7 + a]! - x.data[j * 7 + a]!) ** 2;
        return { j, s };
      })
        .filter((e) => e.j !== i)
        .sort((p, q) => p.s - q.s || p.j - q.j)
        .slice(0, k);
      // Float rounding of the norm identity may swap near-equal neighbours: compare as sets plus distances.
      expect(new Set(sync.indices.subarray(i * k, (i + 1) * k))).toEqual(new Set(d.map((e) => e.j)));
      d.forEach((e, t) => expect(sync.dist2[i * k + t]!).toBeCloseTo(e.s, 3));
    }
    expect(sync.indices[4 * k]).toBe(5);
    expect(sync.indices[5 * k]).toBe(4);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(allKnn(gaussian(50, 3, 3), 5, ac.signal)).rejects.toThrow(/cancel/);
  });
});
