import type { Interactions } from './types';
import { Rng } from '../rng';

export interface SplitResult {
  train: Interactions;
  val: Interactions;
  test: Interactions;
}

/**
 * RLMRec-style random split by interaction, ratio train:val:test (default 3:1:1),
 * that keeps every user and item present in the input inside train: for each
 * user and each item one interaction is reserved for train first, the rest is
 * shuffled and cut by ratio (the reserved rows count towards train's share).
 */
export function randomSplit(
  all: Interactions,
  numUsers: number,
  numItems: number,
  seed: number,
  ratio: [number, number, number] = [3, 1, 1],
): SplitResult {
  const n = all.users.length;
  const rng = new Rng(seed);
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, k) => k));
  const reserved = new Uint8Array(n);
  const userSeen = new Uint8Array(numUsers);
  const itemSeen = new Uint8Array(numItems);
  // Walk in shuffled order so the reserved interaction of a user/item is random.
  for (const k of order) {
    const u = all.users[k]!, i = all.items[k]!;
    if (!userSeen[u] || !itemSeen[i]) {
      reserved[k] = 1;
      userSeen[u] = 1;
      itemSeen[i] = 1;
    }
  }
  const total = ratio[0] + ratio[1] + ratio[2];
  const nVal = Math.round((n * ratio[1]) / total);
  const nTest = Math.round((n * ratio[2]) / total);
  const trainIdx: number[] = [], valIdx: number[] = [], testIdx: number[] = [];
  for (const k of order) {
    if (reserved[k]) trainIdx.push(k);
    else if (valIdx.length < nVal) valIdx.push(k);
    else if (testIdx.length < nTest) testIdx.push(k);
    else trainIdx.push(k);
  }
  const pick = (idx: number[]): Interactions => {
    idx.sort((a, b) => a - b);
    return { users: Int32Array.from(idx, k => all.users[k]!), items: Int32Array.from(idx, k => all.items[k]!) };
  };
  return { train: pick(trainIdx), val: pick(valIdx), test: pick(testIdx) };
}
