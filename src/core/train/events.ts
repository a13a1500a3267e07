import type { Metrics } from '../eval/metrics';

/** Everything the trainer reports; the UI and the CLI only render these. */
export type TrainEvent =
  | { type: 'start'; backend: string; numUsers: number; numItems: number; train: number; val: number; test: number; stepsPerEpoch: number }
  | { type: 'step'; epoch: number; step: number; steps: number; loss: Record<string, number> }
  | { type: 'epoch'; epoch: number; ms: number; loss: Record<string, number>; numTensors: number; stepsPerSec: number }
  | { type: 'eval'; epoch: number; ms: number; val: Metrics; best: boolean }
  | { type: 'test'; test: Metrics; bestEpoch: number; epochs: number; stoppedEarly: boolean }
  | { type: 'state'; state: 'running' | 'paused' | 'stopped' | 'done' };

export type TrainListener = (e: TrainEvent) => void;
