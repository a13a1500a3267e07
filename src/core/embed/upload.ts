/**
 * Uploaded embeddings (instead of computing them in the tab): .npy, CSV/TSV and JSON, checked
 * against the dataset so a mismatch fails at upload with a message naming the file, the row and
 * the column rather than as a shape error deep inside training.
 */
import type { Dataset } from '../data/types';
import { firstInvalidUtf8 } from '../data/formats/text';
import { describeJsonError, lineColumn } from '../io/jsonError';
import { FLOAT32_MAX, isNpy, readNpy } from '../io/npy';
import { firstNonFiniteIndex } from '../train/faults';

export interface UploadedMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
  /** Per row, the user/item id given in the file; null when row order is the id order. */
  ids: string[] | null;
  /** Per row, its line in a CSV/TSV file (messages name lines there); absent for .npy and JSON. */
  lines?: Int32Array;
}

export type EmbedKind = 'users' | 'items';

function fail(name: string, msg: string): never {
  throw new Error(`${name}: ${msg}`);
}

function checkFinite(name: string, data: Float32Array, cols: number): void {
  const k = firstNonFiniteIndex(data);
  if (k >= 0) fail(name, `row ${Math.floor(k / cols) + 1}, column ${(k % cols) + 1}: ${data[k]}`);
}

/** Header cells that name an id column (case-insensitive). */
const ID_HEADER = /^(id|ids|key|user|users|item|items|user_?id|item_?id|uid|iid|index|idx|name)$/i;

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === '"' && t[t.length - 1] === '"') || (t[0] === "'" && t[t.length - 1] === "'"))) {
    return t.slice(1, -1).replace(/""/g, '"');
  }
  return t;
}

/** Strictly a decimal number (Number('') is 0 and Number(' 1 ') is 1; neither is a vector entry). */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NONFINITE_RE = /^[+-]?(nan|inf|infinity)$/i;

/** A finite number that float32 holds (1e39 would silently become Infinity in the Float32Array). */
function inFloat32(v: number): boolean {
  return Math.abs(v) <= FLOAT32_MAX;
}

/** The cell at 1-based `line`, `column` (numbers, so the message text is only built on failure). */
function cellValue(name: string, cell: string, line: number, column: number): number {
  if (NUMBER_RE.test(cell)) {
    const v = Number(cell);
    if (inFloat32(v)) return v;
  }
  return badCell(name, cell, `line ${line}, column ${column}`);
}

function badCell(name: string, cell: string, at: string): never {
  if (NUMBER_RE.test(cell)) failAt(name, at, `${cell} is outside the float32 range (±3.4e38)`);
  if (NONFINITE_RE.test(cell)) failAt(name, at, /nan/i.test(cell) ? 'NaN' : cell.startsWith('-') ? '-Infinity' : 'Infinity');
  if (cell === '') failAt(name, at, 'empty cell');
  failAt(name, at, `"${cell.slice(0, 40)}" is not a number`);
}

/** `name line 4, column 3: msg` (the place joins the name as in the dataset parsers' messages). */
function failAt(name: string, at: string, msg: string): never {
  throw new Error(`${name} ${at}: ${msg}`);
}

/**
 * Bytes of a CSV/TSV/JSON upload as text: UTF-8 only (a replaced byte would turn two ids into the
 * same "\uFFFD" string), with a message for binary data, UTF-16 and other encodings.
 */
function decodeUploadText(name: string, bytes: Uint8Array): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    fail(name, `expected UTF-8 text, got UTF-16 (byte order mark ${bytes[0] === 0xff ? 'FF FE' : 'FE FF'}); save the file as UTF-8`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) fail(name, `expected a text file (.csv, .tsv or .json), got binary data (byte 0x00 at offset ${nul})`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const { line, column } = lineColumn(before, before.length);
    failAt(name, `line ${line}, column ${column}`, `expected UTF-8 text, got byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')} (save the file as UTF-8)`);
  }
}

const DELIMITERS: [string, string][] = [[',', 'comma'], ['\t', 'tab'], [';', 'semicolon'], ['|', 'pipe'], [' ', 'space']];
const delimiterName = (d: string) => DELIMITERS.find(([c]) => c === d)?.[1] ?? JSON.stringify(d);

function splitLine(line: string, delim: string): string[] {
  if (!line.includes('"')) return line.split(delim).map((c) => c.trim());
  // Quotes only ever wrap ids here; a delimiter inside quotes stays in the cell.
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    if (c === '"') {
      if (q && line[k + 1] === '"') {
        cur += '""';
        k++;
      } else {
        q = !q;
        cur += c;
      }
    } else if (c === delim && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.map(unquote);
}

/**
 * CSV or TSV. The first line is a header when a cell after the first is not a number, when its
 * first cell is empty or named like an id (id, user_id, item, ...), or when it is exactly the
 * column numbers 0..d-1 (pandas' `to_csv` writes both of the last two). The first column holds ids
 * when the header names it so or its values are not numbers; numeric ids therefore need a header,
 * since without one they are indistinguishable from a vector entry.
 */
export function parseDelimited(name: string, text: string, delim: string): UploadedMatrix {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const isNum = (c: string) => NUMBER_RE.test(c) || NONFINITE_RE.test(c);
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  if (k >= lines.length) fail(name, 'the file is empty');
  let first = splitLine(lines[k]!, delim);
  checkDelimiter(name, lines, k, first, delim);
  const head = first[0] ?? '';
  const idNamed = head === '' || ID_HEADER.test(head);
  const numbered = (cells: string[]) =>
    cells.length >= 2 && cells.every((c, j) => c === String(j));
  const isHeader = first.slice(1).some((c) => !isNum(c)) || idNamed || numbered(first);
  let hasId = !isHeader && !isNum(head);
  if (isHeader) {
    k++;
    while (k < lines.length && lines[k]!.trim() === '') k++;
    if (k >= lines.length) fail(name, 'the file has a header but no rows');
    first = splitLine(lines[k]!, delim);
    hasId = idNamed || !isNum(first[0] ?? '');
  }
  const cols = first.length - (hasId ? 1 : 0);
  if (cols < 1) failAt(name, `line ${k + 1}`, `expected an id and vector values separated by ${delimiterName(delim)}, got only ${JSON.stringify(first[0]!.slice(0, 40))}`);
  const firstLine = k + 1;
  const ids: string[] = [];
  const values: number[] = [];
  const rowLines: number[] = [];
  const skip = hasId ? 1 : 0;
  for (; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === '') continue;
    const cells = splitLine(line, delim);
    const n = cells.length - skip;
    if (n !== cols) failAt(name, `line ${k + 1}`, `${n} values but line ${firstLine} has ${cols}`);
    if (hasId) {
      const id = cells[0]!;
      if (id === '') failAt(name, `line ${k + 1}, column 1`, 'the id is empty');
      ids.push(id);
    }
    for (let c = 0; c < cols; c++) values.push(cellValue(name, cells[c + skip]!, k + 1, c + skip + 1));
    rowLines.push(k + 1);
  }
  return { rows: rowLines.length, cols, data: Float32Array.from(values), ids: hasId ? ids : null, lines: Int32Array.from(rowLines) };
}

/**
 * A first line that is one field holding another delimiter ("0.1;0.2;0.3" in a .csv, or a header
 * "id;e0;e1" followed by such rows) was written with that delimiter: say so instead of failing
 * later on "no values".
 */
function checkDelimiter(name: string, lines: string[], k: number, cells: string[], delim: string): void {
  if (cells.length !== 1 || NUMBER_RE.test(cells[0]!)) return;
  let next = k + 1;
  while (next < lines.length && lines[next]!.trim() === '') next++;
  const sample = [lines[k]!, lines[next] ?? ''];
  for (const [d, label] of DELIMITERS) {
    if (d === delim || !lines[k]!.includes(d)) continue;
    const numeric = (line: string) => {
      const parts = line.trim().split(d);
      return parts.length >= 2 && parts.slice(1).some((c) => NUMBER_RE.test(c.trim()));
    };
    if (sample.some(numeric)) {
      failAt(name, `line ${k + 1}`, `expected values separated by ${delimiterName(delim)}, got one field ${JSON.stringify(lines[k]!.slice(0, 40))}; is the delimiter ${label}?`);
    }
  }
}

function jsonRow(name: string, v: unknown, row: number, label: string, cols: number | null): number[] {
  if (!Array.isArray(v)) fail(name, `${label} is not an array of numbers`);
  if (cols !== null && v.length !== cols) fail(name, `${label} has ${v.length} values but the first row has ${cols}`);
  return v.map((x, c) => {
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) fail(name, `row ${row}, column ${c + 1}: ${x}`);
      if (!inFloat32(x)) fail(name, `row ${row}, column ${c + 1}: ${x} is outside the float32 range (±3.4e38)`);
      return x;
    }
    if (Array.isArray(x)) fail(name, `row ${row}, column ${c + 1} is an array, not a number: expected one vector of numbers per row (a 2-D array), got a deeper nesting`);
    fail(name, `row ${row}, column ${c + 1}: ${x === null ? 'null' : JSON.stringify(x).slice(0, 40)} is not a number`);
  });
}

/** JSON: an array of vectors (row order = id order) or an object {id: vector}. */
export function parseJsonMatrix(name: string, text: string): UploadedMatrix {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(describeJsonError(name, text, e));
  }
  const rows: number[][] = [];
  let ids: string[] | null = null;
  let cols: number | null = null;
  if (Array.isArray(doc)) {
    doc.forEach((v, r) => {
      const x = jsonRow(name, v, r + 1, `row ${r + 1}`, cols);
      cols ??= x.length;
      rows.push(x);
    });
  } else if (doc !== null && typeof doc === 'object') {
    ids = [];
    let r = 0;
    for (const [id, v] of Object.entries(doc as Record<string, unknown>)) {
      r++;
      const x = jsonRow(name, v, r, `row ${r} (id "${id}")`, cols);
      cols ??= x.length;
      rows.push(x);
      ids.push(id);
    }
  } else {
    fail(name, 'expected an array of vectors or an object {id: vector}');
  }
  if (rows.length === 0) fail(name, 'the file holds no vectors');
  if (!cols) fail(name, 'the vectors are empty');
  const data = new Float32Array(rows.length * cols);
  rows.forEach((x, r) => data.set(x, r * cols!));
  return { rows: rows.length, cols, data, ids };
}

/** The text format an upload's extension names; null for none of them. */
function textKind(lower: string): 'json' | 'tab' | 'csv' | null {
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tab';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  return null;
}

/** Dispatch on the file extension; .npy is also recognised by its magic bytes. */
export function parseEmbeddingFile(name: string, bytes: Uint8Array): UploadedMatrix {
  const lower = name.toLowerCase();
  if (lower.endsWith('.npy') || isNpy(bytes)) {
    const m = readNpy(bytes, name);
    if (m.rows === 0 || m.cols === 0) fail(name, `the array is empty (shape (${m.rows}, ${m.cols}))`);
    checkFinite(name, m.data, m.cols);
    return { rows: m.rows, cols: m.cols, data: m.data, ids: null };
  }
  const kind = textKind(lower);
  if (kind === null) fail(name, 'unknown file type; upload .npy, .csv, .tsv or .json');
  const text = decodeUploadText(name, bytes);
  switch (kind) {
    case 'json':
      return parseJsonMatrix(name, text);
    case 'tab':
      return parseDelimited(name, text, '\t');
    case 'csv': {
      // Some "csv" exports are tab-separated; trust the first line over the extension.
      const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
      return parseDelimited(name, text, firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',');
    }
  }
}

/**
 * Puts an uploaded matrix in dataset index order (row = user/item index) after checking the count,
 * or, when the file has ids, that they are exactly the dataset's ids.
 */
export function alignToDataset(name: string, m: UploadedMatrix, dataset: Dataset, kind: EmbedKind): Float32Array {
  const n = kind === 'users' ? dataset.numUsers : dataset.numItems;
  const noun = kind === 'users' ? 'users' : 'items';
  const one = kind === 'users' ? 'user' : 'item';
  if (m.ids === null) {
    if (m.rows !== n) fail(name, `${m.rows} rows but the dataset has ${n} ${noun}`);
    return m.data;
  }
  const known = kind === 'users' ? dataset.userIds : dataset.itemIds;
  const index = new Map<string, number>();
  if (known) known.forEach((id, i) => index.set(id, i));
  else for (let i = 0; i < n; i++) index.set(String(i), i);
  const out = new Float32Array(n * m.cols);
  const seen = new Int32Array(n).fill(-1);
  // CSV/TSV rows are named by their line, JSON rows by their place in the file.
  const lines = m.lines;
  const unit = lines ? 'line' : 'row';
  const rowNo = (r: number) => (lines ? lines[r]! : r + 1);
  m.ids.forEach((id, r) => {
    const i = index.get(id);
    if (i === undefined) {
      const msg = `id "${id.slice(0, 40)}" is not ${one === 'item' ? 'an' : 'a'} ${one} of the dataset${known ? '' : ` (it has no ${one} ids, so ids must be indices 0..${n - 1})`}`;
      if (lines) failAt(name, `line ${rowNo(r)}`, msg);
      fail(name, `row ${rowNo(r)}: ${msg}`);
    }
    if (seen[i]! >= 0) fail(name, `${unit}s ${rowNo(seen[i]!)} and ${rowNo(r)} both have id "${id.slice(0, 40)}"`);
    seen[i] = r;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  });
  let missing = 0;
  let firstMissing = -1;
  for (let i = 0; i < n; i++) if (seen[i]! < 0) {
    missing++;
    if (firstMissing < 0) firstMissing = i;
  }
  if (missing) {
    const id = known ? known[firstMissing]! : String(firstMissing);
    fail(name, `${missing} of the dataset's ${n} ${noun} have no vector (first: id "${id}")`);
  }
  return out;
}


/** Users and items must share one LLM dimension: DaRec projects both through the same layers. */
export function checkPairDims(usersName: string, usersDim: number, itemsName: string, itemsDim: number): void {
  if (usersDim !== itemsDim) {
    throw new Error(`${usersName} has ${usersDim} dimensions but ${itemsName} has ${itemsDim}; users and items need the same size`);
  }
}
