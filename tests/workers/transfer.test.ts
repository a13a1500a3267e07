import { describe, expect, it } from 'vitest';
import { uniqueBuffers } from '../../src/core/transfer';

describe('uniqueBuffers', () => {
  it('lists each buffer once, skipping missing arrays', () => {
    const shared = new Float32Array(6);
    const other = new Int32Array(2);
    const out = uniqueBuffers([shared.subarray(0, 3), null, shared.subarray(3), undefined, other, new DataView(other.buffer)]);
    expect(out).toEqual([shared.buffer, other.buffer]);
    expect(out[0]).toBe(shared.buffer);
  });
});
