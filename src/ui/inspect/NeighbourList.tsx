import { useMemo } from 'react';
import { cosineNeighbours } from '../../core/viz/neighbours';
import type { SpacesSnapshot } from '../../core/viz/types';
import { clipText } from './escape';
import { allSpaces, nodeLabel } from './views';

/**
 * Nearest neighbours (cosine, over all nodes, not just the drawn sample) of the picked node in
 * every space, side by side: what a node's shared space agrees on and what its specific spaces
 * keep. Text only (React text nodes), since titles come from uploaded data; long titles are cut
 * (the whole one is the button's tooltip) and <bdi> keeps a title's bidi controls (an unclosed
 * right-to-left override) from reordering the text after it.
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
        Nearest neighbours of{' '}
        <q title={nodeLabel(s, node)}>
          <bdi>{clipText(nodeLabel(s, node))}</bdi>
        </q>{' '}
        (epoch {s.epoch})
      </h4>
      <div className="inspect-neighbour-cols">
        {lists.map((l) => (
          <div key={l.id} data-space={l.id}>
            <h5>{l.title}</h5>
            <ol>
              {l.neighbours.map((nb) => (
                <li key={nb.index}>
                  <button type="button" className="linklike" title={nodeLabel(s, nb.index)} onClick={() => props.onPick?.(nb.index)}>
                    {clipText(nodeLabel(s, nb.index))}
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
