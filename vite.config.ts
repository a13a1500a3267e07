import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyOrtAssets } from './scripts/copy-ort-assets.mjs';

/**
 * The tfjs wasm binaries (public/tfjs-wasm/) and ONNX Runtime's (public/ort/)
 * are copied from node_modules so the app serves them itself (no CDN) and `npm run build` gives a static site that works from
 * any web server under any base path.
 */
function copyTfjsWasm() {
  const from = resolve(import.meta.dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const to = resolve(import.meta.dirname, 'public/tfjs-wasm');
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (f.endsWith('.wasm')) copyFileSync(resolve(from, f), resolve(to, f));
}

export default defineConfig(() => {
  copyTfjsWasm();
  copyOrtAssets(resolve(import.meta.dirname, 'public'));
  return {
    base: './',
    plugins: [react()],
    worker: { format: 'es' as const },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
      rollupOptions: {
        input: { main: resolve(import.meta.dirname, 'index.html'), bench: resolve(import.meta.dirname, 'bench.html'), embedTest: resolve(import.meta.dirname, 'embed-test.html'),
          inspectTest: resolve(import.meta.dirname, 'inspect-test.html'),
        },
      },
    },
  };
});
