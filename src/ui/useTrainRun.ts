import { useCallback, useEffect, useRef, useState } from 'react';
import type { DemoDataRef, RunConfig } from '../core/config';
import type { Dataset } from '../core/data/types';
import type { Metrics } from '../core/eval/metrics';
import type { LlmEmbeddings } from '../core/train/trainer';
import { TrainClient } from '../workers/trainClient';
import { thinSnapshots } from './inspect/thin';
import { BoundedCurve } from './boundCurve';
import type { BackendInfo, DatasetSummary, RunFault, Snapshot, TrainMessage } from '../workers/protocol';

/** Snapshots kept per run for the Inspect slider (older ones are thinned out evenly). */
const MAX_SNAPSHOTS = 32;
/** Points per loss term in the per-step curves (past it, points average ever larger blocks of steps). */
const MAX_STEP_POINTS = 4000;

/** `failed`: a NaN/Inf loss stopped the run; `lost`: the WebGPU device was lost (the run can continue on wasm). */
export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'stopped' | 'done' | 'error' | 'failed' | 'lost';

/** Everything the page shows about the current run, rebuilt only from worker events. */
export interface RunView {
  name: string;
  status: RunStatus;
  backend: BackendInfo | null;
  dataset: DatasetSummary | null;
  error: string | null;
  /** Per-step loss terms: x = fractional epoch (bounded: a long run's points average blocks of steps, see BoundedCurve). */
  stepLoss: Record<string, [number, number][]>;
  /** Per-epoch mean loss terms. */
  epochLoss: Record<string, [number, number][]>;
  val: { epoch: number; metrics: Metrics }[];
  test: { metrics: Metrics; bestEpoch: number; epochs: number; stoppedEarly: boolean } | null;
  epoch: number;
  lastEpochMs: number | null;
  totalEpochMs: number;
  stepsPerSec: number | null;
  numTensors: number | null;
  snapshots: Snapshot[];
  /** IndexedDB id of the run (null when the browser cannot store it). */
  runId: string | null;
  /** Last export/import failure (does not affect the run). */
  ioError: string | null;
  /** Result of the last bundle import: metrics recomputed here and those stored in the bundle. */
  imported: { config: RunConfig; test: Metrics; bundleTest: Metrics | null } | null;
  /** Why the run stopped on its own (NaN/Inf loss, lost GPU). */
  fault: RunFault | null;
}

/** A finished run kept for overlays and the comparison table. */
export interface FinishedRun {
  name: string;
  config: RunConfig;
  view: RunView;
}

export interface QueuedRun {
  name: string;
  config: RunConfig;
}

/** This page session; the worker stamps persisted runs with it, so a live run here is never offered for resume. */
export const SESSION = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : String(Math.random());

const empty = (name = ''): RunView => ({
  name, status: 'idle', backend: null, dataset: null, error: null, stepLoss: {}, epochLoss: {}, val: [], test: null,
  epoch: 0, lastEpochMs: null, totalEpochMs: 0, stepsPerSec: null, numTensors: null, snapshots: [], ioError: null, imported: null, runId: null, fault: null,
});

/**
 * Drives one TrainClient; batches event bursts into at most ~5 renders a
 * second. Runs can be queued (the comparison runner): each starts when the
 * previous one is done, on the same dataset, seed and embeddings.
 */
export function useTrainRun(onDemo: (d: Dataset) => void, onFile: (name: string, mime: string, bytes: Uint8Array) => void) {
  const client = useRef<TrainClient | null>(null);
  const store = useRef<RunView>(empty());
  const [view, setView] = useState<RunView>(store.current);
  const [finished, setFinished] = useState<FinishedRun[]>([]);
  const timer = useRef<number | null>(null);
  const queue = useRef<{ runs: QueuedRun[]; dataset: Dataset; llm?: LlmEmbeddings; snapshotEvery: number; current: QueuedRun | null } | null>(null);
  /** The demo asked of the worker and not delivered yet. */
  const pendingDemo = useRef<DemoDataRef | null>(null);
  const onDemoRef = useRef(onDemo);
  onDemoRef.current = onDemo;
  const onFileRef = useRef(onFile);
  onFileRef.current = onFile;
  /** Set when a run continues in a new worker after a fault: its 'start' keeps the curves so far. */
  const keepCurves = useRef(false);
  const curves = useRef(new Map<string, BoundedCurve>());

  const flush = useCallback((now = false) => {
    const commit = () => {
      timer.current = null;
      setView({ ...store.current });
    };
    if (now) {
      if (timer.current !== null) clearTimeout(timer.current);
      commit();
    } else if (timer.current === null) timer.current = window.setTimeout(commit, 200);
  }, []);

  const launchNext = useCallback(() => {
    const q = queue.current;
    if (!q || !client.current) return;
    const next = q.runs.shift();
    if (!next) {
      queue.current = null;
      return;
    }
    q.current = next;
    const backend = store.current.backend;
    store.current = { ...empty(next.name), backend, status: 'starting' };
    flush(true);
    client.current.start(next.config, q.dataset, q.llm, q.snapshotEvery, next.name);
  }, [flush]);

  const onMessage = useCallback((m: TrainMessage) => {
    const s = store.current;
    switch (m.type) {
      case 'backend':
        s.backend = m.info;
        flush(true);
        return;
      case 'demo':
        pendingDemo.current = null;
        onDemoRef.current(m.dataset);
        return;
      case 'dataset':
        s.dataset = m.summary;
        flush(true);
        return;
      case 'snapshot':
        s.snapshots = thinSnapshots([...s.snapshots, m.snapshot], MAX_SNAPSHOTS, x => x.epoch);
        flush();
        return;
      case 'persisted':
        s.runId = m.runId;
        flush(true);
        return;
      case 'file':
        s.ioError = null;
        onFileRef.current(m.name, m.mime, m.bytes);
        flush(true);
        return;
      case 'imported':
        s.imported = { config: m.config, test: m.test, bundleTest: m.bundleTest };
        s.ioError = null;
        flush(true);
        return;
      case 'fault':
        s.fault = m.fault;
        s.status = m.fault.kind === 'numerical' ? 'failed' : 'lost';
        s.error = null;
        queue.current = null;
        flush(true);
        return;
      case 'error':
        if (m.scope === 'io') {
          s.ioError = m.message;
          flush(true);
          return;
        }
        s.status = 'error';
        s.error = m.message;
        queue.current = null;
        flush(true);
        return;
      case 'train': {
        const e = m.event;
        if (e.type === 'start') {
          // A run began (queued, or continuing an imported bundle): fresh curves.
          if (!keepCurves.current) Object.assign(s, { stepLoss: {}, epochLoss: {}, val: [], test: null, epoch: 0, totalEpochMs: 0, snapshots: [] });
          keepCurves.current = false;
          if (!queue.current?.current) s.name = 'continued from bundle';
        } else if (e.type === 'step') {
          const x = e.epoch - 1 + e.step / e.steps;
          for (const [k, v] of Object.entries(e.loss)) {
            // A curve reset (new run) or trimmed (continued after a fault) starts a new bounded curve from it.
            let c = curves.current.get(k);
            if (!c || c.points !== s.stepLoss[k]) curves.current.set(k, (c = BoundedCurve.from(s.stepLoss[k] ?? [], MAX_STEP_POINTS)));
            c.push(x, v);
            s.stepLoss[k] = c.points;
          }
          s.stepLoss = { ...s.stepLoss };
        } else if (e.type === 'epoch') {
          for (const [k, v] of Object.entries(e.loss)) (s.epochLoss[k] ??= []).push([e.epoch, v]);
          s.epochLoss = { ...s.epochLoss };
          s.epoch = e.epoch;
          s.lastEpochMs = e.ms;
          s.totalEpochMs += e.ms;
          s.stepsPerSec = e.stepsPerSec;
          s.numTensors = e.numTensors;
        } else if (e.type === 'eval') {
          s.val = [...s.val, { epoch: e.epoch, metrics: e.val }];
        } else if (e.type === 'test') {
          s.test = { metrics: e.test, bestEpoch: e.bestEpoch, epochs: e.epochs, stoppedEarly: e.stoppedEarly };
        } else if (e.type === 'state') {
          s.status = e.state;
          flush(true);
          if (e.state === 'done' || e.state === 'stopped') {
            const q = queue.current;
            if (q?.current) setFinished(f => [...f, { name: q.current!.name, config: q.current!.config, view: { ...s } }]);
            if (e.state === 'done') launchNext();
            else queue.current = null;
          }
          return;
        }
        flush();
      }
    }
  }, [flush, launchNext]);

  const ensureClient = useCallback((config: RunConfig) => {
    if (!client.current || client.current.backend !== config.backend || store.current.status === 'error' || store.current.status === 'lost') {
      client.current?.terminate();
      store.current.backend = null;
      client.current = new TrainClient(config.backend, onMessage, SESSION);
      // A demo the replaced worker had not delivered yet (e.g. a backend switch right after loading).
      if (pendingDemo.current) client.current.makeDemo(pendingDemo.current);
    }
    return client.current;
  }, [onMessage]);

  /** Runs `runs` one after another on the same dataset and embeddings. */
  const startQueue = useCallback((runs: QueuedRun[], dataset: Dataset, llm?: LlmEmbeddings, snapshotEvery = 0) => {
    if (!runs.length) return;
    ensureClient(runs[0]!.config);
    queue.current = { runs: [...runs], dataset, llm, snapshotEvery, current: null };
    launchNext();
  }, [ensureClient, launchNext]);

  /** Starts the worker for a backend choice (so the label shows) and builds the demo there. */
  const prepare = useCallback((config: RunConfig) => {
    const busy = ['running', 'paused', 'starting'].includes(store.current.status);
    const c = busy ? client.current! : ensureClient(config);
    flush(true);
    return c;
  }, [ensureClient, flush]);

  const makeDemo = useCallback((config: RunConfig, demo: DemoDataRef) => {
    pendingDemo.current = null; // superseded: a worker replaced by prepare() need not build it
    const c = prepare(config);
    pendingDemo.current = demo;
    c.makeDemo(demo);
  }, [prepare]);

  /** Shows `view` and has `c` resume stored run `runId` as the current (single-run) queue entry. */
  const resumeIn = (c: TrainClient, view: RunView, run: QueuedRun, runId: string, dataset: Dataset, llm: LlmEmbeddings | undefined, snapshotEvery: number) => {
    store.current = view;
    queue.current = { runs: [], dataset, llm, snapshotEvery, current: run };
    flush(true);
    c.resumeRun(runId, dataset, llm, snapshotEvery);
  };

  useEffect(() => () => client.current?.terminate(), []);

  // Fault injection for the end-to-end tests, only with `?test-hooks` in the address.
  useEffect(() => {
    if (!new URLSearchParams(location.search).has('test-hooks')) return;
    (window as unknown as { __darecTest: unknown }).__darecTest = {
      loseDevice: () => client.current?.debug({ action: 'lose-device' }),
      setLearningRate: (lr: number) => client.current?.debug({ action: 'set-lr', lr }),
    };
  }, []);

  return {
    view,
    finished,
    clearFinished: () => setFinished([]),
    start: (run: QueuedRun, dataset: Dataset, llm?: LlmEmbeddings, snapshotEvery = 0) => startQueue([run], dataset, llm, snapshotEvery),
    startQueue,
    prepare,
    makeDemo,
    resumeRun: (config: RunConfig, runId: string, name: string, dataset: Dataset, llm: LlmEmbeddings | undefined, snapshotEvery = 0) => {
      const c = ensureClient(config);
      const run = { name: `${name} (resumed)`, config };
      resumeIn(c, { ...empty(run.name), backend: store.current.backend, status: 'starting' }, run, runId, dataset, llm, snapshotEvery);
    },
    /**
     * After a lost GPU: a new wasm worker continues the run from the checkpoint the old one
     * wrote at its last completed epoch; the curves up to that epoch stay on screen.
     */
    continueOnWasm: (config: RunConfig, dataset: Dataset, llm: LlmEmbeddings | undefined, snapshotEvery = 0) => {
      const s = store.current, f = s.fault;
      if (!f?.runId || f.checkpointEpoch === null) return;
      const cp = f.checkpointEpoch;
      const upTo = <T,>(m: Record<string, T[]>, x: (p: T) => number) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.filter(p => x(p) <= cp)]));
      const wasm = { ...config, backend: 'wasm' as const };
      // The status is 'lost' (and the old worker's backend is not wasm): ensureClient terminates it and starts a wasm one.
      const c = ensureClient(wasm);
      keepCurves.current = true;
      resumeIn(c, {
        ...s, status: 'starting', backend: null, fault: null, error: null, epoch: cp,
        stepLoss: upTo(s.stepLoss, p => p[0]), epochLoss: upTo(s.epochLoss, p => p[0]),
        val: s.val.filter(v => v.epoch <= cp), snapshots: s.snapshots.filter(v => v.epoch <= cp),
      }, { name: s.name, config: wasm }, f.runId, dataset, llm, snapshotEvery);
    },
    exportFile: (what: 'bundle' | 'projector' | 'recbole') => client.current?.exportFile(what),
    importBundle: (config: RunConfig, bytes: Uint8Array, dataset: Dataset, llm: LlmEmbeddings | undefined, continueTraining: boolean, snapshotEvery = 0) => {
      const c = ensureClient(config);
      // Nothing is reset until the worker accepts the bundle: a bad file leaves the page as it was.
      store.current.ioError = null;
      flush(true);
      c.importBundle(bytes, dataset, llm, continueTraining, snapshotEvery);
    },
    pause: () => client.current?.pause(),
    resume: () => client.current?.resume(),
    stop: () => { if (queue.current) queue.current.runs = []; client.current?.stop(); },
  };
}
