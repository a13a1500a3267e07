/**
 * Streaming splitter for delimited text (CSV, TSV, "::", "|") that works on the
 * raw bytes. Hand-written rather than papaparse because the hot path (a 25M-row
 * ratings.csv) must not allocate a row object, nor even a string per field:
 * delimiters, numbers and integer ids are read straight from the bytes (3-5x
 * faster than charCodeAt on decoded text), and only fields that are used as
 * text are decoded. Decoding a field is also where bad UTF-8 is caught, so the
 * error names the exact line and column. Line numbers stay exact when quoted
 * fields span lines. Quotes follow RFC 4180 ("a, b" and "" escapes) where the
 * format allows them. Delimiters are ASCII, so they can never match inside a
 * multi-byte UTF-8 sequence.
 */
import { DataError, delimiterName, quoteValue } from '../errors';
import type { TextEncoding } from './text';
import type { ChunkParser } from './textParser';

export interface DelimitedOptions {
  file: string;
  delimiter: string;
  /** Honour RFC 4180 quotes; off for formats that never quote, so a stray " stays literal. */
  quotes: boolean;
  /** How fields are decoded to text; default UTF-8 (strict). */
  encoding?: TextEncoding;
}

/** A record longer than this is almost surely an unclosed quote; stop before memory runs out. */
const MAX_RECORD_BYTES = 1 << 26;
const EMPTY = new Uint8Array(0);

export class DelimitedScanner {
  /** Current record, valid inside onRecord: field k is bytes[starts[k], ends[k]). */
  bytes: Uint8Array = EMPTY;
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** 1 where the field was quoted (may hold "" escapes). */
  quoted = new Uint8Array(16);
  /** Line where the current record starts (1-based). */
  line = 0;
  /** Column names for messages, set by the parser once it knows them. */
  names: readonly string[] = [];
  /** Records seen (blank lines excluded). */
  records = 0;
  /** Bytes pushed so far. */
  offset = 0;

  private carry: Uint8Array | null = null;
  private nextLine = 1;
  private readonly delim: Uint8Array;
  private readonly d0: number;
  private readonly decoder: TextDecoder;

  constructor(
    readonly opts: DelimitedOptions,
    private readonly onRecord: (s: DelimitedScanner) => void,
  ) {
    if (opts.delimiter.length === 0 || /[^\x01-\x7f]/.test(opts.delimiter)) throw new Error(`delimiter must be ASCII, got ${JSON.stringify(opts.delimiter)}`);
    this.delim = Uint8Array.from(opts.delimiter, ch => ch.charCodeAt(0));
    this.d0 = this.delim[0]!;
    const enc = opts.encoding ?? 'utf-8';
    this.decoder = new TextDecoder(enc === 'latin1' ? 'latin1' : 'utf-8', { fatal: enc === 'utf-8', ignoreBOM: true });
  }

  push(chunk: Uint8Array): void {
    if (this.offset === 0) {
      checkText(this.opts.file, chunk);
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw new DataError({ file: this.opts.file, expected: 'a text file', got: `binary data (byte 0x00 at offset ${this.offset + nul})` });
    this.offset += chunk.length;
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
      this.carry = null;
    }
    const pos = this.opts.quotes && buf.indexOf(34) !== -1 ? this.consumeQuoted(buf, false) : this.consumeSimple(buf);
    // Copy: the source may reuse its chunk buffer.
    if (pos < buf.length) this.carry = buf.slice(pos);
    if (this.carry && this.carry.length > MAX_RECORD_BYTES) {
      throw new DataError({ file: this.opts.file, line: this.nextLine, expected: 'a record shorter than 64 MB', got: 'a longer one', hint: 'is a quote left open?' });
    }
  }

  finish(): void {
    const buf = this.carry;
    this.carry = null;
    if (!buf || buf.length === 0) return;
    if (this.opts.quotes && buf.indexOf(34) !== -1) this.consumeQuoted(buf, true);
    else {
      const end = buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
      const k = this.splitRange(buf, 0, end);
      this.emit(buf, k, 0);
    }
  }

  /** Field k as text (decoded; "" unescaped in quoted fields). */
  field(k: number): string {
    const a = this.starts[k]!;
    const b = this.ends[k]!;
    const s = this.decodeRange(a, b, k);
    return this.quoted[k] ? s.replace(/""/g, '"') : s;
  }

  fields(): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.count; k++) out.push(this.field(k));
    return out;
  }

  /** Name of column k for messages (header name, or the format's known name). */
  columnName(k: number): string | undefined {
    return this.names[k];
  }

  /** A DataError at field k of the current record. */
  error(k: number, expected: string, got?: string, hint?: string): DataError {
    return new DataError({ file: this.opts.file, line: this.line, column: k + 1, columnName: this.columnName(k), expected, got, hint });
  }

  /** A DataError about the current record as a whole. */
  recordError(expected: string, got?: string, hint?: string): DataError {
    return new DataError({ file: this.opts.file, line: this.line, expected, got, hint });
  }

  /** Throws unless the record has at least (or exactly) n fields. */
  requireFields(n: number, exact: boolean, what?: string): void {
    if (this.count >= n && (!exact || this.count === n)) return;
    const sep = delimiterName(this.opts.delimiter);
    const expected = `${exact ? '' : 'at least '}${n} columns separated by ${sep}${what ? ` (${what})` : ''}`;
    const hint = this.count === 1 ? `is the delimiter ${sep}?` : undefined;
    throw this.recordError(expected, String(this.count), hint);
  }

  private decodeRange(a: number, b: number, k: number): string {
    const bytes = this.bytes;
    if (b - a <= 32) {
      // Short ASCII fields (ids, numbers) skip TextDecoder's per-call overhead.
      let ascii = true;
      for (let i = a; i < b; i++) if (bytes[i]! >= 0x80) (ascii = false), (i = b);
      if (ascii) return String.fromCharCode.apply(null, bytes.subarray(a, b) as unknown as number[]);
    }
    try {
      return this.decoder.decode(bytes.subarray(a, b));
    } catch {
      let bad = a;
      while (bad < b && bytes[bad]! < 0x80) bad++;
      throw this.error(k, 'UTF-8 text', `byte 0x${(bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`, 'the file looks Latin-1/Windows-1252 encoded; save it as UTF-8');
    }
  }

  private consumeSimple(buf: Uint8Array): number {
    const n = buf.length;
    const d = this.d0;
    const dl = this.delim.length;
    let starts = this.starts, ends = this.ends;
    let pos = 0;
    let fs = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = buf[i]!;
      if (c === 10) {
        const e = i > fs && buf[i - 1] === 13 ? i - 1 : i;
        if (k >= starts.length) (this.grow(), (starts = this.starts), (ends = this.ends));
        starts[k] = fs;
        ends[k] = e;
        this.quoted[k] = 0;
        this.emit(buf, k + 1, 0);
        k = 0;
        fs = pos = i + 1;
      } else if (c === d && (dl === 1 || this.delimAt(buf, i))) {
        if (k >= starts.length) (this.grow(), (starts = this.starts), (ends = this.ends));
        starts[k] = fs;
        ends[k] = i;
        this.quoted[k] = 0;
        k++;
        i += dl - 1;
        fs = i + 1;
      }
    }
    return pos;
  }

  /** Splits [a, b) of one unquoted record into fields; returns the field count. */
  private splitRange(buf: Uint8Array, a: number, b: number): number {
    const d = this.d0;
    const dl = this.delim.length;
    let k = 0;
    let fs = a;
    for (let i = a; i < b; i++) {
      if (buf[i] === d && (dl === 1 || this.delimAt(buf, i))) {
        this.setField(k++, fs, i, 0);
        i += dl - 1;
        fs = i + 1;
      }
    }
    this.setField(k++, fs, b, 0);
    return k;
  }

  private delimAt(buf: Uint8Array, i: number): boolean {
    const dl = this.delim.length;
    if (i + dl > buf.length) return false;
    for (let j = 0; j < dl; j++) if (buf[i + j] !== this.delim[j]) return false;
    return true;
  }

  /** Byte-by-byte path for chunks holding quotes; returns where the unfinished tail starts. */
  private consumeQuoted(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    const dl = this.delim.length;
    const d = this.d0;
    let pos = 0;
    outer: while (pos < n) {
      let i = pos;
      let k = 0;
      let nl = 0;
      for (;;) {
        if (buf[i] === 34) {
          let j = i + 1;
          let q: number;
          for (;;) {
            q = buf.indexOf(34, j);
            if (q === -1) {
              if (!final) return pos;
              throw new DataError({ file: this.opts.file, line: this.nextLine + nl, column: k + 1, columnName: this.names[k], expected: 'a closing quote (") before the end of the file' });
            }
            if (buf[q + 1] === 34) j = q + 2;
            else if (q + 1 >= n && !final) return pos;
            else break;
          }
          for (let x = buf.indexOf(10, i + 1); x !== -1 && x < q; x = buf.indexOf(10, x + 1)) nl++;
          this.setField(k++, i + 1, q, 1);
          i = q + 1;
          if (i >= n) {
            if (!final) return pos;
            this.emit(buf, k, nl);
            return n;
          }
          if (buf[i] === d && (dl === 1 || this.delimAt(buf, i))) {
            i += dl;
            continue;
          }
          const c = buf[i]!;
          if (c === 10 || (c === 13 && buf[i + 1] === 10)) {
            this.emit(buf, k, nl);
            pos = i + (c === 13 ? 2 : 1);
            continue outer;
          }
          if (c === 13 && i + 1 >= n && !final) return pos;
          let e = i;
          while (e < n && e < i + 10 && buf[e] !== 10) e++;
          throw new DataError({
            file: this.opts.file,
            line: this.nextLine + nl,
            column: k,
            columnName: this.names[k - 1],
            expected: `${delimiterName(this.opts.delimiter)} or end of line after a closing quote`,
            got: quoteValue(new TextDecoder().decode(buf.subarray(i, e))),
          });
        }
        // Unquoted field: runs to the next delimiter or end of line.
        let e = i;
        while (e < n) {
          const c = buf[e];
          if (c === 10 || (c === d && (dl === 1 || this.delimAt(buf, e)))) break;
          e++;
        }
        if (e >= n) {
          if (!final) return pos;
          const end = n > i && buf[n - 1] === 13 ? n - 1 : n;
          this.setField(k++, i, end, 0);
          this.emit(buf, k, nl);
          return n;
        }
        if (buf[e] === 10) {
          const end = e > i && buf[e - 1] === 13 ? e - 1 : e;
          this.setField(k++, i, end, 0);
          this.emit(buf, k, nl);
          pos = e + 1;
          continue outer;
        }
        this.setField(k++, i, e, 0);
        i = e + dl;
        if (i >= n && !final) return pos;
      }
    }
    return pos;
  }

  private emit(buf: Uint8Array, k: number, nl: number): void {
    this.bytes = buf;
    this.count = k;
    this.line = this.nextLine;
    this.nextLine += 1 + nl;
    if (k === 1 && this.ends[0] === this.starts[0] && !this.quoted[0]) return; // blank line
    this.records++;
    this.onRecord(this);
  }

  private setField(k: number, a: number, b: number, q: number): void {
    if (k >= this.starts.length) this.grow();
    this.starts[k] = a;
    this.ends[k] = b;
    this.quoted[k] = q;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n), e = new Int32Array(n), q = new Uint8Array(n);
    s.set(this.starts);
    e.set(this.ends);
    q.set(this.quoted);
    this.starts = s;
    this.ends = e;
    this.quoted = q;
  }
}

/** Rejects UTF-16 (whose NUL bytes would otherwise read as "binary") with a clearer message. */
export function checkText(file: string, b: Uint8Array): void {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    throw new DataError({ file, expected: 'UTF-8 text', got: 'UTF-16 (byte order mark FF FE)', hint: 'save the file as UTF-8' });
  }
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Decimal number in bytes[a, b), NaN if it is not one. Reads digits directly
 * for the common short forms; the division by a power of ten is exact-rounded
 * while the digits fit in 2^53, so it equals Number(str).
 */
export function parseNumberAt(s: Uint8Array, a: number, b: number): number {
  let c = s[a];
  if (c === 32 || c === 9 || s[b - 1] === 32) {
    while (a < b && (s[a] === 32 || s[a] === 9)) a++;
    while (b > a && (s[b - 1] === 32 || s[b - 1] === 9)) b--;
    c = s[a];
  }
  if (a >= b) return NaN;
  let i = a;
  let neg = false;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let v = 0;
  let digits = 0;
  let scale = 1;
  while (i < b) {
    const x = s[i]! - 48;
    if (x < 0 || x > 9) break;
    v = v * 10 + x;
    digits++;
    i++;
  }
  if (i < b && s[i] === 46) {
    i++;
    while (i < b) {
      const x = s[i]! - 48;
      if (x < 0 || x > 9) break;
      v = v * 10 + x;
      scale *= 10;
      digits++;
      i++;
    }
  }
  if (i === b && digits > 0 && digits <= 15) return (neg ? -v : v) / scale;
  let str = '';
  for (let j = a; j < b && j < a + 64; j++) str += String.fromCharCode(s[j]!);
  return DECIMAL.test(str) ? Number(str) : NaN;
}

/** What a field that should be a number holds, for messages. */
export function describeFound(s: string): string {
  return s.length === 0 ? 'an empty field' : quoteValue(s);
}

/** The ChunkParser face of a scanner; onFinish checks what the whole file should have held. */
export function scannerParser(scanner: DelimitedScanner, rows: () => number, onFinish?: () => void): ChunkParser {
  return {
    push: chunk => scanner.push(chunk),
    finish: () => {
      scanner.finish();
      onFinish?.();
    },
    get rows() {
      return rows();
    },
  };
}
