/**
 * The request/answer machinery the page-side worker clients share: one worker, created on first
 * use by an injectable factory (tests pass an in-process fake), requests numbered, events routed
 * to their request by id. A worker that fails (fails to load, throws at top level) rejects every
 * pending request and is dropped, so the next request starts a new one; `terminate()` stops the
 * worker and rejects what is pending.
 */

/** The slice of Worker every client uses; each client adds its own `postMessage`. */
export interface WorkerPort<Ev> {
  onmessage: ((ev: MessageEvent<Ev>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

/** A request in flight as `settle` sees it: `resolve` / `reject` also forget the request. */
export interface PendingRequest<R, H> {
  resolve(result: R): void;
  reject(error: Error): void;
  handlers: H;
}

export interface WorkerRequestsOptions<W, Ev, R, H> {
  /** Makes the worker. */
  makeWorker: () => W;
  /** Applies one event to its request: report progress through `handlers`, or resolve / reject it. */
  settle(event: Ev, request: PendingRequest<R, H>): void;
  /** The error every pending request gets when the worker fails. */
  failed(ev: ErrorEvent): Error;
  /** The error each pending request gets from `terminate()` (made once per request). */
  cancelled(): Error;
}

export class WorkerRequests<W extends WorkerPort<Ev>, Ev extends { id: number }, R, H = void> {
  private worker: W | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest<R, H>>();

  constructor(private readonly opts: WorkerRequestsOptions<W, Ev, R, H>) {}

  /** The running worker, if any (for messages that need none started, e.g. cancel). */
  get current(): W | null {
    return this.worker;
  }

  /** The worker, created on first use. */
  private ensure(): W {
    if (this.worker) return this.worker;
    const w = this.opts.makeWorker();
    w.onmessage = (ev) => this.onEvent(ev.data);
    w.onerror = (ev) => {
      const err = this.opts.failed(ev);
      this.rejectAll(() => err);
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  /** Numbers a request, registers it, then `send`s it to the worker (created if need be). */
  start(send: (worker: W, id: number) => void, handlers: H): { id: number; promise: Promise<R> } {
    const w = this.ensure();
    const id = this.nextId++;
    const promise = new Promise<R>((resolve, reject) =>
      this.pending.set(id, {
        handlers,
        resolve: (r) => {
          this.pending.delete(id);
          resolve(r);
        },
        reject: (e) => {
          this.pending.delete(id);
          reject(e);
        },
      }),
    );
    send(w, id);
    return { id, promise };
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.rejectAll(() => this.opts.cancelled());
  }

  private onEvent(e: Ev): void {
    const p = this.pending.get(e.id);
    if (p) this.opts.settle(e, p);
  }

  private rejectAll(error: () => Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error());
  }
}
