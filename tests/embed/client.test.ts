// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { EmbedClient, EmbedCancelledError } from '../../src/workers/embedClient';
import type { EmbedEvent, EmbedRequest } from '../../src/workers/embed.worker';

/** Stands in for the worker: answers each request with a scripted sequence of events. */
class FakeWorker {
  onmessage: ((ev: MessageEvent<EmbedEvent>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  sent: EmbedRequest[] = [];
  constructor(private script: (req: EmbedRequest, emit: (e: EmbedEvent) => void) => void) {}
  postMessage(req: EmbedRequest) {
    this.sent.push(req);
    queueMicrotask(() => this.script(req, (e) => this.onmessage?.({ data: e } as MessageEvent<EmbedEvent>)));
  }
  terminate() {}
}

const job = {
  source: { kind: 'hub' as const, id: 'x/y' }, modelKey: 'x/y', device: 'wasm' as const, dtype: 'q8' as const,
  batchSize: 8, items: ['a', 'b'], users: ['c'], ortBaseUrl: 'http://127.0.0.1/ort/',
};

describe('EmbedClient', () => {
  it('routes status, progress and the result of a job by id', async () => {
    const w = new FakeWorker((req, emit) => {
      if (req.type !== 'embed') return;
      emit({ type: 'status', id: req.id, message: 'loading', fraction: 0.5 });
      emit({ type: 'progress', id: req.id, done: 2, total: 3, itemsPerSec: 10, etaSec: 0.1 });
      emit({ type: 'progress', id: req.id + 100, done: 99, total: 99, itemsPerSec: 1, etaSec: 0 });
      emit({ type: 'done', id: req.id, users: new Float32Array(2), items: new Float32Array(4), dim: 2, device: 'wasm', seconds: 1 });
    });
    const c = new EmbedClient(() => w as unknown as Worker);
    const seen: string[] = [];
    const r = await c.compute(job, { onStatus: (m, f) => seen.push(`${m}:${f}`), onProgress: (p) => seen.push(`p${p.done}/${p.total}`) }).promise;
    expect(seen).toEqual(['loading:0.5', 'p2/3']);
    expect([r.dim, r.items.length, r.users.length, r.device]).toEqual([2, 4, 2, 'wasm']);
    expect(w.sent[0]).toMatchObject({ type: 'embed', ortBaseUrl: 'http://127.0.0.1/ort/', items: ['a', 'b'] });
  });

  it('cancel sends a cancel message and the promise rejects with EmbedCancelledError', async () => {
    let pendingId = -1;
    const w = new FakeWorker((req, emit) => {
      if (req.type === 'embed') pendingId = req.id;
      if (req.type === 'cancel') emit({ type: 'error', id: pendingId, message: 'embedding cancelled', cancelled: true });
    });
    const c = new EmbedClient(() => w as unknown as Worker);
    const j = c.compute(job);
    await Promise.resolve();
    j.cancel();
    await expect(j.promise).rejects.toBeInstanceOf(EmbedCancelledError);
    expect(w.sent.map((r) => r.type)).toEqual(['embed', 'cancel']);
  });

  it('worker errors reject with their message', async () => {
    const w = new FakeWorker((req, emit) => {
      if (req.type === 'embed') emit({ type: 'error', id: req.id, message: 'model "x/y" could not be loaded', cancelled: false });
    });
    const c = new EmbedClient(() => w as unknown as Worker);
    await expect(c.compute(job).promise).rejects.toThrow('model "x/y" could not be loaded');
  });
});
