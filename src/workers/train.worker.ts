/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../core/backend';
import type { BackendChoice, RunConfig } from '../core/config';
import { generateDemo } from '../core/data/demo';
import { validateDataset } from '../core/data/types';
import { Trainer, type LlmEmbeddings } from '../core/train/trainer';
import { RunControl } from '../core/train/control';
import { takeSnapshot, snapshotBuffers } from '../core/train/snapshot';
import { tfidfProjection } from '../core/embed/tfidfProjection';
import { exportRun, importRun } from '../core/train/bundleIO';
import { buildBundle, readBundle } from '../core/io/bundle';
import { projectorBlocksFor, projectorTsv } from '../core/io/projector';
import { recboleZip } from '../core/io/recbole';
import { zipSync, strToU8 } from 'fflate';
import type { TrainResult } from '../core/train/trainer';
import type { Dataset } from '../core/data/types';
import { RunPersister } from './persist';
import { runHistory } from '../core/train/bundleIO';
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
let lastResult: TrainResult | null = null;
let owner = '';

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
    const trainer = newTrainer(cfg, dataset, req.llm, req.snapshotEvery ?? 0);
    await persisted(trainer, req.name ?? cfg.model.backbone);
  } finally {
    running = false;
    control = null;
  }
}

/** Runs the trainer while keeping its record and checkpoints in IndexedDB. */
async function persisted(trainer: Trainer, name: string, runId?: string) {
  const p = await RunPersister.begin({ id: runId, name, config: trainer.config, trainer, owner, every: trainer.config.train.evalEvery });
  post({ type: 'persisted', runId: p?.id ?? null });
  if (p) {
    const snap = trainer.afterEpoch;
    trainer.afterEpoch = async epoch => {
      await snap?.(epoch);
      await p.afterEpoch(trainer, epoch, runHistory(trainer.historySoFar()));
    };
  }
  try {
    lastResult = await trainer.run();
    await p?.finish(lastResult ? 'done' : 'stopped', lastResult ? { test: lastResult.test, bestEpoch: lastResult.bestEpoch, epochs: lastResult.epochs } : {});
  } catch (e) {
    await p?.finish('failed', {}, (e as Error).message);
    throw e;
  }
}

async function resumeRun(req: Extract<TrainRequest, { type: 'resumeRun' }>) {
  if (!ready) throw new Error('worker not initialised');
  await ready;
  if (running) throw new Error('a run is already in progress');
  running = true;
  try {
    const { run, state } = await RunPersister.load(req.runId);
    validateDataset(req.dataset);
    post({ type: 'dataset', summary: summarize(req.dataset) });
    const trainer = newTrainer(run.config, req.dataset, req.llm, req.snapshotEvery ?? 0);
    trainer.restoreState(state);
    await persisted(trainer, run.name ?? 'resumed run', run.id);
  } finally {
    running = false;
    control = null;
  }
}

function llmFor(cfg: RunConfig, dataset: Dataset, given?: LlmEmbeddings): LlmEmbeddings | undefined {
  if (cfg.align.method === 'none' || given) return given;
  if (cfg.llm.source !== 'tfidf') throw new Error('this alignment needs LLM embeddings: compute or upload them in the Embed step, or choose the built-in TF-IDF text embedder');
  return tfidfProjection(dataset, cfg.llm.dim);
}

/** Replaces the kept trainer with a new one that streams events and snapshots. */
function newTrainer(cfg: RunConfig, dataset: Dataset, given: LlmEmbeddings | undefined, snapshotEvery: number): Trainer {
  last?.dispose();
  last = null;
  lastResult = null;
  control = new RunControl();
  const trainer = new Trainer(dataset, cfg, event => post({ type: 'train', event }), control, llmFor(cfg, dataset, given));
  last = trainer;
  if (snapshotEvery > 0) {
    trainer.afterEpoch = async epoch => {
      if (epoch % snapshotEvery !== 0 && epoch !== 1) return;
      const snapshot = await takeSnapshot(trainer, epoch);
      post({ type: 'snapshot', snapshot }, snapshotBuffers(snapshot));
    };
  }
  return trainer;
}

async function importBundle(req: Extract<TrainRequest, { type: 'import' }>) {
  if (!ready) throw new Error('worker not initialised');
  await ready;
  if (running) throw new Error('a run is in progress: stop it before importing');
  running = true;
  try {
    const bundle = readBundle(req.bytes);
    // The bundle's own LLM inputs when it carries them; else the page's or TF-IDF.
    const fromBundle = bundle.embeddings.llm_users && bundle.embeddings.llm_items
      ? { users: bundle.embeddings.llm_users.data, items: bundle.embeddings.llm_items.data, dim: bundle.embeddings.llm_users.cols }
      : undefined;
    const trainer = newTrainer(bundle.config, req.dataset, req.llm ?? fromBundle, req.snapshotEvery ?? 0);
    trainer.init();
    await importRun(trainer, bundle);
    const test = await trainer.evaluate('test');
    const bt = (bundle.metrics as { test?: Record<string, number> }).test ?? null;
    post({ type: 'imported', config: bundle.config, test, bundleTest: bt });
    if (req.continueTraining) lastResult = await trainer.run();
  } finally {
    running = false;
    control = null;
  }
}

async function exportFile(what: 'bundle' | 'projector' | 'recbole') {
  if (!last) throw new Error('nothing to export yet: train or import a run first');
  if (running && what !== 'recbole') throw new Error('wait for the run to finish (or stop it) before exporting');
  const t = last;
  const base = `${t.dataset.name}-${t.config.model.backbone}-${t.config.align.method}`.replace(/[^\w.-]+/g, '_');
  if (what === 'recbole') {
    post({ type: 'file', name: `${base.split('-')[0]}-recbole.zip`, mime: 'application/zip', bytes: recboleZip(t.dataset) });
    return;
  }
  if (what === 'bundle') {
    const bytes = buildBundle(await exportRun(t, lastResult, runHistory(lastResult), { extraMetrics: { backend: tf.getBackend() } }));
    post({ type: 'file', name: `${base}.zip`, mime: 'application/zip', bytes }, [bytes.buffer as ArrayBuffer]);
    return;
  }
  const snap = await takeSnapshot(t, lastResult?.epochs ?? 0);
  const U = t.dataset.numUsers;
  const clusters = snap.clusters;
  const blocks = projectorBlocksFor(t.dataset, {
    users: { rows: U, cols: snap.dim, data: snap.users.cf },
    items: { rows: t.dataset.numItems, cols: snap.dim, data: snap.items.cf },
    ...(clusters ? { userClusters: clusters.subarray(0, U), itemClusters: clusters.subarray(U) } : {}),
  });
  const files = projectorTsv(blocks);
  const bytes = zipSync({ 'vectors.tsv': strToU8(files.vectors), 'metadata.tsv': strToU8(files.metadata) });
  post({ type: 'file', name: `${base}-projector.zip`, mime: 'application/zip', bytes }, [bytes.buffer as ArrayBuffer]);
}

self.onmessage = (ev: MessageEvent<TrainRequest>) => {
  const req = ev.data;
  const fail = (e: unknown) => post({ type: 'error', message: (e as Error)?.message ?? String(e) });
  switch (req.type) {
    case 'init':
      owner = req.owner;
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
    case 'resumeRun':
      resumeRun(req).catch(fail);
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
      exportFile(req.what).catch(e => post({ type: 'error', message: (e as Error)?.message ?? String(e), scope: 'io' }));
      break;
    case 'import':
      importBundle(req).catch(e => post({ type: 'error', message: `import failed: ${(e as Error)?.message ?? String(e)}`, scope: 'io' }));
      break;
  }
};
