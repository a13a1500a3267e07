import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import type { Dataset } from '../../src/core/data/types';
import type { SavedState, Trainer } from '../../src/core/train/trainer';
import { RunPersister } from '../../src/workers/persist';
import { RunStore } from '../../src/workers/runStore';
import { FakeKeyRange, fakeIndexedDB } from './fakeIdb';

const e = { users: new Int32Array(0), items: new Int32Array(0) };
const dataset: Dataset = { name: 'x', numUsers: 1, numItems: 2, train: { users: Int32Array.from([0]), items: Int32Array.from([1]) }, val: e, test: e };

function state(epoch: number): SavedState {
  return {
    weights: [Float32Array.from([epoch, 1])],
    shapes: [[2]],
    bestWeights: null,
    loop: { epoch, best: 0, bestEpoch: 0, bad: 0, history: [], lossHistory: [] } as unknown as SavedState['loop'],
    optimizer: [{ shape: [], data: Float32Array.from([epoch]) }],
    rng: [1, 2],
  };
}

describe('RunPersister (against an in-memory IndexedDB)', () => {
  let idb: ReturnType<typeof fakeIndexedDB>;
  beforeEach(() => {
    idb = fakeIndexedDB();
    vi.stubGlobal('indexedDB', idb);
    vi.stubGlobal('IDBKeyRange', FakeKeyRange);
  });
  afterEach(() => vi.unstubAllGlobals());

  async function begin(every = 2) {
    const trainer = { dataset, saveState: async () => state(99) } as unknown as Trainer;
    const p = (await RunPersister.begin({ name: 'r', config: defaultConfig(), trainer, owner: 'me', every }))!;
    expect(p).not.toBeNull();
    return { p, trainer, store: await RunStore.open(idb as unknown as IDBFactory) };
  }

  it('a checkpoint epoch writes the record twice (putCheckpoint, then the history), with lastCheckpointEpoch', async () => {
    const { p, trainer, store } = await begin();
    const db = idb.dbs.get('darec-runs')!;
    const history = [{ epoch: 2 }] as unknown as Parameters<RunPersister['afterEpoch']>[2];
    db.puts.length = 0;
    await p.afterEpoch(trainer, 2, history, state(2));
    expect(db.puts).toEqual(['checkpoints', 'runs', 'runs']);
    expect(p.lastCheckpointEpoch).toBe(2);
    const run = (await store.getRun(p.id))!;
    expect(run).toMatchObject({ lastCheckpointEpoch: 2, history, status: 'running' });
    expect(await store.checkpointEpochs(p.id)).toEqual([2]);
    // Not a checkpoint epoch: the record only.
    db.puts.length = 0;
    await p.afterEpoch(trainer, 3, history, state(3));
    expect(db.puts).toEqual(['runs']);
    expect((await store.getRun(p.id))!.lastCheckpointEpoch).toBe(2);
  });

  it('checkpoint() alone (the lost-GPU path) leaves lastCheckpointEpoch on the stored record, and later writes keep it', async () => {
    const { p, store } = await begin();
    await p.checkpoint(state(5));
    expect(p.lastCheckpointEpoch).toBe(5);
    expect((await store.getRun(p.id))!.lastCheckpointEpoch).toBe(5);
    const { state: back } = await RunPersister.load(p.id);
    expect(back.loop.epoch).toBe(5);
    expect(Array.from(back.weights[0]!)).toEqual([5, 1]);
    await p.finish('stopped', {});
    expect(await store.getRun(p.id)).toMatchObject({ lastCheckpointEpoch: 5, status: 'stopped' });
  });
});
