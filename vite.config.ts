import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyOrtAssets } from './scripts/copy-ort-assets.mjs';
import { CSP, CSP_HEADER } from './csp.config.js';

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

/**
 * Puts the Content-Security-Policy (csp.config.ts) into every built page's <head>, right after
 * <meta charset> and before any script or stylesheet, so static hosting needs nothing else.
 * Build only: the dev server's HMR client and React refresh preamble are inline scripts.
 */
function cspMeta(): Plugin {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${CSP}" />`;
  return {
    name: 'darec-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) => {
      if (/<meta http-equiv="Content-Security-Policy"/i.test(html)) throw new Error('cspMeta: the page already has a CSP meta tag');
      const charset = /<meta charset[^>]*>/i.exec(html);
      if (charset) return html.replace(charset[0], `${charset[0]}\n    ${tag}`);
      return html.replace(/<head[^>]*>/i, (h) => `${h}\n    ${tag}`);
    },
  };
}

export default defineConfig(() => {
  copyTfjsWasm();
  copyOrtAssets(resolve(import.meta.dirname, 'public'));
  return {
    base: './',
    plugins: [react(), cspMeta()],
    // `vite preview` also sends the policy as a header: unlike the meta tag it binds the workers
    // (each worker takes the policy of its own script's response) and can forbid framing.
    preview: { headers: { 'Content-Security-Policy': CSP_HEADER } },
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
