import type { BackendChoice, DemoDataRef, RunConfig } from '../core/config';
import type { Dataset } from '../core/data/types';
import type { TrainEvent } from '../core/train/events';
import type { LlmEmbeddings } from '../core/train/trainer';
import type { Snapshot } from '../core/train/snapshot';

export type { Snapshot };

/** Fault injection for end-to-end tests; ignored unless `init` had `testHooks`. */
export type DebugAction = { action: 'lose-device' } | { action: 'set-lr'; lr: number };

/** Messages from the page to the training worker. */
export type TrainRequest =
  /** `owner` identifies the page session, so its own live runs are not offered for resume. */
  | { type: 'init'; backend: BackendChoice; wasmPath: string; owner: string; testHooks?: boolean }
  /** Builds the demo dataset off the main thread and sends it back. */
  | { type: 'makeDemo'; demo: DemoDataRef }
  | { type: 'start'; config: RunConfig; dataset: Dataset; llm?: LlmEmbeddings; snapshotEvery?: number; name?: string }
  /** Continues a stored run from its latest checkpoint (after a reload or crash). */
  | { type: 'resumeRun'; runId: string; dataset: Dataset; llm?: LlmEmbeddings; snapshotEvery?: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Bundle of the last run (weights, embeddings, config, metrics, history), or its embeddings as Projector TSV, or the dataset as RecBole atomic files. */
  | { type: 'export'; what: 'bundle' | 'projector' | 'recbole' }
  /** Loads a bundle onto `dataset`, evaluates it, and optionally continues training. */
  | { type: 'import'; bytes: Uint8Array; dataset: Dataset; llm?: LlmEmbeddings; continueTraining: boolean; snapshotEvery?: number }
  | ({ type: 'debug' } & DebugAction);

/**
 * Why a run stopped on its own: a NaN/Inf loss term, or the WebGPU device lost.
 * `checkpointEpoch` is the latest stored checkpoint of run `runId` (null: none yet).
 */
export interface RunFault {
  kind: 'numerical' | 'device-lost';
  message: string;
  runId: string | null;
  checkpointEpoch: number | null;
}

export interface BackendInfo {
  name: string;
  /** Adapter description for webgpu (vendor / architecture / fallback), else the backend's own words. */
  adapter: string;
  /** Why earlier candidates were skipped, when the first choice did not initialise. */
  note?: string;
}

export interface DatasetSummary {
  name: string;
  users: number;
  items: number;
  train: number;
  val: number;
  test: number;
  density: number;
  hasText: boolean;
  sampleTitles: string[];
}

/** Messages from the training worker to the page. */
export type TrainMessage =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'demo'; dataset: Dataset }
  | { type: 'dataset'; summary: DatasetSummary }
  | { type: 'train'; event: TrainEvent }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'file'; name: string; mime: string; bytes: Uint8Array }
  | { type: 'persisted'; runId: string | null }
  | { type: 'imported'; config: RunConfig; test: Record<string, number>; bundleTest: Record<string, number> | null }
  | { type: 'fault'; fault: RunFault }
  /** `scope` marks an export/import failure, which leaves the run's state alone. */
  | { type: 'error'; message: string; scope?: 'io' };

export function summarize(d: Dataset): DatasetSummary {
  const train = d.train.users.length, val = d.val.users.length, test = d.test.users.length;
  return {
    name: d.name, users: d.numUsers, items: d.numItems, train, val, test,
    density: (train + val + test) / (d.numUsers * d.numItems),
    hasText: !!d.itemText,
    sampleTitles: (d.itemText ?? []).slice(0, 5).map(t => t.title),
  };
}
