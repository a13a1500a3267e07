/// <reference lib="webworker" />
/**
 * Owns the text-embedding model so tokenising and inference never block the page. One request
 * at a time (transformers.js chains sessions in web environments anyway); the loaded model is
 * kept for the next request with the same model, device, dtype and pooling.
 */
import {
  configureOnnxWasm,
  createEmbedder,
  EmbedCancelled,
  type EmbedDtype,
  type ModelSource,
  type Pooling,
  type TextEmbedder,
} from '../core/embed/embedder';

export type EmbedDeviceChoice = 'auto' | 'webgpu' | 'wasm';

export interface EmbedJob {
  source: ModelSource;
  /** Stable identity of the model (hub id, or local name + content hash) so a loaded model is reused. */
  modelKey: string;
  device: EmbedDeviceChoice;
  dtype: EmbedDtype;
  batchSize: number;
  pooling?: Pooling;
  items: string[];
  users: string[];
  /** Absolute URL of the folder holding the ONNX Runtime wasm files (the app's ort/). */
  ortBaseUrl: string;
}

export type EmbedRequest = ({ type: 'embed'; id: number } & EmbedJob) | { type: 'cancel'; id: number } | { type: 'dispose' };

export type EmbedEvent =
  | { type: 'status'; id: number; message: string; fraction: number | null }
  | { type: 'progress'; id: number; done: number; total: number; itemsPerSec: number; etaSec: number }
  | {
      type: 'done';
      id: number;
      users: Float32Array;
      items: Float32Array;
      dim: number;
      /** The device that actually ran ('auto' resolved). */
      device: 'webgpu' | 'wasm';
      seconds: number;
    }
  | { type: 'error'; id: number; message: string; cancelled: boolean };

const ctx = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: EmbedEvent, transfer: Transferable[] = []) => ctx.postMessage(e, transfer);

let loaded: { key: string; embedder: TextEmbedder; device: 'webgpu' | 'wasm' } | null = null;
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function getEmbedder(id: number, job: EmbedJob): Promise<{ embedder: TextEmbedder; device: 'webgpu' | 'wasm' }> {
  const gpu = job.device !== 'wasm' && (await hasWebGpu());
  if (job.device === 'webgpu' && !gpu) {
    throw new Error('WebGPU is not available in this browser (no adapter); choose wasm or auto');
  }
  const devices: ('webgpu' | 'wasm')[] = job.device === 'wasm' ? ['wasm'] : job.device === 'webgpu' ? ['webgpu'] : gpu ? ['webgpu', 'wasm'] : ['wasm'];
  let lastError: unknown = null;
  for (const device of devices) {
    const key = `${job.modelKey}|${device}|${job.dtype}|${job.pooling ?? ''}`;
    if (loaded?.key === key) return loaded;
    if (loaded) {
      await loaded.embedder.dispose().catch(() => undefined);
      loaded = null;
    }
    post({ type: 'status', id, message: `loading ${job.modelKey} on ${device} (${job.dtype})`, fraction: null });
    try {
      const embedder = await createEmbedder(job.source, {
        device,
        dtype: job.dtype,
        batchSize: job.batchSize,
        ...(job.pooling ? { pooling: job.pooling } : {}),
        onLoadProgress: (message, fraction) => post({ type: 'status', id, message, fraction }),
      });
      loaded = { key, embedder, device };
      return loaded;
    } catch (e) {
      lastError = e;
      if (device === 'webgpu' && devices.length > 1) {
        post({ type: 'status', id, message: `WebGPU failed (${(e as Error).message}); falling back to wasm`, fraction: null });
      }
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function run(id: number, job: EmbedJob): Promise<void> {
  const ctrl = controllers.get(id);
  if (!ctrl || ctrl.signal.aborted) {
    post({ type: 'error', id, message: 'embedding cancelled', cancelled: true });
    return;
  }
  const t0 = performance.now();
  try {
    await configureOnnxWasm(job.ortBaseUrl);
    const { embedder, device } = await getEmbedder(id, job);
    if (ctrl.signal.aborted) throw new EmbedCancelled();
    const total = job.items.length + job.users.length;
    const tRun = performance.now();
    // One progress bar over items then users.
    const report = (offset: number) => (p: { done: number; itemsPerSec: number }) => {
      const done = offset + p.done;
      const sec = (performance.now() - tRun) / 1000;
      const rate = sec > 0 ? done / sec : p.itemsPerSec;
      post({ type: 'progress', id, done, total, itemsPerSec: rate, etaSec: rate > 0 ? (total - done) / rate : NaN });
    };
    const items = await embedder.embed(job.items, report(0), { signal: ctrl.signal, batchSize: job.batchSize });
    const users = await embedder.embed(job.users, report(job.items.length), { signal: ctrl.signal, batchSize: job.batchSize });
    const dim = embedder.dim ?? 0;
    post({ type: 'done', id, users, items, dim, device, seconds: (performance.now() - t0) / 1000 }, [users.buffer, items.buffer]);
  } catch (e) {
    const cancelled = e instanceof EmbedCancelled;
    post({ type: 'error', id, message: cancelled ? 'embedding cancelled' : e instanceof Error ? e.message : String(e), cancelled });
  } finally {
    controllers.delete(id);
  }
}

ctx.onmessage = (ev: MessageEvent<EmbedRequest>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
  } else if (msg.type === 'dispose') {
    queue = queue.then(async () => {
      await loaded?.embedder.dispose().catch(() => undefined);
      loaded = null;
    });
  } else if (msg.type === 'embed') {
    const { type: _t, id, ...job } = msg;
    controllers.set(id, new AbortController());
    queue = queue.then(() => run(id, job));
  }
};
