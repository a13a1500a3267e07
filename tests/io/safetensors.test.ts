import { describe, expect, it } from 'vitest';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from '../../src/core/io/safetensors';

/** A file from a header object and a data buffer, as a hand-made (possibly broken) file would be. */
function craft(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const h = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const f32 = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);

describe('safetensors write / read', () => {
  it('round-trips F32 and I32 tensors, metadata, scalars and empty tensors', () => {
    const a = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    const b = new Int32Array([7, -8, 2 ** 31 - 1]);
    const bytes = writeSafetensors(
      { 'w.0.weight': { shape: [2, 3], data: a }, idx: { shape: [3], data: b }, s: { shape: [], data: new Float32Array([9]) }, e: { shape: [0, 4], data: new Float32Array(0) } },
      { format: 'pt', note: 'hello' },
    );
    const r = readSafetensors(bytes, 'x.safetensors');
    expect(r.metadata).toEqual({ format: 'pt', note: 'hello' });
    expect(r.tensors['w.0.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data: a });
    expect(r.tensors.idx).toEqual({ dtype: 'I32', shape: [3], data: b });
    expect(r.tensors.s!.shape).toEqual([]);
    expect(Array.from(r.tensors.s!.data)).toEqual([9]);
    expect(r.tensors.e!.data.length).toBe(0);
  });

  it('starts the data on an 8-byte boundary, packs tensors without holes, in name order', () => {
    const bytes = writeSafetensors({ b: { shape: [3], data: new Float32Array(3) }, a: { shape: [1], data: new Int32Array(1) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const h = readSafetensorsHeader(bytes);
    expect(h.entries.map((e) => [e.name, e.begin, e.end])).toEqual([['a', 0, 4], ['b', 4, 16]]);
    // Same contents, other insertion order: same bytes.
    const again = writeSafetensors({ a: { shape: [1], data: new Int32Array(1) }, b: { shape: [3], data: new Float32Array(3) } });
    expect(again).toEqual(bytes);
  });

  it('returns copies that do not alias the file', () => {
    const bytes = writeSafetensors({ a: { shape: [2], data: new Float32Array([1, 2]) } });
    const t = readSafetensors(bytes).tensors.a!;
    bytes.fill(0);
    expect(Array.from(t.data)).toEqual([1, 2]);
  });

  it('converts F64, F16 and BF16 to float32', () => {
    const f64 = new Uint8Array(new Float64Array([0.5, -3]).buffer);
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x7c00]).buffer); // 1, -2, ~0.333, inf
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer); // 1, -3
    const data = new Uint8Array([...f64, ...f16, ...bf16]);
    const file = craft(
      { a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] }, b: { dtype: 'F16', shape: [4], data_offsets: [16, 24] }, c: { dtype: 'BF16', shape: [2], data_offsets: [24, 28] } },
      data,
    );
    const t = readSafetensors(file).tensors;
    expect(Array.from(t.a!.data)).toEqual([0.5, -3]);
    expect(t.a!.dtype).toBe('F64');
    expect(t.b!.data[0]).toBe(1);
    expect(t.b!.data[1]).toBe(-2);
    expect(t.b!.data[2]).toBeCloseTo(1 / 3, 3);
    expect(t.b!.data[3]).toBe(Infinity);
    expect(Array.from(t.c!.data)).toEqual([1, -3]);
  });

  it('rejects bad input to the writer', () => {
    expect(() => writeSafetensors({ a: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/3 values but shape \[2, 2\] needs 4/);
    expect(() => writeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(/reserved/);
    expect(() => writeSafetensors({ a: { shape: [-1], data: new Float32Array(0) } })).toThrow(/bad shape/);
  });
});

describe('safetensors: malformed files are rejected with a clear message', () => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['shorter than the length field', () => new Uint8Array(5), /shorter than the 8-byte header length/],
    ['header length past the end', () => { const f = craft(ok, f32([1, 2])); new DataView(f.buffer).setBigUint64(0, 10_000n, true); return f; }, /truncated: the header claims 10000 bytes/],
    ['implausible header length', () => { const f = craft(ok, f32([1, 2])); new DataView(f.buffer).setBigUint64(0, 2n ** 40n, true); return f; }, /implausible/],
    ['header not JSON object start', () => craft(null, f32([1, 2]), '[1,2,3]'), /does not start with "\{"/],
    ['invalid JSON', () => craft(null, f32([1, 2]), '{"a": {'), /not valid JSON/],
    ['invalid UTF-8', () => { const f = craft(null, new Uint8Array(0), '{"a":"xx"}'); f[14] = 0xff; return f; }, /not valid UTF-8/],
    ['metadata not strings', () => craft({ __metadata__: { n: 1 } }), /__metadata__ value "n" must be a string/],
    ['entry not an object', () => craft({ a: 3 }), /tensor "a" has no \{dtype, shape, data_offsets\}/],
    ['missing dtype', () => craft({ a: { shape: [2], data_offsets: [0, 8] } }, f32([1, 2])), /tensor "a" has no dtype/],
    ['unknown dtype', () => craft({ a: { dtype: 'F33', shape: [2], data_offsets: [0, 8] } }, f32([1, 2])), /unknown dtype "F33"/],
    ['known but unsupported dtype', () => craft({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)), /"a" is U8; this reader takes F32 \/ I32/],
    ['negative shape', () => craft({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, f32([1, 2])), /bad shape \[-2\]/],
    ['fractional shape', () => craft({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 8] } }, f32([1, 2])), /bad shape/],
    ['offsets not a pair', () => craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0] } }, f32([1, 2])), /bad data_offsets \[0\]/],
    ['end before begin', () => craft({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, f32([1, 2])), /end before begin/],
    ['offsets past the data', () => craft({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32([1, 2])), /run past the data \(8 bytes\)/],
    ['shape x dtype size != bytes', () => craft({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32([1, 2])), /shape \[3\] of F32 needs 12 bytes but data_offsets span 8/],
    ['overlapping tensors', () => craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32([1, 2, 3])), /"b" \[4, 12\] overlaps "a" \[0, 8\]/],
    ['hole between tensors', () => craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32([1, 2, 3])), /bytes 4\.\.8 of the data belong to no tensor/],
    ['trailing bytes', () => craft(ok, f32([1, 2, 3])), /4 bytes after the last tensor/],
    ['truncated data', () => writeSafetensors({ a: { shape: [4], data: new Float32Array(4) } }).slice(0, -3), /run past the data/],
  ];
  for (const [what, make, msg] of cases) {
    it(what, () => {
      expect(() => readSafetensors(make(), 'w.safetensors')).toThrow(msg);
      expect(() => readSafetensors(make(), 'w.safetensors')).toThrow(/^w\.safetensors: /);
    });
  }
});
