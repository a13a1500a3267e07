import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_SAMPLE_SIZE, sampleIndices } from '../../core/viz/sample';
import type { SpacesSnapshot } from '../../core/viz/types';
import { AlignmentOverlay } from './AlignmentOverlay';
import { availableColourings, COLOUR_LABELS, type ColourBy } from './colour';
import { NeighbourList } from './NeighbourList';
import { SnapshotSlider } from './SnapshotSlider';
import { SpacesGrid } from './SpacesGrid';
import { DEFAULT_REDUCE_SETTINGS, overallFraction, useReductions, type ReduceSettings } from './useReductions';
import { snapshotProblem } from './views';
import './inspect.css';

export type { SpacesSnapshot } from '../../core/viz/types';

export interface InspectPanelProps {
  snapshots: SpacesSnapshot[];
  /** Node whose neighbour list is open at first render (deep links, server-rendered tests). */
  initialPicked?: number;
}

const NO_ROWS = new Int32Array(0);

/**
 * The representation inspector of issue 6: per side (users / items), a slider over stored
 * snapshots, the four spaces in a 2x2 grid, the shared-space alignment overlay, and the
 * neighbour lists of a clicked node. Reductions run in the reducer worker; this component only
 * moves typed arrays to ECharts.
 */
export function InspectPanel(props: InspectPanelProps) {
  const sides = useMemo(() => [...new Set(props.snapshots.map((s) => s.side))], [props.snapshots]);
  const [sideChoice, setSide] = useState<'users' | 'items' | null>(null);
  const side = sideChoice && sides.includes(sideChoice) ? sideChoice : (sides[0] ?? 'items');
  const list = useMemo(() => props.snapshots.filter((s) => s.side === side).sort((a, b) => a.epoch - b.epoch), [props.snapshots, side]);

  // Follow the newest snapshot while training adds them, until the user scrubs back.
  const [chosen, setChosen] = useState<number | null>(null);
  const index = chosen === null ? list.length - 1 : Math.min(chosen, list.length - 1);
  const snapshot = index >= 0 ? list[index] : undefined;

  const [draft, setDraft] = useState<ReduceSettings>(DEFAULT_REDUCE_SETTINGS);
  const [settings, setSettings] = useState<ReduceSettings>(DEFAULT_REDUCE_SETTINGS);
  const colourings = availableColourings(snapshot);
  const [colourChoice, setColourBy] = useState<ColourBy>('cluster');
  const colourBy = colourings.includes(colourChoice) ? colourChoice : colourings[0]!;
  const [picked, setPicked] = useState<number | null>(props.initialPicked ?? null);

  const problem = snapshot ? snapshotProblem(snapshot) : null;
  const n = snapshot?.cf.n ?? 0;
  const categories = snapshot?.labels?.categories;
  const kept = useMemo(
    () => (snapshot && !problem ? sampleIndices(n, { max: settings.sampleSize, labels: categories, seed: 0 }) : NO_ROWS),
    [snapshot, problem, n, categories, settings.sampleSize],
  );
  const red = useReductions(snapshot && !problem ? snapshot : undefined, settings, kept);

  useEffect(() => {
    if (picked !== null && picked >= n) setPicked(null);
  }, [picked, n]);

  const runningViews = Object.entries(red.progress);
  const running = runningViews.length > 0;
  const fraction = overallFraction(red);
  const method = settings.method === 'pca' ? 'PCA' : 't-SNE';
  const set = <K extends keyof ReduceSettings>(k: K, v: ReduceSettings[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const dirty = JSON.stringify(draft) !== JSON.stringify(settings);

  return (
    <section className="inspect-panel" data-testid="inspect-panel" data-ready={red.done ? '1' : '0'} data-epoch={snapshot?.epoch ?? ''}>
      <form
        className="inspect-controls"
        onSubmit={(e) => {
          e.preventDefault();
          setSettings({ ...draft, sampleSize: Math.max(10, Math.floor(draft.sampleSize) || DEFAULT_SAMPLE_SIZE) });
        }}
      >
        {sides.length > 1 ? (
          <label>
            side{' '}
            <select value={side} onChange={(e) => { setSide(e.currentTarget.value as 'users' | 'items'); setChosen(null); setPicked(null); }}>
              {sides.map((s) => (
                <option key={s} value={s}>{s}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          method{' '}
          <select data-testid="reduce-method" value={draft.method} onChange={(e) => set('method', e.currentTarget.value as 'pca' | 'tsne')}>
            <option value="pca">PCA (instant)</option>
            <option value="tsne">t-SNE</option>
          </select>
        </label>
        <fieldset disabled={draft.method !== 'tsne'} className="inspect-tsne">
          <label>
            perplexity <input type="number" min={2} max={200} step={1} value={draft.perplexity} onChange={(e) => set('perplexity', Number(e.currentTarget.value) || 30)} />
          </label>
          <label>
            iterations <input type="number" min={50} max={5000} step={50} value={draft.iterations} onChange={(e) => set('iterations', Number(e.currentTarget.value) || 750)} />
          </label>
          <label>
            learning rate{' '}
            <input
              type="text"
              size={5}
              value={String(draft.learningRate)}
              onChange={(e) => {
                const v = e.currentTarget.value.trim();
                set('learningRate', v === '' || v === 'auto' || !(Number(v) > 0) ? 'auto' : Number(v));
              }}
            />
          </label>
        </fieldset>
        <label>
          {/* step 10, not 500: the step counts from min (10), so with step 500 the default 5000 fails the
              browser's step check and the form silently refuses to submit ("apply" does nothing). */}
          sample size <input type="number" min={10} max={100000} step={10} value={draft.sampleSize} onChange={(e) => set('sampleSize', Number(e.currentTarget.value))} />
        </label>
        <label>
          <input type="checkbox" checked={draft.cosine} onChange={(e) => set('cosine', e.currentTarget.checked)} /> cosine
        </label>
        <button type="submit" data-testid="reduce-run" disabled={!dirty}>
          apply
        </button>
        <label>
          colour by{' '}
          <select data-testid="colour-by" value={colourBy} onChange={(e) => setColourBy(e.currentTarget.value as ColourBy)}>
            {colourings.map((c) => (
              <option key={c} value={c}>{COLOUR_LABELS[c]}</option>
            ))}
          </select>
        </label>
      </form>

      <div className="inspect-progress" aria-live="polite">
        <progress data-testid="reduce-progress" max={1000} value={Math.round(fraction * 1000)} />{' '}
        {red.error
          ? `error: ${red.error}`
          : red.cancelled
            ? 'cancelled'
            : running
              ? `${method}: ${red.finished}/${red.jobs} views done; ${runningViews.map(([v, p]) => `${v} ${p?.iter ?? 0}/${p?.total ?? 0}`).join(', ')}`
              : red.done
                ? `${kept.length} of ${n} ${side} drawn`
                : ''}{' '}
        <button type="button" data-testid="reduce-cancel" onClick={red.cancel} disabled={!running}>
          cancel
        </button>
      </div>

      <SnapshotSlider epochs={list.map((s) => s.epoch)} index={Math.max(0, index)} onChange={(i) => setChosen(i === list.length - 1 ? null : i)} />

      {!snapshot ? (
        <p className="inspect-note">No snapshots yet: they are stored every few epochs while training.</p>
      ) : problem ? (
        <p className="inspect-note" role="alert">Cannot draw this snapshot: {problem}</p>
      ) : (
        <>
          <SpacesGrid snapshot={snapshot} kept={kept} embeddings={red.embeddings} colourBy={colourBy} picked={picked} onPick={setPicked} statuses={red.statuses} />
          <AlignmentOverlay
            snapshot={snapshot}
            kept={kept}
            embedding={red.embeddings.overlay ?? null}
            colourBy={colourBy}
            picked={picked}
            onPick={setPicked}
            status={red.statuses.overlay}
          />
          {picked !== null && picked < n ? <NeighbourList snapshot={snapshot} node={picked} onPick={setPicked} /> : <p className="inspect-note">Click a point to list its nearest neighbours in every space.</p>}
        </>
      )}
    </section>
  );
}
