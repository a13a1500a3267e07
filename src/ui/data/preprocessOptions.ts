/**
 * Pure rules behind the preprocessing form: which options a newly detected file can use, and
 * reading the ratio field. Kept apart from the components so they are unit-tested.
 */
import type { Detection } from '../../core/data/detect';
import { isSplitRatio, type PreprocessConfig } from '../../core/data/preprocess';

/**
 * The options carried over to newly detected files: an option that needs a column the files lack
 * (a rating threshold, the temporal split) is turned off, since its control is disabled for them
 * and the user could not turn it off; a given split is chosen when the files have one.
 */
export function fitToDetection(c: PreprocessConfig, d: Pick<Detection, 'hasRating' | 'hasTimestamp' | 'hasGivenSplit'>): PreprocessConfig {
  let split = c.split;
  if (d.hasGivenSplit) split = 'given';
  else if (split === 'given' || (split === 'temporal' && !d.hasTimestamp)) split = 'random';
  return { ...c, split, threshold: d.hasRating ? c.threshold : null };
}

/** "3:1:1" (or "3,1,1") as a ratio, or the reason it is not one. */
export function parseRatio(text: string): { ratio: [number, number, number] } | { error: string } {
  const parts = text.split(/[:,]/).map(s => s.trim());
  const r = parts.map(s => (s === '' ? NaN : Number(s)));
  if (isSplitRatio(r)) return { ratio: r };
  return { error: `ratio: expected three numbers >= 0 as train:val:test with train > 0, got ${JSON.stringify(text.slice(0, 40))}` };
}
