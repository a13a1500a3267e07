/**
 * Main-thread side of data loading: posts dropped files to data.worker.ts and
 * turns its messages into promises and progress callbacks. Also the protocol
 * (message types) both sides share.
 *
 * Files go over as Blobs (File objects: posting them copies nothing, the
 * worker reads them in chunks) or as ArrayBuffers (transferred, not copied).
 * The worker keeps the files of the last 'detect', so 'load' can be repeated
 * with other preprocessing options without sending them again.
 */
import type { Detection, FormatId } from '../core/data/detect';
import type { LoadProgress } from '../core/data/load';
import type { PreprocessConfig, PreprocessReport } from '../core/data/preprocess';
import type { DatasetStats } from '../core/data/stats';
import type { Dataset } from '../core/data/types';

export type WorkerFile = { name: string; buffer: ArrayBuffer } | { name: string; blob: Blob };

export type DataWorkerRequest =
  | { type: 'detect'; id: number; files: WorkerFile[]; format?: FormatId | 'auto' }
  | { type: 'load'; id: number; config: PreprocessConfig; files?: WorkerFile[] }
  | { type: 'clear'; id: number };

export type DataWorkerEvent =
  | { type: 'detected'; id: number; detection: Detection }
  | ({ type: 'progress'; id: number } & LoadProgress)
  | { type: 'done'; id: number; dataset: Dataset; report: PreprocessReport; stats: DatasetStats; timings: { parseMs: number; preprocessMs: number } }
  | { type: 'error'; id: number; message: string; file?: string; line?: number; column?: number };

export interface LoadedData {
  dataset: Dataset;
  report: PreprocessReport;
  stats: DatasetStats;
  timings: { parseMs: number; preprocessMs: number };
}

/** What the client needs of a Worker (a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
  terminate(): void;
}

/** A failed detect/load, with the position the worker reported (for highlighting). */
export class DataLoadError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'DataLoadError';
  }
}

export class DataLoadCancelled extends Error {
  constructor() {
    super('loading was cancelled');
    this.name = 'DataLoadCancelled';
  }
}

function defaultWorker(): WorkerLike {
  return new Worker(new URL('./data.worker.ts', import.meta.url), { type: 'module' });
}

/** File objects (from a drop or an input) as WorkerFiles; folder drops keep their relative paths. */
export function filesToWorkerFiles(files: Iterable<File | { name: string; blob: Blob; path?: string }>): WorkerFile[] {
  return Array.from(files, f => {
    if ('blob' in f) return { name: f.path || f.name, blob: f.blob };
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
    return { name: rel || f.name, blob: f };
  });
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onProgress?: (p: LoadProgress) => void;
}

export class DataClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Files of the last detect; re-sent if the worker had to be restarted (cancel). */
  private files: WorkerFile[] | null = null;
  private workerHasFiles = false;

  constructor(private readonly makeWorker: () => WorkerLike = defaultWorker) {}

  detect(files: WorkerFile[], format: FormatId | 'auto' = 'auto'): Promise<Detection> {
    this.files = files;
    this.workerHasFiles = true;
    const buffers = files.flatMap(f => ('buffer' in f ? [f.buffer] : []));
    return this.request<Detection>({ type: 'detect', id: 0, files, format }, buffers);
  }

  load(config: PreprocessConfig, onProgress?: (p: LoadProgress) => void): Promise<LoadedData> {
    if (!this.files) return Promise.reject(new DataLoadError('no files: drop files first'));
    let files: WorkerFile[] | undefined;
    if (!this.workerHasFiles) {
      if (this.files.some(f => 'buffer' in f)) return Promise.reject(new DataLoadError('the files were handed to a worker that was stopped; drop them again'));
      files = this.files;
      this.workerHasFiles = true;
    }
    return this.request<LoadedData>({ type: 'load', id: 0, config, files }, [], onProgress);
  }

  /** Stops the running request (the worker is restarted on the next call). */
  cancel(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.workerHasFiles = false;
    for (const p of this.pending.values()) p.reject(new DataLoadCancelled());
    this.pending.clear();
  }

  dispose(): void {
    this.cancel();
    this.files = null;
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.makeWorker();
    w.onmessage = (e: MessageEvent) => this.onEvent(e.data as DataWorkerEvent);
    this.worker = w;
    return w;
  }

  private request<T>(msg: DataWorkerRequest, transfer: Transferable[], onProgress?: (p: LoadProgress) => void): Promise<T> {
    const id = this.nextId++;
    const w = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: v => resolve(v as T), reject, onProgress });
      w.postMessage({ ...msg, id }, transfer);
    });
  }

  private onEvent(ev: DataWorkerEvent): void {
    const p = this.pending.get(ev.id);
    if (!p) return;
    switch (ev.type) {
      case 'progress': {
        const { type: _t, id: _i, ...progress } = ev;
        p.onProgress?.(progress);
        return;
      }
      case 'detected':
        this.pending.delete(ev.id);
        p.resolve(ev.detection);
        return;
      case 'done':
        this.pending.delete(ev.id);
        p.resolve({ dataset: ev.dataset, report: ev.report, stats: ev.stats, timings: ev.timings });
        return;
      case 'error':
        this.pending.delete(ev.id);
        p.reject(new DataLoadError(ev.message, ev.file, ev.line, ev.column));
        return;
    }
  }
}
