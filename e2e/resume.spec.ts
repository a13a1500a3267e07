import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { longSmallRun, shownEpoch } from './helpers';

test('a reload mid-run offers to resume from the last checkpoint, and resuming continues after it', async ({ page }) => {
  await page.goto('/');
  await longSmallRun(page, 'wasm');
  await page.getByTestId('start').click();
  // Wait until at least two checkpoints (every eval interval = 2 epochs) exist, then reload mid-run.
  await expect.poll(() => shownEpoch(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  const before = await shownEpoch(page);
  await page.reload();

  const offer = page.getByTestId('resume-offer');
  await expect(offer).toBeVisible();
  const checkpoint = Number((await offer.textContent())!.match(/epoch (\d+)/)![1]);
  // At most one checkpoint interval (2 epochs) is lost.
  expect(checkpoint).toBeGreaterThanOrEqual(before - 2);
  await page.getByTestId('resume-run').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect.poll(() => shownEpoch(page), { timeout: 60_000 }).toBeGreaterThan(checkpoint);
  const first = await page.getByTestId('loss-chart').getAttribute('data-points');
  expect(Number(first)).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped');
  // The same stored run went on: stopped, with a checkpoint later than the one resumed from.
  const row = page.getByTestId('runs').locator('tbody tr').first();
  await expect(row).toContainText('stopped');
  expect(Number(await row.locator('td').nth(2).textContent())).toBeGreaterThan(checkpoint);
});

test('a crashed tab mid-run offers the run for resume when the browser comes back', async ({ browserName, baseURL }, testInfo) => {
  test.skip(browserName !== 'chromium', 'launches Chromium itself (chromium.launchPersistentContext) and crashes the tab over CDP');
  // A profile on disk, like a user's: the renderer is killed, the browser closed and started again on it.
  const profile = mkdtempSync(join(tmpdir(), 'darec-crash-'));
  const launch = () => chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, baseURL, viewport: { width: 1280, height: 900 } });
  let context = await launch();
  try {
    const page = await context.newPage();
    await page.goto('/');
    await longSmallRun(page, 'wasm');
    await page.getByTestId('start').click();
    await expect.poll(() => shownEpoch(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
    // Kill the renderer (as an out-of-memory crash would): no unload handlers run.
    const crashed = page.waitForEvent('crash');
    // The command gets no answer from a dead renderer: not awaited.
    void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
    await crashed;
    await context.close();

    context = await launch();
    const next = await context.newPage();
    await next.goto('/');
    const offer = next.getByTestId('resume-offer');
    await expect(offer).toBeVisible();
    const checkpoint = Number((await offer.textContent())!.match(/epoch (\d+)/)![1]);
    expect(checkpoint).toBeGreaterThanOrEqual(4);
    await next.getByTestId('resume-run').click();
    await expect.poll(() => shownEpoch(next), { timeout: 60_000 }).toBeGreaterThan(checkpoint);
    await next.getByTestId('stop').click();
    await expect(next.getByTestId('status')).toHaveAttribute('data-status', 'stopped');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a run training in another tab is not offered for resume; once that tab closes, it is', async ({ page, context }) => {
  await page.goto('/');
  await longSmallRun(page, 'wasm');
  await page.getByTestId('start').click();
  await expect.poll(() => shownEpoch(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);

  const other = await context.newPage();
  await other.goto('/');
  const row = other.getByTestId('runs').locator('tbody tr').first();
  await expect(row).toContainText('running (in another tab)');
  await expect(other.getByTestId('resume-offer')).toHaveCount(0);

  await page.close();
  await other.reload();
  await expect(other.getByTestId('resume-offer')).toBeVisible();
  await expect(other.getByTestId('runs').locator('tbody tr').first()).not.toContainText('in another tab');
});
