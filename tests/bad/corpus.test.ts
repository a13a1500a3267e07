/**
 * The bad-input corpus of e2e/fixtures/bad/cases.ts in Node: the committed files are exactly what
 * build.ts makes, every dataset fixture has a case, and every case fails with its message through
 * the same core code the page runs (data loading, upload checks, bundle reading). The page itself
 * is e2e/bad-input.spec.ts.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataFromPath } from '../../cli/loadData';
import { detectFiles } from '../../src/core/data/detect';
import { DataError } from '../../src/core/data/errors';
import { checkPairDims } from '../../src/core/embed/upload';
import { loadUploadedEmbeddings } from '../fixtures/uploads';
import { checkBundleAgainstDataset, readBundle } from '../../src/core/io/bundle';
import { fitToDetection, parseRatio } from '../../src/ui/data/preprocessOptions';
import { preprocessConfig } from '../../src/core/data/preprocess';
import { buildFixtures, goodDataset, GOOD_DIM, GOOD_ITEMS, GOOD_USERS } from '../../e2e/fixtures/bad/build';
import { writeBrokenRatings } from '../../e2e/fixtures/bad/bigFile';
import { ALL_CASES, BIG_FILE_CASE, BUNDLE_CASES, DATASET_CASES, EMBEDDING_CASES, inOrder } from '../../e2e/fixtures/bad/cases';

const ROOT = path.resolve(__dirname, '../..');
const bytes = (p: string) => new Uint8Array(readFileSync(path.join(ROOT, p)));
/** The good dataset the embedding and bundle cases are checked against. */
const ds = goodDataset();

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected it to throw');
}

describe('the corpus', () => {
  it('has unique ids, committed files for every case not made at test time, and at least 30 cases', () => {
    expect(new Set(ALL_CASES.map((c) => c.id)).size).toBe(ALL_CASES.length);
    for (const c of ALL_CASES) {
      if (c.path === null) expect(c.made, c.id).toBeTruthy();
      else expect(existsSync(path.join(ROOT, c.path)), c.path).toBe(true);
    }
    expect(ALL_CASES.length).toBeGreaterThanOrEqual(30);
    expect(EMBEDDING_CASES.length).toBeGreaterThanOrEqual(10);
    expect(BUNDLE_CASES.length).toBeGreaterThanOrEqual(10);
  });

  it('the committed fixtures are what build.ts makes, and each bad one has a case', () => {
    const built = buildFixtures();
    for (const [p, b] of built) expect(Buffer.compare(Buffer.from(bytes(p)), Buffer.from(b)), `${p} differs: run npx tsx scripts/make-bad-fixtures.ts`).toBe(0);
    for (const dir of ['e2e/fixtures/bad/embeddings', 'e2e/fixtures/bad/bundles']) {
      const onDisk = readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`).sort();
      expect(onDisk).toEqual([...built.keys()].filter((p) => p.startsWith(dir + '/')).sort());
      expect(onDisk).toEqual(ALL_CASES.flatMap((c) => (c.path?.startsWith(dir + '/') ? [c.path] : [])).sort());
    }
  });

  it('covers every dataset fixture of tests/fixtures/data/bad', () => {
    const entries = readdirSync(path.join(ROOT, 'tests/fixtures/data/bad')).map((f) => `tests/fixtures/data/bad/${f}`).sort();
    expect(DATASET_CASES.map((c) => c.path).sort()).toEqual(entries);
  });

  it('the good dataset and embeddings fit together', () => {
    expect([ds.numUsers, ds.numItems, ds.name]).toEqual([GOOD_USERS, GOOD_ITEMS, 'ratings']);
    expect(loadUploadedEmbeddings('users.npy', bytes('e2e/fixtures/good/users.npy'), ds, 'users').dim).toBe(GOOD_DIM);
    expect(loadUploadedEmbeddings('items.npy', bytes('e2e/fixtures/good/items.npy'), ds, 'items').dim).toBe(GOOD_DIM);
  });
});

describe('dataset cases', () => {
  for (const c of DATASET_CASES) {
    it(`${c.id} -> ${c.message[0]}`, async () => {
      let err: unknown;
      try {
        await loadDataFromPath(path.join(ROOT, c.path!), c.preprocess ?? {});
      } catch (e) {
        err = e;
      }
      expect(err, 'must throw').toBeInstanceOf(DataError);
      expect((err as Error).message).toMatch(inOrder(c.message));
    });
  }

  it('the page form rules out what the guarded cases ask for', () => {
    for (const c of DATASET_CASES.filter((x) => x.page)) {
      const guard = c.page!;
      if ('fieldError' in guard) {
        const r = parseRatio(c.preprocess!.ratio!.join(':'));
        expect('error' in r && r.error).toBeTruthy();
        expect(`${(r as { error: string }).error}; keeping 3:1:1`).toMatch(inOrder(guard.fieldError));
        continue;
      }
      const p = path.join(ROOT, c.path!);
      const files = (statSync(p).isDirectory() ? readdirSync(p).map((f) => path.join(p, f)) : [p]).map((f) => ({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) }));
      const d = detectFiles(files);
      // The option the case asks for is turned off when these files are detected.
      const fitted = fitToDetection(preprocessConfig(c.preprocess), d);
      if (c.preprocess?.threshold !== undefined) expect([d.hasRating, fitted.threshold]).toEqual([false, null]);
      if (c.preprocess?.split === 'given') expect([d.hasGivenSplit, fitted.split]).toEqual([false, 'random']);
      if (c.preprocess?.split === 'temporal') expect([d.hasTimestamp, fitted.split]).toEqual([false, 'random']);
    }
  });

  it('the big broken file names its last line (small version of the same generator)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-big-'));
    try {
      const file = path.join(dir, 'ratings.csv');
      const r = await writeBrokenRatings(file, 6_000_000);
      expect(r.bytes).toBe(statSync(file).size);
      const msg = await loadDataFromPath(file).then(() => 'loaded', (e: Error) => e.message);
      expect(msg).toMatch(inOrder([BIG_FILE_CASE.message[0]! + r.brokenLine, BIG_FILE_CASE.message[1]!]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedding cases (against the good dataset)', () => {
  for (const c of EMBEDDING_CASES) {
    it(`${c.id} -> ${c.message[0]}`, () => {
      const name = path.basename(c.path!);
      const msg = thrown(() => {
        const r = loadUploadedEmbeddings(name, bytes(c.path!), ds, c.target);
        // A file that is fine alone must clash with the good 8-d partner already uploaded.
        if (c.target === 'items') checkPairDims('users.npy', GOOD_DIM, name, r.dim);
        else checkPairDims(name, r.dim, 'items.npy', GOOD_DIM);
      });
      expect(msg).toMatch(inOrder(c.message));
    });
  }
});

describe('bundle cases (imported over the good dataset)', () => {
  for (const c of BUNDLE_CASES) {
    it(`${c.id} -> ${c.message[0]}`, () => {
      const msg = thrown(() => {
        const b = readBundle(bytes(c.path!));
        const problems = checkBundleAgainstDataset(b, ds);
        // As src/core/train/bundleIO.ts importRun words it.
        if (problems.length) throw new Error(`This bundle does not belong to the loaded dataset "${ds.name}":\n- ${problems.join('\n- ')}`);
      });
      expect(msg).toMatch(inOrder(c.message));
    });
  }
});
