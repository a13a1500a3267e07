import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_SIZE, sampleIndices } from '../../src/core/viz/sample';

describe('sampleIndices', () => {
  it('keeps everything when n fits and defaults to 5000', () => {
    expect(Array.from(sampleIndices(4, { max: 10 }))).toEqual([0, 1, 2, 3]);
    expect(DEFAULT_SAMPLE_SIZE).toBe(5000);
    expect(sampleIndices(12_000).length).toBe(5000);
  });

  it('is deterministic per seed, sorted, unique and in range', () => {
    const a = sampleIndices(10_000, { max: 700, seed: 3 });
    const b = sampleIndices(10_000, { max: 700, seed: 3 });
    const c = sampleIndices(10_000, { max: 700, seed: 4 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a.length).toBe(700);
    for (let t = 1; t < a.length; t++) expect(a[t]!).toBeGreaterThan(a[t - 1]!);
    expect(a[0]!).toBeGreaterThanOrEqual(0);
    expect(a[a.length - 1]!).toBeLessThan(10_000);
  });

  it('stratifies by label in proportion and keeps rare labels', () => {
    const n = 10_000;
    // 70% 'a', 25% 'b', 4.99% 'c', one 'rare'.
    const labels = Array.from({ length: n }, (_, i) => (i === 9_999 ? 'rare' : i % 100 < 70 ? 'a' : i % 100 < 95 ? 'b' : 'c'));
    const kept = sampleIndices(n, { max: 1000, labels, seed: 1 });
    expect(kept.length).toBe(1000);
    const count = (l: string) => Array.from(kept).filter((i) => labels[i] === l).length;
    expect(count('rare')).toBe(1);
    expect(Math.abs(count('a') - 700)).toBeLessThanOrEqual(1);
    expect(Math.abs(count('b') - 250)).toBeLessThanOrEqual(1);
    expect(Math.abs(count('c') - 50)).toBeLessThanOrEqual(1);
    expect(Array.from(sampleIndices(n, { max: 1000, labels, seed: 1 }))).toEqual(Array.from(kept));
  });

  it('with numeric labels and more labels than budget still returns exactly max', () => {
    const labels = Int32Array.from({ length: 500 }, (_, i) => i % 50);
    const kept = sampleIndices(500, { max: 20, labels });
    expect(kept.length).toBe(20);
    expect(new Set(kept).size).toBe(20);
    expect(() => sampleIndices(10, { max: 5, labels: [1, 2] })).toThrow();
  });
});
