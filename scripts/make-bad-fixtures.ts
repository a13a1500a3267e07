/**
 * Writes the generated part of the bad-input corpus (see e2e/fixtures/bad/build.ts):
 *   npx tsx scripts/make-bad-fixtures.ts
 * tests/bad/corpus.test.ts fails when the committed files differ from what this writes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildFixtures } from '../e2e/fixtures/bad/build';

const root = resolve(import.meta.dirname, '..');
// Generated folders are rewritten whole, so a renamed case leaves no stale file behind.
for (const dir of ['e2e/fixtures/bad/embeddings', 'e2e/fixtures/bad/bundles']) rmSync(join(root, dir), { recursive: true, force: true });
const files = buildFixtures();
for (const [path, bytes] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), bytes);
}
console.log(`${files.size} files written: ${[...new Set([...files.keys()].map((p) => dirname(p)))].map((d) => `${d} (${readdirSync(join(root, d)).length})`).join(', ')}`);
