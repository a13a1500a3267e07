/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../core/backend';
import type { BackendChoice, RunConfig } from '../core/config';
import { generateDemo } from '../core/data/demo';
import { validateDataset } from '../core/data/types';
import { Trainer, type LlmEmbeddings, type SavedState } from '../core/train/trainer';
import { RunControl } from '../core/train/control';
import { NumericalFault } from '../core/train/faults';
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
import { holdRunLock } from './runStore';
import { runHistory } from '../core/train/bundleIO';
import { summarize, type BackendInfo, type TrainMessage, type TrainRequest } from './protocol';

/**
 * The training worker owns the tfjs backend and the trainer; the page sends
 * requests and renders the streamed events. One backend per worker: the page
 * starts a new worker to switch. The last trainer stays alive after its run so
 * its weights can be exported, and is disposed when the next run starts.
 */
const post = (m: TrainMessage, transfer: Transferable[] = []) => { if (!lost || m.type === 'fault') (self as unknown as Worker).postMessage(m, transfer); };
let ready: Promise<BackendInfo> | null = null;
let control: RunControl | null = null;
let running = false;
let last: Trainer | null = null;
let lastResult: TrainResult | null = null;
let owner = '';
let testHooks = false;
/** The stored record of the run in progress (null: none, or no IndexedDB). */
let persister: RunPersister | null = null;
/** On WebGPU, the state after the last completed epoch: a lost device can no longer be read. */
let lastGood: SavedState | null = null;
/** Set once the WebGPU device is lost: this worker is finished, the page continues in a new one. */
let lost: string | null = null;

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
  if (name === 'webgpu') watchDevice();
  const adapter = name === 'webgpu' ? await adapterDescription() : name === 'wasm' ? 'WebAssembly SIMD, 1 thread' : name === 'cpu' ? 'plain JavaScript' : 'WebGL';
  return { name, adapter, note: skipped.length ? `skipped: ${skipped.join('; ')}` : undefined };
}

function gpuDevice(): GPUDevice | null {
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/**
 * A lost GPU (driver reset, another tab's crash, sleep) ends every tensor on it.
 * The run's state after its last completed epoch, read back at that epoch's
 * end, becomes a checkpoint; the page offers to continue from it on wasm in a
 * new worker. Nothing more is sent or stored from this worker.
 */
function watchDevice() {
  void gpuDevice()?.lost.then(async info => {
    lost = `${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}`;
    control?.stop();
    // Set only inside persisted(), which runs under exclusive(): non-null means a stored run is training.
    const p = persister;
    // Read now: the stopped run's `finally` clears `lastGood` while the checkpoint is written.
    const state = lastGood;
    let checkpointEpoch = p?.lastCheckpointEpoch ?? null;
    // Unless that epoch's checkpoint is already stored (afterEpoch wrote it from this same state).
    if (p && state && state.loop.epoch !== checkpointEpoch) {
      try {
        await p.checkpoint(state);
        checkpointEpoch = state.loop.epoch;
      } catch {
        /* the older checkpoint stays */
      }
    }
    post({ type: 'fault', fault: { kind: 'device-lost', message: `the GPU device was lost (${lost})`, runId: p?.id ?? null, checkpointEpoch } });
  });
}

/** Settles when the WebGPU device is lost (its `lost` handler has then run) or after `ms`. */
async function deviceLostWithin(ms: number): Promise<void> {
  // Null on the other backends (only WebGPU's has a device).
  const device = gpuDevice();
  if (!device) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([device.lost, new Promise(resolve => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

/** Runs `work` once the backend is ready, refusing while another run or import is in progress. */
async function exclusive(busy: string, work: () => Promise<void>) {
  if (!ready) throw new Error('worker not initialised');
  await ready;
  if (running) throw new Error(busy);
  running = true;
  try {
    await work();
  } finally {
    running = false;
    control = null;
  }
}

const start = (req: Extract<TrainRequest, { type: 'start' }>) => exclusive('a run is already in progress', async () => {
  const { config: cfg, dataset } = req;
  validateDataset(dataset);
  post({ type: 'dataset', summary: summarize(dataset) });
  const trainer = newTrainer(cfg, dataset, req.llm, req.snapshotEvery ?? 0);
  await persisted(trainer, req.name ?? cfg.model.backbone);
});

/** Runs the trainer while keeping its record and checkpoints in IndexedDB. */
async function persisted(trainer: Trainer, name: string, runId?: string) {
  const p = await RunPersister.begin({ id: runId, name, config: trainer.config, trainer, owner, every: trainer.config.train.evalEvery });
  persister = p;
  lastGood = null;
  // Tells other tabs this run is live (not interrupted) until it ends or this worker dies.
  const unlock = p ? await holdRunLock(p.id) : null;
  post({ type: 'persisted', runId: p?.id ?? null });
  const snap = trainer.afterEpoch;
  trainer.afterEpoch = async epoch => {
    if (lost) return;
    await snap?.(epoch);
    if (tf.getBackend() === 'webgpu' && p) lastGood = await trainer.saveState();
    await p?.afterEpoch(trainer, epoch, runHistory(trainer.historySoFar()), lastGood);
  };
  try {
    lastResult = await trainer.run();
    if (lost) return;
    await p?.finish(lastResult ? 'done' : 'stopped', lastResult ? { test: lastResult.test, bestEpoch: lastResult.bestEpoch, epochs: lastResult.epochs } : {});
  } catch (e) {
    // A destroyed device can make the loop throw before `device.lost` settles
    // (seen about 1 run in 6 on SwiftShader): wait for it briefly, or the run
    // would be recorded as failed and the loss reported as "no run in progress".
    if (!lost && !(e instanceof NumericalFault)) await deviceLostWithin(1000);
    // After a device loss the run's record is already handled, and whatever the dead device throws is noise.
    if (lost) return;
    await p?.finish('failed', {}, (e as Error).message);
    if (!(e instanceof NumericalFault)) throw e;
    // The faulty step was not applied; the stored checkpoints predate it.
    post({ type: 'fault', fault: { kind: 'numerical', message: e.message, runId: p?.id ?? null, checkpointEpoch: p?.lastCheckpointEpoch ?? null } });
  } finally {
    persister = null;
    lastGood = null;
    unlock?.();
  }
}

const resumeRun = (req: Extract<TrainRequest, { type: 'resumeRun' }>) => exclusive('a run is already in progress', async () => {
  const { run, state } = await RunPersister.load(req.runId);
  validateDataset(req.dataset);
  post({ type: 'dataset', summary: summarize(req.dataset) });
  const trainer = newTrainer(run.config, req.dataset, req.llm, req.snapshotEvery ?? 0);
  await trainer.restoreState(state);
  await persisted(trainer, run.name ?? 'resumed run', run.id);
});

function llmFor(cfg: RunConfig, dataset: Dataset, given?: LlmEmbeddings): LlmEmbeddings | undefined {
  if (cfg.align.method === 'none' || given) return given;
  if (cfg.llm.source !== 'tfidf') throw new Error('this alignment needs LLM embeddings: compute or upload them in the Embed step, or choose the built-in TF-IDF text embedder');
  return tfidfProjection(dataset, cfg.llm.dim);
}

/** Replaces the kept trainer with a new one that streams events and snapshots. */
function newTrainer(cfg: RunConfig, dataset: Dataset, given: LlmEmbeddings | undefined, snapshotEvery: number): Trainer {
  // Freed first: a large model's tensors and the new one's need not coexist.
  last?.dispose();
  last = null;
  const made = makeTrainer(cfg, dataset, given, snapshotEvery);
  adopt(made);
  return made.trainer;
}

/** A trainer that streams events and snapshots, built beside the kept one (which stays until `adopt`). */
function makeTrainer(cfg: RunConfig, dataset: Dataset, given: LlmEmbeddings | undefined, snapshotEvery: number): { trainer: Trainer; control: RunControl } {
  const ctl = new RunControl();
  const trainer = new Trainer(dataset, cfg, event => post({ type: 'train', event }), ctl, llmFor(cfg, dataset, given));
  if (snapshotEvery > 0) {
    trainer.afterEpoch = async epoch => {
      if (epoch % snapshotEvery !== 0 && epoch !== 1) return;
      const snapshot = await takeSnapshot(trainer, epoch);
      post({ type: 'snapshot', snapshot }, snapshotBuffers(snapshot));
    };
  }
  return { trainer, control: ctl };
}

/** Makes `made` the kept trainer (what Export writes), disposing the previous one. */
function adopt(made: { trainer: Trainer; control: RunControl }): void {
  last?.dispose();
  last = made.trainer;
  lastResult = null;
  control = made.control;
}

const importBundle = (req: Extract<TrainRequest, { type: 'import' }>) => exclusive('a run is in progress: stop it before importing', async () => {
  const bundle = readBundle(req.bytes);
  // The bundle's own LLM inputs when it carries them; else the page's or TF-IDF.
  const fromBundle = bundle.embeddings.llm_users && bundle.embeddings.llm_items
    ? { users: bundle.embeddings.llm_users.data, items: bundle.embeddings.llm_items.data, dim: bundle.embeddings.llm_users.cols }
    : undefined;
  // Built beside the finished run: until the bundle passed every check, that run (and what Export writes) stays.
  const made = makeTrainer(bundle.config, req.dataset, req.llm ?? fromBundle, req.snapshotEvery ?? 0);
  const trainer = made.trainer;
  try {
    trainer.init();
    await importRun(trainer, bundle);
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  adopt(made);
  const test = await trainer.evaluate('test');
  const bt = (bundle.metrics as { test?: Record<string, number> }).test ?? null;
  post({ type: 'imported', config: bundle.config, test, bundleTest: bt });
  if (req.continueTraining) lastResult = await trainer.run();
});

async function exportFile(what: 'bundle' | 'projector' | 'recbole') {
  if (!last) throw new Error('nothing to export yet: train or import a run first');
  if (running && what !== 'recbole') throw new Error('wait for the run to finish (or stop it) before exporting');
  const t = last;
  const clean = (s: string) => s.replace(/[^\w.-]+/g, '_');
  const base = clean(`${t.dataset.name}-${t.config.model.backbone}-${t.config.align.method}`);
  if (what === 'recbole') {
    post({ type: 'file', name: `${clean(t.dataset.name)}-recbole.zip`, mime: 'application/zip', bytes: recboleZip(t.dataset) });
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
      testHooks = !!req.testHooks;
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
    case 'debug':
      if (!testHooks) break;
      if (req.action === 'lose-device') gpuDevice()?.destroy();
      else last?.setLearningRate(req.lr);
      break;
  }
};
