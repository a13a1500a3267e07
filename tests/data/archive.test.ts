import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandArchive, expandSources, gunzipSource, isJunkPath } from '../../src/core/data/archive';
import { DataError } from '../../src/core/data/errors';
import { bytesSource, readAll, readHead } from '../../src/core/data/formats/source';
import { loadDataset } from '../../src/core/data/load';
import { enc, fixtureFiles, originalPairs } from './fixtures';

/** Like the official MovieLens zips: every file under one folder inside the archive. */
function zipOf(dir: string, level: 0 | 6 = 6): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const f of fixtureFiles(dir)) entries[f.name] = [f.bytes, { level }];
  entries['__MACOSX/._junk'] = [enc('junk'), { level }];
  return zipSync(entries);
}

describe('archives', () => {
  it('loads a MovieLens-style zip (folder inside) like the folder itself, deflated or stored', () => {
    const folder = loadDataset(fixtureFiles('ml-latest-small'));
    for (const level of [6, 0] as const) {
      const z = loadDataset([{ name: 'ml-latest-small.zip', bytes: zipOf('ml-latest-small', level) }]);
      expect(z.detection.format).toBe('movielens-csv');
      expect(z.dataset.name).toBe('ml-latest-small');
      expect(originalPairs(z.dataset)).toEqual(originalPairs(folder.dataset));
      expect(z.dataset.itemText).toEqual(folder.dataset.itemText);
    }
  });

  it('expands .gz (name without .gz), a .gz inside a .zip, and skips macOS junk', () => {
    const inner = gzipSync(enc('user,item\n1,2\n'));
    const out = expandArchive({ name: 'outer.zip', bytes: zipSync({ 'd/log.csv.gz': inner, '__MACOSX/d/._log.csv.gz': enc('x'), 'd/.DS_Store': enc('x') }) });
    expect(out.map(f => f.name)).toEqual(['d/log.csv']);
    expect(new TextDecoder().decode(out[0]!.bytes)).toBe('user,item\n1,2\n');
    expect(isJunkPath('a/__MACOSX/b')).toBe(true);
  });

  it('streams a large .gz in chunks and stops early for a head', () => {
    const text = 'user,item\n' + Array.from({ length: 200_000 }, (_, k) => `${k % 977},${k % 613}`).join('\n') + '\n';
    const src = gunzipSource(bytesSource('big.csv.gz', gzipSync(enc(text)), 4096));
    expect(src.name).toBe('big.csv');
    expect(src.size).toBe(enc(text).length);
    let pieces = 0;
    src.read(() => pieces++);
    expect(pieces).toBeGreaterThan(1);
    expect(new TextDecoder().decode(readAll(src))).toBe(text);
    expect(new TextDecoder().decode(readHead(src, 12))).toBe('user,item\n0,');
  });

  it('reports truncated archives as DataErrors naming the file', () => {
    const z = zipOf('ml-100k');
    expect(() => expandSources([bytesSource('ml.zip', z.subarray(0, z.length - 40))])).toThrowError(/ml\.zip: expected a complete, readable zip archive/);
    const g = gzipSync(enc('a,b\n'.repeat(10_000)));
    const [src] = expandSources([bytesSource('x.csv.gz', g.subarray(0, g.length >> 1))]);
    expect(() => readAll(src!)).toThrowError(DataError);
    expect(() => readAll(src!)).toThrowError(/x\.csv\.gz: expected complete gzip data/);
  });

  it('passes parser errors from inside a gzip stream through unchanged', () => {
    expect(() => loadDataset([{ name: 'u.data.gz', bytes: gzipSync(enc('1\t2\t3\tlater\n')) }])).toThrowError('u.data line 1, column 4 (timestamp): expected a number, got "later"');
  });
});
