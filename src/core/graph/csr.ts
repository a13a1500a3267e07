/**
 * out[r, :] = sum_p vals[p] * x[colIdx[p], :] over row r's entries.
 * Plain typed-array loop: the hot loop on CPU backends. Hand-written because no
 * tfjs CPU/wasm kernel does CSR x dense (wasm lacks UnsortedSegmentSum and the
 * cpu one is quadratic), and this loop runs at memory speed in V8.
 */
export function csrSpmm(
  rowPtr: Int32Array,
  colIdx: Int32Array,
  vals: Float32Array,
  x: Float32Array,
  d: number,
  out: Float32Array,
): void {
  const n = rowPtr.length - 1;
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let c = 0; c < d; c++) out[o + c] = 0;
    const end = rowPtr[r + 1]!;
    for (let p = rowPtr[r]!; p < end; p++) {
      const w = vals[p]!;
      if (w === 0) continue;
      const b = colIdx[p]! * d;
      for (let c = 0; c < d; c++) out[o + c]! += w * x[b + c]!;
    }
  }
}
