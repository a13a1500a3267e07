/**
 * Parses dropped files off the main thread. Protocol in dataClient.ts:
 * 'detect' (store the files, answer with format, preview and guessed mapping),
 * 'load' (parse + preprocess, 'progress' messages, then 'done' with the
 * dataset's typed arrays transferred, or 'error' with the DataError's
 * file/line/column), 'clear' (drop the stored files).
 */
import { expandSources } from '../core/data/archive';
import { detectSources } from '../core/data/detect';
import { isDataError } from '../core/data/errors';
import { bytesSource, CHUNK_BYTES, type SourceFile } from '../core/data/formats/source';
import { loadSources } from '../core/data/load';
import type { Dataset } from '../core/data/types';
import { uniqueBuffers } from '../core/transfer';
import type { DataWorkerEvent, DataWorkerRequest, WorkerFile } from './dataClient';

type Post = (e: DataWorkerEvent, transfer?: Transferable[]) => void;

interface FileReaderSyncLike {
  readAsArrayBuffer(b: Blob): ArrayBuffer;
}

/**
 * A Blob read in chunks with FileReaderSync (workers only): a 650 MB
 * ratings.csv is never in memory as a whole. Without it (Node tests) the Blob is read at once.
 */
async function blobSource(name: string, blob: Blob): Promise<SourceFile> {
  const FRS = (globalThis as { FileReaderSync?: new () => FileReaderSyncLike }).FileReaderSync;
  if (!FRS) return bytesSource(name, new Uint8Array(await blob.arrayBuffer()));
  const reader = new FRS();
  return {
    name,
    size: blob.size,
    read(onChunk) {
      for (let o = 0; o < blob.size; o += CHUNK_BYTES) onChunk(new Uint8Array(reader.readAsArrayBuffer(blob.slice(o, o + CHUNK_BYTES))));
    },
    readRange(start, end) {
      return new Uint8Array(reader.readAsArrayBuffer(blob.slice(Math.max(0, start), Math.min(blob.size, end))));
    },
  };
}

export async function toSources(files: WorkerFile[]): Promise<SourceFile[]> {
  return Promise.all(files.map(f => ('buffer' in f ? bytesSource(f.name, new Uint8Array(f.buffer)) : blobSource(f.name, f.blob))));
}

/** Buffers of the dataset's arrays, each once (transferring one twice would throw). */
export function datasetTransfer(d: Dataset): ArrayBuffer[] {
  return uniqueBuffers([d.train, d.val, d.test].flatMap(x => [x.users, x.items]));
}

let stored: SourceFile[] = [];

export async function handleDataMessage(msg: DataWorkerRequest, post: Post): Promise<void> {
  try {
    switch (msg.type) {
      case 'clear':
        stored = [];
        return;
      case 'detect': {
        stored = await toSources(msg.files);
        post({ type: 'detected', id: msg.id, detection: detectSources(expandSources(stored), msg.format ?? 'auto') });
        return;
      }
      case 'load': {
        if (msg.files) stored = await toSources(msg.files);
        const r = loadSources(stored, msg.config, p => post({ type: 'progress', id: msg.id, ...p }));
        post({ type: 'done', id: msg.id, dataset: r.dataset, report: r.report, stats: r.stats, timings: r.timings }, datasetTransfer(r.dataset));
        return;
      }
    }
  } catch (e) {
    if (isDataError(e)) post({ type: 'error', id: msg.id, message: e.message, file: e.file, line: e.line, column: e.column });
    else post({ type: 'error', id: msg.id, message: `unexpected failure: ${e instanceof Error ? e.message : String(e)}` });
  }
}

// Register only inside a worker, so tests can import the handler in Node.
const scope = globalThis as unknown as { WorkerGlobalScope?: unknown; onmessage: unknown; postMessage(m: unknown, t: Transferable[]): void };
if (typeof scope.WorkerGlobalScope !== 'undefined') {
  scope.onmessage = (e: MessageEvent<DataWorkerRequest>) => {
    void handleDataMessage(e.data, (m, t) => scope.postMessage(m, t ?? []));
  };
}
