import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunConfig } from '../core/config';
import type { Dataset } from '../core/data/types';
import type { Metrics } from '../core/eval/metrics';
import { TrainClient } from '../workers/trainClient';
import type { BackendInfo, DatasetSummary, TrainMessage } from '../workers/protocol';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'stopped' | 'done' | 'error';

/** Everything the page shows about the current run, rebuilt only from worker events. */
export interface RunView {
  status: RunStatus;
  backend: BackendInfo | null;
  dataset: DatasetSummary | null;
  error: string | null;
  /** Per-step loss terms: x = fractional epoch. */
  stepLoss: Record<string, [number, number][]>;
  /** Per-epoch mean loss terms. */
  epochLoss: Record<string, [number, number][]>;
  val: { epoch: number; metrics: Metrics }[];
  test: { metrics: Metrics; bestEpoch: number; epochs: number; stoppedEarly: boolean } | null;
  epoch: number;
  lastEpochMs: number | null;
  stepsPerSec: number | null;
  numTensors: number | null;
}

const empty = (): RunView => ({
  status: 'idle', backend: null, dataset: null, error: null, stepLoss: {}, epochLoss: {}, val: [], test: null,
  epoch: 0, lastEpochMs: null, stepsPerSec: null, numTensors: null,
});

/** Drives one TrainClient; batches event bursts into at most ~5 renders a second. */
export function useTrainRun() {
  const client = useRef<TrainClient | null>(null);
  const store = useRef<RunView>(empty());
  const [view, setView] = useState<RunView>(store.current);
  const timer = useRef<number | null>(null);

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

  const onMessage = useCallback((m: TrainMessage) => {
    const s = store.current;
    switch (m.type) {
      case 'backend':
        s.backend = m.info;
        flush(true);
        return;
      case 'dataset':
        s.dataset = m.summary;
        flush(true);
        return;
      case 'error':
        s.status = 'error';
        s.error = m.message;
        flush(true);
        return;
      case 'train': {
        const e = m.event;
        if (e.type === 'step') {
          const x = e.epoch - 1 + e.step / e.steps;
          for (const [k, v] of Object.entries(e.loss)) (s.stepLoss[k] ??= []).push([x, v]);
          s.stepLoss = { ...s.stepLoss };
        } else if (e.type === 'epoch') {
          for (const [k, v] of Object.entries(e.loss)) (s.epochLoss[k] ??= []).push([e.epoch, v]);
          s.epochLoss = { ...s.epochLoss };
          s.epoch = e.epoch;
          s.lastEpochMs = e.ms;
          s.stepsPerSec = e.stepsPerSec;
          s.numTensors = e.numTensors;
        } else if (e.type === 'eval') {
          s.val = [...s.val, { epoch: e.epoch, metrics: e.val }];
        } else if (e.type === 'test') {
          s.test = { metrics: e.test, bestEpoch: e.bestEpoch, epochs: e.epochs, stoppedEarly: e.stoppedEarly };
        } else if (e.type === 'state') {
          s.status = e.state;
          flush(true);
          return;
        }
        flush();
      }
    }
  }, [flush]);

  const ensureClient = useCallback((config: RunConfig) => {
    if (!client.current || client.current.backend !== config.backend || store.current.status === 'error') {
      client.current?.terminate();
      store.current.backend = null;
      client.current = new TrainClient(config.backend, onMessage);
    }
    return client.current;
  }, [onMessage]);

  const start = useCallback((config: RunConfig, dataset?: Dataset) => {
    const c = ensureClient(config);
    const backend = store.current.backend;
    store.current = { ...empty(), backend, status: 'starting' };
    flush(true);
    c.start(config, dataset);
  }, [ensureClient, flush]);

  /** Starts the worker for a backend choice so the page can show which backend it got. */
  const prepare = useCallback((config: RunConfig) => {
    if (store.current.status === 'running' || store.current.status === 'paused' || store.current.status === 'starting') return;
    ensureClient(config);
    flush(true);
  }, [ensureClient, flush]);

  useEffect(() => () => client.current?.terminate(), []);

  return {
    view,
    start,
    prepare,
    pause: () => client.current?.pause(),
    resume: () => client.current?.resume(),
    stop: () => client.current?.stop(),
  };
}
