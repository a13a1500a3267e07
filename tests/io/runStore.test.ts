import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { checkpointEpochsToPrune, decodeCheckpoint, decodeRun, encodeCheckpoint, interruptedRuns, type Checkpoint, type RunRecord } from '../../src/workers/runStore';

// The IndexedDB class (RunStore) is a thin wrapper over these codecs; fake-indexeddb is not installed,
// so it is exercised through a small in-memory stand-in (tests/workers/persist.test.ts) and in the
// browser (Playwright).

function cp(): Checkpoint {
  return {
    runId: 'run-1',
    epoch: 6,
    created: 123,
    tensors: {
      user_embeds: { shape: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
      'sharedCF.0.bias': { shape: [2], data: new Float32Array([-1, 0.5]) },
      empty: { shape: [0, 5], data: new Float32Array(0) },
    },
    extra: { rng: [1, 2, 3], bestEpoch: 3 },
  };
}

describe('checkpoint codec', () => {
  it('packs tensors into one buffer and decodes them unchanged', () => {
    const c = cp();
    const s = encodeCheckpoint(c);
    expect(s.names).toEqual(['empty', 'sharedCF.0.bias', 'user_embeds']);
    expect(s.buffer.byteLength).toBe(8 * 4);
    // What IndexedDB would store is a structured clone.
    const back = decodeCheckpoint(structuredClone(s));
    expect(back).toEqual(c);
  });

  it('copies: later changes to the trainer arrays do not reach the stored record, nor back', () => {
    const c = cp();
    const s = encodeCheckpoint(c);
    c.tensors.user_embeds!.data[0] = 99;
    const d = decodeCheckpoint(s);
    expect(d.tensors.user_embeds!.data[0]).toBe(1);
    d.tensors.user_embeds!.data[1] = 77;
    expect(decodeCheckpoint(s).tensors.user_embeds!.data[1]).toBe(2);
  });

  it('rejects bad input and damaged records', () => {
    expect(() => encodeCheckpoint({ ...cp(), tensors: { a: { shape: [2], data: new Float32Array(3) } } })).toThrow(/3 values for shape \[2\]/);
    expect(() => encodeCheckpoint({ ...cp(), epoch: -1 })).toThrow(/epoch/);
    expect(() => encodeCheckpoint({ ...cp(), runId: '' })).toThrow(/runId/);
    const s = encodeCheckpoint(cp());
    expect(() => decodeCheckpoint({ ...s, offsets: [0, 0] })).toThrow(/tensor index is damaged/);
    expect(() => decodeCheckpoint({ ...s, buffer: new ArrayBuffer(8) })).toThrow(/"user_embeds" lies outside the stored data/);
    expect(() => decodeCheckpoint({ ...s, buffer: undefined })).toThrow(/tensor data is missing/);
    expect(() => decodeCheckpoint(null)).toThrow(/not an object/);
  });
});

describe('run records', () => {
  const run = (over: Partial<RunRecord>): RunRecord => ({ id: 'r', config: defaultConfig(), created: 0, updated: 0, status: 'done', metrics: {}, history: [], ...over });

  it('decodeRun fills missing fields and drops unusable records', () => {
    expect(decodeRun({ id: 'a', config: defaultConfig(), created: 5, status: 'weird' })).toMatchObject({ id: 'a', created: 5, updated: 5, status: 'stopped', metrics: {}, history: [] });
    expect(decodeRun({ id: 'a' })).toBeNull();
    expect(decodeRun(undefined)).toBeNull();
    const r = run({ id: 'x', status: 'running', owner: 'tab1', lastCheckpointEpoch: 3 });
    expect(decodeRun(structuredClone(r))).toEqual(r);
  });

  it('interruptedRuns: running, not live, not this page session; newest first', () => {
    const runs = [
      run({ id: 'done', status: 'done', updated: 0 }),
      run({ id: 'old', status: 'running', updated: 1_000 }),
      run({ id: 'newer', status: 'running', updated: 5_000 }),
      run({ id: 'live', status: 'running', updated: 59_000 }),
      run({ id: 'mine', status: 'running', updated: 0, owner: 'me' }),
    ];
    expect(interruptedRuns(runs, { currentOwner: 'me' }).map((r) => r.id)).toEqual(['live', 'newer', 'old']);
    expect(interruptedRuns(runs).map((r) => r.id)).toEqual(['live', 'newer', 'old', 'mine']);
    // A run whose lock another tab holds is training there, however long ago its record was written.
    expect(interruptedRuns(runs, { currentOwner: 'me', live: new Set(['old', 'live']) }).map((r) => r.id)).toEqual(['newer']);
  });

  it('checkpointEpochsToPrune keeps the newest', () => {
    expect(checkpointEpochsToPrune([3, 9, 6, 12], 2)).toEqual([6, 3]);
    expect(checkpointEpochsToPrune([3], 2)).toEqual([]);
    expect(() => checkpointEpochsToPrune([1], 0)).toThrow();
  });
});
