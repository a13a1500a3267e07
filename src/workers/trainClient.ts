import type { BackendChoice, DemoDataRef, RunConfig } from '../core/config';
import type { Dataset } from '../core/data/types';
import type { LlmEmbeddings } from '../core/train/trainer';
import type { DebugAction, TrainMessage, TrainRequest } from './protocol';

/** Page-side handle on one training worker (one backend per worker). */
export class TrainClient {
  private worker: Worker;
  constructor(readonly backend: BackendChoice, onMessage: (m: TrainMessage) => void, owner: string) {
    this.worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<TrainMessage>) => onMessage(e.data);
    this.worker.onerror = e => onMessage({ type: 'error', message: `worker failed: ${e.message || 'unknown error'}` });
    // Resolved against the page, so the wasm files are found in dev and under any base path.
    const wasmPath = new URL('tfjs-wasm/', document.baseURI).href;
    // `?test-hooks` in the page's address lets end-to-end tests inject faults (lost GPU, diverging learning rate).
    this.send({ type: 'init', backend, wasmPath, owner, testHooks: new URLSearchParams(location.search).has('test-hooks') });
  }
  private send(r: TrainRequest): void {
    this.worker.postMessage(r);
  }
  makeDemo(demo: DemoDataRef): void {
    this.send({ type: 'makeDemo', demo });
  }
  start(config: RunConfig, dataset: Dataset, llm?: LlmEmbeddings, snapshotEvery = 0, name?: string): void {
    this.send({ type: 'start', config, dataset, llm, snapshotEvery, name });
  }
  resumeRun(runId: string, dataset: Dataset, llm?: LlmEmbeddings, snapshotEvery = 0): void {
    this.send({ type: 'resumeRun', runId, dataset, llm, snapshotEvery });
  }
  pause(): void {
    this.send({ type: 'pause' });
  }
  resume(): void {
    this.send({ type: 'resume' });
  }
  stop(): void {
    this.send({ type: 'stop' });
  }
  exportFile(what: 'bundle' | 'projector' | 'recbole'): void {
    this.send({ type: 'export', what });
  }
  importBundle(bytes: Uint8Array, dataset: Dataset, llm: LlmEmbeddings | undefined, continueTraining: boolean, snapshotEvery = 0): void {
    this.send({ type: 'import', bytes, dataset, llm, continueTraining, snapshotEvery });
  }
  debug(r: DebugAction): void {
    this.send({ type: 'debug', ...r });
  }
  terminate(): void {
    this.worker.terminate();
  }
}
