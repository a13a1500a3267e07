import { describe, expect, it } from 'vitest';
import { createReduceHandler, type ReduceEvent, type ReduceRequest } from '../../src/workers/reduce.worker';
import { ReduceCancelledError, ReduceClient, type WorkerLike } from '../../src/workers/reduceClient';
import { plantedClusters } from './planted';

/** An in-process stand-in for the worker: messages are cloned as postMessage would, delivered on a later turn. */
function fakeWorker(): WorkerLike {
  const w: WorkerLike = {
    onmessage: null,
    onerror: null,
    terminate: () => undefined,
    postMessage: (m) => setTimeout(() => handle(structuredClone(m) as ReduceRequest), 0),
  };
  const handle = createReduceHandler((e: ReduceEvent) => setTimeout(() => w.onmessage?.({ data: e } as MessageEvent<ReduceEvent>), 0));
  return w;
}

describe('reducer worker protocol', () => {
  it('runs PCA and t-SNE with progress, then done', async () => {
    const client = new ReduceClient(fakeWorker);
    const { x } = plantedClusters(300, 8, 3, 1);
    const p = await client.reduce({ method: 'pca', x }).promise;
    expect(p.embedding.length).toBe(600);
    const iters: number[] = [];
    const t = await client.reduce({ method: 'tsne', x, options: { iterations: 40, progressEvery: 10 } }, { onProgress: (it, total, e) => {
      iters.push(it);
      expect(total).toBe(40);
      expect(e.length).toBe(600);
    } }).promise;
    expect(iters).toEqual([10, 20, 30, 40]);
    expect(t.embedding.length).toBe(600);
    expect(t.seconds).toBeGreaterThanOrEqual(0);
  });

  it('cancel rejects with ReduceCancelledError; the next job still runs', async () => {
    const client = new ReduceClient(fakeWorker);
    const { x } = plantedClusters(1600, 8, 3, 2);
    const job = client.reduce({ method: 'tsne', x, options: { iterations: 2000, method: 'barnes-hut' } }, { onProgress: () => job.cancel() });
    await expect(job.promise).rejects.toBeInstanceOf(ReduceCancelledError);
    const after = await client.reduce({ method: 'pca', x }).promise;
    expect(after.embedding.length).toBe(3200);
  });

  it('reports errors for bad input', async () => {
    const client = new ReduceClient(fakeWorker);
    await expect(client.reduce({ method: 'pca', x: { n: 3, dim: 2, data: new Float32Array(5) } }).promise).rejects.toThrow(/expected 3x2/);
  });
});
