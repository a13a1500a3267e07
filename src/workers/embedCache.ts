/**
 * IndexedDB cache of computed embeddings, keyed by `embedCacheKey` (model, dtype, templates,
 * dataset fingerprint), so a reload reuses them instead of re-running the model.
 *
 * Raw IndexedDB rather than idb-keyval: that package is not installed and this needs only
 * get/put/size/clear on two object stores. Sizes live in a separate small 'meta' store so the
 * panel can show the total without reading megabytes of vectors.
 */
import { openDb, req, txDone } from './idb';

export interface CachedEmbeddings {
  key: string;
  users: Float32Array;
  items: Float32Array;
  dim: number;
  /** Human-readable origin, e.g. "Xenova/all-MiniLM-L6-v2 (q8, webgpu)". */
  source: string;
  created: number;
}

interface Meta {
  key: string;
  bytes: number;
  created: number;
  source: string;
}

const DB_NAME = 'darec-embeddings';
const DB_VERSION = 1;
const VECTORS = 'vectors';
const META = 'meta';

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (dbPromise) return dbPromise;
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available here'));
  const p = openDb(indexedDB, DB_NAME, DB_VERSION, { [VECTORS]: { keyPath: 'key' }, [META]: { keyPath: 'key' } }, {
    onVersionChange: () => {
      dbPromise = null;
    },
  });
  dbPromise = p;
  p.catch(() => {
    if (dbPromise === p) dbPromise = null;
  });
  return p;
}

export async function cacheGet(key: string): Promise<CachedEmbeddings | null> {
  const db = await open();
  const tx = db.transaction(VECTORS, 'readonly');
  const v = (await req(tx.objectStore(VECTORS).get(key))) as CachedEmbeddings | undefined;
  return v ?? null;
}

/** Stores an entry; false (not an exception) when the browser refuses, e.g. over quota. */
export async function cachePut(e: CachedEmbeddings): Promise<boolean> {
  try {
    const db = await open();
    const tx = db.transaction([VECTORS, META], 'readwrite');
    tx.objectStore(VECTORS).put(e);
    const meta: Meta = { key: e.key, bytes: e.users.byteLength + e.items.byteLength, created: e.created, source: e.source };
    tx.objectStore(META).put(meta);
    await txDone(tx);
    return true;
  } catch {
    return false;
  }
}

export async function cacheSize(): Promise<{ entries: number; bytes: number }> {
  const db = await open();
  const tx = db.transaction(META, 'readonly');
  const all = (await req(tx.objectStore(META).getAll())) as Meta[];
  return { entries: all.length, bytes: all.reduce((s, m) => s + m.bytes, 0) };
}

export async function cacheClear(): Promise<void> {
  const db = await open();
  const tx = db.transaction([VECTORS, META], 'readwrite');
  tx.objectStore(VECTORS).clear();
  tx.objectStore(META).clear();
  await txDone(tx);
}

/** transformers.js keeps downloaded model files in Cache Storage under this name (env.cacheKey's default). */
const MODEL_FILES_CACHE = 'transformers-cache';

/** Size of downloaded model files (and ORT wasm) that transformers.js cached; null where Cache Storage is unavailable. */
export async function modelFilesCacheSize(): Promise<{ entries: number; bytes: number } | null> {
  if (typeof caches === 'undefined') return null;
  if (!(await caches.has(MODEL_FILES_CACHE))) return { entries: 0, bytes: 0 };
  const c = await caches.open(MODEL_FILES_CACHE);
  const keys = await c.keys();
  let bytes = 0;
  for (const k of keys) {
    const r = await c.match(k);
    const len = Number(r?.headers.get('content-length'));
    bytes += Number.isFinite(len) && len > 0 ? len : ((await r?.blob())?.size ?? 0);
  }
  return { entries: keys.length, bytes };
}

export async function modelFilesCacheClear(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(MODEL_FILES_CACHE);
}
