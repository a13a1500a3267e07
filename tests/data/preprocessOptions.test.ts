import { describe, expect, it } from 'vitest';
import { preprocessConfig } from '../../src/core/data/preprocess';
import { fitToDetection, parseRatio } from '../../src/ui/data/preprocessOptions';

const has = (hasRating: boolean, hasTimestamp: boolean, hasGivenSplit = false) => ({ hasRating, hasTimestamp, hasGivenSplit });

describe('fitToDetection', () => {
  it('turns off a threshold when the new files have no rating (its checkbox is disabled then)', () => {
    const c = preprocessConfig({ threshold: 4 });
    expect(fitToDetection(c, has(false, true)).threshold).toBeNull();
    expect(fitToDetection(c, has(true, true)).threshold).toBe(4);
  });

  it('a temporal split needs timestamps; a given split is chosen when the files have one and dropped when not', () => {
    expect(fitToDetection(preprocessConfig({ split: 'temporal' }), has(true, false)).split).toBe('random');
    expect(fitToDetection(preprocessConfig({ split: 'temporal' }), has(true, true)).split).toBe('temporal');
    expect(fitToDetection(preprocessConfig({ split: 'loo' }), has(true, false)).split).toBe('loo');
    expect(fitToDetection(preprocessConfig({ split: 'given' }), has(true, true)).split).toBe('random');
    expect(fitToDetection(preprocessConfig({ split: 'loo' }), has(true, true, true)).split).toBe('given');
  });

  it('leaves everything else as it was', () => {
    const c = preprocessConfig({ kcore: { user: 5, item: 2 }, dedup: false, sampleUsers: 0.5, ratio: [8, 1, 1], seed: 9 });
    expect(fitToDetection(c, has(true, true))).toEqual(c);
  });
});

describe('parseRatio', () => {
  it('reads train:val:test with ":" or ","', () => {
    expect(parseRatio('3:1:1')).toEqual({ ratio: [3, 1, 1] });
    expect(parseRatio(' 8, 1 ,1')).toEqual({ ratio: [8, 1, 1] });
    expect(parseRatio('1:0:0')).toEqual({ ratio: [1, 0, 0] });
  });

  it('says why a ratio is refused', () => {
    for (const bad of ['0:1:1', '3:1', '3::1', 'a:b:c', '3:-1:1', '3:1:1:1', '']) {
      const r = parseRatio(bad);
      expect('error' in r ? r.error : null, bad).toBe(`ratio: expected three numbers >= 0 as train:val:test with train > 0, got ${JSON.stringify(bad)}`);
    }
  });
});
