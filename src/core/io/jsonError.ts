/**
 * Where a JSON text goes wrong, as line and column. `JSON.parse`'s messages differ between
 * engines and versions ("at position 14", "(line 3 column 5)", or no place at all for an
 * unexpected token), so the place is found by a small scanner of JSON's grammar and the message is
 * the same in Node and every browser. Iterative: a file of a million '[' does not overflow the stack.
 */

export interface JsonProblem {
  /** 1-based line and column (in UTF-16 code units, as an editor counts most text). */
  line: number;
  column: number;
  /** What is wrong there, e.g. `unexpected "x"` or `the text ends early`. */
  what: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** End of the string starting at `i` (just after its closing quote), or ~offset of the problem. */
function stringEnd(s: string, i: number): number {
  let k = i + 1;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === 0x22) return k + 1;
    if (c < 0x20) return ~k;
    if (c === 0x5c) {
      const e = s[k + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(k + 2, k + 6))) return ~k;
        k += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) k += 2;
      else return ~k;
    } else k++;
  }
  return ~s.length;
}

/** End of the scalar (string, number, literal) starting at `i`, or ~offset of the problem. */
function scalarEnd(s: string, i: number): number {
  if (s[i] === '"') return stringEnd(s, i);
  NUMBER.lastIndex = i;
  if (NUMBER.test(s)) return NUMBER.lastIndex;
  for (const lit of LITERALS) if (s.startsWith(lit, i)) return i + lit.length;
  return ~i;
}

/** Offset of the first character where `s` stops being JSON (s.length when it ends early); null when it is valid. */
export function jsonErrorOffset(s: string): number | null {
  const n = s.length;
  let i = 0;
  /** Open containers: true = object. */
  const stack: boolean[] = [];
  type State = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';
  let state: State = 'value';
  const skipSpace = () => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  for (;;) {
    skipSpace();
    if (state === 'after') {
      if (stack.length === 0) return i < n ? i : null;
      if (i >= n) return n;
      const obj = stack[stack.length - 1]!;
      const c = s[i];
      if (c === ',') {
        i++;
        state = obj ? 'key' : 'value';
      } else if (c === (obj ? '}' : ']')) {
        i++;
        stack.pop();
      } else return i;
      continue;
    }
    if (i >= n) return n;
    const c = s[i];
    if (state === 'key' || state === 'firstKey') {
      if (state === 'firstKey' && c === '}') {
        i++;
        stack.pop();
        state = 'after';
        continue;
      }
      if (c !== '"') return i;
      const end = stringEnd(s, i);
      if (end < 0) return ~end;
      i = end;
      skipSpace();
      if (i >= n) return n;
      if (s[i] !== ':') return i;
      i++;
      state = 'value';
      continue;
    }
    if (state === 'firstValue' && c === ']') {
      i++;
      stack.pop();
      state = 'after';
    } else if (c === '[') {
      stack.push(false);
      i++;
      state = 'firstValue';
    } else if (c === '{') {
      stack.push(true);
      i++;
      state = 'firstKey';
    } else {
      const end = scalarEnd(s, i);
      if (end < 0) return ~end;
      i = end;
      state = 'after';
    }
  }
}

/** 1-based line and column of `offset` (lines end at \n; a \r before it belongs to the line). */
export function lineColumn(s: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = s.indexOf('\n'); k !== -1 && k < offset; k = s.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The first syntax problem of `s`, or null when it is valid JSON. */
export function jsonProblem(s: string): JsonProblem | null {
  const at = jsonErrorOffset(s);
  if (at === null) return null;
  const { line, column } = lineColumn(s, at);
  if (at >= s.length) return { line, column, what: s.trim() === '' ? 'the text is empty' : 'the text ends early (an unclosed [, { or string?)' };
  const cp = s.codePointAt(at)!;
  const ch = String.fromCodePoint(cp);
  const what = cp < 0x20 ? `a control character (U+${cp.toString(16).toUpperCase().padStart(4, '0')})` : ch === '"' ? `'"'` : `"${ch}"`;
  return { line, column, what: `unexpected ${what}` };
}

/**
 * `name line L, column C: not valid JSON (what)` for a text JSON.parse refused; falls back to the
 * engine's message should the scanner find nothing (it accepts what JSON.parse accepts).
 */
export function describeJsonError(name: string, s: string, err: unknown): string {
  const p = jsonProblem(s);
  if (!p) return `${name}: not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  return `${name} line ${p.line}, column ${p.column}: not valid JSON (${p.what})`;
}
