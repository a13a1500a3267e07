import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import {
  base64urlDecode,
  base64urlEncode,
  ConfigLinkError,
  configFromHash,
  configShareUrl,
  configToHash,
  decodeConfigToken,
  encodeConfigToken,
  normalizeConfig,
} from '../../src/core/config-url';
import { deflateSync, strToU8 } from 'fflate';

function tokenOf(json: string, version = 1): string {
  return `${version}.${base64urlEncode(deflateSync(strToU8(json)))}`;
}

function linkError(hash: string): string {
  try {
    configFromHash(hash);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigLinkError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigLinkError');
}

describe('shareable config URL', () => {
  it('round-trips the default and a changed config', () => {
    const d = defaultConfig();
    expect(configFromHash(configToHash(d))!.config).toEqual(d);
    const c = defaultConfig();
    c.model.backbone = 'simgcl';
    c.model.ssl = { weight: 0.1, temperature: 0.15, eps: 0.2 };
    c.align = { method: 'darec', options: { darec: { weights: { loc: 0.1 }, local: { clusters: 12 } }, ablation: 'no-local' } };
    c.data = { kind: 'file', name: 'amazon-book.zip' };
    c.train.lr = 0.0005;
    const back = configFromHash(configToHash(c))!;
    expect(back.config).toEqual(c);
    expect(back.ignored).toEqual([]);
    expect(back.defaulted).toEqual([]);
  });

  it('is compact, URL-safe, and sits in the hash of the page URL', () => {
    const hash = configToHash(defaultConfig());
    expect(hash).toMatch(/^#config=1\.[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(450);
    const url = configShareUrl('https://example.org/app/?x=1#old', defaultConfig());
    expect(url.startsWith('https://example.org/app/?x=1#config=1.')).toBe(true);
    expect(configFromHash(new URL(url).hash)!.config).toEqual(defaultConfig());
  });

  it('finds the parameter among others and survives percent-encoding', () => {
    const token = encodeConfigToken(defaultConfig());
    expect(configFromHash(`#tab=charts&config=${token}&x`)!.config).toEqual(defaultConfig());
    expect(configFromHash(`config=${encodeURIComponent(token)}`)!.config).toEqual(defaultConfig());
    expect(configFromHash('#tab=charts')).toBeNull();
    expect(configFromHash('')).toBeNull();
  });

  it('base64url round-trips every length', () => {
    for (let n = 0; n < 20; n++) {
      const b = Uint8Array.from({ length: n }, (_, k) => (k * 37 + n) & 255);
      expect(base64urlDecode(base64urlEncode(b))).toEqual(b);
    }
    expect(base64urlEncode(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('rejects a garbled or truncated link with a clear message', () => {
    const token = encodeConfigToken(defaultConfig());
    expect(linkError(`#config=${token.slice(0, 40)}`)).toMatch(/garbled or cut off/);
    expect(linkError('#config=1.!!!notbase64')).toMatch(/garbled or cut off \(character "!" is not base64url\)/);
    expect(linkError('#config=hello')).toMatch(/does not start with a format version/);
    expect(linkError(`#config=${tokenOf('not json')}`)).toMatch(/not JSON/);
    expect(linkError(`#config=${tokenOf('[1,2]')}`)).toMatch(/expected a JSON object, got an array/);
    expect(linkError(`#config=1.${'A'.repeat(20000)}`)).toMatch(/too long/);
  });

  it('rejects a link from a future version', () => {
    expect(linkError(`#config=${tokenOf('{}', 2)}`)).toMatch(/made by a newer version of the app \(link format 2; this one reads 1\)/);
    expect(linkError(`#config=${tokenOf('{}', 0)}`)).toMatch(/unknown format 0/);
  });

  it('validates values and names the path of a wrongly typed one', () => {
    const bad = defaultConfig() as unknown as Record<string, any>;
    bad.model.layers = 99;
    expect(linkError(`#config=${tokenOf(JSON.stringify(bad))}`)).toMatch(/GCN layers must be between 0 and 8 \(got 99\)/);
    bad.model.layers = '3';
    expect(linkError(`#config=${tokenOf(JSON.stringify(bad))}`)).toMatch(/model\.layers must be a number \(got "3"\)/);
    bad.model.layers = 3;
    bad.data = { kind: 'url' };
    expect(linkError(`#config=${tokenOf(JSON.stringify(bad))}`)).toMatch(/data\.kind must be "demo" or "file"/);
  });

  it('fills settings an older link lacks from the defaults and drops unknown ones', () => {
    const old = defaultConfig() as unknown as Record<string, any>;
    delete old.train.evalBatch;
    delete old.model.ssl;
    old.model.futureKnob = 5;
    const r = decodeConfigToken(tokenOf(JSON.stringify(old)));
    expect(r.config).toEqual(defaultConfig());
    expect(r.defaulted.sort()).toEqual(['model.ssl', 'train.evalBatch']);
    expect(r.ignored).toEqual(['model.futureKnob']);
  });

  it('normalizeConfig keeps align.options whole and copies it', () => {
    const c = defaultConfig();
    c.align = { method: 'rlmrec-con', options: { rlmrecCon: { weight: 0.02 } } };
    const r = normalizeConfig(JSON.parse(JSON.stringify(c)));
    expect(r.config).toEqual(c);
    expect(() => normalizeConfig(null, 'x')).toThrow(/^x: expected a JSON object, got null/);
  });
});
