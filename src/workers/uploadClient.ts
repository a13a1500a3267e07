/**
 * Page-side handle on the upload worker: one worker, created on first use, answers matched to
 * requests by id. Where workers do not exist (Node tests, server rendering) the file is parsed in
 * place.
 */
import { parseEmbeddingFile, type UploadedMatrix } from '../core/embed/upload';
import type { UploadEvent, UploadRequest } from './upload.worker';

/** The slice of Worker the client uses, so tests can pass an in-process fake. */
export interface UploadWorkerLike {
  postMessage(message: UploadRequest): void;
  onmessage: ((ev: MessageEvent<UploadEvent>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

const defaultWorker = (): UploadWorkerLike | null =>
  typeof Worker === 'undefined' ? null : (new Worker(new URL('./upload.worker.ts', import.meta.url), { type: 'module', name: 'upload' }) as unknown as UploadWorkerLike);

export class UploadClient {
  private worker: UploadWorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: UploadedMatrix) => void; reject: (e: Error) => void }>();

  constructor(private readonly makeWorker: () => UploadWorkerLike | null = defaultWorker) {}

  /** Parses `file` as an embedding matrix; rejects with the parser's message (file name, line, column). */
  parse(name: string, file: Blob): Promise<UploadedMatrix> {
    const w = this.ensure();
    if (!w) return file.arrayBuffer().then((b) => parseEmbeddingFile(name, new Uint8Array(b)));
    const id = this.nextId++;
    const promise = new Promise<UploadedMatrix>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    w.postMessage({ id, name, file });
    return promise;
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('the upload was cancelled'));
    this.pending.clear();
  }

  private ensure(): UploadWorkerLike | null {
    if (this.worker) return this.worker;
    const w = this.makeWorker();
    if (!w) return null;
    w.onmessage = (ev) => {
      const e = ev.data;
      const p = this.pending.get(e.id);
      if (!p) return;
      this.pending.delete(e.id);
      if (e.ok) p.resolve(e.matrix);
      else p.reject(new Error(e.message));
    };
    w.onerror = (ev) => {
      const err = new Error(`the upload worker failed: ${ev.message || 'it could not start'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }
}
