/**
 * Page-side handle on the upload worker: one worker, created on first use, answers matched to
 * requests by id.
 */
import type { UploadedMatrix } from '../core/embed/upload';
import type { UploadEvent, UploadRequest } from './upload.worker';
import { WorkerRequests, type WorkerPort } from './workerRequests';

/** The slice of Worker the client uses, so tests can pass an in-process fake. */
export interface UploadWorkerLike extends WorkerPort<UploadEvent> {
  postMessage(message: UploadRequest): void;
}

const defaultWorker = (): UploadWorkerLike =>
  new Worker(new URL('./upload.worker.ts', import.meta.url), { type: 'module', name: 'upload' }) as unknown as UploadWorkerLike;

export class UploadClient {
  private readonly requests: WorkerRequests<UploadWorkerLike, UploadEvent, UploadedMatrix>;

  constructor(makeWorker: () => UploadWorkerLike = defaultWorker) {
    this.requests = new WorkerRequests({
      makeWorker,
      settle: (e, p) => (e.ok ? p.resolve(e.matrix) : p.reject(new Error(e.message))),
      failed: (ev) => new Error(`the upload worker failed: ${ev.message || 'it could not start'}`),
      cancelled: () => new Error('the upload was cancelled'),
    });
  }

  /** Parses `file` as an embedding matrix; rejects with the parser's message (file name, line, column). */
  parse(name: string, file: Blob): Promise<UploadedMatrix> {
    return this.requests.start((w, id) => w.postMessage({ id, name, file })).promise;
  }

  terminate(): void {
    this.requests.terminate();
  }
}
