/// <reference lib="webworker" />
/**
 * Runs PCA and t-SNE off the page's thread: t-SNE of 10k points takes seconds and would freeze
 * the page. Jobs run one at a time in arrival order; t-SNE yields between iterations so a
 * 'cancel' message lands mid-run. The handler is a plain function so tests drive it without a
 * Worker.
 */
import { pcaReducer, type PcaOptions } from '../core/viz/pca';
import { tsneReducer, type TsneOptions } from '../core/viz/tsne';
import { ReduceAbortedError, type PointSet } from '../core/viz/types';

export type ReduceJob = { method: 'pca'; x: PointSet; options?: PcaOptions } | { method: 'tsne'; x: PointSet; options?: TsneOptions };

export type ReduceRequest = ({ type: 'reduce'; id: number } & ReduceJob) | { type: 'cancel'; id: number };

export type ReduceEvent =
  | { type: 'progress'; id: number; iter: number; total: number; embedding: Float32Array }
  | { type: 'done'; id: number; embedding: Float32Array; seconds: number }
  | { type: 'error'; id: number; message: string; cancelled: boolean };

export type PostFn = (e: ReduceEvent, transfer?: Transferable[]) => void;

export function createReduceHandler(post: PostFn): (req: ReduceRequest) => void {
  const controllers = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();

  async function run(id: number, job: ReduceJob, signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    try {
      if (signal.aborted) throw new ReduceAbortedError();
      let embedding: Float32Array;
      if (job.method === 'pca') {
        embedding = await pcaReducer.reduce(job.x, job.options ?? {}, undefined, signal);
      } else {
        const total = job.options?.iterations ?? 750;
        embedding = await tsneReducer.reduce(
          job.x,
          job.options ?? {},
          (iter, e) => post({ type: 'progress', id, iter, total, embedding: e }, [e.buffer]),
          signal,
        );
      }
      post({ type: 'done', id, embedding, seconds: (performance.now() - t0) / 1000 }, [embedding.buffer]);
    } catch (e) {
      const cancelled = e instanceof ReduceAbortedError;
      post({ type: 'error', id, message: cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e), cancelled });
    } finally {
      controllers.delete(id);
    }
  }

  return (req) => {
    if (req.type === 'cancel') {
      controllers.get(req.id)?.abort();
      return;
    }
    const ac = new AbortController();
    controllers.set(req.id, ac);
    const { type: _t, id, ...job } = req;
    queue = queue.then(() => run(id, job as ReduceJob, ac.signal));
  };
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  const ctx = self as unknown as DedicatedWorkerGlobalScope;
  const handle = createReduceHandler((e, transfer = []) => ctx.postMessage(e, transfer));
  ctx.onmessage = (ev: MessageEvent<ReduceRequest>) => handle(ev.data);
}
