/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../core/backend';
import type { BackendChoice } from '../core/config';
import { generateDemo } from '../core/data/demo';
import { validateDataset } from '../core/data/types';
import { Trainer, type LlmEmbeddings } from '../core/train/trainer';
import { RunControl } from '../core/train/control';
import { takeSnapshot, snapshotBuffers } from '../core/train/snapshot';
import { tfidfProjection } from '../core/embed/tfidfProjection';
import { summarize, type BackendInfo, type TrainMessage, type TrainRequest } from './protocol';

/**
 * The training worker owns the tfjs backend and the trainer; the page sends
 * requests and renders the streamed events. One backend per worker: the page
 * starts a new worker to switch. The last trainer stays alive after its run so
 * its weights can be exported, and is disposed when the next run starts.
 */
const post = (m: TrainMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
let ready: Promise<BackendInfo> | null = null;
let control: RunControl | null = null;
let running = false;
let last: Trainer | null = null;

async function adapterDescription(): Promise<string> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return 'no adapter';
  // `info` is newer than the installed @webgpu/types; Chrome 121+ has it.
  const i = ((adapter as unknown as { info?: Record<string, unknown> }).info ?? {}) as { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  const parts = [i.vendor, i.architecture, i.device, i.description].filter(Boolean);
  return `${parts.join(' / ') || 'unknown adapter'}${i.isFallbackAdapter ? ' (software fallback adapter)' : ''}`;
}

async function init(choice: BackendChoice, wasmPath: string): Promise<BackendInfo> {
  setWasmPaths(wasmPath);
  // The threaded wasm build hangs under Vite bundling (shared research notes); SIMD stays on.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const order = ['webgpu', 'wasm', 'cpu'] as const;
  const skipped: string[] = [];
  let name: string | null = null;
  for (const cand of choice === 'auto' ? order : [choice]) {
    try {
      name = await selectBackend(cand, [cand]);
      break;
    } catch (e) {
      skipped.push((e as Error).message);
    }
  }
  if (!name) throw new Error(`no backend could start: ${skipped.join('; ')}`);
  const adapter = name === 'webgpu' ? await adapterDescription() : name === 'wasm' ? 'WebAssembly SIMD, 1 thread' : name === 'cpu' ? 'plain JavaScript' : 'WebGL';
  return { name, adapter, note: skipped.length ? `skipped: ${skipped.join('; ')}` : undefined };
}

async function start(req: Extract<TrainRequest, { type: 'start' }>) {
  if (!ready) throw new Error('worker not initialised');
  await ready;
  if (running) throw new Error('a run is already in progress');
  running = true;
  try {
    const { config: cfg, dataset } = req;
    validateDataset(dataset);
    post({ type: 'dataset', summary: summarize(dataset) });
    let llm: LlmEmbeddings | undefined = req.llm;
    if (cfg.align.method !== 'none' && !llm) {
      if (cfg.llm.source !== 'tfidf') throw new Error('this alignment needs LLM embeddings: compute or upload them in the Embed step, or choose the built-in TF-IDF text embedder');
      llm = tfidfProjection(dataset, cfg.llm.dim);
    }
    last?.dispose();
    last = null;
    control = new RunControl();
    const trainer = new Trainer(dataset, cfg, event => post({ type: 'train', event }), control, llm);
    last = trainer;
    const every = req.snapshotEvery ?? 0;
    if (every > 0) {
      trainer.afterEpoch = async epoch => {
        if (epoch % every !== 0 && epoch !== 1) return;
        const snapshot = await takeSnapshot(trainer, epoch);
        post({ type: 'snapshot', snapshot }, snapshotBuffers(snapshot));
      };
    }
    await trainer.run();
  } finally {
    running = false;
    control = null;
  }
}

self.onmessage = (ev: MessageEvent<TrainRequest>) => {
  const req = ev.data;
  const fail = (e: unknown) => post({ type: 'error', message: (e as Error)?.message ?? String(e) });
  switch (req.type) {
    case 'init':
      ready = init(req.backend, req.wasmPath);
      ready.then(info => post({ type: 'backend', info }), fail);
      break;
    case 'makeDemo':
      try {
        post({ type: 'demo', dataset: generateDemo(req.demo) });
      } catch (e) {
        fail(e);
      }
      break;
    case 'start':
      start(req).catch(fail);
      break;
    case 'pause':
      control?.pause();
      break;
    case 'resume':
      control?.resume();
      break;
    case 'stop':
      control?.stop();
      break;
    case 'export':
      fail(new Error('export is not available yet'));
      break;
  }
};
