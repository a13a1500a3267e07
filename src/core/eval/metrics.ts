/** Recall and NDCG with binary relevance, as RLMRec computes them. */

export const KS = [5, 10, 20] as const;
export type MetricName = `recall@${number}` | `ndcg@${number}`;
export type Metrics = Record<string, number>;

/**
 * `ranked`: the top items of one user, best first (at least max K long when the
 * catalogue allows). `relevant`: that user's held-out items (non-empty).
 * recall@K = hits in top K / |relevant|;
 * ndcg@K = sum over hits of 1/log2(rank+2) / IDCG, IDCG over min(K, |relevant|) hits.
 */
export function userMetrics(ranked: ArrayLike<number>, relevant: Set<number>, ks: readonly number[] = KS): Metrics {
  const out: Metrics = {};
  for (const k of ks) {
    let hits = 0, dcg = 0, idcg = 0;
    const upto = Math.min(k, ranked.length);
    for (let r = 0; r < upto; r++) {
      if (relevant.has(ranked[r]!)) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
      }
    }
    const ideal = Math.min(k, relevant.size);
    for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
    out[`recall@${k}`] = hits / relevant.size;
    out[`ndcg@${k}`] = idcg > 0 ? dcg / idcg : 0;
  }
  return out;
}

/** Running mean of per-user metrics. */
export class MetricAccumulator {
  private sums: Metrics = {};
  count = 0;
  add(m: Metrics): void {
    for (const [k, v] of Object.entries(m)) this.sums[k] = (this.sums[k] ?? 0) + v;
    this.count++;
  }
  mean(): Metrics {
    const out: Metrics = {};
    for (const [k, v] of Object.entries(this.sums)) out[k] = this.count ? v / this.count : 0;
    return out;
  }
}
