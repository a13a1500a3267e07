import { describe, expect, it } from 'vitest';
import { DelimitedScanner, parseNumberAt } from '../../src/core/data/formats/delimited';
import { internFieldAt } from '../../src/core/data/formats/delimitedInteractions';
import { IdInterner } from '../../src/core/data/formats/sink';
import { DataError } from '../../src/core/data/errors';
import { chunks, enc } from './fixtures';

interface Rec {
  line: number;
  fields: string[];
}

function scan(text: string | Uint8Array, delimiter: string, quotes: boolean, chunkSize?: number): Rec[] {
  const out: Rec[] = [];
  const sc = new DelimitedScanner({ file: 't.csv', delimiter, quotes }, s => out.push({ line: s.line, fields: s.fields() }));
  const bytes = typeof text === 'string' ? enc(text) : text;
  for (const c of chunkSize ? chunks(bytes, chunkSize) : [bytes]) sc.push(c);
  sc.finish();
  return out;
}

const CSV = 'a,b,c\r\n1,"x, y",3\n\n2,"say ""hi""",4\n3,"two\nlines",5\n4,,\n5,"",6\n6,last,7';

describe('DelimitedScanner', () => {
  it('splits quoted CSV: commas, "" escapes, CRLF, blank lines, multi-line fields, empty fields', () => {
    expect(scan(CSV, ',', true)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', '3'] },
      { line: 4, fields: ['2', 'say "hi"', '4'] },
      { line: 5, fields: ['3', 'two\nlines', '5'] },
      { line: 7, fields: ['4', '', ''] },
      { line: 8, fields: ['5', '', '6'] },
      { line: 9, fields: ['6', 'last', '7'] },
    ]);
  });

  it('gives the same records and line numbers for every chunking', () => {
    const whole = scan(CSV, ',', true);
    for (const size of [1, 2, 3, 5, 7, 16, 64]) expect(scan(CSV, ',', true, size), `chunk ${size}`).toEqual(whole);
    const dat = '1::10::5::100\n2::11::4::200\n3::12::3::300\n';
    const d = scan(dat, '::', false);
    expect(d.map(r => r.fields)).toEqual([['1', '10', '5', '100'], ['2', '11', '4', '200'], ['3', '12', '3', '300']]);
    for (const size of [1, 2, 3, 4]) expect(scan(dat, '::', false, size)).toEqual(d);
  });

  it('keeps quotes literal where the format has none, and strips a UTF-8 BOM', () => {
    expect(scan('1\t5" floppy\t3\n', '\t', false)[0]!.fields).toEqual(['1', '5" floppy', '3']);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('user,item\n1,2\n')]);
    expect(scan(bom, ',', true)[0]!.fields).toEqual(['user', 'item']);
  });

  it('decodes UTF-8 fields and reports a bad byte with line and column', () => {
    expect(scan('1,Amélie\n', ',', false)[0]!.fields).toEqual(['1', 'Amélie']);
    const bad = new Uint8Array([...enc('1,ok\n2,Am'), 0xe9, ...enc('lie\n')]);
    expect(() => scan(bad, ',', false)).toThrowError(/t\.csv line 2, column 2: expected UTF-8 text, got byte 0xE9/);
    const latin = new Uint8Array([...enc('2,Am'), 0xe9, ...enc('lie\n')]);
    const out: string[] = [];
    const sc = new DelimitedScanner({ file: 'u.item', delimiter: ',', quotes: false, encoding: 'latin1' }, s => out.push(s.field(1)));
    sc.push(latin);
    sc.finish();
    expect(out).toEqual(['Amélie']);
  });

  it('rejects binary data and unclosed quotes with a position', () => {
    expect(() => scan(new Uint8Array([49, 44, 0, 10]), ',', true)).toThrowError(/t\.csv: expected a text file, got binary data \(byte 0x00 at offset 2\)/);
    expect(() => scan('a,b\n1,"open\n2,3\n', ',', true)).toThrowError(/t\.csv line 2, column 2: expected a closing quote/);
    expect(() => scan('a,b\n"x"y,2\n', ',', true)).toThrowError(DataError);
  });

  it('checks field counts with a delimiter hint', () => {
    const sc = new DelimitedScanner({ file: 'u.data', delimiter: '\t', quotes: false }, s => s.requireFields(4, true, 'user, item, rating, time'));
    expect(() => sc.push(enc('1,2,3,4\n'))).toThrowError('u.data line 1: expected 4 columns separated by tab (user, item, rating, time), got 1 (is the delimiter tab?)');
  });
});

describe('parseNumberAt', () => {
  const num = (s: string) => {
    const b = enc(s);
    return parseNumberAt(b, 0, b.length);
  };
  it('reads decimals exactly like Number()', () => {
    for (const s of ['4.5', '0.5', '-3', '+2', '5.0', '1147880044', '0.1', '3.14159', '1e3', '.5', '2.', '12345678901234567890', '0.30000000000000004', '-0']) {
      expect(num(s), s).toBe(Number(s));
    }
    expect(num(' 7 ')).toBe(7);
  });
  it('rejects what is not a decimal number', () => {
    for (const s of ['', ' ', 'abc', 'NaN', 'Infinity', '0x10', '1,5', '--1', '.', '-', '4.5.1']) expect(num(s), s).toBeNaN();
  });
});

describe('id interning', () => {
  it('keeps "007" and "7" apart, and long or non-numeric ids as strings', () => {
    const ids = new IdInterner();
    const got: number[] = [];
    const sc = new DelimitedScanner({ file: 'x', delimiter: ',', quotes: true }, s => got.push(internFieldAt(s, 0, ids)));
    sc.push(enc('7\n007\n7\n12345678901\n"7"\nA1B2\n 7 \n0\n'));
    sc.finish();
    expect(ids.ids).toEqual(['7', '007', '12345678901', 'A1B2', '0']);
    expect(got).toEqual([0, 1, 0, 2, 0, 3, 0, 4]);
    expect(ids.lookup('7')).toBe(0);
    expect(ids.lookup('007')).toBe(1);
    expect(ids.lookup('8')).toBeUndefined();
  });
});
