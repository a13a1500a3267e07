/**
 * How faithful a 2-D layout is to the high-dimensional points, so a picture can be trusted (and
 * the t-SNE tests can assert a threshold): kNN preservation, trustworthiness (Venna & Kaski 2001,
 * as in scikit-learn's `trustworthiness`), and leave-one-out kNN label accuracy in the layout.
 * Euclidean throughout; normalise rows first for cosine geometry.
 */
import { allKnnSync } from './neighbours';
import { checkPointSet, type PointSet } from './types';

function samePoints(high: PointSet, low: PointSet): void {
  checkPointSet(high);
  checkPointSet(low);
  if (high.n !== low.n) throw new Error(`point counts differ: ${high.n} vs ${low.n}`);
}

/** Mean fraction of each point's k nearest neighbours that are also its k nearest in the layout. */
export function knnPreservation(high: PointSet, low: PointSet, k: number): number {
  samePoints(high, low);
  const a = allKnnSync(high, k);
  const b = allKnnSync(low, k);
  if (a.k === 0) return 1;
  let hits = 0;
  const inHigh = new Set<number>();
  for (let i = 0; i < high.n; i++) {
    inHigh.clear();
    for (let t = 0; t < a.k; t++) inHigh.add(a.indices[i * a.k + t]!);
    for (let t = 0; t < b.k; t++) if (inHigh.has(b.indices[i * b.k + t]!)) hits++;
  }
  return hits / (high.n * a.k);
}

/**
 * T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k), where U_k(i) are
 * the layout's k nearest that are not among the k nearest in high dimension and r is the rank
 * in high dimension. Needs k < n / 2.
 */
export function trustworthiness(high: PointSet, low: PointSet, k: number): number {
  samePoints(high, low);
  const n = high.n;
  if (k >= n / 2) throw new Error(`trustworthiness needs k < n/2 (k=${k}, n=${n})`);
  const a = allKnnSync(high, k);
  const b = allKnnSync(low, k);
  const d = high.dim;
  const dist = new Float64Array(n);
  const inHigh = new Set<number>();
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    inHigh.clear();
    for (let t = 0; t < k; t++) inHigh.add(a.indices[i * k + t]!);
    let distReady = false;
    for (let t = 0; t < k; t++) {
      const j = b.indices[i * k + t]!;
      if (inHigh.has(j)) continue;
      if (!distReady) {
        for (let m = 0; m < n; m++) {
          let s = 0;
          for (let c = 0; c < d; c++) {
            const diff = high.data[i * d + c]! - high.data[m * d + c]!;
            s += diff * diff;
          }
          dist[m] = s;
        }
        distReady = true;
      }
      // Rank with ties broken by index, matching the kNN order.
      const dj = dist[j]!;
      let rank = 0;
      for (let m = 0; m < n; m++) {
        if (m === i) continue;
        const dm = dist[m]!;
        if (dm < dj || (dm === dj && m < j)) rank++;
      }
      penalty += rank + 1 - k;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}

/** Fraction of points whose k nearest layout neighbours' majority label is their own (ties: the own label loses). */
export function knnLabelAccuracy(low: PointSet, labels: ArrayLike<number>, k: number): number {
  checkPointSet(low);
  if (labels.length !== low.n) throw new Error(`labels has ${labels.length} entries for ${low.n} points`);
  const b = allKnnSync(low, k);
  let correct = 0;
  const votes = new Map<number, number>();
  for (let i = 0; i < low.n; i++) {
    votes.clear();
    for (let t = 0; t < b.k; t++) {
      const l = labels[b.indices[i * b.k + t]!]!;
      votes.set(l, (votes.get(l) ?? 0) + 1);
    }
    const own = votes.get(labels[i]!) ?? 0;
    let beaten = false;
    for (const [l, c] of votes) if (l !== labels[i] && c >= own) beaten = true;
    if (!beaten && own > 0) correct++;
  }
  return correct / Math.max(1, low.n);
}
