import type { BenchOptions } from '../core/bench';
import type { BackendName } from '../core/config';

/** window.lab: entry points for the Chromium benchmark and the WebGPU-vs-cpu end-to-end checks. */
let nextId = 1;
function call(msg: Record<string, unknown>): Promise<unknown> {
  const worker = new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module' });
  const id = nextId++;
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string }>) => {
      if (e.data.id !== id) return;
      worker.terminate();
      if (e.data.ok) resolve(e.data.result);
      else reject(new Error(e.data.error));
    };
    worker.onerror = e => { worker.terminate(); reject(new Error(e.message)); };
    worker.postMessage({ ...msg, id, wasmPath: new URL('tfjs-wasm/', document.baseURI).href });
  });
}

/** page.evaluate passes plain arrays (typed arrays do not cross it); the workers want Int32Arrays. */
function typed<T extends { data?: unknown }>(opts: T): T {
  const d = opts.data as { train: { users: number[]; items: number[] }; val: { users: number[]; items: number[] }; test: { users: number[]; items: number[] } } | undefined;
  if (!d) return opts;
  const toI = (x: { users: number[]; items: number[] }) => ({ users: Int32Array.from(x.users), items: Int32Array.from(x.items) });
  return { ...opts, data: { ...d, train: toI(d.train), val: toI(d.val), test: toI(d.test) } };
}

const lab = {
  bench: (backend: BackendName, opts: BenchOptions) => call({ type: 'bench', backend, opts: typed(opts) }),
  check: (backend: BackendName) => call({ type: 'check', backend }),
  benchAligned: (backend: BackendName, opts: { data?: unknown }) => call({ type: 'benchAligned', backend, opts: typed(opts) }),
};
(window as unknown as { lab: typeof lab }).lab = lab;
document.getElementById('out')!.textContent = 'lab ready';
