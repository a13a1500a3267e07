/**
 * Page-side handle on the reducer worker: one worker, created on first use, events matched to
 * requests by id.
 */
import type { ReduceEvent, ReduceJob, ReduceRequest } from './reduce.worker';
import { WorkerRequests, type WorkerPort } from './workerRequests';

export type { ReduceJob } from './reduce.worker';

export class ReduceCancelledError extends Error {
  constructor() {
    super('reduction cancelled');
    this.name = 'ReduceCancelledError';
  }
}

export interface ReduceHandlers {
  onProgress?: (iter: number, total: number, embedding: Float32Array) => void;
}

export interface ReduceResult {
  embedding: Float32Array;
  seconds: number;
}

/** The slice of Worker the client uses, so tests can pass an in-process fake. */
export interface WorkerLike extends WorkerPort<ReduceEvent> {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

export class ReduceClient {
  private readonly requests: WorkerRequests<WorkerLike, ReduceEvent, ReduceResult, ReduceHandlers>;

  constructor(
    makeWorker: () => WorkerLike = () =>
      new Worker(new URL('./reduce.worker.ts', import.meta.url), { type: 'module', name: 'reduce' }) as unknown as WorkerLike,
  ) {
    this.requests = new WorkerRequests({
      makeWorker,
      settle: (e, p) => {
        if (e.type === 'progress') p.handlers.onProgress?.(e.iter, e.total, e.embedding);
        else if (e.type === 'done') p.resolve({ embedding: e.embedding, seconds: e.seconds });
        else p.reject(e.cancelled ? new ReduceCancelledError() : new Error(e.message));
      },
      failed: (ev) => new Error(`reducer worker failed: ${ev.message || 'could not start'}`),
      cancelled: () => new ReduceCancelledError(),
    });
  }

  /**
   * Queues a job. With `transfer`, the points' buffer moves to the worker (the caller's copy
   * becomes unusable) instead of being copied.
   */
  reduce(job: ReduceJob, handlers: ReduceHandlers = {}, transfer = false): { promise: Promise<ReduceResult>; cancel: () => void } {
    const { id, promise } = this.requests.start((w, id) => {
      const req: ReduceRequest = { type: 'reduce', id, ...job };
      w.postMessage(req, transfer ? [job.x.data.buffer as ArrayBuffer] : []);
    }, handlers);
    return { promise, cancel: () => this.requests.current?.postMessage({ type: 'cancel', id } satisfies ReduceRequest) };
  }

  terminate(): void {
    this.requests.terminate();
  }
}
