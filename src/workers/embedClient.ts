/**
 * Page-side handle on the embedding worker: one worker, created on first use, requests matched to
 * events by id.
 */
import type { EmbedEvent, EmbedJob, EmbedRequest } from './embed.worker';
import { WorkerRequests } from './workerRequests';

export type { EmbedJob, EmbedDeviceChoice } from './embed.worker';

export interface EmbedResult {
  users: Float32Array;
  items: Float32Array;
  dim: number;
  device: 'webgpu' | 'wasm';
  seconds: number;
}

export interface EmbedHandlers {
  onProgress?: (p: { done: number; total: number; itemsPerSec: number; etaSec: number }) => void;
  onStatus?: (message: string, fraction: number | null) => void;
}

export class EmbedCancelledError extends Error {
  constructor() {
    super('embedding cancelled');
    this.name = 'EmbedCancelledError';
  }
}

/** Absolute URL of the app's ort/ folder; the worker cannot derive it (its own URL differs between dev and build). */
export function defaultOrtBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}ort/`, document.baseURI).href;
}

export class EmbedClient {
  private readonly requests: WorkerRequests<Worker, EmbedEvent, EmbedResult, EmbedHandlers>;

  constructor(
    makeWorker: () => Worker = () =>
      new Worker(new URL('./embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' }),
  ) {
    this.requests = new WorkerRequests({
      makeWorker,
      settle: (e, p) => {
        switch (e.type) {
          case 'status':
            p.handlers.onStatus?.(e.message, e.fraction);
            break;
          case 'progress':
            p.handlers.onProgress?.({ done: e.done, total: e.total, itemsPerSec: e.itemsPerSec, etaSec: e.etaSec });
            break;
          case 'done':
            p.resolve({ users: e.users, items: e.items, dim: e.dim, device: e.device, seconds: e.seconds });
            break;
          case 'error':
            p.reject(e.cancelled ? new EmbedCancelledError() : new Error(e.message));
            break;
        }
      },
      // A worker that fails to load or throws at top level takes every request with it.
      failed: (ev) => new Error(`embedding worker failed: ${ev.message || 'could not start'}`),
      cancelled: () => new EmbedCancelledError(),
    });
  }

  /** Starts a job; `cancel` stops it between batches (the promise then rejects with EmbedCancelledError). */
  compute(job: Omit<EmbedJob, 'ortBaseUrl'> & { ortBaseUrl?: string }, handlers: EmbedHandlers = {}): { promise: Promise<EmbedResult>; cancel: () => void } {
    const { id, promise } = this.requests.start((w, id) => {
      const req: EmbedRequest = { type: 'embed', id, ...job, ortBaseUrl: job.ortBaseUrl ?? defaultOrtBaseUrl() };
      w.postMessage(req);
    }, handlers);
    return { promise, cancel: () => this.requests.current?.postMessage({ type: 'cancel', id } satisfies EmbedRequest) };
  }

  /** Frees the model inside the worker but keeps the worker. */
  unload(): void {
    this.requests.current?.postMessage({ type: 'dispose' } satisfies EmbedRequest);
  }

  terminate(): void {
    this.requests.terminate();
  }
}
