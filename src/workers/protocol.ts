import type { BackendChoice, DemoDataRef, RunConfig } from '../core/config';
import type { Dataset } from '../core/data/types';
import type { TrainEvent } from '../core/train/events';
import type { LlmEmbeddings } from '../core/train/trainer';
import type { Snapshot } from '../core/train/snapshot';

export type { Snapshot };

/** Messages from the page to the training worker. */
export type TrainRequest =
  | { type: 'init'; backend: BackendChoice; wasmPath: string }
  /** Builds the demo dataset off the main thread and sends it back. */
  | { type: 'makeDemo'; demo: DemoDataRef }
  | { type: 'start'; config: RunConfig; dataset: Dataset; llm?: LlmEmbeddings; snapshotEvery?: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Bundle of the last finished run (weights, embeddings, config, metrics, history). */
  | { type: 'export' };

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
  | { type: 'bundle'; bytes: Uint8Array; name: string }
  | { type: 'error'; message: string };

export function summarize(d: Dataset): DatasetSummary {
  const train = d.train.users.length, val = d.val.users.length, test = d.test.users.length;
  return {
    name: d.name, users: d.numUsers, items: d.numItems, train, val, test,
    density: (train + val + test) / (d.numUsers * d.numItems),
    hasText: !!d.itemText,
    sampleTitles: (d.itemText ?? []).slice(0, 5).map(t => t.title),
  };
}
