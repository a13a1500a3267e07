import { degrees } from '../../core/data/stats';
import type { Dataset } from '../../core/data/types';
import type { Snapshot } from '../../core/train/snapshot';
import type { PointSet, SpacesSnapshot } from '../../core/viz/types';

const cache = new WeakMap<Snapshot, SpacesSnapshot[]>();
const trainDegreeCache = new WeakMap<Dataset, { degU: Int32Array; degI: Int32Array }>();

/** Training degree of every user and item, once per dataset (every snapshot shares it). */
function trainDegrees(d: Dataset): { degU: Int32Array; degI: Int32Array } {
  let r = trainDegreeCache.get(d);
  if (!r) {
    r = { degU: degrees(d.train, d.numUsers, 'users'), degI: degrees(d.train, d.numItems, 'items') };
    trainDegreeCache.set(d, r);
  }
  return r;
}

/**
 * The trainer's snapshot (both sides, flat arrays) as the views' per-side
 * snapshots with labels. Cached per snapshot object: the views cache layouts by
 * object identity, so the same input must give the same objects.
 */
export function toSpacesSnapshots(s: Snapshot, d: Dataset): SpacesSnapshot[] {
  const hit = cache.get(s);
  if (hit) return hit;
  const { degU, degI } = trainDegrees(d);
  const out: SpacesSnapshot[] = [];
  for (const side of ['users', 'items'] as const) {
    const n = side === 'users' ? d.numUsers : d.numItems;
    const v = s[side];
    const ps = (data: Float32Array | undefined, dim: number | undefined): PointSet | undefined =>
      data && dim ? { n, dim, data } : undefined;
    const shared = s.dims.shared;
    const sp = v.sharedCF && v.sharedLLM && v.specificCF && v.specificLLM && shared
      ? { sharedCF: ps(v.sharedCF, shared)!, sharedLLM: ps(v.sharedLLM, shared)!, specificCF: ps(v.specificCF, shared)!, specificLLM: ps(v.specificLLM, shared)! }
      : null;
    const snap: SpacesSnapshot = {
      epoch: s.epoch,
      side,
      spaces: sp,
      cf: ps(v.cf, s.dims.cf)!,
      labels: side === 'users'
        ? { ids: d.userIds, degree: degU }
        : { ids: d.itemIds, titles: d.itemText?.map(t => t.title), categories: d.itemText?.map(t => t.categories?.[0] ?? ''), degree: degI },
    };
    const llm = ps(v.llm, s.dims.llm);
    if (llm) snap.llm = llm;
    if (s.clusters) snap.clusters = side === 'users' ? s.clusters.subarray(0, d.numUsers) : s.clusters.subarray(d.numUsers);
    out.push(snap);
  }
  cache.set(s, out);
  return out;
}
