import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { hungarian } from '../../src/core/align/hungarian';
import { kmeans } from '../../src/core/align/kmeans';
import { Rng } from '../../src/core/rng';
import { matchedAccuracy, plantedBlobs } from './fixture';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap(p => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

function bruteForce(cost: Float64Array, n: number, m: number): number {
  // n ≤ m: try every injective map via permutations of m columns, keep the first n.
  let best = Infinity;
  for (const p of permutations(m)) {
    let s = 0;
    for (let i = 0; i < n; i++) s += cost[i * m + (p[i] as number)] as number;
    best = Math.min(best, s);
  }
  return best;
}

describe('hungarian', () => {
  test('matches brute force on random square and rectangular matrices', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.int(6);
      const m = n + (trial % 3 === 0 ? rng.int(2) : 0);
      const cost = Float64Array.from({ length: n * m }, () => Math.round(rng.normal() * 10) / (trial % 2 ? 1 : 7));
      const match = hungarian(cost, n, m);
      expect(new Set(match).size).toBe(n);
      let s = 0;
      for (let i = 0; i < n; i++) s += cost[i * m + (match[i] as number)] as number;
      expect(s).toBeCloseTo(bruteForce(cost, n, m), 9);
    }
  });
  test('K = 128 stays fast and exact on a planted permutation', () => {
    const rng = new Rng(2);
    const k = 128;
    const perm = rng.shuffle(Array.from({ length: k }, (_, i) => i));
    const cost = Float64Array.from({ length: k * k }, () => rng.next());
    for (let i = 0; i < k; i++) cost[i * k + (perm[i] as number)] = -1;
    const t0 = performance.now();
    const match = hungarian(cost, k, k);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(Array.from(match)).toEqual(perm);
  });
  test('rejects bad shapes', () => {
    expect(() => hungarian(new Float64Array(6), 3, 2)).toThrow();
    expect(() => hungarian(new Float64Array(5), 2, 3)).toThrow();
  });
});

describe('kmeans', () => {
  test('recovers planted clusters (cosine and Euclidean), no tensor leaks, repeatable', async () => {
    const rng = new Rng(3);
    const { x, truth } = plantedBlobs(rng, 6, 40, 16, 0.15);
    const X = tf.tensor2d(x);
    const before = tf.memory().numTensors;
    const r = await kmeans(X, 6, new Rng(9), { maxIter: 50 });
    expect(tf.memory().numTensors).toBe(before);
    expect(matchedAccuracy(r.assignments, truth, 6)).toBeGreaterThanOrEqual(0.95);
    expect(r.k).toBe(6);
    expect(r.centres.length).toBe(6 * 16);
    expect(Array.from(r.counts).reduce((s, v) => s + v, 0)).toBe(240);
    // Centres are unit vectors in cosine mode.
    for (let c = 0; c < 6; c++) expect(Math.hypot(...r.centres.subarray(c * 16, c * 16 + 16))).toBeCloseTo(1, 4);
    const again = await kmeans(X, 6, new Rng(9), { maxIter: 50 });
    expect(Array.from(again.assignments)).toEqual(Array.from(r.assignments));

    const e = await kmeans(X, 6, new Rng(10), { cosine: false });
    expect(matchedAccuracy(e.assignments, truth, 6)).toBeGreaterThanOrEqual(0.95);
    expect(tf.memory().numTensors).toBe(before);
    X.dispose();
  });

  test('restarts keep the lowest-inertia run; harder blobs (12 clusters) are recovered', async () => {
    const { x, truth } = plantedBlobs(new Rng(5), 12, 30, 10, 0.2);
    const X = tf.tensor2d(x);
    const one = await kmeans(X, 12, new Rng(9));
    const best = await kmeans(X, 12, new Rng(9), { restarts: 4 });
    expect(best.inertia).toBeLessThanOrEqual(one.inertia + 1e-9);
    expect(matchedAccuracy(best.assignments, truth, 12)).toBeGreaterThanOrEqual(0.95);
    X.dispose();
  });

  test('assignments belong to the returned centres (nearest centre)', async () => {
    const rng = new Rng(4);
    const { x } = plantedBlobs(rng, 4, 25, 5, 0.8);
    const X = tf.tensor2d(x);
    const r = await kmeans(X, 4, new Rng(1), { cosine: false, maxIter: 3 });
    for (let i = 0; i < x.length; i++) {
      const d2 = [0, 1, 2, 3].map(c => (x[i] as number[]).reduce((s, v, j) => s + (v - (r.centres[c * 5 + j] as number)) ** 2, 0));
      expect(d2.indexOf(Math.min(...d2))).toBe(r.assignments[i]);
    }
    X.dispose();
  });

  test('fewer rows than k, duplicate rows, k = 1', async () => {
    const X = tf.tensor2d([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const r = await kmeans(X, 8, new Rng(1));
    expect(r.k).toBe(3);
    expect(r.assignments.length).toBe(3);
    expect(r.assignments[0]).toBe(r.assignments[1]);
    const one = await kmeans(X, 1, new Rng(1));
    expect(Array.from(one.assignments)).toEqual([0, 0, 0]);
    X.dispose();
  });
});
