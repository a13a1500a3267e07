import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

/** Records console errors, page errors and long tasks (PerformanceObserver 'longtask') from the first script on. */
export async function watchPage(page: Page) {
  const errors: string[] = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskAt: number[] };
    w.__longTasks = [];
    w.__longTaskAt = [];
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        w.__longTasks.push(e.duration);
        w.__longTaskAt.push(e.startTime);
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  type W = { __longTasks: number[]; __longTaskAt: number[]; __longTaskMark?: number };
  return {
    errors,
    /**
     * Long tasks from here on. Specs call it once the page has loaded: the first task of a fresh
     * page (Chromium's start-up layout and the bundle's evaluation) is page load, not a stall of a
     * page in use, and alone reached 270 ms on this 2-core machine under load.
     */
    mark: () => page.evaluate(() => { const w = window as unknown as W; w.__longTaskMark = w.__longTasks.length; }),
    longTasks: () => page.evaluate(() => { const w = window as unknown as W; return w.__longTasks.slice(w.__longTaskMark ?? 0); }),
    /** [start ms, duration ms] of every long task, for diagnosing one. */
    longTaskTimes: () => page.evaluate(() => {
      const w = window as unknown as W;
      return w.__longTasks.map((d, k) => [Math.round(w.__longTaskAt[k]!), Math.round(d)]).slice(w.__longTaskMark ?? 0);
    }),
  };
}

export async function setNumber(page: Page, name: string, value: number) {
  await page.locator(`input[name="${name}"]`).fill(String(value));
}

/** Backend and a small demo (150 × 100, 2,500 interactions); returns once the dataset summary shows its 150 users. */
export async function smallDemo(page: Page, backend = 'wasm') {
  await page.locator('select[name="backend"]').selectOption(backend);
  await setNumber(page, 'demo-users', 150);
  await setNumber(page, 'demo-items', 100);
  await setNumber(page, 'demo-interactions', 2500);
  await expect(page.getByTestId('dataset-summary')).toContainText('150');
}

/** Clicks the button with this test id and returns the bytes of the download it starts. */
export async function download(page: Page, testId: string): Promise<Uint8Array> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return new Uint8Array(readFileSync(await dl.path()));
}

/** Backend, a small demo (200 × 150, 4,000 interactions) and a long run that checkpoints every 2 epochs. */
export async function longSmallRun(page: Page, backend: string, opts: { lr?: number; batch?: number; epochs?: number } = {}) {
  await page.locator('select[name="backend"]').selectOption(backend);
  await setNumber(page, 'demo-users', 200);
  await setNumber(page, 'demo-items', 150);
  await setNumber(page, 'demo-interactions', 4000);
  await setNumber(page, 'epochs', opts.epochs ?? 400);
  await setNumber(page, 'eval-every', 2);
  await setNumber(page, 'patience', 1000);
  await setNumber(page, 'batch', opts.batch ?? 256);
  if (opts.lr !== undefined) await setNumber(page, 'lr', opts.lr);
  await page.getByTestId('dataset-summary').filter({ hasText: '200' }).waitFor();
}

/** The epoch the status line shows (0 before the first). */
export async function shownEpoch(page: Page): Promise<number> {
  return Number((await page.getByTestId('status').textContent())?.match(/epoch (\d+)/)?.[1] ?? 0);
}
