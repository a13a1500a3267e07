/**
 * Keeps a growing list of snapshots bounded: past `max`, the inner snapshot whose
 * removal leaves the smallest gap (in epochs) is dropped, repeatedly. The first and the
 * newest always stay, and a long run keeps an even spread over its whole history.
 * Each snapshot holds every user and item vector: unbounded, a 3,000-epoch run with
 * snapshots every 3 epochs would hold a thousand copies.
 */
export function thinSnapshots<T>(list: T[], max: number, epochOf: (t: T) => number): T[] {
  if (list.length <= max) return list;
  const out = [...list];
  while (out.length > Math.max(2, max)) {
    let drop = 1;
    for (let k = 2; k < out.length - 1; k++) {
      if (epochOf(out[k + 1]!) - epochOf(out[k - 1]!) < epochOf(out[drop + 1]!) - epochOf(out[drop - 1]!)) drop = k;
    }
    out.splice(drop, 1);
  }
  return out;
}
