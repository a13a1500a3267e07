// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/data/types';
import { readNpy, writeNpy } from '../../src/core/io/npy';
import { alignToDataset, checkPairDims, parseEmbeddingFile } from '../../src/core/embed/upload';
import { loadUploadedEmbeddings } from '../fixtures/uploads';

const enc = (s: string) => new TextEncoder().encode(s);

/** Builds a .npy by hand so headers and dtypes the writer never produces can be tested. */
function npy(header: string, body: ArrayBufferView | Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let h = header;
  h += ' '.repeat((64 - ((pre + h.length + 1) % 64)) % 64) + '\n';
  const bodyBytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const out = new Uint8Array(pre + h.length + bodyBytes.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(enc(h), pre);
  out.set(bodyBytes, pre + h.length);
  return out;
}

function dataset(ids = true): Dataset {
  const e = { users: new Int32Array(0), items: new Int32Array(0) };
  return {
    name: 'tiny', numUsers: 3, numItems: 4,
    train: { users: Int32Array.from([0, 1, 2]), items: Int32Array.from([0, 1, 2]) }, val: e, test: e,
    ...(ids ? { userIds: ['u1', 'u2', 'u3'], itemIds: ['10', '20', '30', '40'] } : {}),
  };
}

describe('npy', () => {
  it('round-trips float32 and keeps the header 64-byte aligned', () => {
    const data = Float32Array.from({ length: 12 }, (_, k) => k * 0.5 - 2);
    const bytes = writeNpy(data, 3, 4);
    expect(((bytes[8]! | (bytes[9]! << 8)) + 10) % 64).toBe(0);
    const m = readNpy(bytes, 'x.npy');
    expect([m.rows, m.cols, m.descr]).toEqual([3, 4, '<f4']);
    expect(Array.from(m.data)).toEqual(Array.from(data));
  });
  it('reads float64, big-endian and format 2.0', () => {
    const f64 = Float64Array.from([1.5, -2, 3, 4.25]);
    expect(Array.from(readNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", f64)).data)).toEqual([1.5, -2, 3, 4.25]);
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 7.5, false);
    new DataView(be.buffer).setFloat32(4, -1, false);
    expect(Array.from(readNpy(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }", be)).data)).toEqual([7.5, -1]);
    expect(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", Float32Array.from([3]), 2)).data[0]).toBe(3);
  });
  it('writeNpy rejects a shape that does not match the data', () => {
    expect(() => writeNpy(new Float32Array(5), 2, 3)).toThrow(/5 values do not fill a \(2, 3\) matrix/);
  });
});

describe('bad uploads are rejected with their message', () => {
  const ds = dataset();
  const f32 = (n: number) => new Float32Array(n).fill(0.5);
  const cases: [string, string | Uint8Array, RegExp, ('items' | 'users')?][] = [
    ['items.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", f32(6)), /^items\.npy: 3 rows but the dataset has 4 items$/],
    ['items.npy', npy("{'descr': '<f4', 'fortran_order': True, 'shape': (4, 2), }", f32(8)), /^items\.npy: the array is stored in Fortran order/],
    ['items.npy', npy("{'descr': '<i8', 'fortran_order': False, 'shape': (4, 2), }", new BigInt64Array(8)), /^items\.npy: dtype '<i8' is not supported; use float32 or float64/],
    ['items.npy', npy("{'descr': '<f2', 'fortran_order': False, 'shape': (4, 2), }", new Uint16Array(8)), /dtype '<f2' is not supported/],
    ['items.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }", f32(8)), /^items\.npy: expected a 2-D array \(rows x dimensions\) but the shape is \(8\)$/],
    ['items.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", f32(7)), /^items\.npy: the data is truncated: shape \(4, 2\) needs 32 bytes but the file has 28$/],
    ['items.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", f32(9)), /4 bytes after the \(4, 2\) array/],
    ['items.npy', npy("{'weird': 1}", f32(8)), /^items\.npy: the \.npy header is not a numpy header dict/],
    ['items.npy', enc('not numpy at all'), /^items\.npy: not a \.npy file/],
    ['items.npy', (() => { const d = f32(8); d[5] = NaN; return npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", d); })(), /^items\.npy: row 3, column 2: NaN$/],
    ['items.npy', (() => { const d = f32(8); d[0] = Infinity; return writeNpy(d, 4, 2); })(), /^items\.npy: row 1, column 1: Infinity$/],
    ['items.npy', (() => { const d = f32(8); d[7] = -Infinity; return writeNpy(d, 4, 2); })(), /^items\.npy: row 4, column 2: -Infinity$/],
    ['users.json', '[[1,2],[3,-1e999],[5,6]]', /^users\.json: row 2, column 2: -Infinity$/, 'users'],
    ['items.csv', '1,2\n3,\n5,6\n7,8\n', /^items\.csv line 2, column 2: empty cell$/],
    ['items.csv', 'id,a\n10,1\n20,x1\n', /^items\.csv line 3, column 2: "x1" is not a number$/],
    ['items.csv', '\n1,2\n3,-inf\n', /^items\.csv line 3, column 2: -Infinity$/],
    ['items.csv', '0.1,0.2\n0.3,0.4\n0.5,0.6\n', /^items\.csv: 3 rows but the dataset has 4 items$/],
    ['items.csv', '0.1,0.2\n0.3,0.4\n0.5\n0.7,0.8\n', /^items\.csv line 3: 1 values but line 1 has 2$/],
    ['items.csv', '0.1,0.2\n0.3,0.4\n0.5,abc\n0.7,0.8\n', /^items\.csv line 3, column 2: "abc" is not a number$/],
    ['items.csv', '0.1,0.2\n0.3,0.4\n0.5,NaN\n0.7,0.8\n', /^items\.csv line 3, column 2: NaN$/],
    ['items.csv', '0.1,0.2\n0.3,\n0.5,0.6\n0.7,0.8\n', /^items\.csv line 2, column 2: empty cell$/],
    ['items.csv', 'id,a,b\n10,1,2\n20,1,2\n99,1,2\n40,1,2\n', /^items\.csv line 4: id "99" is not an item of the dataset$/],
    ['items.csv', 'id,a,b\n10,1,2\n20,1,2\n20,1,2\n40,1,2\n', /^items\.csv: lines 3 and 4 both have id "20"$/],
    ['items.tsv', 'item_id\ta\tb\n10\t1\t2\n20\t1\t2\n40\t1\t2\n', /^items\.tsv: 1 of the dataset's 4 items have no vector \(first: id "30"\)$/],
    ['items.csv', '', /^items\.csv: the file is empty$/],
    ['items.csv', 'id,a,b\n', /^items\.csv: the file has a header but no rows$/],
    ['users.json', '[[1,2],[3,4]]', /^users\.json: 2 rows but the dataset has 3 users$/, 'users'],
    ['users.json', '[[1,2],[3,4],[5]]', /^users\.json: row 3 has 1 values but the first row has 2$/, 'users'],
    ['users.json', '[[1,2],[3,null],[5,6]]', /^users\.json: row 2, column 2: null is not a number$/, 'users'],
    ['users.json', '[[1,2],[3,"4"],[5,6]]', /^users\.json: row 2, column 2: "4" is not a number$/, 'users'],
    ['users.json', '{"u1":[1,2],"u2":[3,4],"nobody":[5,6]}', /^users\.json: row 3: id "nobody" is not a user of the dataset$/, 'users'],
    ['users.json', '{"u1":[1,2],"u2":[3,4],', /^users\.json line 1, column 24: not valid JSON \(the text ends early/, 'users'],
    ['users.json', '42', /^users\.json: expected an array of vectors or an object \{id: vector\}$/, 'users'],
    ['users.json', '[]', /^users\.json: the file holds no vectors$/, 'users'],
    ['users.parquet', 'x', /^users\.parquet: unknown file type; upload \.npy, \.csv, \.tsv or \.json$/, 'users'],
    // Text that is not UTF-8 text, found before parsing.
    ['items.csv', Uint8Array.from([0x31, 0x2c, 0x00, 0x32]), /^items\.csv: expected a text file \(\.csv, \.tsv or \.json\), got binary data \(byte 0x00 at offset 2\)$/],
    ['items.csv', Uint8Array.from([0xff, 0xfe, 0x31, 0x00]), /^items\.csv: expected UTF-8 text, got UTF-16 \(byte order mark FF FE\); save the file as UTF-8$/],
    ['items.csv', Uint8Array.from([...enc('id,a,b\n10,1,2\n2'), 0xe9, ...enc(',1,2\n')]), /^items\.csv line 3, column 2: expected UTF-8 text, got byte 0xE9/],
    // Numbers float32 cannot hold would silently become Infinity.
    ['items.csv', '1,2\n1e39,2\n3,4\n5,6\n', /^items\.csv line 2, column 1: 1e39 is outside the float32 range \(±3\.4e38\)$/],
    ['users.json', '[[1,2],[3,-4e38],[5,6]]', /^users\.json: row 2, column 2: -4e\+38 is outside the float32 range/, 'users'],
    ['items.npy', npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 1), }", Float64Array.from([1, 2, 1e300, 4])), /^items\.npy: row 3, column 1: 1e\+300 is outside the float32 range/],
    // The wrong delimiter is named, not reported as missing values.
    ['items.csv', '0.1;0.2\n0.3;0.4\n', /^items\.csv line 1: expected values separated by comma, got one field "0\.1;0\.2"; is the delimiter semicolon\?$/],
    ['items.tsv', 'id,a,b\n10,1,2\n', /^items\.tsv line 1: expected values separated by tab, got one field "id,a,b"; is the delimiter comma\?$/],
    ['items.csv', 'a\nb\nc\nd\n', /^items\.csv line 1: expected an id and vector values separated by comma, got only "a"$/],
    ['users.json', '[[[1,2]],[[3,4]],[[5,6]]]', /^users\.json: row 1, column 1 is an array, not a number: expected one vector of numbers per row \(a 2-D array\)/, 'users'],
  ];
  it.each(cases.map((c, k) => [k + 1, ...c] as const))('case %i: %s', (_k, name, content, msg, kind) => {
    const bytes = typeof content === 'string' ? enc(content) : content;
    expect(() => loadUploadedEmbeddings(name, bytes, ds, kind ?? 'items')).toThrow(msg);
  });

  it('the 1681-of-1682 example reads as in the issue', () => {
    const big: Dataset = { ...dataset(false), numItems: 1682 };
    expect(() => loadUploadedEmbeddings('items.npy', writeNpy(new Float32Array(1681 * 2), 1681, 2), big, 'items')).toThrow(
      'items.npy: 1681 rows but the dataset has 1682 items',
    );
  });

  it('users and items must share a dimension', () => {
    expect(() => checkPairDims('users.npy', 384, 'items.csv', 64)).toThrow('users.npy has 384 dimensions but items.csv has 64');
  });
});

describe('good uploads', () => {
  const ds = dataset();
  it('CSV without header in row order', () => {
    const r = loadUploadedEmbeddings('items.csv', enc('1,2\n3,4\n5,6\n7,8\n'), ds, 'items');
    expect(r.dim).toBe(2);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('CSV with an id column, shuffled, mapped to dataset ids', () => {
    const r = loadUploadedEmbeddings('items.csv', enc('item_id,e0,e1\n40,7,8\n10,1,2\n30,5,6\n"20",3,4\n'), ds, 'items');
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('headerless CSV with non-numeric ids', () => {
    const r = loadUploadedEmbeddings('users.csv', enc('u3,5,6\nu1,1,2\nu2,3,4\n'), ds, 'users');
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it("pandas to_csv with index (',0,1' header) and without (0,1 header)", () => {
    const noIds = dataset(false);
    const a = loadUploadedEmbeddings('users.csv', enc(',0,1\n0,1,2\n1,3,4\n2,5,6\n'), noIds, 'users');
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const b = loadUploadedEmbeddings('users.csv', enc('0,1\n1.5,2\n3,4\n5,6\n'), noIds, 'users');
    expect(Array.from(b.data)).toEqual([1.5, 2, 3, 4, 5, 6]);
  });
  it('TSV, JSON array and JSON object', () => {
    expect(Array.from(loadUploadedEmbeddings('u.tsv', enc('1\t2\n3\t4\n5\t6\n'), ds, 'users').data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(loadUploadedEmbeddings('u.json', enc('[[1,2],[3,4],[5,6]]'), ds, 'users').data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(loadUploadedEmbeddings('u.json', enc('{"u2":[3,4],"u3":[5,6],"u1":[1,2]}'), ds, 'users').data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('ids are indices when the dataset has no ids', () => {
    const m = parseEmbeddingFile('u.json', enc('{"2":[5,6],"0":[1,2],"1":[3,4]}'));
    expect(Array.from(alignToDataset('u.json', m, dataset(false), 'users'))).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('rows without lines are named by their place in the file (a duplicate id cannot come from JSON)', () => {
    const m = { rows: 3, cols: 1, data: Float32Array.from([1, 2, 3]), ids: ['u1', 'u2', 'u1'] };
    expect(() => alignToDataset('u.bin', m, ds, 'users')).toThrow(/^u\.bin: rows 1 and 3 both have id "u1"$/);
    expect(() => alignToDataset('u.csv', { ...m, lines: Int32Array.from([2, 4, 7]) }, ds, 'users')).toThrow(/^u\.csv: lines 2 and 7 both have id "u1"$/);
  });
  it('one-dimensional vectors in a one-column CSV are not taken for a wrong delimiter', () => {
    expect(Array.from(loadUploadedEmbeddings('items.csv', enc('0.5\n-1\n2e-3\n4\n'), ds, 'items').data)).toEqual([0.5, -1, Math.fround(2e-3), 4]);
  });
  it('float64 .npy becomes float32', () => {
    const r = loadUploadedEmbeddings('i.npy', npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 1), }", Float64Array.from([1, 2, 3, 0.1])), ds, 'items');
    expect(r.data).toBeInstanceOf(Float32Array);
    expect(r.data[3]).toBeCloseTo(0.1, 6);
  });
});
