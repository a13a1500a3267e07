import type { Interactions } from '../data/types';
import type { Rng } from '../rng';

/** Per-user sorted training items (CSR); used for negative rejection and eval masks. */
export interface UserItems {
  ptr: Int32Array;
  items: Int32Array;
}

export function userItemIndex(x: Interactions, numUsers: number): UserItems {
  const ptr = new Int32Array(numUsers + 1);
  for (let k = 0; k < x.users.length; k++) ptr[x.users[k]! + 1]!++;
  for (let u = 0; u < numUsers; u++) ptr[u + 1]! += ptr[u]!;
  const items = new Int32Array(x.users.length);
  const cur = ptr.slice(0, numUsers);
  for (let k = 0; k < x.users.length; k++) items[cur[x.users[k]!]!++] = x.items[k]!;
  for (let u = 0; u < numUsers; u++) items.subarray(ptr[u]!, ptr[u + 1]!).sort();
  return { ptr, items };
}

export function hasItem(idx: UserItems, u: number, i: number): boolean {
  let lo = idx.ptr[u]!, hi = idx.ptr[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = idx.items[mid]!;
    if (v === i) return true;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export interface Triples {
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
}

/**
 * One epoch of BPR triples as RLMRec builds them: every training interaction
 * once, in shuffled order, with one negative drawn uniformly among items that
 * are not a training positive of that user (rejection sampling). Users who have
 * every item as a positive have no valid negative and are skipped.
 */
export function sampleEpoch(train: Interactions, index: UserItems, numItems: number, rng: Rng): Triples {
  const n = train.users.length;
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, k) => k));
  const users = new Int32Array(n), pos = new Int32Array(n), neg = new Int32Array(n);
  let m = 0;
  for (const k of order) {
    const u = train.users[k]!;
    if (index.ptr[u + 1]! - index.ptr[u]! >= numItems) continue;
    let j = rng.int(numItems);
    while (hasItem(index, u, j)) j = rng.int(numItems);
    users[m] = u;
    pos[m] = train.items[k]!;
    neg[m] = j;
    m++;
  }
  return { users: users.subarray(0, m), pos: pos.subarray(0, m), neg: neg.subarray(0, m) };
}
