import { describe, expect, it } from 'vitest';
import { WorkerRequests, type WorkerPort } from '../../src/workers/workerRequests';

type Ev = { id: number; type: 'tick'; n: number } | { id: number; type: 'done'; value: string } | { id: number; type: 'fail'; message: string };

/** A worker stand-in: records what is posted and terminations; the test emits events by hand. */
class FakeWorker implements WorkerPort<Ev> {
  onmessage: ((ev: MessageEvent<Ev>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  sent: { id: number; text: string }[] = [];
  terminated = 0;
  postMessage(m: { id: number; text: string }): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated++;
  }
  emit(e: Ev): void {
    this.onmessage?.({ data: e } as MessageEvent<Ev>);
  }
  fail(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
}

class CancelledError extends Error {}

function setup() {
  const made: FakeWorker[] = [];
  const requests = new WorkerRequests<FakeWorker, Ev, string, { onTick?: (n: number) => void }>({
    makeWorker: () => {
      const w = new FakeWorker();
      made.push(w);
      return w;
    },
    settle: (e, p) => {
      if (e.type === 'tick') p.handlers.onTick?.(e.n);
      else if (e.type === 'done') p.resolve(e.value);
      else p.reject(new Error(e.message));
    },
    failed: (ev) => new Error(`fake worker failed: ${ev.message}`),
    cancelled: () => new CancelledError('cancelled'),
  });
  const send = (text: string, handlers: { onTick?: (n: number) => void } = {}) => requests.start((w, id) => w.postMessage({ id, text }), handlers);
  return { requests, made, send };
}

describe('WorkerRequests', () => {
  it('creates the worker on first use only, and reuses it', () => {
    const { requests, made, send } = setup();
    expect(made.length).toBe(0);
    expect(requests.current).toBeNull();
    send('a');
    send('b');
    expect(made.length).toBe(1);
    expect(requests.current).toBe(made[0]);
    expect(made[0]!.sent).toEqual([{ id: 1, text: 'a' }, { id: 2, text: 'b' }]);
  });

  it('routes events to their request by id; progress leaves it pending, unknown ids are ignored', async () => {
    const { made, send } = setup();
    const ticks: string[] = [];
    const a = send('a', { onTick: (n) => ticks.push(`a${n}`) });
    const b = send('b', { onTick: (n) => ticks.push(`b${n}`) });
    const w = made[0]!;
    w.emit({ id: b.id, type: 'tick', n: 1 });
    w.emit({ id: a.id, type: 'tick', n: 2 });
    w.emit({ id: 99, type: 'done', value: 'nobody' });
    w.emit({ id: b.id, type: 'done', value: 'B' });
    w.emit({ id: a.id, type: 'fail', message: 'bad input' });
    w.emit({ id: b.id, type: 'done', value: 'late' });
    expect(ticks).toEqual(['b1', 'a2']);
    await expect(b.promise).resolves.toBe('B');
    await expect(a.promise).rejects.toThrow('bad input');
  });

  it('a failing worker rejects every pending request, is dropped, and the next request starts a new one', async () => {
    const { requests, made, send } = setup();
    const a = send('a');
    const b = send('b');
    made[0]!.fail('blocked by CSP');
    await expect(a.promise).rejects.toThrow('fake worker failed: blocked by CSP');
    await expect(b.promise).rejects.toThrow('fake worker failed: blocked by CSP');
    expect(made[0]!.terminated).toBe(1);
    expect(requests.current).toBeNull();
    const c = send('c');
    expect(made.length).toBe(2);
    expect(made[1]!.sent).toEqual([{ id: 3, text: 'c' }]);
    made[1]!.emit({ id: c.id, type: 'done', value: 'C' });
    await expect(c.promise).resolves.toBe('C');
  });

  it('terminate stops the worker and rejects what is pending with the cancel error', async () => {
    const { requests, made, send } = setup();
    const done = send('a');
    made[0]!.emit({ id: done.id, type: 'done', value: 'A' });
    const a = send('b');
    const b = send('c');
    requests.terminate();
    expect(made[0]!.terminated).toBe(1);
    expect(requests.current).toBeNull();
    await expect(done.promise).resolves.toBe('A');
    await expect(a.promise).rejects.toBeInstanceOf(CancelledError);
    await expect(b.promise).rejects.toBeInstanceOf(CancelledError);
    requests.terminate(); // nothing running: no-op
    expect(made[0]!.terminated).toBe(1);
  });
});
