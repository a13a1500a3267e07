/**
 * Transfer lists for postMessage: each typed array's buffer once (listing a buffer twice throws
 * DataCloneError, and views often share one). SharedArrayBuffers are left out (they cannot be
 * transferred, and are shared anyway). Pure: no tfjs, so any worker can import it.
 */
export function uniqueBuffers(arrays: Iterable<ArrayBufferView | null | undefined>): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) set.add(a.buffer);
  return [...set];
}
