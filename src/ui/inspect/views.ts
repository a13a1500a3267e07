/**
 * Which 2-D views a snapshot gets and which points feed each: the four disentangled spaces, or
 * CF and LLM embeddings when the method has none, plus the joint shared-CF/shared-LLM overlay.
 */
import { normalizeRows, stackRows, takeRows, type PointSet, type SpacesSnapshot } from '../../core/viz/types';

export type ViewId = 'sharedCF' | 'sharedLLM' | 'specificCF' | 'specificLLM' | 'cf' | 'llm' | 'overlay';

export interface ViewDef {
  id: Exclude<ViewId, 'overlay'>;
  title: string;
  side: 'CF' | 'LLM';
  points: PointSet;
}

export function gridViews(s: SpacesSnapshot): ViewDef[] {
  if (s.spaces) {
    return [
      { id: 'sharedCF', title: 'shared CF  S^C', side: 'CF', points: s.spaces.sharedCF },
      { id: 'sharedLLM', title: 'shared LLM  S^L', side: 'LLM', points: s.spaces.sharedLLM },
      { id: 'specificCF', title: 'specific CF  P^C', side: 'CF', points: s.spaces.specificCF },
      { id: 'specificLLM', title: 'specific LLM  P^L', side: 'LLM', points: s.spaces.specificLLM },
    ];
  }
  const out: ViewDef[] = [{ id: 'cf', title: 'CF embedding', side: 'CF', points: s.cf }];
  if (s.llm) out.push({ id: 'llm', title: 'LLM embedding', side: 'LLM', points: s.llm });
  return out;
}

/** Every point set of the snapshot, for the neighbour lists (full data, not the sample). */
export function allSpaces(s: SpacesSnapshot): { id: string; title: string; points: PointSet }[] {
  const out = gridViews(s).map((v) => ({ id: v.id as string, title: v.title, points: v.points }));
  if (s.spaces) {
    out.push({ id: 'cf', title: 'CF embedding', points: s.cf });
    if (s.llm) out.push({ id: 'llm', title: 'LLM embedding', points: s.llm });
  }
  return out;
}

/** Problems that make a snapshot undrawable, or null. */
export function snapshotProblem(s: SpacesSnapshot): string | null {
  const n = s.cf.n;
  const sets = [s.cf, ...(s.llm ? [s.llm] : []), ...(s.spaces ? Object.values(s.spaces) : [])];
  for (const p of sets) {
    if (p.n !== n) return `point sets disagree on the number of ${s.side}: ${p.n} vs ${n}`;
    if (p.data.length !== p.n * p.dim) return `a point set has ${p.data.length} values for ${p.n}x${p.dim}`;
  }
  if (s.clusters && s.clusters.length !== n) return `clusters has ${s.clusters.length} entries for ${n} ${s.side}`;
  return null;
}

/**
 * Input of one reduction: the sampled rows, unit-normalised when `cosine` (the geometry the
 * alignment losses and the neighbour lists use). The overlay stacks shared CF over shared LLM so
 * one layout places both copies of a node; rows [0, m) are CF, [m, 2m) LLM.
 */
export function reductionInput(s: SpacesSnapshot, view: ViewId, kept: Int32Array, cosine: boolean): PointSet | null {
  const prep = (p: PointSet) => (cosine ? normalizeRows(takeRows(p, kept)) : takeRows(p, kept));
  if (view === 'overlay') {
    if (!s.spaces || s.spaces.sharedCF.dim !== s.spaces.sharedLLM.dim) return null;
    return stackRows([prep(s.spaces.sharedCF), prep(s.spaces.sharedLLM)]);
  }
  const def = gridViews(s).find((v) => v.id === view);
  return def ? prep(def.points) : null;
}

export function nodeLabel(s: SpacesSnapshot, node: number): string {
  const t = s.labels?.titles?.[node];
  if (t) return t;
  const id = s.labels?.ids?.[node];
  if (id) return s.side === 'users' ? `user ${id}` : id;
  return `${s.side === 'users' ? 'user' : 'item'} #${node}`;
}
