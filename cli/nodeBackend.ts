import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { selectBackend } from '../src/core/backend';
import type { BackendChoice, BackendName } from '../src/core/config';

const require = createRequire(import.meta.url);

/** wasm (SIMD, single thread) or cpu in Node; webgpu/webgl exist only in a browser. */
export async function initNodeBackend(choice: BackendChoice): Promise<BackendName> {
  if (choice === 'webgpu' || choice === 'webgl') throw new Error(`backend "${choice}" is only available in a browser; use wasm or cpu`);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(dist + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const name = await selectBackend(choice, ['wasm', 'cpu']);
  // The cpu backend prints a tfjs-node hint on its first write; tfjs-node needs a
  // native download that this project avoids, so the hint is noise.
  if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return name;
}
