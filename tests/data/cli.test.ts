import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetSummaryLine, loadDataFromPath, parsePreprocessFlags } from '../../cli/loadData';
import { FIXTURES, fixtureFiles, originalPairs } from './fixtures';

const tmp = mkdtempSync(path.join(tmpdir(), 'darec-data-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parsePreprocessFlags', () => {
  it('maps the CLI flags, with or without "--"', () => {
    expect(parsePreprocessFlags({ threshold: '4', kcore: '10', 'sample-users': '0.2', split: 'loo', 'split-seed': '7' })).toMatchObject({
      threshold: 4,
      kcore: { user: 10, item: 10 },
      sampleUsers: 0.2,
      split: 'loo',
      seed: 7,
    });
    expect(parsePreprocessFlags({ '--kcore': '5,3', '--sample-users': '25%', '--threshold': 'none', '--split-ratio': '8,1,1' })).toMatchObject({
      kcore: { user: 5, item: 3 },
      sampleUsers: 0.25,
      threshold: null,
      ratio: [8, 1, 1],
    });
    expect(parsePreprocessFlags({ lr: '0.1', data: 'x', verbose: true })).toEqual(parsePreprocessFlags({}));
  });
  it('rejects bad values naming the flag', () => {
    expect(() => parsePreprocessFlags({ split: 'half' })).toThrowError('--split: expected random, loo, temporal or given, got "half"');
    expect(() => parsePreprocessFlags({ kcore: 'x' })).toThrowError(/--kcore: expected an integer >= 0/);
    expect(() => parsePreprocessFlags({ 'sample-users': '2' })).toThrowError(/--sample-users/);
    expect(() => parsePreprocessFlags({ threshold: 'high' })).toThrowError(/--threshold/);
  });
});

describe('loadDataFromPath', () => {
  it('takes a folder, a single file, a zip and a gz', async () => {
    const folder = await loadDataFromPath(path.join(FIXTURES, 'ml-100k'));
    expect(folder.dataset.name).toBe('ml-100k');
    const single = await loadDataFromPath(path.join(FIXTURES, 'ml-100k/u.data'));
    expect(originalPairs(single.dataset)).toEqual(originalPairs(folder.dataset));
    expect(single.dataset.itemText).toBeUndefined();
    const zipPath = path.join(tmp, 'ml-100k.zip');
    writeFileSync(zipPath, zipSync(Object.fromEntries(fixtureFiles('ml-100k').map(f => [f.name, f.bytes]))));
    const zipped = await loadDataFromPath(zipPath);
    expect(zipped.dataset).toEqual(folder.dataset);
    const gzPath = path.join(tmp, 'u.data.gz');
    writeFileSync(gzPath, gzipSync(fixtureFiles('ml-100k').find(f => f.name.endsWith('u.data'))!.bytes));
    expect(originalPairs((await loadDataFromPath(gzPath)).dataset)).toEqual(originalPairs(folder.dataset));
  });

  it('says when the path does not exist', async () => {
    await expect(loadDataFromPath(path.join(tmp, 'nope'))).rejects.toThrowError(/nope: expected an existing file, folder or archive/);
  });

  it('prints the first stdout line of the CLI', async () => {
    const r = await loadDataFromPath(path.join(FIXTURES, 'split'), parsePreprocessFlags({ split: 'given' }));
    expect(datasetSummaryLine(r.dataset)).toBe('{"dataset":{"name":"split","users":4,"items":4,"train":7,"val":2,"test":3}}');
  });
});
