/**
 * A minimal in-memory IndexedDB for unit tests (fake-indexeddb is not installed): just what
 * RunStore uses. Requests succeed in a later macrotask, like the browser's; a transaction
 * completes once a task passes with none of its requests pending, so code that awaits a request
 * and then issues more in the same transaction works as it does there. Values are structured
 * clones. Keys are numbers, strings or arrays of them.
 */
type Key = number | string | Key[];

function cmp(a: Key, b: Key): number {
  const rank = (k: Key) => (Array.isArray(k) ? 2 : typeof k === 'string' ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = cmp(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export class FakeKeyRange {
  private constructor(readonly lower: Key, readonly upper: Key) {}
  static bound(lower: Key, upper: Key): FakeKeyRange {
    return new FakeKeyRange(lower, upper);
  }
  includes(k: Key): boolean {
    return cmp(this.lower, k) <= 0 && cmp(k, this.upper) <= 0;
  }
}

interface Req<T = unknown> {
  result?: T;
  error: null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}

class Store {
  readonly rows: { key: Key; value: unknown }[] = [];
  constructor(readonly keyPath: string | string[]) {}
  keyOf(v: Record<string, unknown>): Key {
    return Array.isArray(this.keyPath) ? this.keyPath.map((p) => v[p] as Key) : (v[this.keyPath] as Key);
  }
  matching(q?: Key | FakeKeyRange) {
    return this.rows.filter((r) => q === undefined || (q instanceof FakeKeyRange ? q.includes(r.key) : cmp(q, r.key) === 0));
  }
}

class Tx {
  oncomplete: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  error = null;
  private pending = 0;
  constructor(private readonly db: FakeDb) {
    this.check();
  }
  private check() {
    setTimeout(() => {
      if (this.pending === 0) this.oncomplete?.();
    }, 0);
  }
  private request<T>(run: () => T): Req<T> {
    const r: Req<T> = { error: null, onsuccess: null, onerror: null };
    this.pending++;
    setTimeout(() => {
      r.result = run();
      this.pending--;
      r.onsuccess?.();
      this.check();
    }, 0);
    return r;
  }
  objectStore(name: string) {
    const s = this.db.stores.get(name)!;
    const log = this.db.puts;
    return {
      put: (v: Record<string, unknown>) =>
        this.request(() => {
          const key = s.keyOf(v);
          const i = s.rows.findIndex((r) => cmp(r.key, key) === 0);
          const row = { key, value: structuredClone(v) };
          if (i >= 0) s.rows[i] = row;
          else s.rows.push(row);
          s.rows.sort((a, b) => cmp(a.key, b.key));
          log.push(name);
          return key;
        }),
      get: (k: Key) => this.request(() => structuredClone(s.matching(k)[0]?.value)),
      getAll: () => this.request(() => s.rows.map((r) => structuredClone(r.value))),
      getAllKeys: (q?: FakeKeyRange) => this.request(() => s.matching(q).map((r) => structuredClone(r.key))),
      delete: (q: Key | FakeKeyRange) =>
        this.request(() => {
          for (const r of s.matching(q)) s.rows.splice(s.rows.indexOf(r), 1);
          return undefined;
        }),
      openCursor: (q: FakeKeyRange, dir: 'prev' | 'next' = 'next') =>
        this.request(() => {
          const m = s.matching(q);
          const row = dir === 'prev' ? m.at(-1) : m[0];
          return row ? { key: row.key, value: structuredClone(row.value) } : null;
        }),
    };
  }
}

class FakeDb {
  readonly stores = new Map<string, Store>();
  /** Names of the stores written to, one entry per put, in order. */
  readonly puts: string[] = [];
  onversionchange: (() => void) | null = null;
  readonly objectStoreNames = { contains: (n: string) => this.stores.has(n) };
  createObjectStore(name: string, params: { keyPath: string | string[] }) {
    this.stores.set(name, new Store(params.keyPath));
  }
  transaction(_names: string | string[], _mode?: string) {
    return new Tx(this);
  }
  close() {}
}

/** An IDBFactory stand-in; `dbs` exposes the databases (e.g. their `puts`). */
export function fakeIndexedDB() {
  const dbs = new Map<string, FakeDb>();
  const factory = {
    dbs,
    open(name: string, _version: number) {
      const r = { result: undefined as FakeDb | undefined, error: null, onupgradeneeded: null as (() => void) | null, onsuccess: null as (() => void) | null, onerror: null, onblocked: null };
      setTimeout(() => {
        let db = dbs.get(name);
        if (!db) {
          dbs.set(name, (db = new FakeDb()));
          r.result = db;
          r.onupgradeneeded?.();
        }
        r.result = db;
        r.onsuccess?.();
      }, 0);
      return r;
    },
  };
  return factory;
}
