/**
 * Minimum-cost assignment (Hungarian method with potentials, O(n²m)).
 * Hand-written because DaRec's 'separate-match' variant only matches K ≤ 128 cluster centres
 * once per re-clustering, and no small maintained assignment library is installed.
 *
 * `cost` is row-major `[n, m]` with n ≤ m. Returns `match` of length n: row i → column match[i],
 * columns all distinct, Σ cost[i, match[i]] minimal.
 */
export function hungarian(cost: ArrayLike<number>, n: number, m: number): Int32Array {
  if (n > m) throw new Error(`hungarian: needs rows <= cols (got ${n} x ${m})`);
  if (cost.length !== n * m) throw new Error(`hungarian: cost has ${cost.length} entries, expected ${n * m}`);
  const INF = Number.POSITIVE_INFINITY;
  // 1-based arrays; column 0 is the virtual column that holds the row being inserted.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row assigned to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  const c = (i: number, j: number): number => cost[(i - 1) * m + (j - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(INF);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = c(i0, j) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          const r = p[j] as number;
          u[r] = (u[r] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const match = new Int32Array(n);
  for (let j = 1; j <= m; j++) {
    const r = p[j] as number;
    if (r > 0) match[r - 1] = j - 1;
  }
  return match;
}
