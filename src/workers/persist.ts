import type { SavedState, Trainer } from '../core/train/trainer';
import type { RunConfig } from '../core/config';
import { datasetFingerprint } from '../core/embed/fingerprint';
import { RunStore, type RunRecord } from './runStore';

/**
 * Keeps a run in IndexedDB while it trains, from the worker: the record (config,
 * status, history, heartbeat) every epoch and a checkpoint (current and best
 * weights + early-stopping state) every `every` epochs, so a reload or crash
 * loses at most one checkpoint interval. Failures to persist never stop training.
 */
export class RunPersister {
  private constructor(private readonly store: RunStore, private record: RunRecord, private readonly every: number) {}

  static async begin(opts: { id?: string; name: string; config: RunConfig; trainer: Trainer; owner: string; every: number }): Promise<RunPersister | null> {
    try {
      const store = await RunStore.open();
      const now = Date.now();
      const existing = opts.id ? await store.getRun(opts.id) : null;
      const record: RunRecord = existing
        ? { ...existing, status: 'running', owner: opts.owner, updated: now }
        : {
          id: crypto.randomUUID(), name: opts.name, config: opts.config, created: now, updated: now, status: 'running',
          metrics: {}, history: [], owner: opts.owner, datasetFingerprint: datasetFingerprint(opts.trainer.dataset),
        };
      await store.putRun(record);
      return new RunPersister(store, record, Math.max(1, opts.every));
    } catch {
      return null;
    }
  }

  get id(): string {
    return this.record.id;
  }

  /** Epoch of the latest stored checkpoint (null: none yet). */
  get lastCheckpointEpoch(): number | null {
    return this.record.lastCheckpointEpoch ?? null;
  }

  /** `state`: the trainer's state at this epoch when the caller has already read it. */
  async afterEpoch(trainer: Trainer, epoch: number, history: RunRecord['history'], state?: SavedState | null): Promise<void> {
    try {
      if (epoch % this.every === 0) await this.checkpoint(state ?? (await trainer.saveState()));
      this.record = { ...this.record, updated: Date.now(), history };
      await this.store.putRun(this.record);
    } catch {
      // Persistence is best effort (quota, private mode); the run goes on.
    }
  }

  /** Stores a state taken earlier by `Trainer.saveState` (after a lost GPU, the weights can no longer be read). */
  async checkpoint(s: SavedState): Promise<void> {
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    s.weights.forEach((w, k) => { tensors[`w${k}`] = { shape: s.shapes[k]!, data: w }; });
    s.bestWeights?.forEach((w, k) => { tensors[`best${k}`] = { shape: s.shapes[k]!, data: w }; });
    s.optimizer?.forEach((w, k) => { tensors[`opt${k}`] = w; });
    await this.store.putCheckpoint({
      runId: this.record.id, epoch: s.loop.epoch, created: Date.now(), tensors,
      extra: { loop: s.loop, count: s.weights.length, hasBest: !!s.bestWeights, optCount: s.optimizer?.length ?? 0, rng: s.rng, align: s.align ?? null },
    });
    // putCheckpoint already set lastCheckpointEpoch on the stored record, in the same transaction;
    // this copy carries it into later writes of the record.
    this.record = { ...this.record, lastCheckpointEpoch: s.loop.epoch, updated: Date.now() };
  }

  async finish(status: RunRecord['status'], metrics: object, error?: string): Promise<void> {
    try {
      this.record = { ...this.record, status, metrics, updated: Date.now(), ...(error ? { error } : {}) };
      await this.store.putRun(this.record);
    } catch {
      /* best effort */
    }
  }

  /** The latest checkpoint of a stored run as `Trainer.restoreState` input, plus the run record. */
  static async load(runId: string) {
    const store = await RunStore.open();
    const run = await store.getRun(runId);
    if (!run) throw new Error('that run is no longer stored');
    const cp = await store.latestCheckpoint(runId);
    if (!cp) throw new Error('the run has no checkpoint yet (it stopped before the first one)');
    const extra = cp.extra as { loop: SavedState['loop']; count: number; hasBest: boolean; optCount?: number; rng?: number[]; align?: unknown };
    const weights: Float32Array[] = [], shapes: number[][] = [], best: Float32Array[] = [];
    for (let k = 0; k < extra.count; k++) {
      const w = cp.tensors[`w${k}`];
      if (!w) throw new Error('the checkpoint is damaged');
      weights.push(w.data);
      shapes.push(w.shape);
      if (extra.hasBest) best.push(cp.tensors[`best${k}`]!.data);
    }
    // Checkpoints from before optimiser and RNG states were stored have neither: Adam and the streams restart.
    const optimizer = Array.from({ length: extra.optCount ?? 0 }, (_, k) => cp.tensors[`opt${k}`]!);
    const state: SavedState = { weights, shapes, bestWeights: extra.hasBest ? best : null, loop: extra.loop, optimizer, ...(extra.rng ? { rng: extra.rng } : {}), align: extra.align ?? null };
    return { run, state };
  }
}
