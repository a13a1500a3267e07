import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (no Playwright browser download).
 * `--enable-unsafe-webgpu` exposes WebGPU, which runs on SwiftShader here: tests
 * prove the WebGPU path correct on small data, not fast. The built site is
 * served by `vite preview`, as a user's static server would.
 */
const PORT = Number(process.env.E2E_PORT ?? 4173);
/** Built site to serve; parallel local runs build into their own folder (`vite build --outDir`). */
const DIST = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 240_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--enable-unsafe-webgpu', '--disable-quic', '--no-sandbox'],
    },
    viewport: { width: 1280, height: 900 },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
