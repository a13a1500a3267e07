/**
 * The worker protocol end to end in Node: DataClient talks to the real message
 * handler of data.worker.ts through a fake Worker that structured-clones
 * messages like postMessage does.
 */
import { describe, expect, it } from 'vitest';
import { DataClient, DataLoadCancelled, DataLoadError, filesToWorkerFiles, type DataWorkerEvent, type DataWorkerRequest, type WorkerLike } from '../../src/workers/dataClient';
import { datasetTransfer, handleDataMessage } from '../../src/workers/data.worker';
import { preprocessConfig } from '../../src/core/data/preprocess';
import type { LoadProgress } from '../../src/core/data/load';
import { fixtureFiles } from './fixtures';

class FakeWorker implements WorkerLike {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly transferred: Transferable[][] = [];
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    const msg = structuredClone(message) as DataWorkerRequest;
    void handleDataMessage(msg, (ev: DataWorkerEvent, t?: Transferable[]) => {
      this.transferred.push(t ?? []);
      const copy = structuredClone(ev, { transfer: t as Transferable[] | undefined });
      setTimeout(() => !this.terminated && this.onmessage?.({ data: copy } as MessageEvent), 0);
    });
    void transfer;
  }
  terminate(): void {
    this.terminated = true;
  }
}

const asBuffers = (dir: string) => fixtureFiles(dir).map(f => ({ name: f.name, buffer: f.bytes.slice().buffer as ArrayBuffer }));

describe('data worker protocol', () => {
  it('detect, then load twice with other options without resending files', async () => {
    const w = new FakeWorker();
    const client = new DataClient(() => w);
    const det = await client.detect(asBuffers('ml-latest-small'));
    expect(det.format).toBe('movielens-csv');
    const progress: LoadProgress[] = [];
    const a = await client.load(preprocessConfig({ split: 'loo' }), p => progress.push(p));
    expect(a.dataset.numUsers).toBe(5);
    expect(a.dataset.train.users).toBeInstanceOf(Int32Array);
    expect(a.report.split.kind).toBe('loo');
    expect(a.stats.users).toBe(5);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
    expect(progress.every(p => typeof p.rowsPerSec === 'number' && typeof p.rows === 'number')).toBe(true);
    const b = await client.load(preprocessConfig({ threshold: 4 }));
    expect(b.report.steps[0]!.step).toBe('threshold');
    // The dataset's arrays went over as transferables.
    expect(w.transferred.some(t => t.length >= 4)).toBe(true);
  });

  it('a DataError comes back with its position and rejects the load', async () => {
    const client = new DataClient(() => new FakeWorker());
    await client.detect(asBuffers('ml-latest-small'));
    const err = await client.load(preprocessConfig({ threshold: 9 })).catch(e => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect(err.message).toMatch(/expected at least one interaction with rating >= 9/);
    const bad = new DataClient(() => new FakeWorker());
    const e2 = await bad.detect([{ name: 'u.data', buffer: new TextEncoder().encode('1\t2\t3\tx\n').buffer as ArrayBuffer }]).then(() => bad.load(preprocessConfig())).catch(e => e);
    expect(e2).toMatchObject({ file: 'u.data', line: 1, column: 4 });
  });

  it('reads Blobs (File objects) too, keeping folder paths', async () => {
    const files = fixtureFiles('split').map(f => new File([f.bytes as BlobPart], f.name.split('/')[1]!));
    Object.defineProperty(files[0]!, 'webkitRelativePath', { value: 'split/' + files[0]!.name });
    const wf = filesToWorkerFiles(files);
    expect(wf[0]!.name).toBe('split/' + files[0]!.name);
    const client = new DataClient(() => new FakeWorker());
    const det = await client.detect(wf);
    expect(det.format).toBe('split-folder');
    const r = await client.load(preprocessConfig({ split: 'given' }));
    expect(r.report.split).toMatchObject({ train: 7, val: 2, test: 3 });
  });

  it('cancel rejects the pending request; the next load restarts the worker and resends Blobs', async () => {
    let made = 0;
    const client = new DataClient(() => (made++, new FakeWorker()));
    const blobs = fixtureFiles('ml-100k').map(f => ({ name: f.name, blob: new Blob([f.bytes as BlobPart]) }));
    await client.detect(blobs);
    const p = client.load(preprocessConfig());
    client.cancel();
    await expect(p).rejects.toBeInstanceOf(DataLoadCancelled);
    const r = await client.load(preprocessConfig());
    expect(r.dataset.numItems).toBe(6);
    expect(made).toBe(2);
  });

  it('a worker that fails (e.g. its script cannot load) rejects the request with a message; the next load starts a new worker with the files', async () => {
    let made = 0;
    const workers: FakeWorker[] = [];
    const client = new DataClient(() => (made++, workers[workers.push(new FakeWorker()) - 1]!));
    const blobs = fixtureFiles('ml-100k').map(f => ({ name: f.name, blob: new Blob([f.bytes as BlobPart]) }));
    await client.detect(blobs);
    const p = client.load(preprocessConfig());
    workers[0]!.onerror?.({ message: 'Failed to fetch a worker script' } as ErrorEvent);
    await expect(p).rejects.toThrow('the data worker failed: Failed to fetch a worker script');
    expect(workers[0]!.terminated).toBe(true);
    const r = await client.load(preprocessConfig());
    expect(r.dataset.numItems).toBe(6);
    expect(made).toBe(2);
  });

  it('transfer list has each buffer once', () => {
    const shared = new Int32Array(4);
    const d = { name: 'x', numUsers: 1, numItems: 1, train: { users: shared.subarray(0, 2), items: shared.subarray(2) }, val: { users: new Int32Array(0), items: new Int32Array(0) }, test: { users: new Int32Array(0), items: new Int32Array(0) } };
    expect(datasetTransfer(d)).toHaveLength(5);
  });
});
