/**
 * The Content-Security-Policy (csp.config.ts) keeps its shape: e2e/network.spec.ts proves the app
 * works under it; this guards against loosening it by accident.
 */
import { describe, expect, it } from 'vitest';
import { CSP, CSP_HEADER, HUB_HOSTS } from '../csp.config';

const parse = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe('Content-Security-Policy', () => {
  it('allows scripts and workers from the app only, plus WebAssembly compilation', () => {
    const p = parse(CSP);
    expect(p.get('default-src')).toEqual(["'self'"]);
    expect(p.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(p.get('worker-src')).toEqual(["'self'"]);
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/'unsafe-eval'|blob:|data:|\*(?!\.)/);
    // 'unsafe-inline' only for style attributes (ECharts' tooltip HTML), never for scripts or <style>.
    expect([...p].filter(([, v]) => v.includes("'unsafe-inline'")).map(([k]) => k)).toEqual(['style-src-attr']);
  });

  it('connects only to the app and the Hugging Face hub over https', () => {
    const connect = parse(CSP).get('connect-src')!;
    expect(connect).toEqual(["'self'", ...HUB_HOSTS]);
    for (const h of HUB_HOSTS) expect(h).toMatch(/^https:\/\/(\*\.)?(huggingface\.co|hf\.co)$/);
  });

  it('the header is the meta policy plus frame-ancestors, which a meta tag cannot carry', () => {
    expect(CSP).not.toContain('frame-ancestors');
    expect(CSP_HEADER).toBe(`${CSP}; frame-ancestors 'none'`);
    // It goes into a double-quoted HTML attribute unescaped.
    expect(CSP).not.toMatch(/["<>&]/);
  });
});
