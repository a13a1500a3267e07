/**
 * Glue between bytes and record scanners: decoding, error positions for bad
 * bytes, and the chunk-push API every parser exposes
 * (`parser.push(chunk) ... parser.finish()`).
 */
import { DataError } from '../errors';
import { BadUtf8, ChunkDecoder, type TextEncoding } from './text';
import type { SourceFile } from './source';

export interface ChunkParser {
  push(chunk: Uint8Array): void;
  finish(): void;
  /** Records handled so far (interaction rows for interaction parsers). */
  readonly rows: number;
}

/** What a TextFileParser drives: DelimitedScanner or LineScanner. */
export interface TextScanner {
  pushText(t: string): void;
  finish(): void;
  /** Where text not yet made into records (plus `extra`) ends: for errors found while decoding. */
  tailPosition(extra: string): { line: number; column?: number };
}

export class TextFileParser implements ChunkParser {
  private readonly dec: ChunkDecoder;

  constructor(
    readonly file: string,
    encoding: TextEncoding,
    private readonly scanner: TextScanner,
    private readonly countRows: () => number,
    private readonly onFinish?: () => void,
  ) {
    this.dec = new ChunkDecoder(file, encoding);
  }

  get rows(): number {
    return this.countRows();
  }

  push(chunk: Uint8Array): void {
    this.scanner.pushText(this.decode(() => this.dec.decode(chunk)));
  }

  finish(): void {
    this.scanner.pushText(this.decode(() => this.dec.end()));
    this.scanner.finish();
    this.onFinish?.();
  }

  private decode(f: () => string): string {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof BadUtf8)) throw e;
      // Records before the bad byte are handled first, so an earlier error wins and the position is exact.
      this.scanner.pushText(e.prefix);
      const pos = this.scanner.tailPosition('');
      throw new DataError({
        file: this.file,
        line: pos.line,
        column: pos.column,
        expected: 'UTF-8 text',
        got: `byte 0x${e.byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${e.offset}`,
        hint: 'the file looks Latin-1/Windows-1252 encoded; save it as UTF-8',
      });
    }
  }
}

/** Splits text into lines (for JSON lines); no quoting rules apply. */
export class LineScanner implements TextScanner {
  private carry = '';
  private nextLine = 1;
  /** Non-blank lines seen. */
  lines = 0;

  constructor(private readonly onLine: (line: string, lineNo: number) => void) {}

  pushText(t: string): void {
    const buf = this.carry.length ? this.carry + t : t;
    let pos = 0;
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', pos)) {
      this.emit(buf.slice(pos, nl));
      pos = nl + 1;
    }
    this.carry = buf.slice(pos);
  }

  finish(): void {
    if (this.carry.length) this.emit(this.carry);
    this.carry = '';
  }

  tailPosition(extra: string): { line: number; column?: number } {
    const s = this.carry + extra;
    let line = this.nextLine;
    let lineStart = 0;
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, column: s.length - lineStart + 1 };
  }

  private emit(raw: string): void {
    const lineNo = this.nextLine++;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    this.lines++;
    this.onLine(line, lineNo);
  }
}

/** Feeds a whole source through a parser; onChunk reports decoded bytes for progress. */
export function pump(src: SourceFile, parser: ChunkParser, onChunk?: (bytes: number) => void): void {
  src.read(chunk => {
    parser.push(chunk);
    onChunk?.(chunk.length);
  });
  parser.finish();
}

/**
 * Runs a metadata parser as UTF-8 and, if the file turns out not to be UTF-8,
 * once more as Latin-1 (MovieLens 1M movies.dat is Latin-1 although undocumented).
 * Only for files whose encoding is not specified; interaction files stay strict.
 */
export function pumpWithLatin1Fallback(src: SourceFile, make: (enc: TextEncoding) => ChunkParser, warnings: string[]): void {
  try {
    pump(src, make('utf-8'));
  } catch (e) {
    if (!(e instanceof DataError) || e.expected !== 'UTF-8 text') throw e;
    warnings.push(`${src.name} is not UTF-8; read it as Latin-1`);
    pump(src, make('latin1'));
  }
}
