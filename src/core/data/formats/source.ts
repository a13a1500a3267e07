/**
 * A file to parse, independent of where its bytes live (memory, disk, a zip
 * entry, a gzip stream, a Blob in a worker). Reading is synchronous and pushes
 * chunks in order: a Web Worker can block, Node reads with readSync, and a sync
 * pipeline keeps parsers simple and testable. Chunks bound memory: a 650 MB
 * ratings.csv never has to exist as one string.
 */

export interface SourceFile {
  /** Path inside what the user dropped, '/'-separated ("ml-25m/ratings.csv"). */
  readonly name: string;
  /** Bytes read() will deliver; an estimate for compressed sources (used for progress only). */
  readonly size: number;
  /** Pushes the content in order, in chunks of at most a few MB. */
  read(onChunk: (chunk: Uint8Array) => void): void;
  /** Random access over exactly the bytes read() delivers; only where they are at hand (memory, disk), never on decompressing sources. */
  readRange?(start: number, end: number): Uint8Array;
}

export const CHUNK_BYTES = 1 << 22;

export function bytesSource(name: string, bytes: Uint8Array, chunkBytes = CHUNK_BYTES): SourceFile {
  return {
    name,
    size: bytes.length,
    read(onChunk) {
      for (let o = 0; o < bytes.length; o += chunkBytes) onChunk(bytes.subarray(o, Math.min(bytes.length, o + chunkBytes)));
    },
    readRange(start, end) {
      return bytes.subarray(Math.max(0, start), Math.min(bytes.length, end));
    },
  };
}

/** Thrown through read() to stop early; never escapes readHead. */
class StopReading {}

/** The first maxBytes of a source (fewer if it is shorter); stops decompression early. */
export function readHead(src: SourceFile, maxBytes: number): Uint8Array {
  if (src.readRange) return src.readRange(0, maxBytes).slice();
  const parts: Uint8Array[] = [];
  let have = 0;
  try {
    src.read(chunk => {
      const take = Math.min(chunk.length, maxBytes - have);
      parts.push(chunk.slice(0, take));
      have += take;
      if (have >= maxBytes) throw new StopReading();
    });
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  }
  return concatBytes(parts, have);
}

/** The whole content as one array (small files, zip archives that fflate must see whole). */
export function readAll(src: SourceFile): Uint8Array {
  if (src.readRange) {
    const b = src.readRange(0, src.size);
    if (b.length === src.size) return b;
  }
  const parts: Uint8Array[] = [];
  let have = 0;
  src.read(chunk => {
    parts.push(chunk.slice());
    have += chunk.length;
  });
  return concatBytes(parts, have);
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0]!.length === total) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Last path segment, lower-cased for matching file roles. */
export function baseName(name: string): string {
  const i = name.lastIndexOf('/');
  return i === -1 ? name : name.slice(i + 1);
}

export function dirName(name: string): string {
  const i = name.lastIndexOf('/');
  return i === -1 ? '' : name.slice(0, i);
}
