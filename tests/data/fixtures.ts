/** Reading the test fixtures as the browser would get them: {name, bytes} with folder-relative names. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../fixtures/data');

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** Every file under fixtures/<dir>, named "<dir>/<relative path>" like a dropped folder. */
export function fixtureFiles(dir: string): NamedBytes[] {
  const root = path.join(FIXTURES, dir);
  const out: NamedBytes[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ name: `${dir}/${path.relative(root, p).split(path.sep).join('/')}`, bytes: new Uint8Array(readFileSync(p)) });
    }
  };
  walk(root);
  return out;
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, file)));
}

export const enc = (s: string) => new TextEncoder().encode(s);

/** Sorted "user item" pairs by original id over all splits: a dataset's content independent of indexing. */
export function originalPairs(d: { train: { users: Int32Array; items: Int32Array }; val: { users: Int32Array; items: Int32Array }; test: { users: Int32Array; items: Int32Array }; userIds?: string[]; itemIds?: string[] }): string[] {
  const out: string[] = [];
  for (const x of [d.train, d.val, d.test]) for (let k = 0; k < x.users.length; k++) out.push(`${d.userIds![x.users[k]!]} ${d.itemIds![x.items[k]!]}`);
  return out.sort();
}

/** Splits bytes into chunks of the given size (to prove parsing does not depend on chunk boundaries). */
export function chunks(b: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < b.length; o += size) out.push(b.slice(o, o + size));
  return out;
}
