/**
 * Page-side handle on the embedding worker: one worker, created on first use, requests matched to
 * events by id.
 */
import type { EmbedEvent, EmbedJob, EmbedRequest } from './embed.worker';

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

interface Pending {
  resolve: (r: EmbedResult) => void;
  reject: (e: Error) => void;
  handlers: EmbedHandlers;
}

/** Absolute URL of the app's ort/ folder; the worker cannot derive it (its own URL differs between dev and build). */
export function defaultOrtBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}ort/`, document.baseURI).href;
}

export class EmbedClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(
    private readonly makeWorker: () => Worker = () =>
      new Worker(new URL('./embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' }),
  ) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.makeWorker();
    w.onmessage = (ev: MessageEvent<EmbedEvent>) => this.onEvent(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      // A worker that fails to load or throws at top level takes every request with it.
      const err = new Error(`embedding worker failed: ${ev.message || 'could not start'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  private onEvent(e: EmbedEvent): void {
    const p = this.pending.get(e.id);
    if (!p) return;
    switch (e.type) {
      case 'status':
        p.handlers.onStatus?.(e.message, e.fraction);
        break;
      case 'progress':
        p.handlers.onProgress?.({ done: e.done, total: e.total, itemsPerSec: e.itemsPerSec, etaSec: e.etaSec });
        break;
      case 'done':
        this.pending.delete(e.id);
        p.resolve({ users: e.users, items: e.items, dim: e.dim, device: e.device, seconds: e.seconds });
        break;
      case 'error':
        this.pending.delete(e.id);
        p.reject(e.cancelled ? new EmbedCancelledError() : new Error(e.message));
        break;
    }
  }

  /** Starts a job; `cancel` stops it between batches (the promise then rejects with EmbedCancelledError). */
  compute(job: Omit<EmbedJob, 'ortBaseUrl'> & { ortBaseUrl?: string }, handlers: EmbedHandlers = {}): { promise: Promise<EmbedResult>; cancel: () => void } {
    const w = this.ensure();
    const id = this.nextId++;
    const promise = new Promise<EmbedResult>((resolve, reject) => this.pending.set(id, { resolve, reject, handlers }));
    const req: EmbedRequest = { type: 'embed', id, ...job, ortBaseUrl: job.ortBaseUrl ?? defaultOrtBaseUrl() };
    w.postMessage(req);
    return { promise, cancel: () => this.worker?.postMessage({ type: 'cancel', id } satisfies EmbedRequest) };
  }

  /** Frees the model inside the worker but keeps the worker. */
  unload(): void {
    this.worker?.postMessage({ type: 'dispose' } satisfies EmbedRequest);
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new EmbedCancelledError());
    this.pending.clear();
  }
}
