import { describe, expect, it } from 'vitest';
import { randomSplit } from '../../src/core/data/split';
import { generateDemo } from '../../src/core/data/demo';
import { validateDataset } from '../../src/core/data/types';
import { sampleEpoch, userItemIndex, hasItem } from '../../src/core/train/sampler';
import { Rng } from '../../src/core/rng';

describe('random 3:1:1 split', () => {
  const d = generateDemo({ users: 300, items: 200, interactions: 6000, seed: 3 });

  it('is disjoint, complete and roughly 3:1:1', () => {
    const key = (u: number, i: number) => u * 1e6 + i;
    const seen = new Set<number>();
    let total = 0;
    for (const part of [d.train, d.val, d.test]) {
      for (let k = 0; k < part.users.length; k++) {
        const kk = key(part.users[k]!, part.items[k]!);
        expect(seen.has(kk)).toBe(false);
        seen.add(kk);
        total++;
      }
    }
    expect(total).toBe(seen.size);
    expect(d.train.users.length / total).toBeCloseTo(0.6, 2);
    expect(d.val.users.length / total).toBeCloseTo(0.2, 2);
    validateDataset(d);
  });

  it('keeps every user and item of the input in train', () => {
    const u = new Set(d.train.users), i = new Set(d.train.items);
    for (const part of [d.val, d.test]) {
      for (const x of part.users) expect(u.has(x)).toBe(true);
      for (const x of part.items) expect(i.has(x)).toBe(true);
    }
  });

  it('keeps users whose only interaction would otherwise leave train', () => {
    const all = { users: Int32Array.from([0, 1, 1, 1, 1, 2]), items: Int32Array.from([0, 1, 2, 3, 0, 4]) };
    const s = randomSplit(all, 3, 5, 1);
    expect(new Set(s.train.users)).toEqual(new Set([0, 1, 2]));
    expect(new Set(s.train.items)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('is deterministic for a seed', () => {
    const a = generateDemo({ users: 100, items: 80, interactions: 1500, seed: 9 });
    const b = generateDemo({ users: 100, items: 80, interactions: 1500, seed: 9 });
    expect(a.train.users).toEqual(b.train.users);
    expect(a.test.items).toEqual(b.test.items);
    expect(a.itemText).toEqual(b.itemText);
  });

  it('demo text carries the topic signal', () => {
    // Items sharing a category share description words far more than random pairs.
    const words = d.itemText!.map(t => new Set(t.description!.split(/\W+/)));
    const cat = d.itemText!.map(t => t.categories![0]);
    let same = 0, sameN = 0, diff = 0, diffN = 0;
    for (let a = 0; a < 60; a++) for (let b = a + 1; b < 60; b++) {
      const overlap = [...words[a]!].filter(w => words[b]!.has(w)).length;
      if (cat[a] === cat[b]) { same += overlap; sameN++; } else { diff += overlap; diffN++; }
    }
    expect(same / sameN).toBeGreaterThan(1.5 * (diff / diffN));
  });
});

describe('BPR sampler', () => {
  it('never returns a training positive and covers every interaction once', () => {
    const d = generateDemo({ users: 200, items: 60, interactions: 4000, seed: 5 });
    const idx = userItemIndex(d.train, d.numUsers);
    const t = sampleEpoch(d.train, idx, d.numItems, new Rng(1));
    expect(t.users.length).toBe(d.train.users.length);
    for (let k = 0; k < t.users.length; k++) {
      expect(hasItem(idx, t.users[k]!, t.neg[k]!)).toBe(false);
      expect(hasItem(idx, t.users[k]!, t.pos[k]!)).toBe(true);
    }
  });

  it('skips users who have every item as a positive', () => {
    const train = { users: Int32Array.from([0, 0, 1]), items: Int32Array.from([0, 1, 0]) };
    const t = sampleEpoch(train, userItemIndex(train, 2), 2, new Rng(1));
    expect(Array.from(t.users)).toEqual([1]);
    expect(Array.from(t.neg)).toEqual([1]);
  });
});
