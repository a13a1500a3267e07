/**
 * safetensors (https://github.com/huggingface/safetensors), the format `safetensors.torch.load_file`
 * reads: 8-byte little-endian header length N, N bytes of JSON header, then one byte buffer.
 * The header maps each tensor name to `{dtype, shape, data_offsets: [begin, end]}` (offsets relative
 * to the buffer) and may hold `__metadata__`, a string-to-string map.
 *
 * Writes F32 and I32. The reference implementation rejects holes in the buffer, so tensors are packed
 * back to back; the header is padded with spaces (which the spec allows) so the buffer starts on an
 * 8-byte boundary, and since every tensor written is 4 bytes wide each one starts 4-byte aligned,
 * which is all a Float32Array / Int32Array view needs.
 *
 * Reads F32 and I32, and converts F64 / F16 / BF16 to float32 so a file re-saved from PyTorch in
 * another float precision still loads. Every structural rule of the reference validator is checked
 * with a message that says what is wrong.
 */

export type WritableDtype = 'F32' | 'I32';

export interface SafetensorsInput {
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface SafetensorsTensor {
  /** The dtype the file stored; F64 / F16 / BF16 are converted to float32 in `data`. */
  dtype: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface SafetensorsFile {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Every dtype the reference implementation knows, with its size in bytes. */
const DTYPE_SIZES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
};
const READABLE = new Set(['F32', 'I32', 'F64', 'F16', 'BF16']);

/** The reference reader refuses headers above 100 MB; a bigger one means a corrupt length field. */
const MAX_HEADER = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(name: string, msg: string): never {
  throw new Error(`${name}: ${msg}`);
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

function checkShape(name: string, tensor: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)) {
    fail(name, `tensor "${tensor}" has a bad shape ${JSON.stringify(shape)} (expected a list of non-negative integers)`);
  }
  return shape as number[];
}

/** Bytes of the data as stored in memory; little-endian hosts (all in practice) need no conversion. */
function leBytes(data: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  if (data instanceof Float32Array) for (let k = 0; k < data.length; k++) dv.setFloat32(k * 4, data[k]!, true);
  else for (let k = 0; k < data.length; k++) dv.setInt32(k * 4, data[k]!, true);
  return out;
}

/**
 * Tensors are written in name order (the file is then the same for the same contents, whatever
 * order the caller built the record in). `metadata` values must be strings, as the format requires.
 */
export function writeSafetensors(tensors: Record<string, SafetensorsInput>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`writeSafetensors: metadata "${k}" must be a string (got ${typeof v})`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new Error('writeSafetensors: "__metadata__" is reserved and cannot name a tensor');
    const t = tensors[name]!;
    checkShape('writeSafetensors', name, t.shape);
    const n = product(t.shape);
    if (n !== t.data.length) throw new Error(`writeSafetensors: tensor "${name}" has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${n}`);
    const dtype: WritableDtype = t.data instanceof Float32Array ? 'F32' : 'I32';
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  const pad = (8 - ((8 + headerBytes.length) % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = enc.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    const [begin] = (header[name] as { data_offsets: [number, number] }).data_offsets;
    out.set(leBytes(t.data), base + begin);
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function decode(dtype: string, bytes: Uint8Array, n: number): Float32Array | Int32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      if (LITTLE_ENDIAN) return new Float32Array(bytes.slice().buffer, 0, n);
      const out = new Float32Array(n);
      for (let k = 0; k < n; k++) out[k] = dv.getFloat32(k * 4, true);
      return out;
    }
    case 'I32': {
      if (LITTLE_ENDIAN) return new Int32Array(bytes.slice().buffer, 0, n);
      const out = new Int32Array(n);
      for (let k = 0; k < n; k++) out[k] = dv.getInt32(k * 4, true);
      return out;
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let k = 0; k < n; k++) out[k] = dv.getFloat64(k * 8, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let k = 0; k < n; k++) out[k] = halfToFloat(dv.getUint16(k * 2, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const tmp = new DataView(new ArrayBuffer(4));
      for (let k = 0; k < n; k++) {
        tmp.setUint32(0, dv.getUint16(k * 2, true) << 16, true);
        out[k] = tmp.getFloat32(0, true);
      }
      return out;
    }
    default:
      throw new Error(`unreachable dtype ${dtype}`);
  }
}

/** Reads the header only: names, dtypes, shapes, offsets and metadata. */
export function readSafetensorsHeader(bytes: Uint8Array, name = 'file.safetensors'): {
  entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[];
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (bytes.length < 8) fail(name, `not a safetensors file: ${bytes.length} bytes is shorter than the 8-byte header length`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) fail(name, `header length ${n64} is implausible (over ${MAX_HEADER} bytes): not a safetensors file or corrupt`);
  const n = Number(n64);
  if (n < 2) fail(name, `header length ${n} is too short for a JSON header`);
  if (8 + n > bytes.length) fail(name, `truncated: the header claims ${n} bytes but the file has only ${bytes.length - 8} after the length field`);
  if (bytes[8] !== 0x7b) fail(name, 'the header does not start with "{": not a safetensors file or corrupt');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail(name, 'the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(name, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(name, 'the header is not a JSON object');
  const dataStart = 8 + n;
  const bufLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [key, raw] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(name, '__metadata__ must be an object of strings');
      for (const [mk, mv] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof mv !== 'string') fail(name, `__metadata__ value "${mk}" must be a string (got ${JSON.stringify(mv)})`);
        metadata[mk] = mv;
      }
      continue;
    }
    if (typeof raw !== 'object' || raw === null) fail(name, `tensor "${key}" has no {dtype, shape, data_offsets} entry`);
    const info = raw as Record<string, unknown>;
    const dtype = info.dtype;
    if (typeof dtype !== 'string') fail(name, `tensor "${key}" has no dtype`);
    const size = DTYPE_SIZES[dtype];
    if (size === undefined) fail(name, `tensor "${key}" has unknown dtype "${dtype}"`);
    const shape = checkShape(name, key, info.shape);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      fail(name, `tensor "${key}" has bad data_offsets ${JSON.stringify(offs)} (expected [begin, end])`);
    }
    const [begin, end] = offs as [number, number];
    if (end < begin) fail(name, `tensor "${key}" has data_offsets [${begin}, ${end}] with end before begin`);
    if (end > bufLen) fail(name, `tensor "${key}" data_offsets [${begin}, ${end}] run past the data (${bufLen} bytes): the file is truncated or corrupt`);
    const expected = product(shape) * size;
    if (end - begin !== expected) {
      fail(name, `tensor "${key}": shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}`);
    }
    entries.push({ name: key, dtype, shape, begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin < pos) {
      const prev = sorted.find((p) => p !== e && p.begin < e.end && e.begin < p.end);
      fail(name, `tensor "${e.name}" [${e.begin}, ${e.end}] overlaps ${prev ? `"${prev.name}" [${prev.begin}, ${prev.end}]` : 'another tensor'}`);
    }
    if (e.begin > pos) fail(name, `bytes ${pos}..${e.begin} of the data belong to no tensor (the format forbids holes)`);
    pos = e.end;
  }
  if (pos !== bufLen) fail(name, `the file has ${bufLen - pos} bytes after the last tensor (the format forbids trailing data)`);
  return { entries, metadata, dataStart };
}

export function readSafetensors(bytes: Uint8Array, name = 'file.safetensors'): SafetensorsFile {
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes, name);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    if (!READABLE.has(e.dtype)) {
      fail(name, `tensor "${e.name}" is ${e.dtype}; this reader takes F32 / I32 (or F64 / F16 / BF16, converted): save it with tensor.float()`);
    }
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: decode(e.dtype, bytes.subarray(dataStart + e.begin, dataStart + e.end), product(e.shape)) };
  }
  return { tensors, metadata };
}
