import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { tsne } from '../../src/core/viz/tsne';
import { knnLabelAccuracy, knnPreservation, trustworthiness } from '../../src/core/viz/quality';
import type { PointSet } from '../../src/core/viz/types';
import { plantedClusters } from './planted';

const as2d = (y: Float32Array): PointSet => ({ n: y.length / 2, dim: 2, data: y });

describe('quality scores', () => {
  it('are 1 for a layout identical to its input and low for a scrambled one', () => {
    const { x } = plantedClusters(200, 2, 4, 1);
    expect(trustworthiness(x, x, 10)).toBeCloseTo(1, 12);
    expect(knnPreservation(x, x, 10)).toBe(1);
    // A random layout scores about 0.5.
    const rng = new Rng(2);
    const scrambled = Float32Array.from({ length: 400 }, () => rng.normal());
    expect(trustworthiness(x, as2d(scrambled), 10)).toBeLessThan(0.7);
    expect(knnPreservation(x, as2d(scrambled), 10)).toBeLessThan(0.2);
  });

  it('trustworthiness matches a direct evaluation of the formula on a tiny case', () => {
    const high: PointSet = { n: 6, dim: 1, data: Float32Array.from([0, 1, 2, 3, 4, 5]) };
    const low: PointSet = { n: 6, dim: 1, data: Float32Array.from([0, 5, 2, 3, 4, 1]) };
    // k = 1: point 0's layout neighbour is 5 (high rank 5), point 1's is 2 (rank 1, ok), point 2's is 3 (ok: ties by index pick 1 in high,
    // so 3 has rank 2), point 3's is 2 or 4 (ok), point 4's is 3 (ok), point 5's is 0 (rank 5).
    const direct = (() => {
      const n = 6;
      const k = 1;
      const rankHigh = (i: number, j: number) =>
        1 + [0, 1, 2, 3, 4, 5].filter((m) => m !== i && (Math.abs(m - i) < Math.abs(j - i) || (Math.abs(m - i) === Math.abs(j - i) && m < j))).length;
      const nnLow = (i: number) =>
        [0, 1, 2, 3, 4, 5].filter((m) => m !== i).sort((a, b) => Math.abs(low.data[a]! - low.data[i]!) - Math.abs(low.data[b]! - low.data[i]!) || a - b)[0]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.max(0, rankHigh(i, nnLow(i)) - k);
      return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * s;
    })();
    expect(trustworthiness(high, low, 1)).toBeCloseTo(direct, 12);
  });

  it('label accuracy', () => {
    const low: PointSet = { n: 6, dim: 1, data: Float32Array.from([0, 0.1, 0.2, 10, 10.1, 10.2]) };
    expect(knnLabelAccuracy(low, [0, 0, 0, 1, 1, 1], 2)).toBe(1);
    expect(knnLabelAccuracy(low, [0, 1, 0, 1, 0, 1], 2)).toBeLessThan(0.5);
  });
});

describe('t-SNE', () => {
  it('exact route keeps well-separated planted clusters apart', async () => {
    const { x, labels } = plantedClusters(600, 32, 6, 7);
    const progress: number[] = [];
    const y = await tsne(x, { perplexity: 30, iterations: 500, seed: 1, method: 'exact' }, (it, e) => {
      progress.push(it);
      expect(e.length).toBe(1200);
    });
    expect(y.length).toBe(1200);
    expect(progress[0]).toBe(10);
    expect(progress[progress.length - 1]).toBe(500);
    const t = trustworthiness(x, as2d(y), 10);
    const acc = knnLabelAccuracy(as2d(y), labels, 10);
    console.log(`exact t-SNE n=600: trustworthiness ${t.toFixed(4)}, label kNN accuracy ${acc.toFixed(4)}, kNN preservation ${knnPreservation(x, as2d(y), 10).toFixed(3)}`);
    expect(t).toBeGreaterThanOrEqual(0.9);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('Barnes–Hut route keeps well-separated planted clusters apart (wide input goes through PCA)', async () => {
    const { x, labels } = plantedClusters(2000, 96, 8, 8);
    const y = await tsne(x, { perplexity: 30, iterations: 400, seed: 2, method: 'barnes-hut', progressEvery: 0 });
    const t = trustworthiness(x, as2d(y), 10);
    const acc = knnLabelAccuracy(as2d(y), labels, 10);
    console.log(`Barnes–Hut t-SNE n=2000: trustworthiness ${t.toFixed(4)}, label kNN accuracy ${acc.toFixed(4)}`);
    expect(t).toBeGreaterThanOrEqual(0.9);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('is deterministic per seed and handles tiny inputs', async () => {
    const { x } = plantedClusters(60, 4, 3, 9);
    const a = await tsne(x, { iterations: 60, seed: 5 });
    const b = await tsne(x, { iterations: 60, seed: 5 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(await tsne({ n: 1, dim: 3, data: new Float32Array(3) }))).toEqual([0, 0]);
    expect((await tsne({ n: 3, dim: 2, data: Float32Array.from([0, 0, 1, 1, 5, 5]) }, { iterations: 20 })).length).toBe(6);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('is cancellable mid-run', async () => {
    const { x } = plantedClusters(1600, 16, 4, 10);
    const ac = new AbortController();
    let last = 0;
    const run = tsne(x, { iterations: 1000, method: 'barnes-hut' }, (it) => {
      last = it;
      if (it >= 20) ac.abort();
    }, ac.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(last).toBeLessThan(1000);
  });
});
