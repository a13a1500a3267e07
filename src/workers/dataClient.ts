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
import { WorkerRequests, type WorkerPort } from './workerRequests';

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
export interface WorkerLike extends WorkerPort<DataWorkerEvent> {
  postMessage(message: unknown, transfer?: Transferable[]): void;
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

type OnProgress = ((p: LoadProgress) => void) | undefined;

export class DataClient {
  private readonly requests: WorkerRequests<WorkerLike, DataWorkerEvent, unknown, OnProgress>;
  /** Files of the last detect; re-sent if the worker had to be restarted (cancel or failure). */
  private files: WorkerFile[] | null = null;
  /** The worker `files` were last sent to; once it is stopped or failed, the running one lacks them. */
  private filesIn: WorkerLike | null = null;

  constructor(makeWorker: () => WorkerLike = defaultWorker) {
    this.requests = new WorkerRequests({
      makeWorker,
      settle: (ev, p) => {
        if (ev.type === 'progress') {
          const { type: _t, id: _i, ...progress } = ev;
          p.handlers?.(progress);
        } else if (ev.type === 'detected') p.resolve(ev.detection);
        else if (ev.type === 'done') p.resolve({ dataset: ev.dataset, report: ev.report, stats: ev.stats, timings: ev.timings });
        else p.reject(new DataLoadError(ev.message, ev.file, ev.line, ev.column));
      },
      failed: ev => new DataLoadError(`the data worker failed: ${ev.message || 'it could not start'}`),
      cancelled: () => new DataLoadCancelled(),
    });
  }

  detect(files: WorkerFile[], format: FormatId | 'auto' = 'auto'): Promise<Detection> {
    this.files = files;
    const buffers = files.flatMap(f => ('buffer' in f ? [f.buffer] : []));
    const detected = this.request<Detection>({ type: 'detect', id: 0, files, format }, buffers);
    this.filesIn = this.requests.current;
    return detected;
  }

  load(config: PreprocessConfig, onProgress?: (p: LoadProgress) => void): Promise<LoadedData> {
    if (!this.files) return Promise.reject(new DataLoadError('no files: drop files first'));
    const workerHasFiles = this.filesIn !== null && this.filesIn === this.requests.current;
    let files: WorkerFile[] | undefined;
    if (!workerHasFiles) {
      if (this.files.some(f => 'buffer' in f)) return Promise.reject(new DataLoadError('the files were handed to a worker that was stopped; drop them again'));
      files = this.files;
    }
    const loaded = this.request<LoadedData>({ type: 'load', id: 0, config, files }, [], onProgress);
    this.filesIn = this.requests.current;
    return loaded;
  }

  /** Stops the running request (the worker is restarted on the next call). */
  cancel(): void {
    if (!this.requests.current) return;
    this.requests.terminate();
  }

  dispose(): void {
    this.cancel();
    this.files = null;
    this.filesIn = null;
  }

  private request<T>(msg: DataWorkerRequest, transfer: Transferable[], onProgress?: (p: LoadProgress) => void): Promise<T> {
    return this.requests.start((w, id) => w.postMessage({ ...msg, id }, transfer), onProgress).promise as Promise<T>;
  }
}
