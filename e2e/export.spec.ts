import { expect, test } from '@playwright/test';
import { download, setNumber, smallDemo, watchPage } from './helpers';
import { readBundle } from '../src/core/io/bundle';

test('exports a run bundle, imports it back with identical test metrics, and shares the config by link', async ({ page, context }) => {
  const watch = await watchPage(page);
  await page.goto('/');
  await smallDemo(page);
  await page.locator('select[name="align"]').selectOption('darec');
  await setNumber(page, 'epochs', 2);
  await setNumber(page, 'eval-every', 1);
  await setNumber(page, 'batch', 512);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  const bytes = await download(page, 'export-bundle');
  const bundle = readBundle(bytes);
  expect(bundle.config.align.method).toBe('darec');
  expect(bundle.weights.user_embeds!.shape).toEqual([150, 32]);
  expect(Object.keys(bundle.embeddings)).toEqual(expect.arrayContaining(['cf_users', 'cf_items', 'shared_cf_users', 'shared_llm_items']));

  const testRow = async (id: string) => page.getByTestId(id).locator('tbody').textContent();
  const trained = await testRow('test-table');
  await page.getByTestId('import-input').setInputFiles({ name: 'run.zip', mimeType: 'application/zip', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('imported-table')).toBeVisible();
  expect(await testRow('imported-table')).toBe(trained);

  // A bundle that is not a zip gets a clear message and changes nothing.
  await page.getByTestId('import-input').setInputFiles({ name: 'bad.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await expect(page.getByTestId('io-error')).toContainText('import failed');
  expect(await testRow('imported-table')).toBe(trained);

  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('#config=');
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('link-note')).toContainText('Settings loaded from the link');
  await expect(other.locator('select[name="align"]')).toHaveValue('darec');
  await expect(other.locator('input[name="epochs"]')).toHaveValue('2');
  expect(watch.errors).toEqual([]);
});
