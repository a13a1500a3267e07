// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readNpy } from '../../src/core/io/npy';

const ROOT = resolve(__dirname, '../..');

describe('npm run embed (cli/embed.ts)', () => {
  it('writes items.npy and users.npy (float32, row = index) for the demo with a local model folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'embed-cli-'));
    try {
      const stdout = execFileSync(
        join(ROOT, 'node_modules/.bin/tsx'),
        ['cli/embed.ts', '--data', 'demo', '--demo-users', '60', '--demo-items', '40', '--demo-interactions', '900',
          '--model', 'tests/fixtures/models/tiny-bert', '--out', out, '--dtype', 'q8', '--batch', '16'],
        { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(summary.items).toEqual([40, 64]);
      expect(summary.users).toEqual([60, 64]);
      const items = readNpy(new Uint8Array(readFileSync(join(out, 'items.npy'))));
      const users = readNpy(new Uint8Array(readFileSync(join(out, 'users.npy'))));
      expect([items.rows, items.cols, items.descr]).toEqual([40, 64, '<f4']);
      expect([users.rows, users.cols]).toEqual([60, 64]);
      let s = 0;
      for (let k = 0; k < 64; k++) s += items.data[k]! ** 2;
      expect(Math.sqrt(s)).toBeCloseTo(1, 4);
      const meta = JSON.parse(readFileSync(join(out, 'embeddings.json'), 'utf8'));
      expect(meta).toMatchObject({ model: 'local:tiny-bert', dtype: 'q8', dim: 64, dataset: { users: 60, items: 40 } });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails with a one-line message on bad flags', () => {
    let err = '';
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['cli/embed.ts', '--data', 'demo', '--out', '/tmp/x', '--dtype', 'int3'], {
        cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      err = String((e as { stderr: string }).stderr);
    }
    expect(err).toMatch(/^error: --dtype must be one of fp32, fp16, q8, q4, q4f16, got "int3"\n$/);
  });
});
