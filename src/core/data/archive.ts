/**
 * .zip and .gz handling with fflate. Entries are exposed as lazy SourceFiles
 * that decompress while the parser reads, so ML-25M's 650 MB ratings.csv is
 * never held decompressed; only the (compressed) zip itself is in memory,
 * because fflate needs its central directory at the end.
 */
import { Gunzip, Unzip, UnzipInflate, unzipSync, type UnzipFileInfo } from 'fflate';
import { DataError } from './errors';
import { baseName, bytesSource, readAll, readHead, type SourceFile } from './formats/source';

export type ArchiveKind = 'zip' | 'gzip';

export function archiveKind(src: SourceFile): ArchiveKind | null {
  const h = readHead(src, 4);
  if (h[0] === 0x50 && h[1] === 0x4b && (h[2] === 3 || h[2] === 5) && (h[3] === 4 || h[3] === 6)) return 'zip';
  if (h[0] === 0x1f && h[1] === 0x8b) return 'gzip';
  return null;
}

/** macOS and editor droppings that are never data. */
export function isJunkPath(name: string): boolean {
  const b = baseName(name);
  return name.endsWith('/') || name.startsWith('__MACOSX/') || name.includes('/__MACOSX/') || b.startsWith('.') || b === 'Thumbs.db' || b === 'desktop.ini';
}

/** Replaces archives by their entries (recursively: a .gz inside a .zip works); other files pass through. */
export function expandSources(sources: SourceFile[], depth = 0): SourceFile[] {
  const out: SourceFile[] = [];
  for (const src of sources) {
    if (isJunkPath(src.name)) continue;
    const kind = src.size === 0 ? null : archiveKind(src);
    if (kind === 'zip') {
      if (depth > 2) throw new DataError({ file: src.name, expected: 'archives nested at most 3 deep', got: 'deeper nesting' });
      out.push(...expandSources(zipEntries(src), depth + 1));
    } else if (kind === 'gzip') {
      const g = gunzipSource(src);
      if (/\.tar$/i.test(g.name) || isTar(g)) {
        throw new DataError({ file: src.name, expected: 'a .zip archive or a single gzipped file', got: 'a .tar.gz archive', hint: 'unpack it and drop the folder, or zip it' });
      }
      out.push(...(archiveKind(g) === 'zip' ? expandSources([g], depth + 1) : [g]));
    } else out.push(src);
  }
  return out;
}

function isTar(src: SourceFile): boolean {
  const h = readHead(src, 262);
  return h.length >= 262 && String.fromCharCode(...h.subarray(257, 262)) === 'ustar';
}

function zipError(file: string, e: unknown): DataError {
  const why = e instanceof Error ? e.message : String(e);
  return new DataError({ file, expected: 'a complete, readable zip archive', got: `an unreadable one (${why})`, hint: 'is the download truncated?' });
}

/** The files of a zip (directories and junk left out), each decompressed on read. */
export function zipEntries(src: SourceFile): SourceFile[] {
  const zip = readAll(src);
  const infos: UnzipFileInfo[] = [];
  try {
    // The filter sees every entry from the central directory; returning false decompresses nothing.
    unzipSync(zip, {
      filter: f => {
        infos.push(f);
        return false;
      },
    });
  } catch (e) {
    throw zipError(src.name, e);
  }
  const files = infos.filter(f => !isJunkPath(f.name));
  if (files.length === 0) throw new DataError({ file: src.name, expected: 'at least one file in the zip archive', got: 'none' });
  for (const f of files) {
    if (f.compression !== 0 && f.compression !== 8) {
      throw new DataError({ file: `${src.name}/${f.name}`, expected: 'zip entries stored or deflated', got: `compression method ${f.compression}`, hint: 're-create the zip with standard settings' });
    }
  }
  return files.map(f => zipEntrySource(zip, f, src.name));
}

function zipEntrySource(zip: Uint8Array, info: UnzipFileInfo, zipName: string): SourceFile {
  return {
    name: info.name,
    size: info.originalSize,
    read(onChunk) {
      let done = false;
      // fflate catches exceptions thrown in ondata and hands them back as `err`,
      // so the consumer's own errors (DataError, readHead's stop) are kept aside and rethrown as they are.
      let consumerError: { e: unknown } | null = null;
      let failure: unknown = null;
      const uz = new Unzip();
      uz.register(UnzipInflate);
      uz.onfile = file => {
        if (file.name !== info.name || done) return;
        file.ondata = (err, data, final) => {
          if (consumerError) return;
          if (err) {
            failure ??= err;
            return;
          }
          if (data.length) {
            try {
              onChunk(data);
            } catch (e) {
              consumerError = { e };
              done = true;
              return;
            }
          }
          if (final) done = true;
        };
        file.start();
      };
      const step = 1 << 20;
      try {
        for (let o = 0; o < zip.length && !done && !failure; o += step) uz.push(zip.subarray(o, Math.min(zip.length, o + step)), o + step >= zip.length);
      } catch (e) {
        if (!consumerError) throw zipError(`${zipName}/${info.name}`, e);
      }
      if (consumerError) throw (consumerError as { e: unknown }).e;
      if (failure) throw zipError(`${zipName}/${info.name}`, failure);
      if (!done) throw zipError(`${zipName}/${info.name}`, new Error('the entry ends early'));
    },
  };
}

/** A .gz file as a stream of its decompressed content, named without ".gz". */
export function gunzipSource(src: SourceFile): SourceFile {
  const name = src.name.replace(/\.t?gz$/i, m => (m.toLowerCase() === '.tgz' ? '.tar' : '')) || src.name;
  // ISIZE (last 4 bytes) is the size mod 2^32: good enough for a progress estimate.
  let size = src.size * 4;
  if (src.readRange && src.size >= 18) {
    const t = src.readRange(src.size - 4, src.size);
    const isize = (t[0]! | (t[1]! << 8) | (t[2]! << 16) | (t[3]! << 24)) >>> 0;
    if (isize >= src.size / 2) size = isize;
  }
  return {
    name,
    size,
    read(onChunk) {
      let inCallback = false;
      const g = new Gunzip(data => {
        inCallback = true;
        onChunk(data);
        inCallback = false;
      });
      // Hold one chunk back so the last one is pushed with final=true: fflate only
      // notices a truncated stream on a final push that carries data.
      let pending: Uint8Array | null = null;
      try {
        src.read(chunk => {
          if (pending) g.push(pending, false);
          pending = chunk.slice();
        });
        g.push(pending ?? new Uint8Array(0), true);
      } catch (e) {
        if (inCallback || e instanceof DataError) throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw new DataError({ file: src.name, expected: 'complete gzip data', got: `an unreadable stream (${why})`, hint: 'is the download truncated?' });
      }
    },
  };
}

/** Convenience for tests and small inputs: an archive's entries as bytes. */
export function expandArchive(file: { name: string; bytes: Uint8Array }): { name: string; bytes: Uint8Array }[] {
  return expandSources([bytesSource(file.name, file.bytes)]).map(s => ({ name: s.name, bytes: readAll(s) }));
}
