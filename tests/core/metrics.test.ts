import { describe, expect, it } from 'vitest';
import { userMetrics, MetricAccumulator } from '../../src/core/eval/metrics';
import { popularityMetrics } from '../../src/core/eval/popularity';
import { userItemIndex } from '../../src/core/train/sampler';

describe('recall / ndcg', () => {
  it('matches a hand-computed case', () => {
    // Relevant {2, 7, 9}; ranking puts 2 at rank 0 and 9 at rank 3.
    const m = userMetrics([2, 4, 5, 9, 1, 0, 3, 6, 8, 7], new Set([2, 7, 9]), [1, 5, 10]);
    expect(m['recall@1']).toBeCloseTo(1 / 3, 12);
    expect(m['ndcg@1']).toBeCloseTo(1, 12);
    const dcg5 = 1 + 1 / Math.log2(5);
    const idcg3 = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m['recall@5']).toBeCloseTo(2 / 3, 12);
    expect(m['ndcg@5']).toBeCloseTo(dcg5 / idcg3, 12);
    const dcg10 = dcg5 + 1 / Math.log2(11);
    expect(m['recall@10']).toBeCloseTo(1, 12);
    expect(m['ndcg@10']).toBeCloseTo(dcg10 / idcg3, 12);
  });

  it('uses min(K, |relevant|) for the ideal DCG', () => {
    // 1 relevant item at rank 0 is a perfect ranking at every K.
    const m = userMetrics([3, 1, 2], new Set([3]), [1, 2, 3]);
    for (const k of [1, 2, 3]) expect(m[`ndcg@${k}`]).toBeCloseTo(1, 12);
    const none = userMetrics([0, 1, 2], new Set([5]), [3]);
    expect(none['recall@3']).toBe(0);
    expect(none['ndcg@3']).toBe(0);
  });

  it('averages over users', () => {
    const acc = new MetricAccumulator();
    acc.add({ 'recall@5': 1 });
    acc.add({ 'recall@5': 0 });
    acc.add({ 'recall@5': 0.5 });
    expect(acc.mean()['recall@5']).toBeCloseTo(0.5, 12);
  });

  it('popularity baseline masks training items and ranks by count', () => {
    // Item 0 is the most popular but user 0 has it in train; item 1 is next.
    const train = { users: Int32Array.from([0, 1, 2, 1, 2]), items: Int32Array.from([0, 0, 0, 1, 1]) };
    const idx = userItemIndex(train, 3);
    const m = popularityMetrics(train, 3, new Map([[0, new Set([1])]]), idx, [1]);
    expect(m['recall@1']).toBe(1);
  });
});
