import { expect, test } from '@playwright/test';
import { setNumber, watchPage } from './helpers';
import { workerHeap } from './workerHeap';

/**
 * Soak: 200 epochs on the default demo in the page, sampling the training worker's
 * tensor count (from the epoch events) and its JS heap after a forced GC. Not part of
 * `npm test` (minutes of training); run with
 *   SOAK=1 npx playwright test e2e/soak.spec.ts            (LightGCN)
 *   SOAK=1 SOAK_ALIGN=darec npx playwright test e2e/soak.spec.ts
 */
const EPOCHS = Number(process.env.SOAK_EPOCHS ?? 200);
const ALIGN = process.env.SOAK_ALIGN ?? 'none';

test.skip(!process.env.SOAK, 'set SOAK=1 to run the 200-epoch soak');

test(`soak: ${EPOCHS} epochs on the demo (${ALIGN}) keep tensors flat and the worker heap within 10 %`, async ({ page, browser, context }) => {
  test.setTimeout(90 * 60_000);
  const watch = await watchPage(page);
  await page.goto('/');
  await page.locator('select[name="backend"]').selectOption(process.env.SOAK_BACKEND ?? 'wasm');
  if (ALIGN !== 'none') await page.locator('select[name="align"]').selectOption(ALIGN);
  await setNumber(page, 'epochs', EPOCHS);
  await setNumber(page, 'patience', 10_000);
  await expect(page.getByTestId('dataset-summary')).toContainText('1,500');
  await page.getByTestId('start').click();

  const status = page.getByTestId('status');
  const epochNow = async () => Number((await status.textContent())?.match(/epoch (\d+)/)?.[1] ?? 0);
  const worker = await workerHeap(browser, 'train.worker');
  const pageCdp = await context.newCDPSession(page);
  const pageHeap = async () => {
    await pageCdp.send('HeapProfiler.collectGarbage');
    return (await pageCdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const marks = [5, 10, 25, 50, 75, 100, 125, 150, 175, EPOCHS].filter(e => e <= EPOCHS);
  const rows: { epoch: number; tensors: number; workerMB: number; pageMB: number; t: number }[] = [];
  const t0 = Date.now();
  for (const m of marks) {
    await expect.poll(epochNow, { timeout: 30 * 60_000, intervals: [500] }).toBeGreaterThanOrEqual(m);
    const text = (await status.textContent())!;
    const tensors = Number(text.match(/(\d+) tensors/)![1]);
    rows.push({ epoch: await epochNow(), tensors, workerMB: (await worker.usedAfterGc()) / 2 ** 20, pageMB: (await pageHeap()) / 2 ** 20, t: (Date.now() - t0) / 1000 });
  }
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 10 * 60_000 });
  await worker.detach();

  console.log(`soak ${ALIGN}, ${EPOCHS} epochs, backend ${await page.getByTestId('backend').getAttribute('data-backend')}`);
  console.log('epoch | tensors | worker heap MB | page heap MB | s');
  for (const r of rows) console.log(`${r.epoch} | ${r.tensors} | ${r.workerMB.toFixed(2)} | ${r.pageMB.toFixed(2)} | ${r.t.toFixed(0)}`);
  // From epoch 10 on (after warm-up: kernels compiled, first evaluation and snapshot done).
  const base = rows.find(r => r.epoch >= 10)!;
  const peak = rows.filter(r => r.epoch >= base.epoch).reduce((a, r) => (r.workerMB > a.workerMB ? r : a));
  const growth = (peak.workerMB - base.workerMB) / base.workerMB;
  console.log(`worker heap: ${base.workerMB.toFixed(2)} MB at epoch ${base.epoch}, highest ${peak.workerMB.toFixed(2)} MB at epoch ${peak.epoch}: ${(100 * growth).toFixed(1)} % growth`);
  expect(new Set(rows.map(r => r.tensors)).size).toBe(1);
  expect(growth).toBeLessThan(0.1);
  expect(watch.errors).toEqual([]);
});
