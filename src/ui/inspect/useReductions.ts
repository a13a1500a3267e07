import { useCallback, useEffect, useRef, useState } from 'react';
import type { SpacesSnapshot } from '../../core/viz/types';
import { ReduceCancelledError, ReduceClient, type ReduceJob } from '../../workers/reduceClient';
import { gridViews, reductionInput, type ViewId } from './views';

export interface ReduceSettings {
  method: 'pca' | 'tsne';
  perplexity: number;
  iterations: number;
  learningRate: number | 'auto';
  /** Most points drawn per view (the overlay draws twice this). */
  sampleSize: number;
  /** Unit-normalise rows first, so layouts follow cosine similarity like the losses and neighbour lists. */
  cosine: boolean;
}

export const DEFAULT_REDUCE_SETTINGS: ReduceSettings = { method: 'pca', perplexity: 30, iterations: 750, learningRate: 'auto', sampleSize: 5000, cosine: true };

export interface ViewProgress {
  iter: number;
  total: number;
}

export interface ReductionState {
  embeddings: Partial<Record<ViewId, Float32Array>>;
  statuses: Partial<Record<ViewId, string>>;
  /** Views still being reduced (absent once final). */
  progress: Partial<Record<ViewId, ViewProgress>>;
  /** Jobs this snapshot needed (0 when all came from the cache) and how many finished. */
  jobs: number;
  finished: number;
  /** Every view of the current snapshot has its final layout. */
  done: boolean;
  error: string | null;
  cancelled: boolean;
}

/** Overall fraction done, counting running jobs by iteration. */
export function overallFraction(s: ReductionState): number {
  if (s.jobs === 0) return s.done ? 1 : 0;
  let part = s.finished;
  for (const p of Object.values(s.progress)) if (p && p.total > 0) part += p.iter / p.total;
  return Math.min(1, part / s.jobs);
}

/** Reducer workers run side by side (one job each), leaving a core for the page. */
export function poolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores - 1));
}

const EMPTY: ReductionState = { embeddings: {}, statuses: {}, progress: {}, jobs: 0, finished: 0, done: false, error: null, cancelled: false };

export function settingsKey(s: ReduceSettings): string {
  const common = `${s.method}|n${s.sampleSize}|${s.cosine ? 'cos' : 'euc'}`;
  return s.method === 'pca' ? common : `${common}|p${s.perplexity}|it${s.iterations}|lr${s.learningRate}`;
}

export function viewsOf(s: SpacesSnapshot): ViewId[] {
  const ids: ViewId[] = gridViews(s).map((v) => v.id);
  if (s.spaces && s.spaces.sharedCF.dim === s.spaces.sharedLLM.dim) ids.push('overlay');
  return ids;
}

function jobFor(settings: ReduceSettings, x: NonNullable<ReturnType<typeof reductionInput>>): ReduceJob {
  if (settings.method === 'pca') return { method: 'pca', x };
  return {
    method: 'tsne',
    x,
    options: { perplexity: settings.perplexity, iterations: settings.iterations, learningRate: settings.learningRate, seed: 1, init: 'pca', progressEvery: 10 },
  };
}

/**
 * Layouts of every view of a snapshot, computed in a small pool of reducer workers (one job per
 * worker at a time) and cached per snapshot object (a WeakMap, so dropped snapshots free their
 * layouts) and settings, so scrubbing back to a computed epoch is instant. t-SNE streams
 * intermediate layouts into the views.
 */
export function useReductions(snapshot: SpacesSnapshot | undefined, settings: ReduceSettings, kept: Int32Array): ReductionState & { cancel: () => void } {
  const clients = useRef<ReduceClient[]>([]);
  const cache = useRef(new WeakMap<SpacesSnapshot, Map<string, { embedding: Float32Array; seconds: number }>>());
  const cancelRef = useRef<() => void>(() => undefined);
  const [state, setState] = useState<ReductionState>(EMPTY);
  const key = settingsKey(settings);

  useEffect(
    () => () => {
      for (const c of clients.current) c.terminate();
      clients.current = [];
    },
    [],
  );

  useEffect(() => {
    if (!snapshot) {
      setState(EMPTY);
      return;
    }
    let alive = true;
    const running = new Set<{ cancel: () => void }>();
    let perSnap = cache.current.get(snapshot);
    if (!perSnap) cache.current.set(snapshot, (perSnap = new Map()));
    const store = perSnap;
    const label = settings.method === 'pca' ? 'PCA' : 't-SNE';
    const embeddings: Partial<Record<ViewId, Float32Array>> = {};
    const statuses: Partial<Record<ViewId, string>> = {};
    const missing: ViewId[] = [];
    for (const v of viewsOf(snapshot)) {
      const hit = store.get(`${v}|${key}`);
      if (hit) {
        embeddings[v] = hit.embedding;
        statuses[v] = `${label}, ${hit.seconds.toFixed(2)} s`;
      } else {
        missing.push(v);
        statuses[v] = 'queued';
      }
    }
    setState({ ...EMPTY, embeddings, statuses, jobs: missing.length, done: missing.length === 0 });
    const stop = (patch: Partial<ReductionState>) => {
      alive = false;
      for (const r of running) r.cancel();
      setState((prev) => ({ ...prev, progress: {}, ...patch }));
    };
    cancelRef.current = () => stop({ cancelled: true });

    const runOne = async (client: ReduceClient, v: ViewId): Promise<void> => {
      const x = reductionInput(snapshot, v, kept, settings.cosine);
      if (!x) return;
      const job = client.reduce(
        jobFor(settings, x),
        {
          onProgress: (iter, total, e) => {
            if (!alive) return;
            setState((prev) => ({
              ...prev,
              embeddings: { ...prev.embeddings, [v]: e },
              statuses: { ...prev.statuses, [v]: `${label} ${iter}/${total}` },
              progress: { ...prev.progress, [v]: { iter, total } },
            }));
          },
        },
        true,
      );
      running.add(job);
      setState((prev) => ({
        ...prev,
        statuses: { ...prev.statuses, [v]: `${label} running` },
        progress: { ...prev.progress, [v]: { iter: 0, total: settings.method === 'pca' ? 1 : settings.iterations } },
      }));
      try {
        const r = await job.promise;
        store.set(`${v}|${key}`, r);
        if (!alive) return;
        setState((prev) => {
          const progress = { ...prev.progress };
          delete progress[v];
          return {
            ...prev,
            embeddings: { ...prev.embeddings, [v]: r.embedding },
            statuses: { ...prev.statuses, [v]: `${label}, ${r.seconds.toFixed(2)} s` },
            progress,
            finished: prev.finished + 1,
          };
        });
      } finally {
        running.delete(job);
      }
    };

    const queue = missing.slice();
    const lanes = Math.min(settings.method === 'pca' ? 1 : poolSize(), queue.length);
    while (clients.current.length < lanes) clients.current.push(new ReduceClient());
    const lane = async (client: ReduceClient) => {
      for (let v = queue.shift(); v !== undefined && alive; v = queue.shift()) await runOne(client, v);
    };
    void Promise.all(clients.current.slice(0, lanes).map(lane)).then(
      () => {
        if (alive) setState((prev) => ({ ...prev, progress: {}, done: true }));
      },
      (e: unknown) => {
        if (!alive) return;
        if (e instanceof ReduceCancelledError) stop({ cancelled: true });
        else stop({ error: e instanceof Error ? e.message : String(e) });
      },
    );

    return () => {
      alive = false;
      for (const r of running) r.cancel();
    };
    // `key` stands for every field of `settings` that matters.
  }, [snapshot, key, kept]);

  const cancel = useCallback(() => cancelRef.current(), []);
  return { ...state, cancel };
}
