import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadDataset, type LoadProgress } from '../../src/core/data/load';
import { validateDataset } from '../../src/core/data/types';
import { fixtureFiles } from './fixtures';

describe('loadDataset', () => {
  it('files to dataset, report and stats, with progress', () => {
    const progress: LoadProgress[] = [];
    const r = loadDataset(fixtureFiles('ml-100k'), { threshold: 3, split: 'loo' }, p => progress.push(p));
    validateDataset(r.dataset);
    expect(r.report.steps.map(s => s.step)).toEqual(['threshold', 'dedup']);
    expect(r.report.steps[0]!.removedRows).toBe(4);
    expect(r.stats.interactions.total).toBe(12);
    expect(r.stats.report).toBe(r.report);
    expect(progress.map(p => p.phase)).toContain('parse');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1, rows: 16 });
    for (let k = 1; k < progress.length; k++) expect(progress[k]!.fraction).toBeGreaterThanOrEqual(progress[k - 1]!.fraction);
  });

  it('is deterministic for a config and names the dataset', () => {
    const a = loadDataset(fixtureFiles('ml-latest-small'), { seed: 3, name: 'mine' });
    const b = loadDataset(fixtureFiles('ml-latest-small'), { seed: 3, name: 'mine' });
    expect(a.dataset).toEqual(b.dataset);
    expect(a.dataset.name).toBe('mine');
    const c = loadDataset(fixtureFiles('ml-latest-small'), { seed: 4 });
    expect(c.dataset.train).not.toEqual(a.dataset.train);
  });

  it('reads several dropped files, and an archive among them', () => {
    const files = fixtureFiles('ml-latest-small');
    const zipped = [{ name: 'ml.zip', bytes: zipSync(Object.fromEntries(files.map(f => [f.name, f.bytes]))) }];
    expect(loadDataset(zipped).dataset).toEqual(loadDataset(files).dataset);
  });

  it('the report records the files used and ignored and the config', () => {
    const r = loadDataset(fixtureFiles('split'), { split: 'given' });
    expect(r.report.files).toEqual({ used: ['split/test.tsv', 'split/train.tsv', 'split/val.tsv'], ignored: ['split/README.md'] });
    expect(r.report.config.split).toBe('given');
    expect(r.report.format).toBe('split-folder');
  });
});
