/**
 * The React side without a browser (Playwright is the lead's): the panel
 * renders on the server without touching the DOM, and the pure helpers behind
 * its forms behave.
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataPanel } from '../../src/ui/data/DataPanel';
import { DataStats } from '../../src/ui/data/DataStats';
import { PreviewTable } from '../../src/ui/data/PreviewTable';
import { MappingForm } from '../../src/ui/data/MappingForm';
import { binLabel, columnOptions, effectiveMapping, formatRate, mappingKind, rebaseMapping, valueToRef } from '../../src/ui/data/mapping';
import { detectFiles } from '../../src/core/data/detect';
import { loadDataset } from '../../src/core/data/load';
import { enc, fixtureFiles } from './fixtures';

describe('DataPanel (server render)', () => {
  it('renders the drop zone and the current dataset', () => {
    const current = loadDataset(fixtureFiles('ml-100k')).dataset;
    const html = renderToString(createElement(DataPanel, { onDataset: () => {}, current }));
    expect(html).toContain('data-testid="data-dropzone"');
    expect(html).toContain('webkitdirectory');
    expect(html).toContain('ml-100k');
  });

  it('escapes hostile text in previews and stats', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const d = detectFiles([{ name: 'x.csv', bytes: enc(`user,item,title\n1,2,"${hostile}"\n`) }]);
    const html = renderToString(createElement(PreviewTable, { preview: d.preview[0]! }));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
    const r = loadDataset([{ name: `${hostile}.csv`, bytes: enc('user,item\n1,2\n1,3\n2,2\n') }]);
    const stats = renderToString(createElement(DataStats, { stats: r.stats, report: r.report }));
    expect(stats).not.toContain('<img');
  });

  it('renders the mapping form for generic files with the guessed columns selected', () => {
    const d = detectFiles(fixtureFiles('generic'));
    const html = renderToString(createElement(MappingForm, { detection: d, mapping: d.mapping, disabled: false, onChange: () => {} }));
    expect(html).toContain('name="col-user"');
    expect(html).toMatch(/<option value="visitor" selected="">visitor<\/option>/);
    expect(html).toContain('products.csv');
  });
});

describe('form helpers', () => {
  it('only delimited and JSON formats take a mapping', () => {
    expect(mappingKind(detectFiles(fixtureFiles('generic')))).toBe('delimited');
    expect(mappingKind(detectFiles(fixtureFiles('amazon-2023')))).toBe('json');
    const ml = detectFiles(fixtureFiles('ml-100k'));
    expect(mappingKind(ml)).toBeNull();
    expect(effectiveMapping(ml, { interactions: { delimiter: ',', header: true, user: 0, item: 1 } })).toBeUndefined();
  });

  it('column values and refs, and switching the header flag', () => {
    const d = detectFiles(fixtureFiles('generic'));
    const p = d.preview[0]!;
    expect(columnOptions(p, true).map(o => o.value)).toEqual(['visitor', 'product', 'stars', 'when']);
    expect(columnOptions(p, false)[0]).toEqual({ value: '0', label: '1: u1' });
    expect(valueToRef('2', false)).toBe(2);
    expect(valueToRef('2', true)).toBe('2');
    expect(valueToRef('', true)).toBeUndefined();
    const m = d.mapping.interactions!;
    const off = rebaseMapping(m, p, false);
    expect(off).toMatchObject({ header: false, user: 0, item: 1, rating: 2, timestamp: 3 });
    expect(rebaseMapping(off, p, true)).toMatchObject({ header: true, user: 'visitor', item: 'product', rating: 'stars', timestamp: 'when' });
  });

  it('labels', () => {
    expect(binLabel({ from: 4, to: 7 })).toBe('4–7');
    expect(binLabel({ from: 1, to: 1 })).toBe('1');
    expect(formatRate(2_500_000)).toBe('2.50 M rows/s');
  });
});
