/**
 * The bad-input corpus: every file (or folder) in tests/fixtures/data/bad must
 * fail with a DataError that names the file and says what was expected, and
 * nothing else may be thrown. Loaded through the CLI path so folders and
 * archives on disk are covered too.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataFromPath } from '../../cli/loadData';
import { DataError } from '../../src/core/data/errors';
import type { PreprocessConfig } from '../../src/core/data/preprocess';

const BAD = path.resolve(__dirname, '../fixtures/data/bad');

interface Case {
  input: string;
  config?: Partial<PreprocessConfig>;
  /** Fragments the message must contain, in order. */
  message: string[];
}

export const BAD_CASES: Case[] = [
  { input: 'empty.csv', message: ['empty.csv: expected interaction rows, got an empty file'] },
  { input: 'binary.dat', message: ['binary.dat: expected a text file, got binary data'] },
  { input: 'utf16.csv', message: ['utf16.csv: expected UTF-8 text, got UTF-16'] },
  { input: 'wrong-delimiter', message: ['u.data line 1: expected 4 columns separated by tab', 'got 1', 'is the delimiter tab?'] },
  { input: 'missing-column', message: ['ratings.csv line 1: expected a column named "movieId" (item) in the header', 'got "userId,rating,timestamp"'] },
  { input: 'ragged', message: ['ratings.dat line 2: expected 4 columns separated by "::" (UserID, MovieID, Rating, Timestamp), got 3'] },
  { input: 'non-utf8', message: ['movies.csv line 3, column 2 (title): expected UTF-8 text, got byte 0xE9'] },
  { input: 'latin1-id.csv', message: ['latin1-id.csv line 3, column 1 (user): expected UTF-8 text, got byte 0xE9'] },
  { input: 'ids-mismatch', message: ['movies.csv: expected item ids that occur in', 'ratings.csv', 'none of its 3 ids do'] },
  { input: 'below-threshold.csv', config: { threshold: 4 }, message: ['below-threshold.csv: expected at least one interaction with rating >= 4', 'ratings range from 1 to 3'] },
  { input: 'threshold-no-rating.csv', config: { threshold: 4 }, message: ['threshold-no-rating.csv: expected a rating column to apply the threshold'] },
  { input: 'kcore-all.csv', config: { kcore: { user: 3, item: 3 } }, message: ['kcore-all.csv: expected some users with >= 3', 'every interaction was removed'] },
  { input: 'truncated.zip', message: ['truncated.zip: expected a complete, readable zip archive'] },
  { input: 'truncated.csv.gz', message: ['truncated.csv.gz: expected complete gzip data'] },
  { input: 'empty.zip', message: ['empty.zip: expected at least one file in the zip archive, got none'] },
  { input: 'archive.tar.gz', message: ['archive.tar.gz: expected a .zip archive or a single gzipped file, got a .tar.gz archive'] },
  { input: 'nan-rating', message: ['ratings.csv line 3, column 3 (rating): expected a number, got "NaN"'] },
  { input: 'header-only', message: ['ratings.csv: expected at least one interaction row, got only a header line'] },
  { input: 'bad-timestamp', message: ['u.data line 2, column 4 (timestamp): expected a number, got "yesterday"'] },
  { input: 'empty-id', message: ['ratings.csv line 3, column 1 (userId): expected a user id, got an empty field'] },
  { input: 'unclosed-quote', message: ['movies.csv line 2, column 2 (title): expected a closing quote (") before the end of the file'] },
  { input: 'text-after-quote.csv', message: ['text-after-quote.csv line 2, column 1 (user): expected "," or end of line after a closing quote, got "x'] },
  { input: 'recbole-untyped', message: ['x.inter line 1, column 1: expected a typed header field like user_id:token'] },
  { input: 'recbole-no-item', message: ['x.inter line 1: expected an item column such as item_id:token in the header'] },
  { input: 'amazon-bad-json', message: ['reviews.json line 2, column ', ': expected a JSON object (one per line), got "{\\"reviewerID\\"', '(Unexpected end of JSON input)'] },
  { input: 'amazon-no-user', message: ['reviews.json line 3: expected a user id field "reviewerID", got none'] },
  { input: 'amazon-bad-rating', message: ['reviews.json line 2 (overall): expected a number, got "five"'] },
  { input: 'bad-genre-flag', message: ['u.item line 2, column 7 (Action): expected a genre flag 0 or 1, got "yes"'] },
  { input: 'no-given-split.csv', config: { split: 'given' }, message: ['no-given-split.csv: expected a given split (train/val/test files)'] },
  { input: 'temporal-no-time.csv', config: { split: 'temporal' }, message: ['temporal-no-time.csv: expected timestamps for the temporal split'] },
  { input: 'bad-split-ratio.csv', config: { ratio: [0, 1, 1] }, message: ['preprocessing options: expected ratio to be three numbers >= 0 with train > 0'] },
];

describe('bad-input corpus', () => {
  it('has a case for every fixture and at least 20 of them', () => {
    const entries = readdirSync(BAD).sort();
    expect(entries.length).toBeGreaterThanOrEqual(20);
    expect(BAD_CASES.map(c => c.input).sort()).toEqual(entries);
  });

  for (const c of BAD_CASES) {
    it(`${c.input} -> ${c.message[0]}`, async () => {
      let err: unknown;
      try {
        await loadDataFromPath(path.join(BAD, c.input), c.config ?? {});
      } catch (e) {
        err = e;
      }
      expect(err, 'must throw').toBeInstanceOf(DataError);
      const msg = (err as DataError).message;
      let from = 0;
      for (const frag of c.message) {
        const at = msg.indexOf(frag, from);
        expect(at, `message ${JSON.stringify(msg)} should contain ${JSON.stringify(frag)}`).toBeGreaterThanOrEqual(0);
        from = at + frag.length;
      }
      expect(msg).toMatch(/expected /);
    });
  }
});
