import { useMemo } from 'react';
import { cosineNeighbours } from '../../core/viz/neighbours';
import type { SpacesSnapshot } from '../../core/viz/types';
import { allSpaces, nodeLabel } from './views';

/**
 * Nearest neighbours (cosine, over all nodes, not just the drawn sample) of the picked node in
 * every space, side by side: what a node's shared space agrees on and what its specific spaces
 * keep. Text only (React text nodes), since titles come from uploaded data.
 */
export function NeighbourList(props: { snapshot: SpacesSnapshot; node: number; k?: number; onPick?: (node: number) => void }) {
  const { snapshot: s, node } = props;
  const k = props.k ?? 10;
  const lists = useMemo(
    () => (node >= 0 && node < s.cf.n ? allSpaces(s).map((sp) => ({ ...sp, neighbours: cosineNeighbours(sp.points, node, k) })) : []),
    [s, node, k],
  );
  return (
    <section className="inspect-neighbours" data-testid="neighbours">
      <h4>
        Nearest neighbours of <q>{nodeLabel(s, node)}</q> (epoch {s.epoch})
      </h4>
      <div className="inspect-neighbour-cols">
        {lists.map((l) => (
          <div key={l.id} data-space={l.id}>
            <h5>{l.title}</h5>
            <ol>
              {l.neighbours.map((nb) => (
                <li key={nb.index}>
                  <button type="button" className="linklike" onClick={() => props.onPick?.(nb.index)}>
                    {nodeLabel(s, nb.index)}
                  </button>{' '}
                  <span className="muted">{nb.similarity.toFixed(3)}</span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
    </section>
  );
}
