import { expect, test } from '@playwright/test';
import { setNumber, watchPage } from './helpers';

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`trains the demo for 2 epochs on ${backend} with live charts and metrics`, async ({ page }) => {
    const watch = await watchPage(page);
    await page.goto('/');
    await page.locator('select[name="backend"]').selectOption(backend);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
    await watch.mark();
    // Small demo so SwiftShader's emulated WebGPU finishes quickly.
    await setNumber(page, 'demo-users', 150);
    await setNumber(page, 'demo-items', 100);
    await setNumber(page, 'demo-interactions', 2500);
    await setNumber(page, 'epochs', 2);
    await setNumber(page, 'eval-every', 1);
    await setNumber(page, 'batch', 512);
    await setNumber(page, 'lr', 0.01);
    await page.getByTestId('start').click();
    await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
    // The worker reports what it trained on: the new demo, not the one built before the edits.
    await expect(page.getByTestId('status')).toHaveAttribute('data-trained-users', '150');
    const lossPoints = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
    const metricPoints = Number(await page.getByTestId('metrics-chart').getAttribute('data-points'));
    expect(lossPoints).toBeGreaterThan(4);
    expect(metricPoints).toBe(2 * 6);
    const recall = await page.getByTestId('test-table').locator('tbody tr').first().locator('td').last().textContent();
    expect(Number(recall)).toBeGreaterThan(0);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
    expect(watch.errors).toEqual([]);
    const long = (await watch.longTasks()).filter(d => d > 200);
    expect(long).toEqual([]);
  });
}

test('pause, resume and stop control a running job', async ({ page }) => {
  await page.goto('/');
  await page.locator('select[name="backend"]').selectOption('wasm');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  await setNumber(page, 'demo-users', 300);
  await setNumber(page, 'demo-items', 200);
  await setNumber(page, 'demo-interactions', 6000);
  await setNumber(page, 'epochs', 500);
  await setNumber(page, 'batch', 256);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'running');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'paused');
  const frozen = await page.getByTestId('loss-chart').getAttribute('data-points');
  await page.waitForTimeout(1000);
  expect(await page.getByTestId('loss-chart').getAttribute('data-points')).toBe(frozen);
  await page.getByTestId('resume').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'running');
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThan(Number(frozen));
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped');
});

test('WebGPU propagation, LightGCN steps and a DaRec step match the cpu backend', async ({ page }) => {
  await page.goto('/bench.html');
  await expect(page.locator('#out')).toHaveText('lab ready');
  const r = await page.evaluate(() => (window as unknown as { lab: { check(b: string): Promise<Record<string, number>> } }).lab.check('webgpu'));
  expect(r.backend).toBe('webgpu');
  expect(r.spmmForwardMaxErr).toBeLessThan(1e-5);
  expect(r.spmmGradMaxErr).toBeLessThan(1e-5);
  expect(r.lossMaxErr).toBeLessThan(1e-4);
  expect(r.embeddingMaxErr).toBeLessThan(1e-4);
  // A full DaRec step: every term present and equal to cpu's within float32 tolerance.
  const terms = r as unknown as { darecCpu: Record<string, number>; darecBackend: Record<string, number>; darecMaxRelErr: number };
  expect(Object.keys(terms.darecBackend).sort()).toEqual(['bpr', 'glo', 'loc', 'orth', 'reg', 'uni']);
  expect(terms.darecMaxRelErr).toBeLessThan(1e-3);
});

test('the demo survives backend switches: right after loading it still arrives, and later switches keep it shown', async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto('/');
  // The first worker may be asked for the demo and then replaced before it delivers.
  await page.locator('select[name="backend"]').selectOption('wasm');
  await expect(page.getByTestId('dataset-summary')).toContainText('1,500', { timeout: 60_000 });
  await page.evaluate(() => {
    const w = window as unknown as { summaryRemoved: boolean };
    w.summaryRemoved = false;
    new MutationObserver(() => {
      if (!document.querySelector('[data-testid="dataset-summary"]')) w.summaryRemoved = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  for (const backend of ['cpu', 'wasm'] as const) {
    await page.locator('select[name="backend"]').selectOption(backend);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
  }
  expect(await page.evaluate(() => (window as unknown as { summaryRemoved: boolean }).summaryRemoved)).toBe(false);
  await expect(page.getByTestId('dataset-summary')).toContainText('1,500');
  expect(watch.errors).toEqual([]);
});
