/**
 * NumPy .npy for 2-D float matrices: the format Python tools (RLMRec, sentence-transformers
 * scripts) write embeddings in. Reads float32/float64 in either byte order, C order only; writes
 * little-endian float32, format 1.0.
 */

export interface NpyMatrix {
  rows: number;
  cols: number;
  /** Row-major, rows * cols values. */
  data: Float32Array;
  /** The dtype the file stored ('<f4', '<f8', '>f4', '>f8'). */
  descr: string;
}

/** Largest finite float32; a float64 beyond it would become Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function fail(name: string, msg: string): never {
  throw new Error(`${name}: ${msg}`);
}

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((m, k) => bytes[k] === m);
}

/** Parses the header dict that numpy writes: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. */
function parseHeader(name: string, header: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortranText = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortranText === undefined || shapeText === undefined) {
    fail(name, `the .npy header is not a numpy header dict (got ${JSON.stringify(header.trim().slice(0, 120))})`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) fail(name, `the .npy header has a bad shape (${shapeText})`);
      return v;
    });
  return { descr, fortran: fortranText === 'True', shape };
}

export function readNpy(bytes: Uint8Array, name = 'file.npy'): NpyMatrix {
  if (!isNpy(bytes)) fail(name, 'not a .npy file (it does not start with \\x93NUMPY)');
  if (bytes.length < 10) fail(name, 'the .npy file is truncated inside its header');
  const major = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(name, 'the .npy file is truncated inside its header');
    headerLen = dv.getUint32(8, true);
    headerStart = 12;
  } else {
    fail(name, `unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (headerStart + headerLen > bytes.length) fail(name, 'the .npy file is truncated inside its header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const { descr, fortran, shape } = parseHeader(name, header);
  if (fortran) fail(name, 'the array is stored in Fortran order; save it in C order (np.ascontiguousarray) and upload again');
  const m = /^([<>|=])f([48])$/.exec(descr);
  if (!m) fail(name, `dtype '${descr}' is not supported; use float32 or float64 (arr.astype(np.float32))`);
  if (shape.length !== 2) fail(name, `expected a 2-D array (rows x dimensions) but the shape is (${shape.join(', ')})`);
  const [rows, cols] = shape as [number, number];
  const size = Number(m[2]);
  // '=' is native order; every platform numpy writes from in practice is little-endian.
  const little = m[1] !== '>';
  const dataStart = headerStart + headerLen;
  const expected = rows * cols * size;
  const got = bytes.length - dataStart;
  if (got < expected) fail(name, `the data is truncated: shape (${rows}, ${cols}) needs ${expected} bytes but the file has ${got}`);
  if (got > expected) fail(name, `the file has ${got - expected} bytes after the (${rows}, ${cols}) array`);
  const data = new Float32Array(rows * cols);
  const ddv = new DataView(bytes.buffer, bytes.byteOffset + dataStart, expected);
  if (size === 4) for (let k = 0; k < data.length; k++) data[k] = ddv.getFloat32(k * 4, little);
  else {
    for (let k = 0; k < data.length; k++) {
      const v = ddv.getFloat64(k * 8, little);
      // NaN and ±Infinity pass as they are (callers decide); a finite value float32 cannot hold is an error here.
      if (Number.isFinite(v) && Math.abs(v) > FLOAT32_MAX) {
        fail(name, `row ${Math.floor(k / cols) + 1}, column ${(k % cols) + 1}: ${v} is outside the float32 range (±3.4e38)`);
      }
      data[k] = v;
    }
  }
  return { rows, cols, data, descr };
}

/** Little-endian float32, format 1.0, header padded to a multiple of 64 bytes as numpy does. */
export function writeNpy(data: Float32Array, rows: number, cols: number): Uint8Array {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) throw new Error(`writeNpy: bad shape (${rows}, ${cols})`);
  if (data.length !== rows * cols) throw new Error(`writeNpy: ${data.length} values do not fill a (${rows}, ${cols}) matrix`);
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + dict.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  dv.setUint16(8, dict.length, true);
  for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
  const off = 10 + dict.length;
  for (let k = 0; k < data.length; k++) dv.setFloat32(off + k * 4, data[k]!, true);
  return out;
}
