/**
 * Runs and their checkpoints in IndexedDB, so a reload or a crash mid-training can resume.
 *
 * Raw IndexedDB, no wrapper library: none is installed (idb / idb-keyval / Dexie), and this needs
 * two object stores, get / put / delete and two key-range cursors, which the raw API does in a few
 * lines. Nothing here depends on React; it works in a page or a worker.
 *
 * Split into pure codecs (`encodeCheckpoint` / `decodeCheckpoint`, `decodeRun`, `interruptedRuns`,
 * `checkpointEpochsToPrune`), tested in Node, and a thin `RunStore` that only moves their output
 * through IndexedDB (fake-indexeddb is not installed: tests/workers/persist.test.ts drives it
 * through a small in-memory stand-in, and the Playwright resume test in a real browser).
 *
 * A checkpoint holds named float32 tensors (model and alignment variables, best weights, Adam's
 * step count and moments; the random streams' states go in `extra`) packed into ONE
 * ArrayBuffer: structured-cloning one buffer is much faster than many small typed arrays, and the
 * copy detaches the stored data from tensors the trainer keeps using.
 */
import type { RunConfig } from '../core/config';
import type { HistoryEntry } from '../core/io/history';
import { openDb, req, txDone } from './idb';

export type RunStatus = 'running' | 'paused' | 'done' | 'stopped' | 'failed';

export interface RunRecord {
  id: string;
  name?: string;
  config: RunConfig;
  /** ms since epoch. */
  created: number;
  /** Last write (ms since epoch); interrupted runs are listed newest first by it. */
  updated: number;
  status: RunStatus;
  /** Any JSON-like object; `object` so interface-typed metrics fit. */
  metrics: object;
  history: HistoryEntry[];
  /** Fingerprint of the dataset the run trains on, to check before resuming. */
  datasetFingerprint?: string;
  /** Id of the page session that runs it, so another open tab's live run is not offered for resume. */
  owner?: string;
  lastCheckpointEpoch?: number;
  error?: string;
}

export interface CheckpointTensor {
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint {
  runId: string;
  /** Epochs completed when it was taken (resume starts at epoch + 1). */
  epoch: number;
  created: number;
  tensors: Record<string, CheckpointTensor>;
  /** Small structured-cloneable state besides tensors: RNG state, best epoch, patience counter, ... */
  extra?: Record<string, unknown>;
}

/** What is stored: one buffer plus an index. */
export interface StoredCheckpoint {
  runId: string;
  epoch: number;
  created: number;
  names: string[];
  shapes: number[][];
  /** Element offset of each tensor in `buffer` (float32 elements). */
  offsets: number[];
  buffer: ArrayBuffer;
  extra?: Record<string, unknown>;
}

const STATUSES: readonly RunStatus[] = ['running', 'paused', 'done', 'stopped', 'failed'];

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function encodeCheckpoint(cp: Checkpoint): StoredCheckpoint {
  if (typeof cp.runId !== 'string' || cp.runId === '') throw new Error('checkpoint: runId is empty');
  if (!Number.isInteger(cp.epoch) || cp.epoch < 0) throw new Error(`checkpoint: epoch must be a whole number >= 0 (got ${cp.epoch})`);
  const names = Object.keys(cp.tensors).sort();
  const shapes: number[][] = [];
  const offsets: number[] = [];
  let total = 0;
  for (const name of names) {
    const t = cp.tensors[name]!;
    if (!t.shape.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`checkpoint: tensor "${name}" has a bad shape [${t.shape.join(', ')}]`);
    if (size(t.shape) !== t.data.length) throw new Error(`checkpoint: tensor "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    shapes.push([...t.shape]);
    offsets.push(total);
    total += t.data.length;
  }
  const all = new Float32Array(total);
  names.forEach((name, k) => all.set(cp.tensors[name]!.data, offsets[k]!));
  const out: StoredCheckpoint = { runId: cp.runId, epoch: cp.epoch, created: cp.created, names, shapes, offsets, buffer: all.buffer };
  if (cp.extra) out.extra = structuredClone(cp.extra);
  return out;
}

/** Checks everything a corrupt or older record could get wrong before the trainer trusts it. */
export function decodeCheckpoint(raw: unknown): Checkpoint {
  const s = raw as Partial<StoredCheckpoint> | null;
  if (typeof s !== 'object' || s === null) throw new Error('checkpoint record is not an object');
  const { runId, epoch, names, shapes, offsets, buffer } = s;
  if (typeof runId !== 'string' || typeof epoch !== 'number') throw new Error('checkpoint record has no runId / epoch');
  const where = `checkpoint of run ${runId} at epoch ${epoch}`;
  if (!Array.isArray(names) || !Array.isArray(shapes) || !Array.isArray(offsets) || names.length !== shapes.length || names.length !== offsets.length) {
    throw new Error(`${where}: the tensor index is damaged`);
  }
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength % 4 !== 0) throw new Error(`${where}: the tensor data is missing`);
  const all = new Float32Array(buffer);
  const tensors: Record<string, CheckpointTensor> = {};
  names.forEach((name, k) => {
    const shape = shapes[k]!, off = offsets[k]!;
    const n = size(shape);
    if (typeof name !== 'string' || !Number.isInteger(off) || off < 0 || off + n > all.length) throw new Error(`${where}: tensor "${String(name)}" lies outside the stored data`);
    tensors[name] = { shape: [...shape], data: all.slice(off, off + n) };
  });
  const cp: Checkpoint = { runId, epoch, created: typeof s.created === 'number' ? s.created : 0, tensors };
  if (s.extra && typeof s.extra === 'object') cp.extra = s.extra;
  return cp;
}

/** A stored run, checked; returns null for a record too damaged to list. */
export function decodeRun(raw: unknown): RunRecord | null {
  const r = raw as Partial<RunRecord> | null;
  if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || typeof r.config !== 'object' || r.config === null) return null;
  return {
    ...r,
    id: r.id,
    config: r.config,
    created: typeof r.created === 'number' ? r.created : 0,
    updated: typeof r.updated === 'number' ? r.updated : typeof r.created === 'number' ? r.created : 0,
    status: STATUSES.includes(r.status as RunStatus) ? (r.status as RunStatus) : 'stopped',
    metrics: typeof r.metrics === 'object' && r.metrics !== null ? r.metrics : {},
    history: Array.isArray(r.history) ? r.history : [],
  };
}

/**
 * Runs to offer for resume: still marked 'running', not owned by this page session, and not `live`
 * (no tab holds the run's lock, see holdRunLock / liveRunIds: its page was reloaded or crashed).
 * Newest first.
 */
export function interruptedRuns(runs: readonly RunRecord[], opts: { currentOwner?: string; live?: ReadonlySet<string> } = {}): RunRecord[] {
  return runs
    .filter((r) => r.status === 'running' && (opts.currentOwner === undefined || r.owner !== opts.currentOwner) && !opts.live?.has(r.id))
    .sort((a, b) => b.updated - a.updated);
}

/**
 * While a worker trains a stored run it holds a Web Lock named for it. The browser releases it
 * when that worker or its tab goes away (reload, crash, close), so another tab can tell a run
 * that is still training elsewhere from an interrupted one at once, without heartbeats.
 */
const lockName = (runId: string) => `darec-run:${runId}`;

/**
 * Holds the run's lock until the returned function is called (a no-op without Web Locks, or when
 * the browser refuses the request, e.g. SecurityError: the run then just is not marked live).
 */
export function holdRunLock(runId: string): Promise<() => void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((acquired) => {
    locks.request(lockName(runId), () => new Promise<void>((release) => acquired(release))).catch(() => acquired(() => {}));
  });
}

/** Ids of stored runs that some tab is training right now (empty without Web Locks). */
export async function liveRunIds(): Promise<Set<string>> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const held = locks ? (await locks.query()).held ?? [] : [];
  const prefix = lockName('');
  return new Set(held.flatMap((l) => (l.name?.startsWith(prefix) ? [l.name.slice(prefix.length)] : [])));
}

/** Epochs to delete so the newest `keep` remain. */
export function checkpointEpochsToPrune(epochs: readonly number[], keep: number): number[] {
  if (keep < 1) throw new Error('keep at least one checkpoint');
  return [...epochs].sort((a, b) => b - a).slice(keep);
}

// ---------------------------------------------------------------------------------------------
// IndexedDB

const DB_NAME = 'darec-runs';
const DB_VERSION = 1;
const RUNS = 'runs';
const CHECKPOINTS = 'checkpoints';

const done = (tx: IDBTransaction) => txDone(tx, 'IndexedDB transaction aborted (storage full?)');

/** All checkpoint keys of a run: [runId, epoch] compares numbers after the string. */
function runRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

export class RunStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** `factory` lets tests pass fake-indexeddb; default the global indexedDB. */
  static open(factory: IDBFactory | undefined = globalThis.indexedDB, name = DB_NAME): Promise<RunStore> {
    if (!factory) return Promise.reject(new Error('IndexedDB is not available here (private window?); runs will not be saved'));
    return openDb(factory, name, DB_VERSION, { [RUNS]: { keyPath: 'id' }, [CHECKPOINTS]: { keyPath: ['runId', 'epoch'] } }, {
      blockedMessage: 'IndexedDB is blocked by another tab; close it and reload',
    }).then((db) => new RunStore(db));
  }

  close(): void {
    this.db.close();
  }

  /** Newest first; damaged records are skipped. */
  async listRuns(): Promise<RunRecord[]> {
    const tx = this.db.transaction(RUNS, 'readonly');
    const all = await req(tx.objectStore(RUNS).getAll());
    return all.map(decodeRun).filter((r): r is RunRecord => r !== null).sort((a, b) => b.created - a.created);
  }

  async getRun(id: string): Promise<RunRecord | null> {
    const tx = this.db.transaction(RUNS, 'readonly');
    return decodeRun(await req(tx.objectStore(RUNS).get(id)));
  }

  async putRun(run: RunRecord): Promise<void> {
    const tx = this.db.transaction(RUNS, 'readwrite');
    tx.objectStore(RUNS).put(run);
    await done(tx);
  }

  /** Deletes the run and all its checkpoints in one transaction. */
  async deleteRun(id: string): Promise<void> {
    const tx = this.db.transaction([RUNS, CHECKPOINTS], 'readwrite');
    tx.objectStore(RUNS).delete(id);
    tx.objectStore(CHECKPOINTS).delete(runRange(id));
    await done(tx);
  }

  /**
   * Stores a checkpoint, records its epoch on the run, and keeps only the newest `keep` (default 2:
   * the latest, plus one in case the latest write was cut off).
   */
  async putCheckpoint(cp: Checkpoint, opts: { keep?: number } = {}): Promise<void> {
    const stored = encodeCheckpoint(cp);
    const keep = opts.keep ?? 2;
    const tx = this.db.transaction([CHECKPOINTS, RUNS], 'readwrite');
    const cps = tx.objectStore(CHECKPOINTS);
    cps.put(stored);
    const keys = (await req(cps.getAllKeys(runRange(cp.runId)))) as [string, number][];
    for (const e of checkpointEpochsToPrune(keys.map((k) => k[1]), keep)) cps.delete([cp.runId, e]);
    const runs = tx.objectStore(RUNS);
    const run = decodeRun(await req(runs.get(cp.runId)));
    if (run) runs.put({ ...run, lastCheckpointEpoch: cp.epoch, updated: Date.now() });
    await done(tx);
  }

  /** Epochs with a checkpoint, ascending (keys only: no tensor data is read). */
  async checkpointEpochs(runId: string): Promise<number[]> {
    const tx = this.db.transaction(CHECKPOINTS, 'readonly');
    const keys = (await req(tx.objectStore(CHECKPOINTS).getAllKeys(runRange(runId)))) as [string, number][];
    return keys.map((k) => k[1]).sort((a, b) => a - b);
  }

  async getCheckpoint(runId: string, epoch: number): Promise<Checkpoint | null> {
    const tx = this.db.transaction(CHECKPOINTS, 'readonly');
    const raw = await req(tx.objectStore(CHECKPOINTS).get([runId, epoch]));
    return raw === undefined ? null : decodeCheckpoint(raw);
  }

  async latestCheckpoint(runId: string): Promise<Checkpoint | null> {
    const tx = this.db.transaction(CHECKPOINTS, 'readonly');
    const cursor = await req(tx.objectStore(CHECKPOINTS).openCursor(runRange(runId), 'prev'));
    return cursor ? decodeCheckpoint(cursor.value) : null;
  }

  async deleteCheckpoints(runId: string): Promise<void> {
    const tx = this.db.transaction(CHECKPOINTS, 'readwrite');
    tx.objectStore(CHECKPOINTS).delete(runRange(runId));
    await done(tx);
  }
}
