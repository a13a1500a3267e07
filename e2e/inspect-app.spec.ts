import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { setNumber, watchPage } from './helpers';

const VIEWS = ['view-sharedCF', 'view-sharedLLM', 'view-specificCF', 'view-specificLLM'];

test('after a short DaRec run on the demo the four spaces render for users and items and the slider changes them', async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto('/');
  await page.locator('select[name="backend"]').selectOption('wasm');
  await setNumber(page, 'demo-users', 300);
  await setNumber(page, 'demo-items', 200);
  await setNumber(page, 'demo-interactions', 5000);
  await page.locator('select[name="align"]').selectOption('darec');
  await setNumber(page, 'epochs', 6);
  await setNumber(page, 'eval-every', 3);
  await setNumber(page, 'batch', 512);
  await setNumber(page, 'lr', 0.01);
  await expect(page.getByTestId('dataset-summary')).toContainText('300');
  await watch.mark();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });

  const panel = page.getByTestId('inspect-panel');
  await panel.scrollIntoViewIfNeeded();
  // Snapshots at epochs 1, 3 and 6 for users and items; look at the items (they have titles).
  await expect(page.locator('[data-testid="inspect-panel"][data-ready="1"]')).toBeVisible({ timeout: 60_000 });
  for (const id of VIEWS) await expect.poll(async () => Number(await page.getByTestId(id).getAttribute('data-points'))).toBe(300);
  await panel.locator('select').filter({ has: page.locator('option[value="items"]') }).selectOption('items');
  await expect(page.locator('[data-testid="inspect-panel"][data-ready="1"]')).toBeVisible({ timeout: 60_000 });
  for (const id of VIEWS) await expect.poll(async () => Number(await page.getByTestId(id).getAttribute('data-points'))).toBe(200);

  const grid = page.getByTestId('spaces-grid');
  if (process.env.DOCS_SHOTS) {
    const dir = resolve(import.meta.dirname, '../docs/screenshots');
    mkdirSync(dir, { recursive: true });
    await grid.screenshot({ path: resolve(dir, 'darec-four-spaces-demo.png') });
    await page.getByTestId('view-overlay').screenshot({ path: resolve(dir, 'darec-shared-overlay-demo.png') });
  }
  const before = await grid.screenshot();
  const slider = page.getByTestId('snapshot-slider');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('snapshot-epoch')).toContainText('epoch 1');
  await expect(page.locator('[data-testid="inspect-panel"][data-epoch="1"][data-ready="1"]')).toBeVisible({ timeout: 60_000 });
  await page.waitForTimeout(300);
  expect((await grid.screenshot()).equals(before)).toBe(false);

  const long = (await watch.longTaskTimes()).filter(([, d]) => d! > 200);
  expect(long, 'long tasks [start ms, duration ms]').toEqual([]);
  expect(watch.errors).toEqual([]);
});
