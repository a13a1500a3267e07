import { describe, expect, it } from 'vitest';
import { describeJsonError, jsonErrorOffset, jsonProblem, lineColumn } from '../../src/core/io/jsonError';
import { Rng } from '../../src/core/rng';

const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('jsonErrorOffset', () => {
  it('is null for valid JSON of every kind', () => {
    for (const s of ['0', '-1.5e+3', '"a\\u00e9\\n"', 'true', 'null', '[]', '{}', ' [1, [2, {"a": [null, false]}]] ', '{"k": {"": "\\\\"}}']) {
      expect(jsonErrorOffset(s), s).toBeNull();
    }
  });

  it('points at the first bad character', () => {
    const cases: [string, number][] = [
      ['[1,2,]', 5],
      ['[1 2]', 3],
      ['{"a" 1}', 5],
      ['{a: 1}', 1],
      ['[01]', 2],
      ['[1.]', 2],
      ['"tab\there"', 4],
      ['"\\x"', 1],
      ['[1]]', 3],
      ['', 0],
      ['[[1,2],[3,', 10],
      ['tru', 0],
    ];
    for (const [s, at] of cases) expect(jsonErrorOffset(s), s).toBe(at);
  });

  it('agrees with JSON.parse on whether random texts are JSON', () => {
    const rng = new Rng(7);
    const alphabet = ['[', ']', '{', '}', ',', ':', '"', '1', '-', '.', 'e', ' ', '\n', 'true', 'null', '"k"', '\\'];
    for (let k = 0; k < 5000; k++) {
      const n = 1 + rng.int(12);
      let s = '';
      for (let j = 0; j < n; j++) s += alphabet[rng.int(alphabet.length)];
      expect(jsonErrorOffset(s) === null, JSON.stringify(s)).toBe(parses(s));
    }
  });

  it('does not overflow the stack on deep nesting', () => {
    expect(jsonErrorOffset('['.repeat(200_000))).toBe(200_000);
  });
});

describe('messages', () => {
  it('line and column count from 1', () => {
    expect(lineColumn('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\r\nef', 8)).toEqual({ line: 3, column: 2 });
  });

  it('names the place and what is there, the same in every engine', () => {
    expect(jsonProblem('[\n  [1, 2]\n  [3, 4]\n]')).toEqual({ line: 3, column: 3, what: 'unexpected "["' });
    expect(jsonProblem('{"a": 1,\n"b": 2')).toEqual({ line: 2, column: 7, what: 'the text ends early (an unclosed [, { or string?)' });
    expect(jsonProblem('  ')?.what).toBe('the text is empty');
    expect(jsonProblem('["a\u0001"]')?.what).toBe('unexpected a control character (U+0001)');
    expect(jsonProblem('{"a" "b"}')?.what).toBe(`unexpected '"'`);
    expect(jsonProblem('[1]')).toBeNull();
    expect(describeJsonError('x.json', '[1,\n x]', new Error('engine text'))).toBe('x.json line 2, column 2: not valid JSON (unexpected "x")');
  });
});
