/**
 * Bytes to text, chunk by chunk. UTF-8 is decoded strictly (fatal) because a
 * silently replaced byte would turn two different ids into the same "\uFFFD"
 * string; when it fails we locate the byte so the error names line and column.
 * Latin-1 is for files that are Latin-1 by specification (MovieLens u.item).
 */
import { DataError } from '../errors';

export type TextEncoding = 'utf-8' | 'latin1';

/** Raised by ChunkDecoder so the parser can name the line/column it was in. */
export class BadUtf8 {
  constructor(
    /** Valid text before the bad byte (not yet handed to the parser). */
    readonly prefix: string,
    readonly byte: number,
    /** Offset of the bad byte from the start of the file. */
    readonly offset: number,
  ) {}
}

export class ChunkDecoder {
  private readonly decoder: TextDecoder;
  private carry: Uint8Array | null = null;
  private first = true;
  /** Bytes consumed so far. */
  offset = 0;

  constructor(
    private readonly file: string,
    readonly encoding: TextEncoding,
  ) {
    this.decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8', { fatal: encoding === 'utf-8', ignoreBOM: true });
  }

  decode(chunk: Uint8Array): string {
    const text = this.decodeChunk(chunk);
    // Strip the BOM ourselves: each strict decode() call would otherwise drop one at every chunk start.
    if (this.bomPending && text.length > 0) {
      this.bomPending = false;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    return text;
  }

  private bomPending = true;

  private decodeChunk(chunk: Uint8Array): string {
    if (this.first) {
      this.first = false;
      checkNotUtf16(this.file, chunk);
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      throw new DataError({ file: this.file, expected: 'a text file', got: `binary data (byte 0x00 at offset ${this.offset + nul})` });
    }
    const start = this.offset - (this.carry ? this.carry.length : 0);
    this.offset += chunk.length;
    if (this.encoding === 'latin1') return this.decoder.decode(chunk, { stream: true });
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = null;
    }
    // Decode whole sequences only, so a failure is at a known place in `bytes`.
    const cut = incompleteTail(bytes);
    if (cut < bytes.length) this.carry = bytes.slice(cut);
    return this.decodeStrict(bytes.subarray(0, cut), start);
  }

  /** Call at end of input; an unfinished multi-byte sequence is an error. */
  end(): string {
    if (this.encoding === 'latin1') return this.decoder.decode();
    if (this.carry && this.carry.length) {
      const c = this.carry;
      this.carry = null;
      throw new BadUtf8('', c[0]!, this.offset - c.length);
    }
    return '';
  }

  private decodeStrict(bytes: Uint8Array, start: number): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      const bad = firstInvalidUtf8(bytes);
      const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
      throw new BadUtf8(prefix, bytes[bad] ?? 0, start + bad);
    }
  }
}

function checkNotUtf16(file: string, b: Uint8Array): void {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    throw new DataError({ file, expected: 'UTF-8 text', got: 'UTF-16 (byte order mark FF FE)', hint: 'save the file as UTF-8' });
  }
}

/** Index where a trailing, incomplete UTF-8 sequence starts (bytes.length if none). */
export function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return n;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return n - i < need ? i : n;
  }
  return n;
}

/**
 * Offset of the first byte that does not start a valid UTF-8 sequence. Only run
 * after TextDecoder refused the bytes, to say where; hence no fast path.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number, min: number;
    if (c >= 0xc2 && c <= 0xdf) (need = 1), (min = 0x80);
    else if (c >= 0xe0 && c <= 0xef) (need = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}
