import { useMemo } from 'react';
import { sampleIndices } from '../../core/viz/sample';
import type { SpacesSnapshot } from '../../core/viz/types';
import { colourGroups, type ColourBy, type Group } from './colour';
import { ScatterView } from './ScatterView';
import { rowOf } from './SpacesGrid';
import { nodeLabel } from './views';

export interface AlignmentOverlayProps {
  snapshot: SpacesSnapshot;
  kept: Int32Array;
  /** Joint layout: rows [0, m) shared CF, [m, 2m) shared LLM, m = kept.length. */
  embedding: Float32Array | null;
  colourBy: ColourBy;
  picked: number | null;
  onPick: (node: number) => void;
  /** At most this many nodes get a link line (default 500): more lines hide the points. */
  maxLinks?: number;
  status?: string;
}

/**
 * How far linked copies sit relative to random pairs in the layout: ~1 when the two shared
 * spaces are unrelated, near 0 when every node's CF and LLM copies coincide.
 */
export function linkRatio(embedding: Float32Array, m: number, rows: Int32Array): number {
  if (rows.length === 0 || m < 2) return NaN;
  const dist = (a: number, b: number) => Math.hypot(embedding[2 * a]! - embedding[2 * b]!, embedding[2 * a + 1]! - embedding[2 * b + 1]!);
  const linked: number[] = [];
  const random: number[] = [];
  rows.forEach((r, t) => {
    linked.push(dist(r, m + r));
    // A fixed derangement of the linked rows stands in for random pairs, deterministic per sample.
    random.push(dist(r, m + rows[(t + 1) % rows.length]!));
  });
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const rm = median(random);
  return rm > 0 ? median(linked) / rm : NaN;
}

/**
 * Shared CF and shared LLM embedded together in one layout, each node drawn twice (CF: circle,
 * LLM: triangle) with a line between its two copies for a sample of nodes: short lines mean the
 * alignment losses have pulled the spaces together.
 */
export function AlignmentOverlay(props: AlignmentOverlayProps) {
  const { snapshot: s, kept, colourBy } = props;
  const m = kept.length;
  const nodeOf = useMemo(() => Int32Array.from({ length: 2 * m }, (_, p) => kept[p % m]!), [kept, m]);
  const groups = useMemo(() => {
    const base = colourGroups(colourBy, s, nodeOf, (p) => (p < m ? 'CF' : 'LLM'));
    if (colourBy === 'side') return base.map((g) => ({ ...g, symbol: g.name.startsWith('LLM') ? ('triangle' as const) : ('circle' as const) }));
    const out: Group[] = [];
    for (const g of base) {
      const cf = g.members.filter((p) => p < m);
      const llm = g.members.filter((p) => p >= m);
      if (cf.length) out.push({ ...g, members: cf, symbol: 'circle' });
      if (llm.length) out.push({ ...g, members: llm, symbol: 'triangle' });
    }
    return out;
  }, [colourBy, s, nodeOf, m]);
  const linkRows = useMemo(() => sampleIndices(m, { max: props.maxLinks ?? 500, seed: 1 }), [m, props.maxLinks]);
  const links = useMemo(() => {
    const l = new Int32Array(linkRows.length * 2);
    linkRows.forEach((r, t) => {
      l[2 * t] = r;
      l[2 * t + 1] = m + r;
    });
    return l;
  }, [linkRows, m]);
  const labelOf = useMemo(() => (pos: number) => [nodeLabel(s, nodeOf[pos]!), pos < m ? 'shared CF' : 'shared LLM'], [s, nodeOf, m]);
  const pickedRow = props.picked === null ? -1 : rowOf(kept, props.picked);
  const highlight = useMemo(() => (pickedRow >= 0 ? [pickedRow, m + pickedRow] : undefined), [pickedRow, m]);
  const ratio = props.embedding ? linkRatio(props.embedding, m, linkRows) : NaN;
  if (!s.spaces) {
    return (
      <p className="inspect-note" data-testid="overlay-unavailable">
        No alignment overlay: this method has no shared spaces (CF and LLM embeddings live in different spaces).
      </p>
    );
  }
  return (
    <div className="inspect-overlay" data-epoch={s.epoch} data-link-ratio={Number.isFinite(ratio) ? ratio.toFixed(3) : ''}>
      <ScatterView
        testId="view-overlay"
        title={`shared CF (●) vs shared LLM (▲), ${s.side}, joint layout, ${linkRows.length} links`}
        embedding={props.embedding}
        groups={groups}
        labelOf={labelOf}
        onPick={(pos) => props.onPick(nodeOf[pos]!)}
        links={links}
        highlight={highlight}
        status={[props.status, Number.isFinite(ratio) ? `median link / median random pair = ${ratio.toFixed(2)}` : ''].filter(Boolean).join(' · ')}
        height={420}
      />
    </div>
  );
}
