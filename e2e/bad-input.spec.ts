/**
 * The bad-input corpus (e2e/fixtures/bad/cases.ts) through the page's own controls.
 *  1. Every bad dataset, embedding upload and bundle gets its message (file name, and line/column
 *     where the format has them), and the dataset in use, the uploaded embeddings and the finished
 *     run's test table stay as they were, with no page errors. One page for all cases.
 *  2. Bundles refused by the worker (another dataset's) leave the finished run's model there.
 *  3./4. Files too large to commit, written into os.tmpdir() at test time: a ~500 MB ratings.csv
 *     whose last line is broken, and a ~100 MB embeddings CSV with the wrong row count. Both must
 *     be read to the end to find the problem, and the tab must stay responsive meanwhile. They run
 *     by default (about 15 s and 5 s here); SKIP_BIG_FILE=1 leaves them out.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { readBundle } from '../src/core/io/bundle';
import { download, setNumber, smallDemo, watchPage } from './helpers';
import { writeBigEmbeddingsCsv, writeBrokenRatings } from './fixtures/bad/bigFile';
import {
  BIG_EMBEDDINGS_CASE,
  BIG_FILE_CASE,
  BUNDLE_CASES,
  DATASET_CASES,
  EMBEDDING_CASES,
  OTHER_DATASET_BUNDLE,
  type BadCase,
  type BundleCase,
  type CasePreprocess,
  type DatasetCase,
  type EmbeddingCase,
  inOrder,
} from './fixtures/bad/cases';

const ROOT = resolve(import.meta.dirname, '..');
type Upload = { name: string; mimeType: string; buffer: Buffer };

/** A file, or every file of a folder, as the file picker hands them over (plain names). */
function filesOf(rel: string): Upload[] {
  const p = join(ROOT, rel);
  const paths = statSync(p).isDirectory() ? readdirSync(p).sort().map((f) => join(p, f)) : [p];
  return paths.map((f) => ({ name: basename(f), mimeType: 'application/octet-stream', buffer: readFileSync(f) }));
}

async function loadGoodDataset(page: Page) {
  await page.getByTestId('source-file').click();
  await page.getByTestId('data-file-input').setInputFiles(filesOf('e2e/fixtures/good').filter((f) => f.name.endsWith('.csv')));
  await expect(page.getByTestId('data-detected')).toBeVisible();
  await page.getByTestId('data-load').click();
  await expect(page.getByTestId('dataset-summary')).toContainText('ratings');
  await expect(page.getByTestId('dataset-summary')).toContainText('60');
}

/** The good 8-d embeddings (users.npy, items.npy) uploaded for the good dataset. */
async function uploadGoodEmbeddings(page: Page) {
  await page.locator('summary', { hasText: 'Compute text embeddings' }).click();
  await page.getByTestId('embed-mode-upload').click();
  await page.getByTestId('embed-upload-users').setInputFiles(filesOf('e2e/fixtures/good/users.npy'));
  await expect(page.getByTestId('embed-upload-users-ok')).toContainText('users.npy: 60 × 8');
  await page.getByTestId('embed-upload-items').setInputFiles(filesOf('e2e/fixtures/good/items.npy'));
  await expect(page.getByTestId('embeddings-ready')).toContainText('upload: users.npy + items.npy (8-d)');
}

/** What a bad input must leave as it was. */
async function pageState(page: Page) {
  const text = async (id: string) => (await page.getByTestId(id).count()) ? await page.getByTestId(id).first().textContent() : null;
  return {
    dataset: await text('dataset-summary'),
    current: await text('data-current'),
    embeddings: await text('embeddings-ready'),
    usersUpload: await text('embed-upload-users-ok'),
    test: await text('test-table'),
    status: await page.getByTestId('status').getAttribute('data-status'),
    imported: await page.getByTestId('imported-table').count(),
  };
}

async function setPreprocess(page: Page, p: CasePreprocess) {
  if (p.threshold !== undefined) {
    await page.locator('input[name="threshold-on"]').check();
    await page.locator('input[name="threshold"]').fill(String(p.threshold));
  }
  if (p.kcore) {
    await page.locator('input[name="kcore-user"]').fill(String(p.kcore.user));
    await page.locator('input[name="kcore-item"]').fill(String(p.kcore.item));
  }
  if (p.split) await page.locator('select[name="split"]').selectOption(p.split);
}

/** Back to the defaults for the next case (options a file cannot use are reset by the page itself). */
async function resetPreprocess(page: Page) {
  const on = page.locator('input[name="threshold-on"]');
  if (await on.isEnabled() && await on.isChecked()) await on.uncheck();
  await page.locator('input[name="kcore-user"]').fill('0');
  await page.locator('input[name="kcore-item"]').fill('0');
}

async function feedDataset(page: Page, c: DatasetCase) {
  const files = filesOf(c.path!);
  await page.getByTestId('data-file-input').setInputFiles(files);
  // The file list shows at once; detection runs in the worker (its failure is the message).
  await expect(page.getByTestId('data-files')).toContainText(files.map((f) => f.name).join(', '));
  await expect(page.getByText('Reading the files…')).toHaveCount(0);
  const error = page.getByTestId('data-error');
  if (await error.count()) {
    await expect(error).toHaveText(inOrder(c.message), { timeout: 5_000 });
    await expect(error).toBeVisible();
    return;
  }
  await expect(page.getByTestId('data-detected')).toBeVisible();
  const guard = c.page;
  if (guard && 'disabled' in guard) {
    // The form rules the option out for these files (loading them would succeed and replace the dataset).
    await expect(page.locator(guard.disabled)).toBeDisabled({ timeout: 5_000 });
    return;
  }
  if (guard && 'fieldError' in guard) {
    await page.locator('input[name="ratio"]').fill(c.preprocess!.ratio!.join(':'));
    await page.locator('input[name="ratio"]').blur();
    await expect(page.getByTestId('ratio-error')).toHaveText(inOrder(guard.fieldError), { timeout: 5_000 });
    await expect(page.getByTestId('ratio-error')).toBeVisible();
    await expect(page.locator('input[name="ratio"]')).toHaveValue('3:1:1');
    return;
  }
  if (c.preprocess) await setPreprocess(page, c.preprocess);
  await page.getByTestId('data-load').click();
  await expect(error).toHaveText(inOrder(c.message), { timeout: 20_000 });
  await expect(error).toBeVisible();
  if (c.preprocess) await resetPreprocess(page);
}

async function feedEmbeddings(page: Page, c: EmbeddingCase) {
  const [file] = filesOf(c.path!);
  await page.getByTestId(`embed-upload-${c.target}`).setInputFiles(file!);
  await expect(page.getByTestId('embed-error')).toHaveText(inOrder(c.message), { timeout: 5_000 });
  await expect(page.getByTestId('embed-error')).toBeVisible();
}

async function feedBundle(page: Page, c: BundleCase, bytes?: Uint8Array) {
  const name = c.path ? basename(c.path) : basename(c.id);
  const buffer = c.path ? readFileSync(join(ROOT, c.path)) : Buffer.from(bytes!);
  await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'application/zip', buffer });
  await expect(page.getByTestId('io-error')).toHaveText(inOrder([`${name}: import failed: `, ...c.message]), { timeout: 20_000 });
  await expect(page.getByTestId('io-error')).toBeVisible();
}

/**
 * A bundle of another dataset made by the app (1 epoch on a 150-user demo, exported), then the good
 * state: the good dataset, its embeddings uploaded, a finished 1-epoch run on them, exported.
 */
async function goodState(page: Page) {
  await page.goto('/');
  await smallDemo(page);
  await setNumber(page, 'epochs', 1);
  await setNumber(page, 'batch', 512);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const otherDataset = await download(page, 'export-bundle');

  await loadGoodDataset(page);
  await uploadGoodEmbeddings(page);
  await page.getByTestId('start').click();
  // The demo run's 'done' is still shown until this run starts: wait for this run's dataset first.
  await expect(page.getByTestId('status')).toHaveAttribute('data-trained-users', '60');
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('test-table')).toBeVisible();
  const state = await pageState(page);
  expect(state.test).toBeTruthy();
  const bundle = readBundle(await download(page, 'export-bundle'));
  expect(bundle.dataset.users).toBe(60);
  expect(bundle.config.data).toMatchObject({ kind: 'file', name: 'ratings' });
  return { otherDataset, state, bundle };
}

test('every bad dataset, embedding upload and bundle gets its message; data, embeddings and the finished run stay', async ({ page }) => {
  test.setTimeout(360_000);
  const watch = await watchPage(page);
  const { otherDataset, state: good } = await goodState(page);
  await watch.mark();

  const failures: string[] = [];
  const times: Record<string, number> = {};
  const run = async (c: BadCase, feed: () => Promise<void>) => {
    const t0 = Date.now();
    const errorsBefore = watch.errors.length;
    try {
      await feed();
      // The items upload is not compared: a good file of another size (items-4d.npy) stays as the pending partner.
      expect(await pageState(page), 'the page state after the case').toEqual(good);
    } catch (e) {
      failures.push(`${c.id}: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`);
    }
    if (watch.errors.length > errorsBefore) failures.push(`${c.id}: page errors ${JSON.stringify(watch.errors.slice(errorsBefore))}`);
    times[c.kind] = (times[c.kind] ?? 0) + (Date.now() - t0);
  };

  for (const c of DATASET_CASES) await run(c, () => feedDataset(page, c));
  for (const c of EMBEDDING_CASES) await run(c, () => feedEmbeddings(page, c));
  for (const c of BUNDLE_CASES) await run(c, () => feedBundle(page, c));
  await run(OTHER_DATASET_BUNDLE, () => feedBundle(page, OTHER_DATASET_BUNDLE, otherDataset));

  const count = DATASET_CASES.length + EMBEDDING_CASES.length + BUNDLE_CASES.length + 1;
  console.log(JSON.stringify({ cases: count, msByKind: times, longTasksOver200ms: (await watch.longTasks()).filter((d) => d > 200).length }));
  expect(failures, 'cases that failed').toEqual([]);
  expect(watch.errors).toEqual([]);
});

test('bundles that fail their checks in the worker leave the finished run there: exporting again gives the same model', async ({ page }) => {
  test.setTimeout(240_000);
  const watch = await watchPage(page);
  const { otherDataset, bundle: before } = await goodState(page);
  // Both read as bundles; the worker refuses them only when it compares them with the loaded dataset.
  await feedBundle(page, OTHER_DATASET_BUNDLE, otherDataset);
  await feedBundle(page, BUNDLE_CASES.find((c) => c.id === 'bundle/other-user-ids.zip')!);
  const after = readBundle(await download(page, 'export-bundle'));
  expect(after.config, 'config.json of the export after the refused imports').toEqual(before.config);
  for (const [name, w] of Object.entries(before.weights)) {
    const a = after.weights[name];
    expect(a?.shape, name).toEqual(w.shape);
    expect(Buffer.from(a!.data.buffer, a!.data.byteOffset, a!.data.byteLength).equals(Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)), `weights "${name}"`).toBe(true);
  }
  expect(after.metrics, 'metrics.json (the run\'s test metrics)').toEqual(before.metrics);
  expect(watch.errors).toEqual([]);
});

test('a ~500 MB ratings.csv with a broken last line: the message names that line, the tab stays responsive, the dataset stays', async ({ page }) => {
  test.skip(!!process.env.SKIP_BIG_FILE, 'SKIP_BIG_FILE is set');
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'darec-bad-big-'));
  try {
    const file = join(dir, 'ratings.csv');
    const g0 = Date.now();
    const big = await writeBrokenRatings(file);
    const generateSeconds = (Date.now() - g0) / 1000;

    const watch = await watchPage(page);
    await page.goto('/');
    await loadGoodDataset(page);
    const before = await pageState(page);
    await watch.mark();

    const t0 = Date.now();
    await page.getByTestId('data-file-input').setInputFiles(file);
    await expect(page.getByTestId('data-files')).toContainText('ratings.csv');
    await expect(page.getByTestId('data-detected')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('data-load').click();
    // While the worker parses, the page answers: a round trip to the page and a click on a control.
    const error = page.getByTestId('data-error');
    let sawProgress = false;
    const latencies = await probeResponsiveness(page, async () => {
      sawProgress ||= (await page.getByTestId('data-progress').count()) > 0;
      return (await error.count()) > 0;
    }, 240_000);
    const parseSeconds = (Date.now() - t0) / 1000;
    await expect(error).toHaveText(inOrder([BIG_FILE_CASE.message[0]! + big.brokenLine, BIG_FILE_CASE.message[1]!]));
    expect(await pageState(page)).toEqual(before);
    const long = await watch.longTasks();
    const row = {
      bytes: big.bytes,
      lines: big.lines,
      generateSeconds,
      parseSeconds,
      maxLatencyMs: Math.max(0, ...latencies),
      probes: latencies.length,
      maxLongTaskMs: Math.max(0, ...long),
    };
    console.log(JSON.stringify(row));
    expect(sawProgress, 'the progress bar showed while parsing').toBe(true);
    expect(row.probes, 'probes while parsing').toBeGreaterThan(0);
    expect(row.maxLatencyMs, 'slowest round trip + click while parsing').toBeLessThan(1500);
    expect(row.maxLongTaskMs, 'longest main-thread task while parsing').toBeLessThan(1000);
    expect(watch.errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** While `done` is not visible: a round trip to the page and a click on a control, timed (ms). */
async function probeResponsiveness(page: Page, done: () => Promise<boolean>, limitMs: number): Promise<number[]> {
  const t0 = Date.now();
  const latencies: number[] = [];
  while (!(await done())) {
    const s = Date.now();
    await page.evaluate(() => document.title);
    await page.locator('.chart-head input[type="checkbox"]').click();
    latencies.push(Date.now() - s);
    expect(Date.now() - t0, 'time to the message').toBeLessThan(limitMs);
    await page.waitForTimeout(250);
  }
  return latencies;
}

test('a ~100 MB embeddings CSV with the wrong row count is parsed off the main thread; the uploaded embeddings stay', async ({ page }) => {
  test.skip(!!process.env.SKIP_BIG_FILE, 'SKIP_BIG_FILE is set');
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'darec-bad-emb-'));
  try {
    const file = join(dir, basename(BIG_EMBEDDINGS_CASE.id));
    const bytes = await writeBigEmbeddingsCsv(file, 200_000, 48);
    const watch = await watchPage(page);
    await page.goto('/');
    await loadGoodDataset(page);
    await uploadGoodEmbeddings(page);
    const before = await pageState(page);
    await watch.mark();

    const t0 = Date.now();
    await page.getByTestId('embed-upload-items').setInputFiles(file);
    const error = page.getByTestId('embed-error');
    const latencies = await probeResponsiveness(page, async () => (await error.count()) > 0, 180_000);
    const seconds = (Date.now() - t0) / 1000;
    await expect(error).toHaveText(inOrder(BIG_EMBEDDINGS_CASE.message));
    expect(await pageState(page)).toEqual(before);
    await expect(page.getByTestId('embed-upload-items-ok')).toContainText('items.npy: 40 × 8');
    const long = await watch.longTasks();
    const row = { bytes, seconds, maxLatencyMs: Math.max(0, ...latencies), probes: latencies.length, maxLongTaskMs: Math.max(0, ...long) };
    console.log(JSON.stringify(row));
    expect(row.probes, 'probes while parsing').toBeGreaterThan(0);
    expect(row.maxLatencyMs, 'slowest round trip + click while parsing').toBeLessThan(1500);
    expect(row.maxLongTaskMs, 'longest main-thread task while parsing').toBeLessThan(1000);
    expect(watch.errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
