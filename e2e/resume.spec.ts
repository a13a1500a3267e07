import { expect, test } from '@playwright/test';
import { setNumber } from './helpers';

test('a reload mid-run offers to resume from the last checkpoint, and resuming continues after it', async ({ page }) => {
  await page.goto('/');
  await page.locator('select[name="backend"]').selectOption('wasm');
  await setNumber(page, 'demo-users', 200);
  await setNumber(page, 'demo-items', 150);
  await setNumber(page, 'demo-interactions', 4000);
  await setNumber(page, 'epochs', 400);
  await setNumber(page, 'eval-every', 2);
  await setNumber(page, 'patience', 1000);
  await setNumber(page, 'batch', 256);
  await expect(page.getByTestId('dataset-summary')).toContainText('200');
  await page.getByTestId('start').click();
  // Wait until at least two checkpoints (every eval interval = 2 epochs) exist, then reload mid-run.
  await expect.poll(async () => Number((await page.getByTestId('status').textContent())?.match(/epoch (\d+)/)?.[1] ?? 0), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  const before = Number((await page.getByTestId('status').textContent())!.match(/epoch (\d+)/)![1]);
  await page.reload();

  const offer = page.getByTestId('resume-offer');
  await expect(offer).toBeVisible();
  const checkpoint = Number((await offer.textContent())!.match(/epoch (\d+)/)![1]);
  // At most one checkpoint interval (2 epochs) is lost.
  expect(checkpoint).toBeGreaterThanOrEqual(before - 2);
  await page.getByTestId('resume-run').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect.poll(async () => Number((await page.getByTestId('status').textContent())?.match(/epoch (\d+)/)?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThan(checkpoint);
  const first = await page.getByTestId('loss-chart').getAttribute('data-points');
  expect(Number(first)).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped');
  // The same stored run went on: stopped, with a checkpoint later than the one resumed from.
  const row = page.getByTestId('runs').locator('tbody tr').first();
  await expect(row).toContainText('stopped');
  expect(Number(await row.locator('td').nth(2).textContent())).toBeGreaterThan(checkpoint);
});
