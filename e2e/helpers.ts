import type { Page } from '@playwright/test';

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
  return {
    errors,
    longTasks: () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks),
    /** [start ms, duration ms] of every long task, for diagnosing one. */
    longTaskTimes: () => page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __longTaskAt: number[] };
      return w.__longTasks.map((d, k) => [Math.round(w.__longTaskAt[k]!), Math.round(d)]);
    }),
  };
}

export async function setNumber(page: Page, name: string, value: number) {
  await page.locator(`input[name="${name}"]`).fill(String(value));
}
