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

const lab = {
  bench: (backend: BackendName, opts: BenchOptions) => call({ type: 'bench', backend, opts }),
  check: (backend: BackendName) => call({ type: 'check', backend }),
  benchAligned: (backend: BackendName, opts: object) => call({ type: 'benchAligned', backend, opts }),
};
(window as unknown as { lab: typeof lab }).lab = lab;
document.getElementById('out')!.textContent = 'lab ready';
