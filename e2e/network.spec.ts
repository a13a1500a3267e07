/**
 * Network and Content-Security-Policy (issue #8): a whole demo session on the built app — demo
 * data, LLM embeddings from a local model folder (the tiny-bert fixture) in the embedding worker,
 * a short DaRec run in the training worker, the Inspect projection in the reducer worker, a run
 * bundle exported and imported, one epoch on WebGPU — makes no request to any origin but the
 * app's own, raises no CSP violation and logs no error; and the policy is in force in the page
 * and in the workers.
 *
 * Requests are recorded with `context.on('request')`. In Chromium it also reports the requests of
 * dedicated workers (so do page.on('request') and context.route, measured with Playwright 1.65):
 * the tfjs wasm binary is fetched only by the training worker and ONNX Runtime's files only by the
 * embedding worker, and the test checks that both are seen. Requests that CSP refuses are never
 * made, so they show up as violation events and console errors, which the test also watches.
 */
import { join, resolve } from 'node:path';
import { expect, test, type Page, type Worker } from '@playwright/test';
import { CSP, CSP_HEADER } from '../csp.config';
import { readBundle } from '../src/core/io/bundle';
import { download, setNumber, smallDemo, watchPage } from './helpers';

const FIXTURE = join(resolve(import.meta.dirname, '..'), 'tests/fixtures/models/tiny-bert');

/** fetch(url) from the page or a worker: what it gave or threw, and which policies reported it. */
type Probe = { outcome: string; violations: { directive: string; blocked: string; policy: string }[] };
async function probe(where: Page | Worker, url: string): Promise<Probe> {
  const run = async (url: string): Promise<Probe> => {
    const violations: Probe['violations'] = [];
    const target = (globalThis as { document?: EventTarget }).document ?? globalThis;
    const on = (e: Event) => {
      const v = e as SecurityPolicyViolationEvent;
      violations.push({ directive: v.effectiveDirective, blocked: v.blockedURI, policy: v.originalPolicy });
    };
    target.addEventListener('securitypolicyviolation', on);
    let outcome: string;
    try {
      outcome = `fetched ${(await fetch(url)).status}`;
    } catch (e) {
      outcome = String(e);
    }
    await new Promise((r) => setTimeout(r, 100)); // violation events are queued as tasks
    target.removeEventListener('securitypolicyviolation', on);
    return { outcome, violations };
  };
  return 'goto' in where ? where.evaluate(run, url) : where.evaluate(run, url);
}

test('a full demo session talks only to the app origin, under a CSP enforced in the page and the workers', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  // Anything for another origin that got past the policy is recorded and never leaves.
  const stopped: string[] = [];
  await context.route((u) => u.origin !== origin, (route) => (stopped.push(route.request().url()), route.abort()));
  const watch = await watchPage(page);
  const workerErrors: string[] = [];
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && workerErrors.push(`${w.url()}: ${m.text()}`)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });

  // The policy: a meta tag in the HTML (any static host) and, from `vite preview`, the header.
  const res = await page.goto('/');
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP);
  expect(res!.headers()['content-security-policy']).toBe(CSP_HEADER);

  await smallDemo(page);

  // LLM embeddings from a local model folder, in the embedding worker on wasm.
  await page.getByText('Compute text embeddings in the tab').click();
  const panel = page.locator('.embed-panel');
  await panel.locator('select').filter({ has: page.locator('option[value="__local"]') }).selectOption('__local');
  await page.getByTestId('local-model-folder').setInputFiles(FIXTURE);
  await expect(panel.getByText('Loaded from memory')).toBeVisible();
  await panel.locator('select').filter({ has: page.locator('option[value="webgpu"]') }).selectOption('wasm');
  await panel.getByRole('button', { name: 'Compute', exact: true }).click();
  await expect(page.getByTestId('embeddings-ready')).toContainText('(64-d)', { timeout: 60_000 });

  // A short DaRec run on those embeddings, in the training worker on wasm.
  await page.locator('select[name="align"]').selectOption('darec');
  await setNumber(page, 'epochs', 3);
  await setNumber(page, 'eval-every', 3);
  await setNumber(page, 'batch', 512);
  await setNumber(page, 'lr', 0.01);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  // ECharts' axis tooltip is HTML with style="" attributes: hovering must not trip the policy.
  const plot = page.getByTestId('loss-chart').locator('> div');
  await plot.hover();
  await expect(plot.locator('div').filter({ hasText: 'bpr' }).last()).toBeVisible({ timeout: 10_000 });
  await page.mouse.move(0, 0);

  // The Inspect projection, in the reducer worker.
  await page.getByTestId('inspect-panel').scrollIntoViewIfNeeded();
  await expect(page.locator('[data-testid="inspect-panel"][data-ready="1"]')).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await page.getByTestId('view-sharedLLM').getAttribute('data-points'))).toBeGreaterThan(0);

  // Export the run bundle (a blob: download) and import it back.
  const bytes = await download(page, 'export-bundle');
  expect(readBundle(bytes).config.llm.source).toBe('provided');
  const trained = await page.getByTestId('test-table').locator('tbody').textContent();
  await page.getByTestId('import-input').setInputFiles({ name: 'run.zip', mimeType: 'application/zip', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('imported-table')).toBeVisible();
  expect(await page.getByTestId('imported-table').locator('tbody').textContent()).toBe(trained);

  // One epoch of the base model on WebGPU (SwiftShader here, slow: no alignment). A backend change
  // starts a new training worker, which rebuilds the same demo: the embeddings stay.
  await page.locator('select[name="backend"]').selectOption('webgpu');
  await page.locator('select[name="align"]').selectOption('none');
  await setNumber(page, 'epochs', 1);
  await setNumber(page, 'eval-every', 1);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('status')).toContainText('epoch 1/1');
  await expect(page.getByTestId('embeddings-ready')).toBeVisible();

  // The session: only the app's origin, nothing stopped, no violation, no error.
  await test.info().attach('requests.txt', { body: requests.join('\n'), contentType: 'text/plain' });
  const paths = requests.map((u) => new URL(u)).filter((u) => u.origin === origin).map((u) => u.pathname);
  expect(paths.some((p) => /\/tfjs-wasm\/tfjs-backend-wasm[^/]*\.wasm$/.test(p)), 'the training worker fetched the tfjs wasm (worker requests are recorded)').toBe(true);
  expect(paths.some((p) => p.endsWith('/ort/ort-wasm-simd-threaded.asyncify.wasm')), 'the embedding worker fetched ORT wasm').toBe(true);
  expect(requests.filter((u) => new URL(u).origin !== origin && !/^(blob|data):/.test(u)), 'requests to other origins').toEqual([]);
  expect(stopped).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), 'CSP violations in the page').toEqual([]);
  expect(watch.errors).toEqual([]);
  expect(workerErrors).toEqual([]);

  // The policy is in force: a fetch to another origin is refused before any request is made, in
  // the page by both policies (meta and header), in the app's workers by the header's.
  const OTHER = 'https://example.org/';
  const fromPage = await probe(page, OTHER);
  expect(fromPage.outcome).toContain('TypeError');
  expect(fromPage.violations.map((v) => v.policy).sort()).toEqual([CSP, CSP_HEADER].sort());
  expect(fromPage.violations.every((v) => v.directive === 'connect-src' && v.blocked === OTHER)).toBe(true);
  const worker = (name: string) => page.workers().find((w) => w.url().includes(`/assets/${name}.worker`));
  expect(worker('train'), 'the training worker').toBeTruthy();
  expect(worker('embed'), 'the embedding worker').toBeTruthy();
  for (const w of [worker('train')!, worker('embed')!]) {
    const r = await probe(w, OTHER);
    expect(r.outcome, w.url()).toContain('TypeError');
    expect(r.violations, w.url()).toEqual([{ directive: 'connect-src', blocked: OTHER, policy: CSP_HEADER }]);
  }
  expect(requests.filter((u) => u.includes('example.org'))).toEqual([]);
  expect(stopped).toEqual([]);
  // The hub and a CDN host it redirects to are allowed: the requests go out (and the route above stops them).
  const hub = ['https://huggingface.co/api/models/Xenova/all-MiniLM-L6-v2', 'https://us.aws.cdn.hf.co/probe'];
  for (const url of hub) expect((await probe(worker('embed')!, url)).violations, url).toEqual([]);
  expect(stopped).toEqual(hub);
});
