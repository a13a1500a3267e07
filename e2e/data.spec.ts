import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { setNumber, watchPage } from './helpers';

/** A MovieLens-latest-style pair of files written by the test (not licensed data). */
function movieLensFiles() {
  const rows = ['userId,movieId,rating,timestamp'];
  let t = 1_000_000;
  for (let u = 1; u <= 60; u++) for (let k = 0; k < 14; k++) rows.push(`${u},${1 + ((u * 7 + k * 3) % 40)},${1 + ((u + k) % 5)},${t++}`);
  const movies = ['movieId,title,genres'];
  for (let i = 1; i <= 40; i++) movies.push(`${i},"Movie ${i}, The (${1990 + i})",${i % 2 ? 'Comedy|Drama' : 'Horror'}`);
  return [
    { name: 'ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') },
    { name: 'movies.csv', mimeType: 'text/csv', buffer: Buffer.from(movies.join('\n') + '\n') },
  ];
}

test('loads your own MovieLens files, trains on them, and a bad file keeps the loaded dataset', async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto('/');
  await page.locator('select[name="backend"]').selectOption('wasm');
  await page.getByTestId('source-file').click();
  await page.getByTestId('data-file-input').setInputFiles(movieLensFiles());
  await expect(page.getByTestId('data-detected')).toBeVisible();
  await page.getByTestId('data-load').click();
  await expect(page.getByTestId('dataset-summary')).toContainText('60');
  await expect(page.getByTestId('data-stats')).toBeVisible();
  const before = await page.getByTestId('dataset-summary').textContent();

  await setNumber(page, 'epochs', 1);
  await setNumber(page, 'batch', 256);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('test-table')).toBeVisible();

  // A bad file: clear message naming file, line and column; the loaded dataset stays.
  const bad = resolve(import.meta.dirname, '../tests/fixtures/data/bad/nan-rating/ratings.csv');
  await page.getByTestId('data-file-input').setInputFiles([{ name: 'ratings.csv', mimeType: 'text/csv', buffer: readFileSync(bad) }]);
  await page.getByTestId('data-load').click().catch(() => undefined);
  await expect(page.getByTestId('data-error')).toContainText('line 3');
  await expect(page.getByTestId('data-error')).toContainText('expected a number');
  expect(await page.getByTestId('dataset-summary').textContent()).toBe(before);
  expect(watch.errors).toEqual([]);
});
