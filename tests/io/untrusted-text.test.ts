/**
 * Issue #8: untrusted text (titles, genres, ids, dataset names) in every file and string the app
 * builds from it: tooltip HTML, the Projector and RecBole TSVs, the RecBole YAML, the bundle
 * README, CSV / Markdown exports, error messages. Uses the hostile MovieLens fixture that
 * e2e/hostile-text.spec.ts loads through the page.
 */
import { strFromU8, unzipSync } from 'fflate';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { quoteValue } from '../../src/core/data/errors';
import { loadDataset } from '../../src/core/data/load';
import { buildBundle, bundleDatasetInfo } from '../../src/core/io/bundle';
import { csvField, historyToCsv, parseCsvRows, parseHistoryCsv, spreadsheetSafe } from '../../src/core/io/history';
import { oneLine } from '../../src/core/io/oneLine';
import { projectorBlocksFor, projectorTsv } from '../../src/core/io/projector';
import { exportRecbole } from '../../src/core/io/recbole';
import type { SpacesSnapshot } from '../../src/core/viz/types';
import { toCsv, toMarkdown } from '../../src/ui/CompareCard';
import { clipText, escapeHtml, MAX_LABEL_CHARS, tooltipHtml } from '../../src/ui/inspect/escape';
import { NeighbourList } from '../../src/ui/inspect/NeighbourList';
import { hostileMovieLens, ITEMS, PAYLOADS, USERS } from '../fixtures/hostile';
import { makeContents, makeDataset, randomMatrix } from './fixtures';

const enc = (s: string) => new TextEncoder().encode(s);

function hostileDataset() {
  const f = hostileMovieLens();
  const { dataset } = loadDataset([{ name: 'ratings.csv', bytes: enc(f.ratings) }, { name: 'movies.csv', bytes: enc(f.movies) }]);
  return { ds: dataset, titles: f.titles };
}

describe('the hostile fixture', () => {
  it('parses to the titles as written: quoted tabs, line breaks and markup kept', () => {
    const { ds, titles } = hostileDataset();
    expect([ds.numUsers, ds.numItems]).toEqual([USERS, ITEMS]);
    ds.itemText!.forEach((t, k) => expect(t.title).toBe(titles.get(ds.itemIds![k]!)));
    for (const p of PAYLOADS) expect(ds.itemText!.some((t) => t.title.startsWith(p))).toBe(true);
  });
});

describe('tooltip HTML', () => {
  it('escapes & < > " \' in every line, the <br/> between lines being the only markup', () => {
    for (const p of PAYLOADS) {
      const html = tooltipHtml([p, 'genre <b>x</b>']);
      expect(html.replace('<br/>', '')).not.toMatch(/[<>"']/);
      // What the browser shows is the text itself.
      const shown = html.split('<br/>')[0]!.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
      expect(shown).toBe(clipText(p));
    }
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('clips long labels by code points, never splitting a surrogate pair', () => {
    expect(clipText('short')).toBe('short');
    const long = 'x'.repeat(10_000);
    expect(clipText(long)).toHaveLength(MAX_LABEL_CHARS);
    expect(clipText(long).endsWith('…')).toBe(true);
    const emoji = '😀'.repeat(300); // 600 UTF-16 units
    const c = clipText(emoji);
    expect(Array.from(c)).toHaveLength(MAX_LABEL_CHARS);
    expect(c).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(clipText('😀'.repeat(150))).toBe('😀'.repeat(150)); // 300 units but 150 characters: not cut
    expect(tooltipHtml([long]).length).toBeLessThan(MAX_LABEL_CHARS * 2);
  });
});

describe('neighbour list', () => {
  it('renders hostile titles as text, isolated with <bdi>, long ones cut with the whole in title=', () => {
    const n = 4;
    const titles = ['\u202Eexe.txt', '<img src=x onerror=alert(1)>', 'y'.repeat(5000), 'plain'];
    const pts = { n, dim: 2, data: Float32Array.from([1, 0, 0.9, 0.1, 0.8, 0.2, 0, 1]) };
    const s = { epoch: 3, side: 'items', cf: pts, llm: pts, labels: { titles } } as unknown as SpacesSnapshot;
    const html = renderToString(createElement(NeighbourList, { snapshot: s, node: 0 }));
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<bdi>\u202Eexe.txt</bdi>');
    expect(html).toContain(`>${'y'.repeat(MAX_LABEL_CHARS - 1)}…<`);
    expect(html).toContain(`title="${'y'.repeat(5000)}"`);
  });
});

describe('Projector TSV', () => {
  it('one metadata row per user and item, with the same columns, whatever the titles hold', () => {
    const { ds, titles } = hostileDataset();
    const users = { rows: ds.numUsers, cols: 3, data: randomMatrix(ds.numUsers, 3, 1) };
    const items = { rows: ds.numItems, cols: 3, data: randomMatrix(ds.numItems, 3, 2) };
    const { metadata, vectors } = projectorTsv(projectorBlocksFor(ds, { users, items }));
    const rows = metadata.split('\n');
    expect(rows.pop()).toBe('');
    expect(rows).toHaveLength(1 + USERS + ITEMS);
    expect(rows[0]).toBe('id\ttitle\tcategory\tside');
    for (const r of rows) expect(r.split('\t')).toHaveLength(4);
    expect(vectors.trimEnd().split('\n')).toHaveLength(USERS + ITEMS);
    // Item rows: raw id and title (tabs / line breaks as spaces, everything else as is).
    const itemRows = rows.slice(1 + USERS).map((r) => r.split('\t'));
    itemRows.forEach(([id, title], k) => {
      expect(id).toBe(ds.itemIds![k]);
      expect(title).toBe(titles.get(ds.itemIds![k]!)!.replace(/[\t\r\n]+/g, ' '));
    });
    expect(itemRows.some(([, t]) => t === '<script>window.__pwned=2</script> (#2)')).toBe(true);
  });
});

describe('RecBole export', () => {
  it('one .item row per item; a dataset name with line breaks cannot add YAML keys', () => {
    const { ds } = hostileDataset();
    const { files, name } = exportRecbole({ ...ds, name: 'evil\ndata_path: /etc\r\nbenchmark_filename: [x]\u2028y' });
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    const itemRows = files[`${name}/${name}.item`]!.trimEnd().split('\n');
    expect(itemRows).toHaveLength(1 + ITEMS);
    for (const r of itemRows) expect(r.split('\t')).toHaveLength(3);
    const yaml = files[`${name}.yaml`]!.split('\n');
    expect(yaml.filter((l) => l.startsWith('data_path:'))).toEqual(['data_path: ./']);
    expect(yaml.filter((l) => l.startsWith('benchmark_filename:'))).toEqual(['benchmark_filename: [train, valid, test]']);
    expect(yaml[0]).toContain('evil data_path: /etc benchmark_filename: [x] y');
  });
});

describe('bundle README', () => {
  it('keeps the dataset name on its one line', () => {
    const ds = makeDataset({ ids: true, name: 'name\nFiles\r\n-----\u2028forged' });
    const c = { ...makeContents(ds), dataset: bundleDatasetInfo(ds) };
    const readme = strFromU8(unzipSync(buildBundle(c, { created: '2024-01-01T00:00:00.000Z' }))['README.txt']!);
    expect(readme).toContain('Dataset "name Files ----- forged": ');
    expect(readme.split('\n').filter((l) => l === 'Files')).toHaveLength(1);
    expect(oneLine('a\u0000b\u0085c\td')).toBe('a b c d');
  });
});

describe('CSV and Markdown exports', () => {
  it('formula-like text cells get a leading quote; numbers (negative too) stay as they are', () => {
    for (const f of ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", '-2+3+cmd|x', '\t=1', '\r=1']) expect(spreadsheetSafe(f)).toBe(`'${f}`);
    for (const n of ['-0.5', '+1', '-Infinity', '1e-6', 'NaN', 'plain', '']) expect(spreadsheetSafe(n)).toBe(n);
    expect(csvField('=1+1, "x"')).toBe(`"'=1+1, ""x"""`);
    // History CSV: negative values and NaN read back exactly.
    const h = [{ epoch: 1, loss: { bpr: -0.25, reg: Number.NaN } }, { epoch: 2, loss: { bpr: -1e-9, reg: 0 }, val: { 'recall@20': 0.1 } }];
    expect(parseHistoryCsv(historyToCsv(h))).toEqual(h);
  });

  it('comparison CSV and Markdown keep one row per run whatever a name holds', () => {
    const rows = [['=HYPERLINK("http://x")\n<img src=x onerror=alert(1)>|x', '0.1000', '0.2000', '0.3000', '0.1000', '0.2000', '0.3000', '3', '6', '120']];
    const csv = parseCsvRows(toCsv(rows));
    expect(csv).toHaveLength(2);
    expect(csv[1]![0]).toBe(`'${rows[0]![0]}`);
    expect(csv[1]!.slice(1)).toEqual(rows[0]!.slice(1));
    const md = toMarkdown(rows).trimEnd().split('\n');
    expect(md).toHaveLength(3);
    expect(md[2]).toContain('=HYPERLINK("http://x") \\<img src=x onerror=alert(1)\\>\\|x');
    expect(md[2]!.replace(/\\[|<>\\]/g, '')).not.toMatch(/[<>]/);
  });
});

describe('error messages quoting file content', () => {
  it('escape bidi controls and invisible characters, and cut by code points', () => {
    expect(quoteValue('\u202Efdp.exe')).toBe('"\\u202efdp.exe"');
    expect(quoteValue('a\u200Bb\uFEFF')).toBe('"a\\u200bb\\ufeff"');
    expect(quoteValue('<b>x</b>')).toBe('"<b>x</b>"'); // shown as React text
    expect(quoteValue('😀'.repeat(50))).toBe(JSON.stringify('😀'.repeat(40) + '…'));
    // Values cut at max code points plus '…' (labels keep max - 1): exactly max stays, max + 1 is cut.
    expect(quoteValue('a'.repeat(40))).toBe(JSON.stringify('a'.repeat(40)));
    expect(quoteValue('a'.repeat(41))).toBe(JSON.stringify('a'.repeat(40) + '…'));
    expect(quoteValue('😀'.repeat(21), 20)).toBe(JSON.stringify('😀'.repeat(20) + '…'));
    expect(clipText('a'.repeat(MAX_LABEL_CHARS + 1))).toBe('a'.repeat(MAX_LABEL_CHARS - 1) + '…');
    expect(clipText('a'.repeat(MAX_LABEL_CHARS))).toBe('a'.repeat(MAX_LABEL_CHARS));
  });
});
