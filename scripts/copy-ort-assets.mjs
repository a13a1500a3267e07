/**
 * Copies the ONNX Runtime web files that transformers.js 4.x loads into <publicDir>/ort/, so the
 * app serves them itself: offline use, and no CDN fetch (ORT's default is jsdelivr).
 *
 * transformers.js imports `onnxruntime-web/webgpu`, whose bundle loads the *asyncify* build for
 * both its wasm and WebGPU paths. The names must match ORT_WASM_FILES in
 * src/core/embed/embedder.ts (a test checks both against the installed package).
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

/** Nearest folder above `file` that holds a package.json (packages with "exports" hide their package.json from resolve). */
function packageRoot(file) {
  let d = dirname(file);
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error(`copyOrtAssets: no package.json above ${file}`);
    d = up;
  }
  return d;
}

/** Folder of the onnxruntime-web dist that transformers.js resolves (it may be nested under it). */
export function ortDistDir() {
  const require = createRequire(import.meta.url);
  const tjs = packageRoot(require.resolve('@huggingface/transformers'));
  const fromTjs = createRequire(join(tjs, 'package.json'));
  return join(packageRoot(fromTjs.resolve('onnxruntime-web')), 'dist');
}

/**
 * @param {string} publicDir the Vite public folder; files land in publicDir/ort/
 * @returns {string[]} the files written (unchanged ones are skipped: the wasm is ~27 MB)
 */
export function copyOrtAssets(publicDir) {
  const from = ortDistDir();
  const to = join(publicDir, 'ort');
  mkdirSync(to, { recursive: true });
  const written = [];
  for (const f of ORT_FILES) {
    const src = join(from, f);
    if (!existsSync(src)) throw new Error(`copyOrtAssets: ${src} is missing; onnxruntime-web changed its file names`);
    const dst = join(to, f);
    const s = statSync(src);
    if (existsSync(dst)) {
      const d = statSync(dst);
      if (d.size === s.size && d.mtimeMs >= s.mtimeMs) continue;
    }
    copyFileSync(src, dst);
    written.push(dst);
  }
  return written;
}
