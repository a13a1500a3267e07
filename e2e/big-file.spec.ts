import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/**
 * Benchmark, not part of the default run: `BIG_FILE=/path/ratings.csv npx playwright test e2e/big-file.spec.ts`
 * (a 25M-row file comes from `npx tsx cli/bench-parse.ts --rows 25000000 --dir /tmp/big --keep`).
 * Loads it through the page's drop zone and data worker and reports time and the browser's peak
 * resident memory (all Chromium processes, sampled with ps).
 */
test('a 25M-row ratings.csv loads in the tab', async ({ page }) => {
  const file = process.env.BIG_FILE;
  test.skip(!file || !existsSync(file), 'set BIG_FILE to a large ratings.csv');
  test.setTimeout(900_000);
  const rss = () => Number(execFileSync('sh', ['-c', "ps -C chromium -o rss= | awk '{s+=$1} END {print s+0}'"]).toString().trim()) * 1024;
  await page.goto('/');
  await page.getByTestId('source-file').click();
  const base = rss();
  let peak = base;
  const timer = setInterval(() => { try { peak = Math.max(peak, rss()); } catch { /* ps raced a process exit */ } }, 250);
  const t0 = Date.now();
  await page.getByTestId('data-file-input').setInputFiles(file!);
  await expect(page.getByTestId('data-detected')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('data-load').click();
  await expect(page.getByTestId('data-stats')).toBeVisible({ timeout: 900_000 });
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(timer);
  const summary = await page.getByTestId('dataset-summary').textContent();
  const row = { bytes: statSync(file!).size, seconds, peakRssMB: Math.round(peak / 2 ** 20), baseRssMB: Math.round(base / 2 ** 20), summary };
  console.log(JSON.stringify(row));
  await test.info().attach('big-file.json', { body: JSON.stringify(row), contentType: 'application/json' });
  await expect(page.getByTestId('data-error')).toHaveCount(0);
});
