/**
 * Shareable link for a run config (never the data): `#config=1.<base64url(deflate(JSON))>`.
 *
 * Why the whole config rather than a diff against `defaultConfig()`: a diff silently changes meaning
 * when a later version changes a default, while the full config recreates the run that was shared.
 * Deflate keeps it short (a default config is ~330 URL characters). The `1.` prefix is the link
 * format version, so a link from a newer app fails with a message instead of being misread.
 *
 * Decoding overlays the link on `defaultConfig()` (`normalizeConfig`), so a link made before a
 * setting existed gets that setting's default, unknown settings are dropped, a wrongly typed value
 * is an error naming its path, and the result passes `validateConfig`. Bundles reuse the same
 * function for their config.json.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { DEMO_DEFAULT, defaultConfig, validateConfig, type RunConfig } from './config';

export const CONFIG_LINK_VERSION = 1;
export const CONFIG_HASH_KEY = 'config';
/** Far above any real config (~1 KB of JSON); bounds what a hostile link can make us inflate. */
const MAX_TOKEN_CHARS = 16_384;
const MAX_JSON_BYTES = 1 << 20;

export class ConfigLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigLinkError';
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i] as const));

/** RFC 4648 §5, no padding (URL fragments need no escaping with this alphabet). */
export function base64urlEncode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    if (b !== undefined) s += B64[(n >> 6) & 63]!;
    if (c !== undefined) s += B64[n & 63]!;
  }
  return s;
}

export function base64urlDecode(s: string): Uint8Array {
  if (s.length % 4 === 1) throw new Error('bad base64url length');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    const chunk = s.slice(i, i + 4);
    for (let j = 0; j < 4; j++) {
      const ch = chunk[j];
      const v = ch === undefined ? 0 : B64_INDEX.get(ch);
      if (v === undefined) throw new Error(`character ${JSON.stringify(ch)} is not base64url`);
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (chunk.length > 2) out[o++] = (n >> 8) & 255;
    if (chunk.length > 3) out[o++] = n & 255;
  }
  return out.subarray(0, o);
}

export interface NormalizedConfig {
  config: RunConfig;
  /** Paths present in the input that this version does not know (dropped). */
  ignored: string[];
  /** Paths missing from the input, filled from `defaultConfig()` (the input came from an older version). */
  defaulted: string[];
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Subtrees taken whole from the input: open-ended option records with no fixed key set. */
const OPAQUE = new Set(['align.options']);

/**
 * Overlays `raw` on `defaultConfig()`: known keys only, types checked against the defaults, then
 * `validateConfig`. Throws one Error listing every problem, each prefixed with `where`.
 */
export function normalizeConfig(raw: unknown, where = 'config'): NormalizedConfig {
  const ignored: string[] = [];
  const defaulted: string[] = [];
  const errors: string[] = [];
  if (!isPlainObject(raw)) throw new Error(`${where}: expected a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);

  const merge = (def: Record<string, unknown>, src: Record<string, unknown>, path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(def)) {
      const p = path ? `${path}.${key}` : key;
      const d = def[key];
      if (!Object.prototype.hasOwnProperty.call(src, key)) {
        defaulted.push(p);
        out[key] = d;
        continue;
      }
      const v = src[key];
      if (p === 'data') out[key] = dataRef(v, errors);
      else if (OPAQUE.has(p)) {
        if (isPlainObject(v)) out[key] = structuredClone(v);
        else errors.push(`${p} must be an object`);
      } else if (isPlainObject(d)) {
        if (isPlainObject(v)) out[key] = merge(d, v, p);
        else { errors.push(`${p} must be an object`); out[key] = d; }
      } else if (typeof v !== typeof d || v === null) {
        errors.push(`${p} must be a ${typeof d} (got ${JSON.stringify(v)})`);
        out[key] = d;
      } else out[key] = v;
    }
    for (const key of Object.keys(src)) if (!Object.prototype.hasOwnProperty.call(def, key)) ignored.push(path ? `${path}.${key}` : key);
    return out;
  };

  const config = merge(defaultConfig() as unknown as Record<string, unknown>, raw, '') as unknown as RunConfig;
  if (errors.length === 0) errors.push(...validateConfig(config));
  if (errors.length > 0) throw new Error(`${where}: ${errors.join('; ')}`);
  return { config, ignored, defaulted };
}

function dataRef(v: unknown, errors: string[]): RunConfig['data'] {
  if (!isPlainObject(v)) {
    errors.push('data must be an object');
    return { ...DEMO_DEFAULT };
  }
  if (v.kind === 'file') {
    if (typeof v.name !== 'string') errors.push('data.name must be a string');
    return { kind: 'file', name: String(v.name) };
  }
  if (v.kind === 'demo') {
    const out = { ...DEMO_DEFAULT };
    for (const k of ['users', 'items', 'interactions', 'seed'] as const) {
      if (v[k] === undefined) continue;
      if (typeof v[k] !== 'number') errors.push(`data.${k} must be a number (got ${JSON.stringify(v[k])})`);
      else out[k] = v[k];
    }
    return out;
  }
  errors.push(`data.kind must be "demo" or "file" (got ${JSON.stringify(v.kind)})`);
  return { ...DEMO_DEFAULT };
}

/** `1.<base64url>`: the value of the `config` hash parameter. */
export function encodeConfigToken(c: RunConfig): string {
  return `${CONFIG_LINK_VERSION}.${base64urlEncode(deflateSync(strToU8(JSON.stringify(c)), { level: 9 }))}`;
}

export function decodeConfigToken(token: string): NormalizedConfig {
  const t = token.trim();
  if (t.length > MAX_TOKEN_CHARS) throw new ConfigLinkError(`The config link is too long (${t.length} characters); it was probably pasted twice or garbled.`);
  const m = /^(\d+)\.(.*)$/s.exec(t);
  if (!m) throw new ConfigLinkError('The config link is garbled: it does not start with a format version ("1.").');
  const version = Number(m[1]);
  if (version > CONFIG_LINK_VERSION) {
    throw new ConfigLinkError(`The config link was made by a newer version of the app (link format ${version}; this one reads ${CONFIG_LINK_VERSION}). Update the app to open it.`);
  }
  if (version !== CONFIG_LINK_VERSION) throw new ConfigLinkError(`The config link has unknown format ${version}.`);
  let json: string;
  try {
    const inflated = inflateSync(base64urlDecode(m[2]!));
    if (inflated.length > MAX_JSON_BYTES) throw new Error('too large');
    json = strFromU8(inflated);
  } catch (e) {
    throw new ConfigLinkError(`The config link is garbled or cut off (${(e as Error).message}); copy the whole link again.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigLinkError('The config link is garbled or cut off (its content is not JSON); copy the whole link again.');
  }
  try {
    return normalizeConfig(raw, 'The config link');
  } catch (e) {
    throw new ConfigLinkError((e as Error).message);
  }
}

/** `#config=1.…` for `location.hash`. */
export function configToHash(c: RunConfig): string {
  return `#${CONFIG_HASH_KEY}=${encodeConfigToken(c)}`;
}

/** `base` with its hash replaced by the config hash. */
export function configShareUrl(base: string, c: RunConfig): string {
  const i = base.indexOf('#');
  return (i < 0 ? base : base.slice(0, i)) + configToHash(c);
}

/**
 * Reads `location.hash` (with or without '#', other `&`-separated parameters allowed).
 * null when there is no `config` parameter; throws ConfigLinkError when there is one and it is bad.
 */
export function configFromHash(hash: string): NormalizedConfig | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq) !== CONFIG_HASH_KEY) continue;
    let token = part.slice(eq + 1);
    // Some chat apps percent-encode a pasted fragment; base64url itself never needs it.
    try {
      token = decodeURIComponent(token);
    } catch {
      /* keep the raw text; decoding reports it */
    }
    return decodeConfigToken(token);
  }
  return null;
}
