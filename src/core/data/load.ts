/**
 * The one entry point from files to a Dataset: expand archives, detect the
 * format, parse (streaming), preprocess, describe. Synchronous on purpose: it
 * runs in a Web Worker or the CLI, where blocking is fine, and progress is
 * reported through the callback as chunks are parsed.
 */
import { expandSources } from './archive';
import { detectSources, type Detection } from './detect';
import { parseDataset } from './formats/index';
import { bytesSource, type SourceFile } from './formats/source';
import { preprocess, preprocessConfig, type PreprocessConfig, type PreprocessReport } from './preprocess';
import { computeStats, type DatasetStats } from './stats';
import { validateDataset, type Dataset } from './types';

export interface LoadProgress {
  phase: 'parse' | 'preprocess' | 'done';
  /** 0..1 over the interaction files' bytes (parse), then 1. */
  fraction: number;
  rows: number;
  rowsPerSec: number;
  file?: string;
}

export interface LoadResult {
  dataset: Dataset;
  report: PreprocessReport;
  stats: DatasetStats;
  detection: Detection;
  timings: { parseMs: number; preprocessMs: number };
}

export function loadDataset(
  files: { name: string; bytes: Uint8Array }[],
  config: Partial<PreprocessConfig> = {},
  onProgress?: (p: LoadProgress) => void,
): LoadResult {
  return loadSources(files.map(f => bytesSource(f.name, f.bytes)), config, onProgress);
}

/** Same, over SourceFiles (files on disk in the CLI, Blobs in the worker). */
export function loadSources(sources: SourceFile[], config: Partial<PreprocessConfig> = {}, onProgress?: (p: LoadProgress) => void): LoadResult {
  const cfg = preprocessConfig(config);
  const files = expandSources(sources);
  const detection = detectSources(files, cfg.format);
  const mapping = { ...detection.mapping, ...cfg.mapping };
  const t0 = now();
  let lastReport = 0;
  const raw = parseDataset(detection, files, mapping, p => {
    const t = now();
    // ~10 messages a second is plenty for a progress bar and cheap to post.
    if (!onProgress || (t - lastReport < 100 && p.bytes < p.totalBytes)) return;
    lastReport = t;
    const secs = Math.max(1e-3, (t - t0) / 1000);
    onProgress({ phase: 'parse', fraction: p.totalBytes ? Math.min(0.99, p.bytes / p.totalBytes) : 0, rows: p.rows, rowsPerSec: p.rows / secs, file: p.file });
  });
  const t1 = now();
  const rows = raw.interactions.users.length;
  onProgress?.({ phase: 'preprocess', fraction: 0.99, rows, rowsPerSec: rows / Math.max(1e-3, (t1 - t0) / 1000) });
  const { dataset, report } = preprocess(raw, cfg);
  validateDataset(dataset);
  const stats = computeStats(dataset, report);
  const t2 = now();
  onProgress?.({ phase: 'done', fraction: 1, rows, rowsPerSec: rows / Math.max(1e-3, (t1 - t0) / 1000) });
  return { dataset, report, stats, detection, timings: { parseMs: t1 - t0, preprocessMs: t2 - t1 } };
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
