import { useMemo } from 'react';
import type { SpacesSnapshot } from '../../core/viz/types';
import { colourGroups, type ColourBy, type Group } from './colour';
import { ScatterView } from './ScatterView';
import { gridViews, nodeLabel } from './views';

export interface SpacesGridProps {
  snapshot: SpacesSnapshot;
  /** Sampled node indices (ascending); embedding rows follow this order. */
  kept: Int32Array;
  embeddings: Partial<Record<string, Float32Array | null>>;
  colourBy: ColourBy;
  picked: number | null;
  onPick: (node: number) => void;
  statuses?: Partial<Record<string, string>>;
}

/** Row of `node` in the sample, or -1. */
export function rowOf(kept: Int32Array, node: number): number {
  let lo = 0;
  let hi = kept.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = kept[mid]!;
    if (v === node) return mid;
    if (v < node) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The 2x2 grid of the four spaces (shared CF, shared LLM, specific CF, specific LLM), or CF and
 * LLM side by side when the method has no disentangled spaces. All views draw the same sampled
 * nodes with the same colouring, so a group can be followed from space to space.
 */
export function SpacesGrid(props: SpacesGridProps) {
  const { snapshot: s, kept, colourBy } = props;
  const views = gridViews(s);
  const shared = useMemo(() => (colourBy === 'side' ? null : colourGroups(colourBy, s, kept, () => 'CF')), [colourBy, s, kept]);
  const bySide = useMemo(() => {
    const cf = colourGroups('side', s, kept, () => 'CF');
    const llm = colourGroups('side', s, kept, () => 'LLM');
    return { CF: cf, LLM: llm } as Record<'CF' | 'LLM', Group[]>;
  }, [s, kept]);
  const labelOf = useMemo(() => (pos: number) => {
    const node = kept[pos]!;
    return [nodeLabel(s, node)];
  }, [s, kept]);
  const pickedRow = props.picked === null ? -1 : rowOf(kept, props.picked);
  const highlight = useMemo(() => (pickedRow >= 0 ? [pickedRow] : undefined), [pickedRow]);
  const onPick = (pos: number) => props.onPick(kept[pos]!);
  return (
    <div className="inspect-grid" data-testid="spaces-grid" data-epoch={s.epoch} data-side={s.side}>
      {views.map((v) => (
        <ScatterView
          key={v.id}
          testId={`view-${v.id}`}
          title={`${v.title} (${s.side}, ${v.points.dim}-d)`}
          embedding={props.embeddings[v.id] ?? null}
          groups={shared ?? bySide[v.side]}
          labelOf={labelOf}
          onPick={onPick}
          highlight={highlight}
          status={props.statuses?.[v.id]}
        />
      ))}
    </div>
  );
}
