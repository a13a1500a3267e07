/**
 * Inspection views in the built page (inspect-test.html, synthetic planted-cluster snapshots for
 * epochs 1 and 2 with hostile titles): the four spaces and the overlay render with points, hover
 * shows a title as text, the snapshot slider changes the picture, t-SNE streams and cancels, and
 * with 10k items no task blocks the main thread for 200 ms or more.
 *
 * Needs inspect-test.html in vite.config.ts build.rollupOptions.input. The t-SNE timing test runs
 * only with TSNE_BENCH=1:  TSNE_BENCH=1 npx playwright test e2e/inspect.spec.ts
 */
import { expect, test, type Page } from '@playwright/test';
import { watchPage } from './helpers';

const HOSTILE = '<img src=x onerror=alert(1)>';
const VIEWS = ['view-sharedCF', 'view-sharedLLM', 'view-specificCF', 'view-specificLLM'];

async function open(page: Page, query: string) {
  const watch = await watchPage(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/inspect-test.html${query}`);
  await page.waitForFunction(() => window.inspectTest?.ready === true);
  await watch.mark();
  return { ...watch, dialogs };
}

async function settled(page: Page, epoch: number) {
  await expect(page.locator(`[data-testid="inspect-panel"][data-epoch="${epoch}"][data-ready="1"]`)).toBeVisible();
  // ECharts draws on the next animation frame; progressive series may take one more.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
}

test('four spaces and the overlay render 10k items; hover, slider, neighbours; no long tasks', async ({ page }) => {
  const { errors, longTasks, dialogs } = await open(page, '?n=10000');
  await settled(page, 2);

  for (const id of VIEWS) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-points', '5000');
  }
  await expect(page.getByTestId('view-overlay')).toHaveAttribute('data-points', '10000');

  // Hover: the tooltip shows the hostile title as text, and no element is injected.
  const at = await page.evaluate(() => window.inspectTest.pointPixel('view-sharedCF'));
  expect(at).not.toBeNull();
  await page.mouse.move(at!.x, at!.y);
  const tip = page.locator('.inspect-tooltip').filter({ hasText: 'item' }).first();
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(HOSTILE);
  expect(await page.locator('img').count()).toBe(0);

  // Click: neighbour lists for every space, titles as text.
  await page.mouse.click(at!.x, at!.y);
  const nb = page.getByTestId('neighbours');
  await expect(nb).toBeVisible();
  await expect(nb.locator('li').first()).toContainText(HOSTILE);
  expect(await nb.locator('[data-space]').count()).toBeGreaterThanOrEqual(4);

  // Slider: epoch 2 -> epoch 1 changes the picture.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400); // tooltip hide delay: the screenshots must differ by the layout, not the tooltip
  const grid = page.getByTestId('spaces-grid');
  const before = await grid.screenshot();
  const slider = page.getByTestId('snapshot-slider');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('snapshot-epoch')).toContainText('epoch 1');
  await settled(page, 1);
  for (const id of VIEWS) await expect(page.getByTestId(id)).toHaveAttribute('data-points', '5000');
  const after = await grid.screenshot();
  expect(before.equals(after), 'grid screenshots before and after moving the slider').toBe(false);

  // Colour-by switches recolour without losing points.
  for (const c of ['category', 'popularity', 'side', 'cluster']) {
    await page.getByTestId('colour-by').selectOption(c);
    await expect(page.getByTestId('view-sharedCF')).toHaveAttribute('data-points', '5000');
  }

  // Loss dashboard renders its charts.
  // Charts mount one per frame after the page: wait for the chart itself, or `not` passes on its absence.
  await expect(page.getByTestId('loss-combined')).toBeVisible();
  await expect(page.getByTestId('loss-combined')).not.toHaveAttribute('data-points', '0');
  await page.getByTestId('loss-log').check();
  await expect(page.getByTestId('loss-dashboard')).toContainText('Hidden on the log scale');

  await page.waitForTimeout(300);
  const long = await longTasks();
  expect(Math.max(0, ...long), `long tasks (ms): ${JSON.stringify(long)}`).toBeLessThan(200);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});

test('t-SNE streams intermediate layouts into the views and can be cancelled', async ({ page }) => {
  const { errors, longTasks } = await open(page, '?n=3000');
  await settled(page, 2);
  await page.getByTestId('reduce-method').selectOption('tsne');
  await page.locator('.inspect-tsne input[type="number"]').nth(1).fill('400');
  await page.getByTestId('reduce-run').click();
  // Streaming: a view shows points before its job finishes.
  await expect(page.getByTestId('view-sharedCF')).toHaveAttribute('data-points', '3000');
  await expect(page.getByTestId('view-sharedCF')).toContainText(/t-SNE \d+\/400/);
  await expect.poll(async () => Number(await page.getByTestId('reduce-progress').getAttribute('value'))).toBeGreaterThan(0);
  await page.getByTestId('reduce-cancel').click();
  await expect(page.locator('.inspect-progress')).toContainText('cancelled');
  const long = await longTasks();
  expect(Math.max(0, ...long), `long tasks (ms): ${JSON.stringify(long)}`).toBeLessThan(200);
  expect(errors).toEqual([]);
});

test('benchmark: t-SNE seconds for 1k, 5k and 10k points in the worker', async ({ page }) => {
  test.skip(!process.env.TSNE_BENCH, 'set TSNE_BENCH=1 to time t-SNE in Chromium');
  test.setTimeout(900_000);
  await open(page, '?n=10');
  const rows = [];
  for (const n of [1000, 5000, 10000]) {
    const r = await page.evaluate((k) => window.inspectTest.benchTsne(k, 750), n);
    console.log(JSON.stringify(r));
    rows.push(r);
  }
  await test.info().attach('tsne-bench.json', { body: JSON.stringify(rows, null, 1), contentType: 'application/json' });
});
