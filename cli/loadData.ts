/**
 * Node side of data loading for the CLI: a path (file, folder or archive) to a
 * Dataset through the same core as the browser. Files are read from disk in
 * 4 MB chunks with readSync, so a 650 MB ratings.csv is never one string.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { DataError } from '../src/core/data/errors';
import { CHUNK_BYTES, type SourceFile } from '../src/core/data/formats/source';
import { loadSources, type LoadProgress, type LoadResult } from '../src/core/data/load';
import { preprocessConfig, type PreprocessConfig, type SplitKind } from '../src/core/data/preprocess';
import { FORMAT_IDS, type FormatId } from '../src/core/data/detect';
import type { Dataset } from '../src/core/data/types';

/** A file on disk as a SourceFile; the chunk buffer is reused (parsers copy what they keep). */
export function diskSource(path: string, name: string): SourceFile {
  const size = statSync(path).size;
  return {
    name,
    size,
    read(onChunk) {
      const fd = openSync(path, 'r');
      const buf = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(1, size)));
      try {
        for (let pos = 0; ; ) {
          const n = readSync(fd, buf, 0, buf.length, pos);
          if (n <= 0) break;
          pos += n;
          onChunk(buf.subarray(0, n));
        }
      } finally {
        closeSync(fd);
      }
    },
    readRange(start, end) {
      const s = Math.max(0, start), e = Math.min(size, end);
      const out = new Uint8Array(Math.max(0, e - s));
      if (out.length === 0) return out;
      const fd = openSync(path, 'r');
      try {
        let o = 0;
        while (o < out.length) {
          const n = readSync(fd, out, o, out.length - o, s + o);
          if (n <= 0) break;
          o += n;
        }
        return out.subarray(0, o);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Files under a folder (dotfiles skipped), named "<folder>/<relative path>" so the dataset takes the folder's name. */
export function folderSources(dir: string): SourceFile[] {
  const root = resolve(dir);
  const top = basename(root);
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(diskSource(p, `${top}/${relative(root, p).split('\\').join('/')}`));
    }
  };
  walk(root);
  return out;
}

export function pathSources(path: string): SourceFile[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new DataError({ file: path, expected: 'an existing file, folder or archive', got: 'nothing at that path' });
  }
  return st.isDirectory() ? folderSources(path) : [diskSource(path, basename(path))];
}

export async function loadDataFromPath(path: string, config: Partial<PreprocessConfig> = {}, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
  return loadSources(pathSources(path), config, onProgress);
}

/** The CLI's first stdout line. */
export function datasetSummaryLine(d: Dataset): string {
  return JSON.stringify({ dataset: { name: d.name, users: d.numUsers, items: d.numItems, train: d.train.users.length, val: d.val.users.length, test: d.test.users.length } });
}

function flag(args: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = args[name] ?? args[`--${name}`];
  return typeof v === 'string' ? v : undefined;
}

function bad(name: string, expected: string, got: string): DataError {
  return new DataError({ file: `--${name}`, expected, got: JSON.stringify(got) });
}

/**
 * CLI flags to a PreprocessConfig: --threshold N|none, --kcore K or U,I,
 * --sample-users 0.2 (or 20%), --split random|loo|temporal|given, --split-seed N,
 * plus --split-ratio 3,1,1, --format <id>, --dedup true|false. Keys may be given
 * with or without the leading "--" (node:util parseArgs values fit as they are);
 * other keys are ignored (they belong to the trainer).
 */
export function parsePreprocessFlags(args: Record<string, string | boolean | undefined>): PreprocessConfig {
  const c: Partial<PreprocessConfig> = {};
  const threshold = flag(args, 'threshold');
  if (threshold !== undefined) {
    if (threshold === 'none' || threshold === '') c.threshold = null;
    else if (Number.isFinite(Number(threshold))) c.threshold = Number(threshold);
    else throw bad('threshold', 'a number or "none"', threshold);
  }
  const kcore = flag(args, 'kcore');
  if (kcore !== undefined) {
    const parts = kcore.split(',').map(s => Number(s.trim()));
    if (parts.length < 1 || parts.length > 2 || parts.some(x => !Number.isInteger(x) || x < 0)) throw bad('kcore', 'an integer >= 0, or "users,items"', kcore);
    c.kcore = { user: parts[0]!, item: parts[1] ?? parts[0]! };
  }
  const sample = flag(args, 'sample-users');
  if (sample !== undefined) {
    const v = sample.endsWith('%') ? Number(sample.slice(0, -1)) / 100 : Number(sample);
    if (!(v > 0 && v <= 1)) throw bad('sample-users', 'a fraction in (0, 1] or a percentage', sample);
    c.sampleUsers = v;
  }
  const split = flag(args, 'split');
  if (split !== undefined) {
    if (!['random', 'loo', 'temporal', 'given'].includes(split)) throw bad('split', 'random, loo, temporal or given', split);
    c.split = split as SplitKind;
  }
  const seed = flag(args, 'split-seed');
  if (seed !== undefined) {
    if (!Number.isInteger(Number(seed))) throw bad('split-seed', 'an integer', seed);
    c.seed = Number(seed);
  }
  const ratio = flag(args, 'split-ratio');
  if (ratio !== undefined) {
    const r = ratio.split(/[,:]/).map(Number);
    if (r.length !== 3 || r.some(x => !Number.isFinite(x) || x < 0)) throw bad('split-ratio', 'three numbers like 3,1,1', ratio);
    c.ratio = r as [number, number, number];
  }
  const format = flag(args, 'format');
  if (format !== undefined) {
    if (format !== 'auto' && !FORMAT_IDS.includes(format as FormatId)) throw bad('format', `auto or one of ${FORMAT_IDS.join(', ')}`, format);
    c.format = format as FormatId | 'auto';
  }
  const dedup = flag(args, 'dedup');
  if (dedup !== undefined) {
    if (dedup !== 'true' && dedup !== 'false') throw bad('dedup', 'true or false', dedup);
    c.dedup = dedup === 'true';
  }
  return preprocessConfig(c);
}
