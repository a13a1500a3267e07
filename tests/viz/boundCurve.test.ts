import { describe, expect, it } from 'vitest';
import { BoundedCurve } from '../../src/ui/boundCurve';

const curve = (n: number, max: number, y: (s: number) => number) => {
  const c = new BoundedCurve(max);
  for (let s = 0; s < n; s++) c.push(s, y(s));
  return c.points;
};

describe('BoundedCurve', () => {
  it('keeps every step while within the bound', () => {
    expect(curve(3, 4, s => 10 * s)).toEqual([[0, 0], [1, 10], [2, 20]]);
  });

  it('merges pairs past the bound; the newest point is the running mean of incomplete steps', () => {
    // 5 points > 4: pairs (0,1) (2,3), and 4 stays as a half-complete point of weight 2.
    expect(curve(5, 4, s => 10 * s)).toEqual([[0.5, 5], [2.5, 25], [4, 40]]);
    // The 6th step completes it.
    expect(curve(6, 4, s => 10 * s)).toEqual([[0.5, 5], [2.5, 25], [4.5, 45]]);
  });

  it('stays bounded over a long run, evenly spaced, with every point the mean of equal blocks', () => {
    const n = 100_000;
    const p = curve(n, 1000, s => s % 7);
    expect(p.length).toBeLessThanOrEqual(1001);
    expect(p.length).toBeGreaterThan(500);
    // Complete points cover equal blocks of steps: equal x spacing.
    const gaps = p.slice(1, -1).map((q, k) => q[0] - p[k]![0]);
    expect(Math.max(...gaps)).toBe(Math.min(...gaps));
    expect(p[0]![0]).toBe((gaps[0]! - 1) / 2);
    expect(p.at(-1)![0]).toBeGreaterThan(n - gaps[0]!);
    // Each block mean of s % 7 over a block of 128 steps is close to 3.
    for (const q of p.slice(0, -1)) expect(Math.abs(q[1] - 3)).toBeLessThan(0.1);
  });

  it('continues from existing points', () => {
    const c = BoundedCurve.from([[0, 1], [1, 2]], 10);
    c.push(2, 3);
    expect(c.points).toEqual([[0, 1], [1, 2], [2, 3]]);
  });
});
