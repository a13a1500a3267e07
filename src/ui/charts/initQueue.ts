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
