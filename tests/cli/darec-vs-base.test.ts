import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm run train` (as tsx cli/train.ts) and returns its stdout JSON lines. */
function train(args: string[]): Record<string, unknown>[] {
  const out = execFileSync('npx', ['tsx', 'cli/train.ts', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  return out.trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
}

// A sparse demo (about 5 training interactions per user): the regime where the
// planted topic signal in the item text has most to add to collaborative filtering.
const DATA = ['--demo-users', '1000', '--demo-items', '800', '--demo-interactions', '8000', '--batch', '512', '--lr', '0.005', '--epochs', '80', '--seed', '1', '--backend', 'wasm'];

describe('CLI: DaRec with text embeddings vs base LightGCN on the demo', () => {
  it('DaRec beats base LightGCN on test Recall@20 (seeded) and streams its loss terms by name', () => {
    const base = train([...DATA, '--align', 'none']);
    const darec = train([...DATA, '--align', 'darec', '--embeddings', 'tfidf']);
    for (const lines of [base, darec]) expect(lines[0]).toHaveProperty('dataset');
    const epoch = darec.find(l => 'loss' in l) as { loss: Record<string, number> };
    expect(Object.keys(epoch.loss).sort()).toEqual(['bpr', 'glo', 'loc', 'orth', 'reg', 'uni']);
    const r20 = (lines: Record<string, unknown>[]) => (lines.at(-1) as { test: Record<string, number> }).test['recall@20']!;
    expect(r20(darec)).toBeGreaterThan(r20(base));
  }, 600_000);

  it('rejects an unknown alignment with a one-line message and exit code 1', () => {
    let err: { status?: number; stderr?: string } = {};
    try {
      execFileSync('npx', ['tsx', 'cli/train.ts', '--align', 'bogus'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.status).toBe(1);
    expect(err.stderr!.trim().split('\n')).toEqual(['error: --align expects one of none, rlmrec-con, rlmrec-gen, darec, got "bogus"']);
  }, 60_000);
});
