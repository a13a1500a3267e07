/**
 * Every failure to read user data is a DataError that says where (file, line,
 * column) and what was expected, so the UI and CLI can show one actionable line
 * instead of a stack trace. Fields are kept separately so callers can also
 * highlight the place (the worker sends them across as plain data).
 */

import { clipText } from '../io/oneLine';

export interface DataErrorInfo {
  file: string;
  /** 1-based line in the (decompressed) text. */
  line?: number;
  /** 1-based field column (not character) where a record has fields. */
  column?: number;
  /** Header name of that column, when known. */
  columnName?: string;
  /** What the parser wanted: "a number", "4 columns separated by tab". */
  expected: string;
  /** What it found, already quoted/formatted. */
  got?: string;
  /** Extra hint appended in parentheses. */
  hint?: string;
}

export function formatDataError(i: DataErrorInfo): string {
  let where = i.file;
  if (i.line !== undefined) where += ` line ${i.line}`;
  if (i.column !== undefined) where += `${i.line !== undefined ? ',' : ''} column ${i.column}`;
  if (i.columnName) where += ` (${i.columnName})`;
  let msg = `${where}: expected ${i.expected}`;
  if (i.got !== undefined) msg += `, got ${i.got}`;
  if (i.hint) msg += ` (${i.hint})`;
  return msg;
}

export class DataError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly columnName: string | undefined;
  readonly expected: string;
  readonly got: string | undefined;

  constructor(info: DataErrorInfo) {
    super(formatDataError(info));
    this.name = 'DataError';
    this.file = info.file;
    this.line = info.line;
    this.column = info.column;
    this.columnName = info.columnName;
    this.expected = info.expected;
    this.got = info.got;
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError;
}

/**
 * Quote a found value for a message; long values are cut so a message stays one line. JSON
 * escapes control characters; bidi controls and invisible characters are escaped too, so a value
 * with an unclosed right-to-left override cannot reorder the rest of the message on screen.
 */
export function quoteValue(s: string, max = 40): string {
  return JSON.stringify(clipText(s, max, max)).replace(/[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Human name of a delimiter for messages ("tab" reads better than "\t"). */
export function delimiterName(d: string): string {
  if (d === '\t') return 'tab';
  if (d === ' ') return 'space';
  return JSON.stringify(d);
}
