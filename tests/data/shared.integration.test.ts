/**
 * Real data from ../shared/datasets (read-only, not in the repository): the
 * original ML-100K files and their RecBole atomic copy must give the same
 * dataset, and RLMRec's Amazon-book split folder must load with the counts of
 * its README. Skipped with a note where the folders are absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadDataFromPath, pathSources } from '../../cli/loadData';
import { loadDataset } from '../../src/core/data/load';
import { readAll } from '../../src/core/data/formats/source';
import { originalPairs } from './fixtures';

const SHARED = path.resolve(__dirname, '../../../shared/datasets');
const ML = path.join(SHARED, 'ml-100k');
const BOOK = path.join(SHARED, 'rlmrec-amazon-book');

const hasMl = existsSync(path.join(ML, 'u.data')) && existsSync(path.join(ML, 'recbole-atomic/ml-100k.inter'));
const hasBook = existsSync(path.join(BOOK, 'train.tsv'));
if (!hasMl) console.warn(`shared.integration: ${ML} not found; skipping the ML-100K checks`);
if (!hasBook) console.warn(`shared.integration: ${BOOK} not found; skipping the Amazon-book checks`);

const file = (dir: string, name: string) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) });

describe.skipIf(!hasMl)('ML-100K (shared)', () => {
  it('original files and the RecBole atomic copy give the same dataset', () => {
    const orig = loadDataset([file(ML, 'u.data'), file(ML, 'u.item'), file(ML, 'u.genre')]);
    const atomic = loadDataset(['ml-100k.inter', 'ml-100k.item', 'ml-100k.user'].map(n => file(path.join(ML, 'recbole-atomic'), n)));
    expect(orig.detection.format).toBe('movielens-100k');
    expect(atomic.detection.format).toBe('recbole');
    for (const r of [orig, atomic]) {
      expect(r.dataset.numUsers).toBe(943);
      expect(r.dataset.numItems).toBe(1682);
      expect(r.report.output.rows).toBe(100_000);
    }
    expect(originalPairs(atomic.dataset)).toEqual(originalPairs(orig.dataset));
    // Same ids in the same order and the same rows, so even the seeded split is identical.
    expect(atomic.dataset.userIds).toEqual(orig.dataset.userIds);
    expect(atomic.dataset.train).toEqual(orig.dataset.train);
    expect(atomic.dataset.test).toEqual(orig.dataset.test);
    // Item text from both: u.item is Latin-1 ("Misérables"), the .item copy is UTF-8.
    const les = orig.dataset.itemText!.find(t => t.title.startsWith('Misérables'));
    expect(les?.title).toBe('Misérables, Les (1995)');
    expect(atomic.dataset.itemText!.some(t => t.title === 'Misérables, Les')).toBe(true);
    expect(orig.dataset.itemText![orig.dataset.itemIds!.indexOf('1')]).toEqual({ title: 'Toy Story (1995)', categories: ['Animation', "Children's", 'Comedy'] });
  });

  it('the folder as the CLI sees it (README, ua.*, recbole-atomic/ inside) reads u.data; a zip of it loads the same', async () => {
    const r = await loadDataFromPath(ML, { threshold: 4, kcore: { user: 10, item: 10 } });
    expect(r.detection.format).toBe('movielens-100k');
    expect(r.detection.ignored).toContain('ml-100k/ua.base');
    expect(r.report.steps[0]).toMatchObject({ step: 'threshold', rowsAfter: 34_174 + 21_201 });
    const files = pathSources(ML).filter(s => !s.name.includes('recbole'));
    const zip = zipSync(Object.fromEntries(files.map(s => [s.name, readAll(s)])));
    const t = performance.now();
    const z = loadDataset([{ name: 'ml-100k.zip', bytes: zip }]);
    const ms = performance.now() - t;
    console.info(`ML-100K from a ${(zip.length / 1e6).toFixed(2)} MB zip: ${ms.toFixed(0)} ms (parse ${z.timings.parseMs.toFixed(0)} ms, preprocess ${z.timings.preprocessMs.toFixed(0)} ms)`);
    expect(z.dataset.numUsers).toBe(943);
    expect(z.report.output.rows).toBe(100_000);
  });
});

describe.skipIf(!hasBook)('RLMRec Amazon-book split folder (shared)', () => {
  it('keeps the given split with the README counts', async () => {
    const r = await loadDataFromPath(BOOK, { split: 'given' });
    expect(r.detection.format).toBe('split-folder');
    expect(r.dataset.numUsers).toBe(11_000);
    expect(r.dataset.numItems).toBe(9_332);
    expect([r.dataset.train.users.length, r.dataset.val.users.length, r.dataset.test.users.length]).toEqual([120_464, 40_290, 40_106]);
    expect(r.report.steps.find(s => s.step === 'dedup')!.removedRows).toBe(0);
    // 0-based ids stay the same indices.
    expect(r.dataset.userIds!.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(r.dataset.itemIds![9331]).toBe('9331');
    expect(r.stats.usersInTest).toBe(9_860);
    expect(r.stats.usersInVal).toBe(9_857);
    expect(r.stats.coldStart.usersWithoutTrain).toBe(0);
    expect(r.stats.coldStart.itemsWithoutTrain).toBe(0);
    expect(r.detection.ignored).toEqual(expect.arrayContaining(['rlmrec-amazon-book/trn_mat.pkl', 'rlmrec-amazon-book/mapper_item.jsonl']));
  });
});
