import { describe, expect, it } from 'vitest';
import { computeStats, logHistogram } from '../../src/core/data/stats';
import type { Dataset } from '../../src/core/data/types';

const I = (a: number[]) => Int32Array.from(a);

describe('stats', () => {
  it('log2-binned degree histogram with a bin for zero', () => {
    expect(logHistogram(I([0, 1, 2, 3, 4, 7, 8, 100]))).toEqual([
      { from: 0, to: 0, count: 1 },
      { from: 1, to: 1, count: 1 },
      { from: 2, to: 3, count: 2 },
      { from: 4, to: 7, count: 2 },
      { from: 8, to: 15, count: 1 },
      { from: 16, to: 31, count: 0 },
      { from: 32, to: 63, count: 0 },
      { from: 64, to: 127, count: 1 },
    ]);
    expect(logHistogram(I([]))).toEqual([{ from: 0, to: 0, count: 0 }]);
  });

  it('sizes, density, cold start and unseen evaluation rows', () => {
    const d: Dataset = {
      name: 't',
      numUsers: 3,
      numItems: 4,
      train: { users: I([0, 0, 0, 1]), items: I([0, 1, 2, 0]) },
      val: { users: I([1]), items: I([1]) },
      test: { users: I([2, 0]), items: I([3, 3]) },
      itemText: [{ title: 'a' }, { title: '' }, { title: '', categories: ['x'] }, { title: '' }],
    };
    const s = computeStats(d, undefined, 2);
    expect(s.interactions).toEqual({ train: 4, val: 1, test: 2, total: 7 });
    expect(s.density).toBeCloseTo(7 / 12);
    expect(s.coldStart).toEqual({ threshold: 2, users: 2, items: 3, usersWithoutTrain: 1, itemsWithoutTrain: 1, evalRowsUnseenUser: 1, evalRowsUnseenItem: 2 });
    expect(s.userDegreeSummary).toEqual({ min: 0, max: 3, mean: 4 / 3, median: 1 });
    expect(s.usersInTest).toBe(2);
    expect(s.itemsWithText).toBe(2);
    expect(s.userDegree.reduce((a, b) => a + b.count, 0)).toBe(3);
  });
});
