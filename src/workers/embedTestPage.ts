/**
 * Test hook for e2e/embed.spec.ts: drives the real embedding worker with a model folder served
 * under `test-models/<name>/` (the spec routes those URLs to files on disk). The model goes to the
 * worker as in-memory files, the same path as a local folder picked in the panel, so the test
 * also proves that a local model needs no network.
 */
import { EmbedClient, type EmbedDeviceChoice } from './embedClient';
import type { EmbedDtype } from '../core/embed/embedder';
import { DTYPE_FILE } from '../core/embed/embedder';

export interface RunEmbedOptions {
  /** Folder under test-models/ (default 'tiny-bert'). */
  model?: string;
  dtype?: EmbedDtype;
  batchSize?: number;
}

export interface RunEmbedResult {
  dim: number;
  /** Row-major [texts.length, dim]. */
  vectors: number[];
  device: 'webgpu' | 'wasm';
  /** Worker time for the call, model load included when the model was not loaded yet. */
  seconds: number;
  /** Texts per second over the embedding alone, from the last progress event. */
  itemsPerSec: number;
}

declare global {
  interface Window {
    runEmbed(device: EmbedDeviceChoice, texts: string[], opts?: RunEmbedOptions): Promise<RunEmbedResult>;
    hasWebGpu(): Promise<boolean>;
  }
}

const client = new EmbedClient();
const folders = new Map<string, Promise<Map<string, Uint8Array>>>();

async function fetchFolder(name: string, dtype: EmbedDtype): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', DTYPE_FILE[dtype]]) {
    const r = await fetch(new URL(`test-models/${name}/${f}`, document.baseURI));
    if (!r.ok) throw new Error(`test-models/${name}/${f}: HTTP ${r.status}`);
    files.set(f, new Uint8Array(await r.arrayBuffer()));
  }
  return files;
}

window.runEmbed = async (device, texts, opts = {}) => {
  const model = opts.model ?? 'tiny-bert';
  const dtype = opts.dtype ?? 'fp32';
  const key = `${model}|${dtype}`;
  if (!folders.has(key)) folders.set(key, fetchFolder(model, dtype));
  const files = await folders.get(key)!;
  let itemsPerSec = 0;
  const job = client.compute(
    {
      source: { kind: 'local', name: model, files },
      modelKey: `test:${key}`,
      device,
      dtype,
      batchSize: opts.batchSize ?? 32,
      items: texts,
      users: [],
    },
    { onProgress: (p) => (itemsPerSec = p.itemsPerSec) },
  );
  const r = await job.promise;
  const out = document.getElementById('out');
  if (out) out.textContent = `${r.device}: ${texts.length} texts x ${r.dim} in ${r.seconds.toFixed(2)} s`;
  return { dim: r.dim, vectors: Array.from(r.items), device: r.device, seconds: r.seconds, itemsPerSec };
};

window.hasWebGpu = async () => {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  return !!gpu && (await gpu.requestAdapter().catch(() => null)) !== null;
};
