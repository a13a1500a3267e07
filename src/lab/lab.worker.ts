/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../core/backend';
import { benchAligned, benchLightGCN, type BenchOptions } from '../core/bench';
import { checkAgainstCpu } from '../core/check';
import type { BackendName } from '../core/config';

/** Runs benchmarks and cross-backend checks off the main thread, like the real trainer. */
export type LabRequest =
  | { id: number; type: 'bench'; backend: BackendName; wasmPath: string; opts: BenchOptions }
  | { id: number; type: 'check'; backend: BackendName; wasmPath: string }
  | { id: number; type: 'benchAligned'; backend: BackendName; wasmPath: string; opts: Parameters<typeof benchAligned>[0] };

self.onmessage = async (ev: MessageEvent<LabRequest>) => {
  const req = ev.data;
  try {
    setWasmPaths(req.wasmPath);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    let result: unknown;
    if (req.type === 'check') result = await checkAgainstCpu(req.backend);
    else {
      await selectBackend(req.backend, [req.backend]);
      result = req.type === 'bench' ? await benchLightGCN(req.opts) : await benchAligned(req.opts);
    }
    postMessage({ id: req.id, ok: true, result });
  } catch (e) {
    postMessage({ id: req.id, ok: false, error: (e as Error).message ?? String(e) });
  }
};
