import { expect, test } from '@playwright/test';
import config from '../playwright.config';
import { setNumber, shownEpoch, watchPage } from './helpers';
import { workerHeap } from './workerHeap';
import { heapGrowth } from './heapSnapshot';

/**
 * Soak: 200 epochs on the default demo in the page, sampling the training worker's
 * tensor count (from the epoch events) and its JS heap after a forced GC. Not part of
 * `npm test` (minutes of training); run with
 *   SOAK=1 npx playwright test e2e/soak.spec.ts            (LightGCN)
 *   SOAK=1 SOAK_ALIGN=darec npx playwright test e2e/soak.spec.ts
 * SOAK_SNAPSHOTS=<folder> also writes the worker's heap snapshots at SOAK_BASE_EPOCH, the last pause and the end.
 */
const EPOCHS = Number(process.env.SOAK_EPOCHS ?? 200);
const ALIGN = process.env.SOAK_ALIGN ?? 'none';
const BASE_EPOCH = Number(process.env.SOAK_BASE_EPOCH ?? 50);
/** A folder: the training worker's heap is snapshotted at BASE_EPOCH, at the last paused mark and after the run, to compare in DevTools. */
const SNAPSHOTS = process.env.SOAK_SNAPSHOTS;

test.skip(!process.env.SOAK, 'set SOAK=1 to run the 200-epoch soak');
// V8 flags for diagnosing heap growth, e.g. SOAK_JS_FLAGS="--no-opt --no-maglev --no-lazy-feedback-allocation".
if (process.env.SOAK_JS_FLAGS) {
  const base = config.use?.launchOptions ?? {};
  test.use({ launchOptions: { ...base, args: [...(base.args ?? []), `--js-flags=${process.env.SOAK_JS_FLAGS}`] } });
}

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
  const worker = await workerHeap(browser, 'train.worker');
  const pageCdp = await context.newCDPSession(page);
  const pageHeap = async () => {
    await pageCdp.send('HeapProfiler.collectGarbage');
    return (await pageCdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const marks = [5, 10, 25, 50, 75, 100, 125, 150, 175, EPOCHS].filter(e => e <= EPOCHS);
  const rows: { epoch: number; tensors: number; workerMB: number; pageMB: number; t: number }[] = [];
  const snapshots: string[] = [];
  const t0 = Date.now();
  for (const m of marks) {
    await expect.poll(() => shownEpoch(page), { timeout: 30 * 60_000, intervals: [500] }).toBeGreaterThanOrEqual(m);
    // Measured paused (between two steps), so no step's temporaries are counted.
    const last = m === marks.at(-1);
    if (!last) {
      await page.getByTestId('pause').click();
      await expect(status).toHaveAttribute('data-status', 'paused');
    } else await expect(status).toHaveAttribute('data-status', 'done', { timeout: 10 * 60_000 });
    const tensors = Number((await status.textContent())!.match(/(\d+) tensors/)![1]);
    rows.push({ epoch: await shownEpoch(page), tensors, workerMB: (await worker.usedAfterGc()) / 2 ** 20, pageMB: (await pageHeap()) / 2 ** 20, t: (Date.now() - t0) / 1000 });
    if (SNAPSHOTS && (m === BASE_EPOCH || m >= marks.at(-2)!)) {
      snapshots.push(`${SNAPSHOTS}/train-worker-epoch-${rows.at(-1)!.epoch}.heapsnapshot`);
      await worker.snapshot(snapshots.at(-1)!);
    }
    if (!last) await page.getByTestId('resume').click();
  }
  await worker.detach();

  console.log(`soak ${ALIGN}, ${EPOCHS} epochs, backend ${await page.getByTestId('backend').getAttribute('data-backend')}`);
  console.log('epoch | tensors | worker heap MB | page heap MB | s');
  for (const r of rows) console.log(`${r.epoch} | ${r.tensors} | ${r.workerMB.toFixed(2)} | ${r.pageMB.toFixed(2)} | ${r.t.toFixed(0)}`);
  if (snapshots.length >= 2) {
    // From the base epoch to the last pause: the run's state, not what its end released.
    const [from, to] = [snapshots[0]!, snapshots.at(-2)!];
    const g = heapGrowth(from, to);
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
    console.log(`worker heap growth, ${from} → ${to}: ${kb(g.bytes)}`);
    for (const k of g.kinds) console.log(`  ${kb(k.bytes)} (${k.count >= 0 ? '+' : ''}${k.count}) ${k.key}`);
    console.log('  plain objects gained, by shape:');
    for (const k of g.shapes) console.log(`  ${k.count >= 0 ? '+' : ''}${k.count} ${k.key}`);
  }
  // Growth from epoch 50 on. Before that V8 is still warming up: with default flags the worker heap
  // rose 4.12 → 4.52 MB from epoch 11 to 77 and then stayed within 0.1 MB to epoch 175; with
  // SOAK_JS_FLAGS="--no-opt --no-maglev --no-lazy-feedback-allocation" it stayed within 3.81–3.93 MB
  // from epoch 5 to 200. So the early rise is optimised code and feedback vectors, not kept data.
  const base = rows.find(r => r.epoch >= BASE_EPOCH)!;
  const peak = rows.filter(r => r.epoch >= base.epoch).reduce((a, r) => (r.workerMB > a.workerMB ? r : a));
  const growth = (peak.workerMB - base.workerMB) / base.workerMB;
  console.log(`worker heap: ${base.workerMB.toFixed(2)} MB at epoch ${base.epoch}, highest ${peak.workerMB.toFixed(2)} MB at epoch ${peak.epoch}: ${(100 * growth).toFixed(1)} % growth`);
  expect(new Set(rows.map(r => r.tensors)).size).toBe(1);
  expect(growth).toBeLessThan(0.1);
  expect(watch.errors).toEqual([]);
});
