// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import type { Dataset } from '../../src/core/data/types';
import { EmbedPanel } from '../../src/ui/embed/EmbedPanel';

describe('EmbedPanel (server render, no DOM)', () => {
  it('renders hostile titles as text in the live preview', () => {
    const e = { users: new Int32Array(0), items: new Int32Array(0) };
    const dataset: Dataset = {
      name: 'x', numUsers: 1, numItems: 2,
      train: { users: Int32Array.from([0, 0]), items: Int32Array.from([0, 1]) }, val: e, test: e,
      itemText: [{ title: '<img src=x onerror=alert(1)>' }, { title: '<script>alert(2)</script>', categories: ['<b>bold</b>'] }],
    };
    const html = renderToString(createElement(EmbedPanel, { dataset, onEmbeddings: () => undefined }));
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('Compute');
  });
  it('renders without a dataset', () => {
    const html = renderToString(createElement(EmbedPanel, { dataset: null, onEmbeddings: () => undefined }));
    expect(html).toContain('Load a dataset first');
  });
});
