/**
 * The few raw-IndexedDB pieces the stores share (no wrapper library is installed): open a database
 * creating missing object stores, and requests / transactions as promises.
 */

export interface OpenDbOptions {
  /** Called after the connection closed itself because another tab upgrades the schema. */
  onVersionChange?: () => void;
  /** Reject with this message when another tab blocks the open; without it the open waits. */
  blockedMessage?: string;
}

/**
 * Opens `name` at `version`; on upgrade, creates each object store of `stores` that is missing
 * (existing stores and their data are kept). The connection closes when another tab upgrades the
 * schema, so that tab is not blocked by this one.
 */
export function openDb(factory: IDBFactory, name: string, version: number, stores: Record<string, IDBObjectStoreParameters>, opts: OpenDbOptions = {}): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = factory.open(name, version);
    r.onupgradeneeded = () => {
      const db = r.result;
      for (const [store, params] of Object.entries(stores)) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store, params);
    };
    r.onsuccess = () => {
      const db = r.result;
      db.onversionchange = () => {
        db.close();
        opts.onVersionChange?.();
      };
      resolve(db);
    };
    r.onerror = () => reject(r.error ?? new Error('could not open IndexedDB'));
    const blocked = opts.blockedMessage;
    if (blocked !== undefined) r.onblocked = () => reject(new Error(blocked));
  });
}

/** The request's result, or its error. */
export function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction commits; rejects when it fails or aborts (`abortMessage` where the browser gives no error). */
export function txDone(tx: IDBTransaction, abortMessage = 'IndexedDB transaction aborted'): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error(abortMessage));
  });
}
