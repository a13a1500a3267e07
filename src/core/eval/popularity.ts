import type { Interactions } from '../data/types';
import type { UserItems } from '../train/sampler';
import { KS, MetricAccumulator, userMetrics, type Metrics } from './metrics';

/** Most-popular baseline: rank unseen items by training count (ties by index). */
export function popularityMetrics(
  train: Interactions,
  numItems: number,
  heldOut: Map<number, Set<number>>,
  trainIndex: UserItems,
  ks: readonly number[] = KS,
): Metrics {
  const count = new Float64Array(numItems);
  for (const i of train.items) count[i]!++;
  const order = Array.from({ length: numItems }, (_, i) => i).sort((a, b) => count[b]! - count[a]! || a - b);
  const maxK = Math.max(...ks);
  const acc = new MetricAccumulator();
  for (const [u, rel] of heldOut) {
    const seen = new Set(trainIndex.items.subarray(trainIndex.ptr[u]!, trainIndex.ptr[u + 1]!));
    const ranked: number[] = [];
    for (const i of order) {
      if (!seen.has(i)) ranked.push(i);
      if (ranked.length >= maxK) break;
    }
    acc.add(userMetrics(ranked, rel, ks));
  }
  return acc.mean();
}
