/**
 * Creating an ECharts instance and drawing it first costs tens of ms; when a
 * panel mounts several charts in one React commit, their effects run in one
 * task and stall the page (long tasks over 200 ms were measured when the
 * Inspect grid appeared). Charts are therefore created one per macrotask.
 */
const queue: (() => void)[] = [];
let scheduled = false;

function drain(): void {
  const job = queue.shift();
  if (job) job();
  if (queue.length) setTimeout(drain, 0);
  else scheduled = false;
}

/** Runs `job` in its own task after earlier ones; returns a cancel function for unmount. */
export function enqueueChartInit(job: () => void): () => void {
  let cancelled = false;
  queue.push(() => {
    if (!cancelled) job();
  });
  if (!scheduled) {
    scheduled = true;
    setTimeout(drain, 0);
  }
  return () => {
    cancelled = true;
  };
}

const draws = new Map<object, () => void>();
let drawScheduled = false;

function drawOne(): void {
  const first = draws.entries().next();
  if (!first.done) {
    const [key, job] = first.value;
    draws.delete(key);
    job();
  }
  if (draws.size) setTimeout(drawOne, 0);
  else drawScheduled = false;
}

/**
 * Redraws one chart per task, the latest job per chart winning: at an epoch
 * boundary the loss, metrics and dashboard charts all get new data, and their
 * setOption calls in one task were the remaining >200 ms stalls.
 */
export function enqueueChartDraw(key: object, job: () => void): void {
  draws.set(key, job);
  if (!drawScheduled) {
    drawScheduled = true;
    setTimeout(drawOne, 0);
  }
}

/** Forget a chart's pending redraw (on unmount). */
export function cancelChartDraw(key: object): void {
  draws.delete(key);
}
