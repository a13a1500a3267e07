/**
 * One page-wide queue for chart work, so that panels mounting or updating
 * several ECharts instances at once never do it in a single task:
 * - creating an instance and its first draw cost tens of ms: one creation per task;
 * - a setOption + paint of a 5k-10k point view costs 20-40 ms: one redraw per animation
 *   frame, oldest first (five views redrawn together made 130-210 ms tasks, and a layout
 *   change resizing every view at once made >200 ms ones).
 */
const inits: (() => void)[] = [];
let initScheduled = false;

function initOne(): void {
  inits.shift()?.();
  if (inits.length) setTimeout(initOne, 0);
  else initScheduled = false;
}

/** Runs `job` in its own task after earlier ones; returns a cancel function for unmount. */
export function enqueueChartInit(job: () => void): () => void {
  let cancelled = false;
  inits.push(() => {
    if (!cancelled) job();
  });
  if (!initScheduled) {
    initScheduled = true;
    setTimeout(initOne, 0);
  }
  return () => {
    cancelled = true;
  };
}

const draws = new Map<object, () => void>();
let drawFrame: number | null = null;

function drawOne(): void {
  drawFrame = null;
  const first = draws.entries().next();
  if (!first.done) {
    draws.delete(first.value[0]);
    first.value[1]();
  }
  if (draws.size) drawFrame = requestAnimationFrame(drawOne);
}

/** Queues a redraw of `key`'s chart; a chart already queued keeps its place and runs the latest job. */
export function enqueueChartDraw(key: object, job: () => void): void {
  draws.set(key, job);
  if (drawFrame === null) drawFrame = requestAnimationFrame(drawOne);
}

/** Forgets a chart's pending redraw (on unmount). */
export function cancelChartDraw(key: object): void {
  draws.delete(key);
}
