import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendName } from './config';

/**
 * Picks the first backend that initialises from `order` (or exactly `choice`
 * when forced) and returns its name. Shared by the worker and the CLI; the
 * caller imports the backend packages it has (webgpu/wasm register themselves).
 */
export async function selectBackend(choice: BackendChoice, order: BackendName[]): Promise<BackendName> {
  const candidates = choice === 'auto' ? order : [choice];
  const errors: string[] = [];
  for (const name of candidates) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      errors.push(`${name}: not available`);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no usable backend (${errors.join('; ')})`);
}
