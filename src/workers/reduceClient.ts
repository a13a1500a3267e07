/**
 * Page-side handle on the reducer worker: one worker, created on first use, events matched to
 * requests by id.
 */
import type { ReduceEvent, ReduceJob, ReduceRequest } from './reduce.worker';

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
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ReduceEvent>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

interface Pending {
  resolve: (r: ReduceResult) => void;
  reject: (e: Error) => void;
  handlers: ReduceHandlers;
}

export class ReduceClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(
    private readonly makeWorker: () => WorkerLike = () =>
      new Worker(new URL('./reduce.worker.ts', import.meta.url), { type: 'module', name: 'reduce' }) as unknown as WorkerLike,
  ) {}

  private ensure(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.makeWorker();
    w.onmessage = (ev) => this.onEvent(ev.data);
    w.onerror = (ev) => {
      const err = new Error(`reducer worker failed: ${ev.message || 'could not start'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  private onEvent(e: ReduceEvent): void {
    const p = this.pending.get(e.id);
    if (!p) return;
    if (e.type === 'progress') p.handlers.onProgress?.(e.iter, e.total, e.embedding);
    else if (e.type === 'done') {
      this.pending.delete(e.id);
      p.resolve({ embedding: e.embedding, seconds: e.seconds });
    } else {
      this.pending.delete(e.id);
      p.reject(e.cancelled ? new ReduceCancelledError() : new Error(e.message));
    }
  }

  /**
   * Queues a job. With `transfer`, the points' buffer moves to the worker (the caller's copy
   * becomes unusable) instead of being copied.
   */
  reduce(job: ReduceJob, handlers: ReduceHandlers = {}, transfer = false): { promise: Promise<ReduceResult>; cancel: () => void } {
    const w = this.ensure();
    const id = this.nextId++;
    const promise = new Promise<ReduceResult>((resolve, reject) => this.pending.set(id, { resolve, reject, handlers }));
    const req: ReduceRequest = { type: 'reduce', id, ...job };
    w.postMessage(req, transfer ? [job.x.data.buffer as ArrayBuffer] : []);
    return { promise, cancel: () => this.worker?.postMessage({ type: 'cancel', id } satisfies ReduceRequest) };
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new ReduceCancelledError());
    this.pending.clear();
  }
}
