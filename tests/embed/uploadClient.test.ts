import { describe, expect, it } from 'vitest';
import { UploadClient, type UploadWorkerLike } from '../../src/workers/uploadClient';
import { handleUpload, type UploadEvent, type UploadRequest } from '../../src/workers/upload.worker';

/** An in-process stand-in for the worker: the same handler, answers after a macrotask. */
function fakeWorker(log: string[] = []): UploadWorkerLike {
  const w: UploadWorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(req: UploadRequest) {
      log.push(req.name);
      setTimeout(() => void handleUpload(req, (e: UploadEvent) => w.onmessage?.({ data: e } as MessageEvent<UploadEvent>)), 0);
    },
    terminate() {},
  };
  return w;
}

const blob = (s: string) => new Blob([s]);

describe('UploadClient', () => {
  it('parses in the worker: rows, ids and file lines come back', async () => {
    const log: string[] = [];
    const c = new UploadClient(() => fakeWorker(log));
    const m = await c.parse('items.csv', blob('id,a,b\n\n10,1,2\n20,3,4\n'));
    expect([m.rows, m.cols, Array.from(m.data), m.ids, Array.from(m.lines!)]).toEqual([2, 2, [1, 2, 3, 4], ['10', '20'], [3, 4]]);
    expect(log).toEqual(['items.csv']);
  });

  it("rejects with the parser's message", async () => {
    const c = new UploadClient(() => fakeWorker());
    await expect(c.parse('users.csv', blob('1,2\n3,x\n'))).rejects.toThrow('users.csv line 2, column 2: "x" is not a number');
  });

  it('answers several uploads in flight by id', async () => {
    const c = new UploadClient(() => fakeWorker());
    const [a, b] = await Promise.all([c.parse('a.csv', blob('1,2\n')), c.parse('b.json', blob('[[5],[6]]'))]);
    expect([Array.from(a.data), Array.from(b.data)]).toEqual([[1, 2], [5, 6]]);
  });

  it('a worker that fails to start rejects what is pending, and the next upload starts a new one', async () => {
    let made = 0;
    const broken: UploadWorkerLike = { onmessage: null, onerror: null, postMessage() {}, terminate() {} };
    const c = new UploadClient(() => (made++ === 0 ? broken : fakeWorker()));
    const p = c.parse('a.csv', blob('1\n'));
    broken.onerror?.({ message: 'blocked by CSP' } as ErrorEvent);
    await expect(p).rejects.toThrow('the upload worker failed: blocked by CSP');
    expect(Array.from((await c.parse('b.csv', blob('7\n'))).data)).toEqual([7]);
  });
});
