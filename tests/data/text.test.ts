import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, incompleteTail } from '../../src/core/data/formats/text';
import { createParser } from '../../src/core/data/formats/index';
import { loadDataset } from '../../src/core/data/load';
import { chunks, enc } from './fixtures';

describe('UTF-8 decoding of JSON lines', () => {
  it('multi-byte characters split across chunks decode correctly', () => {
    const bytes = enc('{"user_id": "Zoë", "parent_asin": "日本", "rating": 5}\n{"user_id": "😀", "parent_asin": "x", "rating": 4}\n');
    for (const size of [1, 2, 3, 5]) {
      const p = createParser('amazon-json', { file: 'r.jsonl', json: { user: 'user_id', item: 'parent_asin', rating: 'rating' } });
      for (const c of chunks(bytes, size)) p.push(c);
      p.finish();
      expect(p.result().userIds).toEqual(['Zoë', '😀']);
      expect(p.result().itemIds).toEqual(['日本', 'x']);
    }
  });

  it('a bad byte is reported with line and column', () => {
    const b = new Uint8Array([...enc('{"user_id": "a", "parent_asin": "x", "rating": 5}\n{"user_id": "b'), 0xe9, ...enc('", "parent_asin": "y", "rating": 4}\n')]);
    expect(() => loadDataset([{ name: 'r.jsonl', bytes: b }])).toThrowError(/^r\.jsonl line 2, column 15: expected UTF-8 text, got byte 0xE9 at offset 64/);
    const cut = new Uint8Array([...enc('{"user_id": "a", "parent_asin": "x", "rating": 5}\n'.repeat(3)), 0xc3]);
    expect(() => loadDataset([{ name: 'r.jsonl', bytes: cut }])).toThrowError(/^r\.jsonl line 4, column 1: expected UTF-8 text, got byte 0xC3/);
  });

  it('helpers: incomplete tail and first invalid byte', () => {
    expect(incompleteTail(new Uint8Array([0x61, 0xc3]))).toBe(1);
    expect(incompleteTail(new Uint8Array([0x61, 0xc3, 0xa9]))).toBe(3);
    expect(incompleteTail(new Uint8Array([0xf0, 0x9f, 0x98]))).toBe(0);
    expect(firstInvalidUtf8(enc('abc'))).toBe(3);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe9, 0x62]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]))).toBe(0); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
  });
});
