import { describe, expect, it } from 'vitest';
import { thinSnapshots } from '../../src/ui/inspect/thin';

describe('thinSnapshots', () => {
  it('leaves a list within the bound alone', () => {
    const l = [1, 2, 3];
    expect(thinSnapshots(l, 3, e => e)).toBe(l);
  });

  it('drops the inner snapshot that leaves the smallest gap, keeping the first and the newest', () => {
    expect(thinSnapshots([1, 2, 3, 4, 5], 4, e => e)).toEqual([1, 3, 4, 5]);
    expect(thinSnapshots([1, 3, 6, 9, 10], 4, e => e)).toEqual([1, 3, 6, 10]);
  });

  it('stays bounded and spread out when snapshots keep arriving', () => {
    let l: number[] = [];
    for (let epoch = 1; epoch <= 3000; epoch += 3) l = thinSnapshots([...l, epoch], 32, e => e);
    expect(l.length).toBe(32);
    expect(l[0]).toBe(1);
    expect(l.at(-1)).toBe(2998);
    // Even spread: no gap more than twice the mean gap.
    const gaps = l.slice(1).map((x, k) => x - l[k]!);
    const mean = (l.at(-1)! - l[0]!) / gaps.length;
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * mean);
  });
});
