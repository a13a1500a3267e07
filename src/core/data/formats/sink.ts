/**
 * Where parsers put interactions: ids interned to dense ints as they are read
 * (Map per distinct id, never per row) and columns in growable typed arrays,
 * so 25M rows cost ~20 bytes each instead of a JS object each.
 */
import type { ItemText } from '../types';

/** 0 train, 1 validation, 2 test: the split a source file assigned, if any. */
export type SplitLabel = 0 | 1 | 2;

/** Digits only, no leading zero, < 1e9: such an id round-trips through a number exactly. */
const CANONICAL_INT = /^(0|[1-9]\d{0,8})$/;

export class IdInterner {
  private readonly byNum = new Map<number, number>();
  private readonly byStr = new Map<string, number>();
  /** Original id of each index, in order of first appearance. */
  readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Fast path for ids the parser already read as a canonical integer. */
  internNum(v: number): number {
    let k = this.byNum.get(v);
    if (k === undefined) {
      k = this.ids.length;
      this.byNum.set(v, k);
      this.ids.push(String(v));
    }
    return k;
  }

  intern(s: string): number {
    if (CANONICAL_INT.test(s)) return this.internNum(Number(s));
    let k = this.byStr.get(s);
    if (k === undefined) {
      k = this.ids.length;
      this.byStr.set(s, k);
      this.ids.push(s);
    }
    return k;
  }

  lookup(s: string): number | undefined {
    return CANONICAL_INT.test(s) ? this.byNum.get(Number(s)) : this.byStr.get(s);
  }
}

/** Parsed interactions before preprocessing; indices point into userIds / itemIds. */
export interface RawInteractions {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array | null;
  /** Seconds or milliseconds as the source had them; only order matters. */
  timestamps: Float64Array | null;
  labels: Uint8Array | null;
  userIds: string[];
  itemIds: string[];
  /** File(s) the rows came from, for messages about the data as a whole. */
  source: string;
}

/** Item text read from a metadata file, keyed by original item id. */
export interface ItemMeta {
  file: string;
  texts: Map<string, ItemText>;
  /** Records in the file. */
  rows: number;
  /** Records whose id is not among the interactions' items (skipped). */
  unmatched: number;
  exampleUnmatched?: string;
}

export interface SinkFields {
  rating: boolean;
  timestamp: boolean;
  labels: boolean;
}

export class InteractionSink {
  readonly users = new IdInterner();
  readonly items = new IdInterner();
  private n = 0;
  private cap: number;
  private u: Int32Array;
  private i: Int32Array;
  private r: Float32Array | null = null;
  private t: Float64Array | null = null;
  private l: Uint8Array | null = null;

  constructor(capacity = 1 << 16) {
    this.cap = Math.max(16, capacity);
    this.u = new Int32Array(this.cap);
    this.i = new Int32Array(this.cap);
  }

  /**
   * Columns are switched on by parsers when they see them (a header decides),
   * so the sink needs no advance knowledge; rows added before get NaN / train.
   */
  ensure(field: keyof SinkFields): void {
    if (field === 'rating' && !this.r) this.r = new Float32Array(this.cap).fill(NaN, 0, this.n);
    if (field === 'timestamp' && !this.t) this.t = new Float64Array(this.cap).fill(NaN, 0, this.n);
    if (field === 'labels' && !this.l) this.l = new Uint8Array(this.cap);
  }

  has(field: keyof SinkFields): boolean {
    return field === 'rating' ? this.r !== null : field === 'timestamp' ? this.t !== null : this.l !== null;
  }

  get length(): number {
    return this.n;
  }

  /** Grow once to an estimate (from file size) instead of doubling through 25M rows. */
  reserve(total: number): void {
    if (total > this.cap) this.resize(Math.ceil(total));
  }

  add(user: number, item: number, rating: number, timestamp: number, label: SplitLabel): void {
    if (this.n === this.cap) this.resize(Math.ceil(this.cap * 1.5));
    const k = this.n++;
    this.u[k] = user;
    this.i[k] = item;
    if (this.r) this.r[k] = rating;
    if (this.t) this.t[k] = timestamp;
    if (this.l) this.l[k] = label;
  }

  /** Views (no copy) of the filled part; preprocessing compacts into exact-size arrays anyway. */
  result(source: string): RawInteractions {
    const n = this.n;
    return {
      users: this.u.subarray(0, n),
      items: this.i.subarray(0, n),
      ratings: this.r ? this.r.subarray(0, n) : null,
      timestamps: this.t ? this.t.subarray(0, n) : null,
      labels: this.l ? this.l.subarray(0, n) : null,
      userIds: this.users.ids,
      itemIds: this.items.ids,
      source,
    };
  }

  private resize(cap: number): void {
    const grow = <T extends Int32Array | Float32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, this.n) as never);
      return b;
    };
    this.u = grow(this.u, n => new Int32Array(n));
    this.i = grow(this.i, n => new Int32Array(n));
    if (this.r) this.r = grow(this.r, n => new Float32Array(n));
    if (this.t) this.t = grow(this.t, n => new Float64Array(n));
    if (this.l) this.l = grow(this.l, n => new Uint8Array(n));
    this.cap = cap;
  }
}
