/**
 * Sentence embeddings over transformers.js feature extraction, the same code in a Web Worker
 * (devices 'webgpu' | 'wasm') and in Node (device 'cpu').
 *
 * Model sources: a Hugging Face hub id, or a LOCAL folder given as bytes (path -> Uint8Array).
 * A local folder is served to transformers.js from memory through its custom-cache hook
 * (`env.useCustomCache` + `env.customCache.match`), the one lookup transformers.js 4.x makes
 * before touching the file system or network in both Node and browsers; remote loading is
 * switched off for that load, so nothing is fetched from any server.
 *
 * transformers.js keeps its settings in one global `env`, so model loads are serialised here and
 * each load sets the fields it depends on.
 *
 * The library is imported lazily: the page imports this module for presets and folder checks,
 * and a static import would put transformers.js (and a 27 MB ORT wasm asset) in the page bundle.
 */
import type { FeatureExtractionPipeline } from '@huggingface/transformers';

type Transformers = typeof import('@huggingface/transformers');
let lib: Promise<Transformers> | null = null;
const transformers = (): Promise<Transformers> => (lib ??= import('@huggingface/transformers'));

export type EmbedDevice = 'webgpu' | 'wasm' | 'cpu';
/** The dtypes transformers.js maps to ONNX file suffixes ('' / _fp16 / _quantized / _q4 / _q4f16). */
export type EmbedDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
export type Pooling = 'mean' | 'cls' | 'last_token';

export const EMBED_DTYPES: readonly EmbedDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/** ONNX file name for each dtype (transformers.js' convention, which hub repos follow). */
export const DTYPE_FILE: Record<EmbedDtype, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
  q4f16: 'onnx/model_q4f16.onnx',
};

export interface ModelPreset {
  id: string;
  label: string;
  dim: number;
  pooling: Pooling;
  /** Rough download for the default dtype, so the user can judge before clicking. */
  size: string;
  note: string;
}

/**
 * A short list that transformers.js runs for sentence embeddings. The LLM-based entry is the
 * smallest decoder embedder with ONNX weights for transformers.js (last-token pooling); at ~0.6B
 * parameters it fits a tab on WebGPU but is slow on wasm, so it is offered, not defaulted.
 */
export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    label: 'all-MiniLM-L6-v2 (default, 384-d)',
    dim: 384,
    pooling: 'mean',
    size: '23 MB q8 / 90 MB fp32',
    note: 'Small and fast sentence-transformers model; good default.',
  },
  {
    id: 'Xenova/bge-small-en-v1.5',
    label: 'bge-small-en-v1.5 (stronger small, 384-d)',
    dim: 384,
    pooling: 'cls',
    size: '34 MB q8 / 133 MB fp32',
    note: 'Higher retrieval quality than MiniLM at the same width; CLS pooling as its authors use it.',
  },
  {
    id: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
    label: 'Qwen3-Embedding-0.6B (LLM-based, 1024-d, large)',
    dim: 1024,
    pooling: 'last_token',
    size: '~0.6 GB q8 / ~1.2 GB fp16',
    note: 'Decoder LLM embedder; use WebGPU and expect minutes for thousands of texts. Documents need no instruction prefix.',
  },
];

export const DEFAULT_MODEL_ID = MODEL_PRESETS[0]!.id;

export type ModelSource =
  | { kind: 'hub'; id: string }
  /** `files` keys are paths inside the model folder, e.g. 'config.json', 'onnx/model.onnx'. */
  | { kind: 'local'; name: string; files: Map<string, Uint8Array> };

export interface EmbedderOptions {
  device: EmbedDevice;
  dtype: EmbedDtype;
  /** Texts per forward pass. */
  batchSize?: number;
  /** Defaults to the preset's pooling for preset ids, else 'mean'. */
  pooling?: Pooling;
  /** Model download/load progress: a short message and, when known, a fraction in [0, 1]. */
  onLoadProgress?: (message: string, fraction: number | null) => void;
}

export interface EmbedProgress {
  done: number;
  total: number;
  itemsPerSec: number;
  /** Seconds left at the current rate; NaN before the first batch. */
  etaSec: number;
}

export interface EmbedCallOptions {
  signal?: AbortSignal;
  batchSize?: number;
}

export interface TextEmbedder {
  readonly modelId: string;
  readonly device: EmbedDevice;
  readonly dtype: EmbedDtype;
  readonly pooling: Pooling;
  /** Output width; from the model config, or known after the first batch. */
  readonly dim: number | null;
  /** Unit-norm vectors, row-major [texts.length, dim], in the order of `texts`. */
  embed(texts: string[], onProgress?: (p: EmbedProgress) => void, opts?: EmbedCallOptions): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export class EmbedCancelled extends Error {
  constructor() {
    super('embedding cancelled');
    this.name = 'EmbedCancelled';
  }
}

/** The ONNX Runtime web files transformers.js 4.x loads (its onnxruntime-web/webgpu bundle uses the asyncify build). */
export const ORT_WASM_FILES = { mjs: 'ort-wasm-simd-threaded.asyncify.mjs', wasm: 'ort-wasm-simd-threaded.asyncify.wasm' } as const;

/**
 * Point ONNX Runtime web at files the app serves (no CDN). `baseUrl` must be absolute, e.g.
 * `new URL('ort/', document.baseURI).href`, because a worker resolves relative URLs against its
 * own script location, which differs between the dev server and the build.
 */
let configuredBase: string | null = null;

export async function configureOnnxWasm(baseUrl: string): Promise<void> {
  const { env } = await transformers();
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  // Once ORT has started, transformers.js has swapped the .mjs URL for a blob URL; leave it be.
  if (configuredBase === base) return;
  configuredBase = base;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) return; // Node: onnxruntime-node has no wasm settings
  wasm.wasmPaths = { mjs: base + ORT_WASM_FILES.mjs, wasm: base + ORT_WASM_FILES.wasm };
  // Otherwise transformers.js re-serves ORT's .mjs as a blob: URL (to keep it in Cache Storage),
  // which the app's Content-Security-Policy refuses in the worker (script-src has no blob:,
  // measured: "Failed to fetch dynamically imported module: blob:…"). ORT then imports the .mjs
  // and fetches the .wasm from the app itself; the browser's HTTP cache keeps them.
  env.useWasmCache = false;
}

/**
 * Normalises a chosen folder: drops the top directory that `<input webkitdirectory>` puts in
 * every path, uses '/' separators, and moves root-level `model*.onnx` into `onnx/` where
 * transformers.js looks for them.
 */
export function normalizeLocalFiles(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const entries = [...files.entries()].map(([p, b]) => [p.replace(/\\/g, '/').replace(/^\.?\//, ''), b] as const);
  const hasConfigAtRoot = entries.some(([p]) => p === 'config.json');
  let strip = '';
  if (!hasConfigAtRoot) {
    const cfg = entries.find(([p]) => p.endsWith('/config.json') && p.split('/').length === 2);
    if (cfg) strip = cfg[0].slice(0, cfg[0].indexOf('/') + 1);
  }
  const out = new Map<string, Uint8Array>();
  for (const [p, b] of entries) {
    if (strip && !p.startsWith(strip)) continue;
    let q = p.slice(strip.length);
    if (/^model[^/]*\.onnx(_data[^/]*)?$/.test(q)) q = 'onnx/' + q;
    if (!out.has(q)) out.set(q, b);
  }
  return out;
}

/** Which dtypes a local folder can run, from its ONNX file names. */
export function localModelDtypes(files: Map<string, Uint8Array>): EmbedDtype[] {
  return EMBED_DTYPES.filter((d) => files.has(DTYPE_FILE[d]));
}

/** Null when the folder has what feature extraction needs, else what is missing. */
export function checkLocalModel(files: Map<string, Uint8Array>, dtype: EmbedDtype): string | null {
  const need = ['config.json', 'tokenizer.json', 'tokenizer_config.json', DTYPE_FILE[dtype]];
  const missing = need.filter((f) => !files.has(f));
  if (!missing.length) return null;
  const have = localModelDtypes(files);
  const extra = missing.includes(DTYPE_FILE[dtype]) && have.length ? ` (this folder has dtype ${have.join(', ')})` : '';
  return `the model folder lacks ${missing.join(', ')}${extra}`;
}

export function presetFor(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id);
}

/** Marker in the model id under which in-memory folders are served; valid as a hub-style id so paths are built normally. */
const MEM_OWNER = 'darec-local-mem';
let memCounter = 0;

class MemoryModelCache {
  constructor(
    private readonly modelPath: string,
    private readonly files: Map<string, Uint8Array>,
  ) {}

  private lookup(request: string): Uint8Array | undefined {
    const at = request.indexOf(this.modelPath + '/');
    if (at < 0) return undefined;
    let rest = request.slice(at + this.modelPath.length + 1);
    rest = rest.replace(/^resolve\/[^/]+\//, '');
    return this.files.get(decodeURIComponent(rest.split('?')[0]!));
  }

  async match(request: string): Promise<Response | undefined> {
    const b = this.lookup(String(request));
    if (!b) return undefined;
    // A fresh copy: transformers.js may hand the buffer to ONNX Runtime, which can take ownership.
    return new Response(b.slice(), { status: 200, headers: { 'content-length': String(b.byteLength) } });
  }

  async put(): Promise<void> {
    // Nothing to store: the files already live in memory.
  }
}

let loadChain: Promise<unknown> = Promise.resolve();

function serialise<T>(f: () => Promise<T>): Promise<T> {
  const run = loadChain.then(f, f);
  loadChain = run.catch(() => undefined);
  return run;
}

type EnvSnapshot = Pick<Transformers['env'], 'allowRemoteModels' | 'allowLocalModels' | 'useCustomCache' | 'customCache' | 'useBrowserCache' | 'fetch'>;

async function loadPipeline(source: ModelSource, opts: EmbedderOptions): Promise<FeatureExtractionPipeline> {
  const { env, pipeline } = await transformers();
  const saved: EnvSnapshot = {
    allowRemoteModels: env.allowRemoteModels,
    allowLocalModels: env.allowLocalModels,
    useCustomCache: env.useCustomCache,
    customCache: env.customCache,
    useBrowserCache: env.useBrowserCache,
    fetch: env.fetch,
  };
  let modelId: string;
  if (source.kind === 'local') {
    const problem = checkLocalModel(source.files, opts.dtype);
    if (problem) throw new Error(`local model "${source.name}": ${problem}`);
    modelId = `${MEM_OWNER}/m${++memCounter}`;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useCustomCache = true;
    env.customCache = new MemoryModelCache(modelId, source.files);
    // A file the folder lacks would otherwise be requested from the page's own server.
    const realFetch = saved.fetch;
    env.fetch = (input: string | URL, init?: unknown) =>
      String(input).includes(`${MEM_OWNER}/`)
        ? Promise.resolve(new Response(null, { status: 404 }))
        : realFetch(input, init);
  } else {
    modelId = source.id.trim();
    if (!modelId) throw new Error('no model id given');
    env.allowRemoteModels = true;
    // Otherwise a web build first asks its own server for /models/<id>/..., and a dev server
    // answers 200 with index.html, which then fails as JSON.
    env.allowLocalModels = false;
  }
  try {
    const files = new Map<string, { loaded: number; total: number }>();
    const extractor = await pipeline('feature-extraction', modelId, {
      device: opts.device,
      dtype: opts.dtype,
      progress_callback: (d: unknown) => {
        const e = d as { status?: string; file?: string; loaded?: number; total?: number };
        if (!opts.onLoadProgress || !e.file) return;
        if (e.status === 'progress' && typeof e.loaded === 'number' && typeof e.total === 'number') {
          files.set(e.file, { loaded: e.loaded, total: e.total });
          let l = 0;
          let t = 0;
          for (const f of files.values()) {
            l += f.loaded;
            t += f.total;
          }
          opts.onLoadProgress(`loading ${e.file}`, t > 0 ? l / t : null);
        } else if (e.status === 'initiate') opts.onLoadProgress(`loading ${e.file}`, null);
      },
    });
    return extractor as FeatureExtractionPipeline;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const name = source.kind === 'local' ? `local model "${source.name}"` : `model "${modelId}"`;
    const hint =
      source.kind === 'hub' && /fetch|network|ENOTFOUND|ECONNREFUSED/i.test(msg)
        ? ' (the model hub is unreachable: choose a local model folder or upload embeddings)'
        : '';
    throw new Error(`${name} could not be loaded on ${opts.device} (${opts.dtype}): ${source.kind === 'local' ? msg.replaceAll(`${modelId}/`, '') : msg}${hint}`);
  } finally {
    Object.assign(env, saved);
  }
}

/** Loads a model and returns an embedder bound to it. */
export function createEmbedder(source: ModelSource, opts: EmbedderOptions): Promise<TextEmbedder> {
  return serialise(async () => {
    const extractor = await loadPipeline(source, opts);
    const modelId = source.kind === 'hub' ? source.id.trim() : `local:${source.name}`;
    const pooling = opts.pooling ?? (source.kind === 'hub' ? presetFor(modelId)?.pooling : undefined) ?? 'mean';
    if (pooling === 'last_token') {
      // Last-token pooling reads position -1, which is a pad token under right padding.
      (extractor.tokenizer as unknown as { padding_side: string }).padding_side = 'left';
    }
    const cfg = extractor.model.config as unknown as { hidden_size?: number };
    return new PipelineEmbedder(extractor, modelId, opts, pooling, typeof cfg.hidden_size === 'number' ? cfg.hidden_size : null);
  });
}

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

class PipelineEmbedder implements TextEmbedder {
  readonly device: EmbedDevice;
  readonly dtype: EmbedDtype;
  private batchSize: number;

  constructor(
    private extractor: FeatureExtractionPipeline | null,
    readonly modelId: string,
    opts: EmbedderOptions,
    readonly pooling: Pooling,
    public dim: number | null,
  ) {
    this.device = opts.device;
    this.dtype = opts.dtype;
    this.batchSize = opts.batchSize ?? 32;
  }

  async embed(texts: string[], onProgress?: (p: EmbedProgress) => void, opts: EmbedCallOptions = {}): Promise<Float32Array> {
    const ex = this.extractor;
    if (!ex) throw new Error('embedder was disposed');
    const batch = Math.max(1, Math.floor(opts.batchSize ?? this.batchSize));
    const n = texts.length;
    // Longest first: a batch pads to its longest text, so grouping similar lengths wastes
    // little compute, and an out-of-memory on the longest batch shows up at once.
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => texts[b]!.length - texts[a]!.length || a - b);
    let out: Float32Array | null = this.dim !== null ? new Float32Array(n * this.dim) : null;
    const t0 = performance.now();
    onProgress?.({ done: 0, total: n, itemsPerSec: 0, etaSec: NaN });
    for (let s = 0; s < n; s += batch) {
      if (opts.signal?.aborted) throw new EmbedCancelled();
      const idx = order.slice(s, s + batch);
      const tensor = await ex(
        idx.map((k) => texts[k]!),
        { pooling: this.pooling, normalize: true },
      );
      const dims = tensor.dims as number[];
      const d = dims[dims.length - 1]!;
      if (out === null || this.dim !== d) {
        if (s > 0 && this.dim !== null && this.dim !== d) throw new Error(`model output width changed from ${this.dim} to ${d}`);
        this.dim = d;
        out = new Float32Array(n * d);
      }
      const data = tensor.data as Float32Array;
      for (let r = 0; r < idx.length; r++) out.set(data.subarray(r * d, (r + 1) * d), idx[r]! * d);
      (tensor as unknown as { dispose?: () => void }).dispose?.();
      const done = Math.min(n, s + batch);
      const sec = (performance.now() - t0) / 1000;
      const rate = sec > 0 ? done / sec : 0;
      onProgress?.({ done, total: n, itemsPerSec: rate, etaSec: rate > 0 ? (n - done) / rate : NaN });
      // Lets a worker handle a cancel message between batches.
      await yieldToEvents();
    }
    return out ?? new Float32Array(0);
  }

  async dispose(): Promise<void> {
    const ex = this.extractor;
    this.extractor = null;
    await ex?.dispose();
  }
}
