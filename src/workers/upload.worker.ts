/**
 * Parses uploaded embedding files (.npy, CSV/TSV, JSON) off the main thread: a 200 MB CSV takes
 * seconds to read, which on the page would freeze the tab. The page matches the rows to the
 * dataset's ids itself (src/core/embed/upload.ts alignToDataset, linear in the rows).
 */
import { parseEmbeddingFile, type UploadedMatrix } from '../core/embed/upload';
import { uniqueBuffers } from '../core/transfer';

export interface UploadRequest {
  id: number;
  name: string;
  file: Blob;
}

export type UploadEvent = { id: number; ok: true; matrix: UploadedMatrix } | { id: number; ok: false; message: string };

export async function handleUpload(req: UploadRequest, post: (e: UploadEvent, transfer: ArrayBuffer[]) => void): Promise<void> {
  try {
    const matrix = parseEmbeddingFile(req.name, new Uint8Array(await req.file.arrayBuffer()));
    // The matrix's buffers, moved rather than copied to the page.
    post({ id: req.id, ok: true, matrix }, uniqueBuffers([matrix.data, matrix.lines]));
  } catch (e) {
    post({ id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) }, []);
  }
}

// Register only inside a worker, so tests can import the handler in Node.
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  const ctx = self as unknown as DedicatedWorkerGlobalScope;
  ctx.onmessage = (ev: MessageEvent<UploadRequest>) => void handleUpload(ev.data, (e, t) => ctx.postMessage(e, t));
}
