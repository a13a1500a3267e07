import { expect, test } from '@playwright/test';
import { longSmallRun, setNumber, shownEpoch, watchPage } from './helpers';

test('an absurd learning rate stops the run at the first NaN/Inf loss, naming term and step; the app stays usable', async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto('/');
  await longSmallRun(page, 'wasm', { epochs: 3, lr: 1e30 });
  await expect(page.getByTestId('config-warning')).toContainText('Learning rate 1e+30 is above 1');
  await page.getByTestId('start').click();
  const fault = page.getByTestId('fault');
  await expect(fault).toHaveAttribute('data-kind', 'numerical');
  await expect(fault).toContainText(/the loss term "(bpr|reg)" became (NaN|Infinity|-Infinity) at epoch 1, step \d+ of \d+/);
  await expect(fault).toContainText('That step was not applied');
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'failed');
  // The stored run says why.
  await expect(page.getByTestId('runs').locator('tbody tr').first()).toContainText('failed');

  // A sane learning rate trains normally afterwards.
  await setNumber(page, 'lr', 0.01);
  await expect(page.getByTestId('config-warning')).toHaveCount(0);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('fault')).toHaveCount(0);
  await expect(page.getByTestId('test-table')).toBeVisible();
  expect(watch.errors).toEqual([]);
});

test('a run that diverges mid-way keeps its last good checkpoint, and resuming it goes on', async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto('/?test-hooks');
  await longSmallRun(page, 'wasm');
  await page.getByTestId('start').click();
  await expect.poll(() => shownEpoch(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  await page.evaluate(() => (window as unknown as { __darecTest: { setLearningRate(lr: number): void } }).__darecTest.setLearningRate(1e30));
  const fault = page.getByTestId('fault');
  await expect(fault).toHaveAttribute('data-kind', 'numerical');
  const text = (await fault.textContent())!;
  const faultEpoch = Number(text.match(/at epoch (\d+), step/)![1]);
  const checkpoint = Number(text.match(/checkpoint after epoch (\d+) is kept/)![1]);
  expect(faultEpoch).toBeGreaterThanOrEqual(5);
  // Checkpoints are written every 2 epochs (the eval interval), and only from completed, finite epochs.
  expect(checkpoint).toBeLessThan(faultEpoch);
  expect(checkpoint).toBeGreaterThanOrEqual(faultEpoch - 2);
  const row = page.getByTestId('runs').locator('tbody tr').first();
  await expect(row).toContainText('failed');
  await expect(row.locator('td').nth(2)).toHaveText(String(checkpoint));

  // Resume from that checkpoint: the stored config's learning rate (1e-3) applies again.
  await row.getByTestId('resume-saved').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect.poll(() => shownEpoch(page), { timeout: 60_000 }).toBeGreaterThan(checkpoint + 1);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped');
  await expect(page.getByTestId('fault')).toHaveCount(0);
  expect(watch.errors).toEqual([]);
});

test('a lost GPU device pauses the run with its state kept, and it continues on wasm', async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto('/?test-hooks');
  await longSmallRun(page, 'webgpu', { batch: 1024 });
  // No eval-interval checkpoint before epoch 5: what is kept before then was read back after an epoch.
  await setNumber(page, 'eval-every', 5);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('start').click();
  await expect.poll(() => shownEpoch(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  const before = await shownEpoch(page);
  await page.evaluate(() => (window as unknown as { __darecTest: { loseDevice(): void } }).__darecTest.loseDevice());

  const fault = page.getByTestId('fault');
  await expect(fault).toHaveAttribute('data-kind', 'device-lost');
  await expect(fault).toContainText('the GPU device was lost (destroyed');
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'lost');
  const kept = Number((await fault.textContent())!.match(/after epoch (\d+) are kept/)![1]);
  // The state after the last completed epoch. The page shows an epoch before the worker has read
  // that epoch's state back, so the loss may land in between: then the one before is kept.
  expect(kept).toBeGreaterThanOrEqual(before - 1);
  const points = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
  expect(points).toBeGreaterThan(0);

  await page.getByTestId('continue-wasm').click();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  // On to the continued run's first eval-interval checkpoint (a stop after a shown epoch lets its checkpoint finish).
  const nextCheckpoint = 5 * (Math.floor(kept / 5) + 1);
  await expect.poll(() => shownEpoch(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(nextCheckpoint);
  // The curves before the loss were kept and extended.
  expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThan(points);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped');
  const row = page.getByTestId('runs').locator('tbody tr').first();
  await expect(row).toContainText('stopped');
  expect(Number(await row.locator('td').nth(2).textContent())).toBeGreaterThanOrEqual(nextCheckpoint);
  expect(watch.errors).toEqual([]);
});
