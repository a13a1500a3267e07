import { writeFileSync } from 'node:fs';
import type { Browser, CDPSession } from '@playwright/test';

/**
 * JS heap of a dedicated worker, after a forced garbage collection. Workers have no
 * `performance.memory`, so this goes through the DevTools protocol: the browser
 * session attaches to the worker's target and relays Runtime/HeapProfiler commands.
 */
export async function workerHeap(browser: Browser, urlPart: string) {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find(t => t.type === 'worker' && t.url.includes(urlPart));
  if (!target) throw new Error(`no worker whose URL contains "${urlPart}" (have: ${targetInfos.map(t => t.url).join(', ')})`);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 1;
  const pending = new Map<number, (r: { result?: unknown; error?: unknown }) => void>();
  let chunks: string[] = [];
  cdp.on('Target.receivedMessageFromTarget', ev => {
    const m = JSON.parse(ev.message) as { id?: number; result?: unknown; error?: unknown; method?: string; params?: { chunk: string } };
    if (m.id !== undefined) pending.get(m.id)?.(m);
    else if (m.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(m.params!.chunk);
  });
  const call = <T>(method: string, params: object = {}) => new Promise<T>((resolve, reject) => {
    const id = next++;
    pending.set(id, m => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result as T)));
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  return {
    /** Used JS heap in bytes after a full GC. */
    async usedAfterGc(): Promise<number> {
      await call('HeapProfiler.collectGarbage');
      return (await call<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
    },
    /** Writes a heap snapshot (taken after a GC) that DevTools' Memory panel can load and compare. */
    async snapshot(path: string) {
      chunks = [];
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      writeFileSync(path, chunks.join(''));
    },
    detach: () => cdp.detach(),
  };
}
