/**
 * Issue #8: untrusted text is shown as text everywhere. A MovieLens-style dataset whose titles,
 * genres and raw ids are HTML / script injections, template syntax, spreadsheet formulas, tabs and
 * line breaks, bidi / zero-width characters and a 10k-character title (tests/fixtures/hostile.ts)
 * goes through the page: file preview, stats, dataset summary, the embeddings step's profile
 * preview, a short DaRec run with snapshots, hover tooltips and the neighbour list in Inspect, and
 * the Projector / RecBole exports. Nothing may run (`window.__pwned` stays unset), no element may
 * be injected, and the titles must appear literally.
 *
 * The page's Content-Security-Policy would block inline handlers even if markup got through, so
 * the spec bypasses it: it tests the escaping itself, not the policy behind it.
 */
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { clipText } from '../src/ui/inspect/escape';
import { hostileMovieLens, ITEMS, PAYLOADS, USERS } from '../tests/fixtures/hostile';
import { download, setNumber, watchPage } from './helpers';

test.use({ bypassCSP: true });

const JUNK_NAME = '<img src=x onerror="window.__pwned=11">.txt';

/** Everything that would mean markup got into the DOM: the app itself renders none of these. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      const tag = el.tagName.toLowerCase();
      if (['img', 'svg', 'iframe', 'b', 'u', 'textarea'].includes(tag)) out.push(`<${tag}>`);
      if (tag === 'script' && !(el as HTMLScriptElement).src) out.push('inline <script>');
      for (const a of Array.from(el.attributes)) if (/^on/i.test(a.name) || a.name === 'srcdoc') out.push(`${tag}[${a.name}]`);
    }
    if ((window as unknown as { __pwned?: unknown }).__pwned !== undefined) out.push(`__pwned=${String((window as unknown as { __pwned?: unknown }).__pwned)}`);
    return out;
  });
}

/** Page coordinates of drawn points (opaque canvas pixels below the legend), spread over the view. */
async function pointPixels(page: Page, testId: string, max = 40): Promise<{ x: number; y: number }[]> {
  return page.evaluate(
    ({ testId, max }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testId}"] .inspect-canvas canvas`);
      if (!canvas) return [];
      const ctx = canvas.getContext('2d')!;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const box = canvas.getBoundingClientRect();
      const found: { x: number; y: number }[] = [];
      const step = Math.max(1, Math.round(4 * scale));
      for (let y = Math.round(34 * scale); y < height; y += step) {
        for (let x = 0; x < width; x += step) {
          if (data[4 * (y * width + x) + 3]! > 150 && !found.some((p) => Math.hypot(p.x - x, p.y - y) < 10 * scale)) found.push({ x, y });
        }
      }
      // Spread: every k-th, so a few hovers cover the whole view.
      const k = Math.max(1, Math.floor(found.length / max));
      return found.filter((_, i) => i % k === 0).slice(0, max).map((p) => ({ x: box.left + p.x / scale, y: box.top + p.y / scale }));
    },
    { testId, max },
  );
}

test('hostile titles, genres and ids are shown as text in previews, stats, tooltips, neighbours and exports', async ({ page }) => {
  const started = Date.now();
  const watch = await watchPage(page);
  const fx = hostileMovieLens();
  const titles = [...fx.titles.values()];
  const isTitle = (s: string) => titles.includes(s);
  // Tooltips and the neighbour list cut long titles (the 10k one) to MAX_LABEL_CHARS.
  const shown = titles.map((t) => clipText(t));
  // Tooltips are parsed HTML: the parser turns CR LF and lone CR into LF.
  const tipText = (t: string) => clipText(t).replace(/\r\n?/g, '\n');

  await page.goto('/');
  await page.locator('select[name="backend"]').selectOption('wasm');
  await page.getByTestId('source-file').click();
  await page.getByTestId('data-file-input').setInputFiles([
    { name: 'ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(fx.ratings) },
    { name: 'movies.csv', mimeType: 'text/csv', buffer: Buffer.from(fx.movies) },
    { name: JUNK_NAME, mimeType: 'text/plain', buffer: Buffer.from('nothing to see\n') },
  ]);
  await expect(page.getByTestId('data-detected')).toBeVisible();

  // File preview: the movie rows as the parser splits them, each title one cell, literally
  // (tabs, line breaks and all: textContent is the raw text node).
  const movieCells = await page.getByTestId('data-preview-items').locator('td').evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
  const previewTitles = movieCells.filter(isTitle);
  expect(previewTitles.length, 'titles in the movies.csv preview').toBeGreaterThanOrEqual(9);
  for (const p of PAYLOADS.slice(0, 9)) expect(previewTitles.some((t) => t.startsWith(p)), p).toBe(true);
  // Raw ids with markup, in the ratings preview.
  const ratingCells = await page.getByTestId('data-preview-interactions').locator('td').evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
  expect(ratingCells).toContain('<u>1</u>');
  expect(ratingCells).toContain('<svg/onload=window.__pwned=10>8');
  await expect(page.getByTestId('data-files')).toContainText(JUNK_NAME);
  expect(await injected(page)).toEqual([]);

  await page.getByTestId('data-load').click();
  await expect(page.getByTestId('dataset-summary')).toContainText(String(USERS));
  await expect(page.getByTestId('data-stats')).toBeVisible();
  const summary = (await page.getByTestId('dataset-summary').textContent()) ?? '';
  expect(titles.filter((t) => summary.includes(t)).length, 'sample titles in the dataset summary').toBeGreaterThanOrEqual(3);
  expect(await injected(page)).toEqual([]);

  // Embeddings step: the profile preview quotes titles and genres (whitespace collapsed).
  await page.getByText('Compute text embeddings in the tab').click();
  const preview = page.locator('[aria-label="Profile preview"]');
  await expect(preview).toBeVisible();
  const previewText = (await preview.textContent()) ?? '';
  expect(previewText).toMatch(/[<>]/);
  expect(await preview.locator('li > :not(code)').count()).toBe(0);
  expect(await injected(page)).toEqual([]);

  // A short DaRec run on the built-in TF-IDF vectors, with snapshots for Inspect.
  await page.locator('select[name="align"]').selectOption('darec');
  await setNumber(page, 'epochs', 3);
  await setNumber(page, 'eval-every', 3);
  await setNumber(page, 'batch', 256);
  await setNumber(page, 'lr', 0.01);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', /^(done|error)$/, { timeout: 180_000 });
  expect(await page.getByTestId('error').allTextContents(), 'run error').toEqual([]);
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'done');

  const panel = page.getByTestId('inspect-panel');
  await panel.scrollIntoViewIfNeeded();
  await expect(page.locator('[data-testid="inspect-panel"][data-ready="1"]')).toBeVisible({ timeout: 60_000 });
  await panel.locator('select').filter({ has: page.locator('option[value="items"]') }).selectOption('items');
  await page.getByTestId('colour-by').selectOption('category');
  await expect(page.locator('[data-testid="inspect-panel"][data-ready="1"]')).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await page.getByTestId('view-sharedCF').getAttribute('data-points'))).toBe(ITEMS);
  // The draw queue paints one chart per frame: wait until this one has points on its canvas.
  await expect.poll(async () => (await pointPixels(page, 'view-sharedCF')).length).toBeGreaterThan(0);

  // Hover points until a tooltip shows a title with markup; every tooltip must be text only.
  const tips: string[] = [];
  let hostileTip: { title: string; at: { x: number; y: number } } | null = null;
  for (const at of await pointPixels(page, 'view-sharedCF')) {
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('.inspect-tooltip:visible');
    try {
      await expect(tip).toHaveCount(1, { timeout: 1500 });
    } catch {
      continue;
    }
    const text = (await tip.textContent()) ?? '';
    tips.push(text);
    const title = shown.find((t) => text.startsWith(tipText(t)));
    expect(title, `tooltip ${JSON.stringify(text.slice(0, 120))} starts with a title`).toBeDefined();
    expect(await tip.locator('*:not(br)').count(), 'elements in the tooltip besides <br>').toBe(0);
    if (/[<>]/.test(title!)) {
      hostileTip = { title: title!, at };
      break;
    }
  }
  expect(hostileTip, `a tooltip with a markup title (saw ${tips.length} tooltips)`).not.toBeNull();
  expect(await injected(page)).toEqual([]);

  // Click that point: the neighbour list names it and its neighbours, as text.
  await page.mouse.click(hostileTip!.at.x, hostileTip!.at.y);
  const nb = page.getByTestId('neighbours');
  await expect(nb).toBeVisible();
  expect(await nb.locator('h4 q').textContent()).toBe(hostileTip!.title);
  const names = await nb.locator('li button').evaluateAll((bs) => bs.map((b) => b.textContent ?? ''));
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(shown.includes(n), `neighbour ${JSON.stringify(n.slice(0, 80))}`).toBe(true);
  expect(names.some((n) => /[<>]/.test(n))).toBe(true);
  expect(await injected(page)).toEqual([]);

  // The overlay (joint layout, two copies per item) too.
  await page.getByTestId('view-overlay').scrollIntoViewIfNeeded();
  await expect.poll(async () => (await pointPixels(page, 'view-overlay')).length).toBeGreaterThan(0);
  let overlayTip = '';
  for (const at of await pointPixels(page, 'view-overlay', 20)) {
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('.inspect-tooltip:visible');
    if ((await tip.count()) === 0) await page.waitForTimeout(200);
    if ((await tip.count()) !== 1) continue;
    overlayTip = (await tip.textContent()) ?? '';
    if (overlayTip) break;
  }
  expect(shown.some((t) => overlayTip.startsWith(tipText(t))), `overlay tooltip ${JSON.stringify(overlayTip.slice(0, 120))}`).toBe(true);
  expect(await injected(page)).toEqual([]);

  // Projector export: one metadata row per user and item however many tabs / line breaks titles hold.
  const exportZip = async (id: string) => unzipSync(await download(page, id));
  const proj = await exportZip('export-projector');
  const meta = strFromU8(proj['metadata.tsv']!).split('\n');
  expect(meta.pop()).toBe('');
  expect(meta.length).toBe(1 + USERS + ITEMS);
  const header = meta[0]!.split('\t');
  for (const row of meta) expect(row.split('\t').length).toBe(header.length);
  expect(strFromU8(proj['vectors.tsv']!).trimEnd().split('\n').length).toBe(USERS + ITEMS);

  // RecBole export: one .item row per item.
  const rb = await exportZip('export-recbole');
  const itemFile = Object.keys(rb).find((p) => p.endsWith('.item'))!;
  const itemRows = strFromU8(rb[itemFile]!).trimEnd().split('\n');
  expect(itemRows.length).toBe(1 + ITEMS);
  for (const row of itemRows) expect(row.split('\t').length).toBe(itemRows[0]!.split('\t').length);

  expect(await injected(page)).toEqual([]);
  expect(watch.errors).toEqual([]);
  console.log(`hostile-text spec: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test("ECharts' default tooltip escapes series and data names (LineChart and DegreeChart rely on it)", async ({ page }) => {
  const evil = '<img src=x onerror="window.__pwned=21">';
  await page.setContent('<div id="c" style="width:480px;height:320px"></div>');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js') });
  const html = await page.evaluate(async (evil) => {
    const ec = (window as unknown as { echarts: { init(el: HTMLElement): { setOption(o: unknown): void; dispatchAction(a: unknown): void } } }).echarts;
    const chart = ec.init(document.getElementById('c')!);
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => String(v) },
      xAxis: { type: 'category', data: [evil, 'b'] },
      yAxis: { type: 'value' },
      series: [{ name: evil, type: 'line', data: [1, 2] }, { name: 'ok', type: 'scatter', data: [{ name: evil, value: 3 }, 4] }],
    });
    chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
    await new Promise((r) => setTimeout(r, 300));
    const tips = Array.from(document.querySelectorAll('#c div')).filter((d) => d.innerHTML.includes('window.__pwned=21') && !d.querySelector('canvas'));
    return tips.map((d) => d.innerHTML);
  }, evil);
  expect(html.length).toBeGreaterThan(0);
  // innerHTML re-serialises the text node: only & < > come back as entities.
  expect(html.join('')).toContain('&lt;img src=x onerror="window.__pwned=21"&gt;');
  // (addScriptTag put ECharts in an inline <script>, so only the payload's traces are checked.)
  expect(await page.locator('img, [onerror]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
});
