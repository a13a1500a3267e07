import type { Dataset } from './types';
import { Rng } from '../rng';

/**
 * A structure-free random dataset of a given shape (popularity-skewed items,
 * every user and item present in train), for benchmarks at a target scale
 * where the demo generator's planted structure is not needed.
 */
export function syntheticShape(users: number, items: number, train: number, val: number, test: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const cdf = new Float64Array(items);
  let acc = 0;
  for (let i = 0; i < items; i++) cdf[i] = acc += 1 / Math.pow(i + 1, 0.7);
  const pick = () => {
    const r = rng.next() * acc;
    let lo = 0, hi = items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const make = (n: number, cover: boolean) => {
    const u = new Int32Array(n), it = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      u[k] = cover && k < users ? k : rng.int(users);
      it[k] = cover && k >= users && k < users + items ? k - users : pick();
    }
    return { users: u, items: it };
  };
  return { name: `synthetic-${users}x${items}`, numUsers: users, numItems: items, train: make(train, true), val: make(val, false), test: make(test, false) };
}
