import { describe, expect, it } from 'vitest';
import { historyColumns, historyToCsv, parseCsvRows, parseHistoryCsv, type HistoryEntry } from '../../src/core/io/history';

describe('history CSV', () => {
  const h: HistoryEntry[] = [
    { epoch: 1, loss: { bpr: 0.6931471805599453, reg: 1e-7 } },
    { epoch: 2, loss: { bpr: 0.5, reg: 2e-7, 'a,b "q"': 3 } },
    { epoch: 3, loss: { bpr: 0.4 }, val: { 'recall@20': 0.123456789, 'ndcg@20': NaN, bpr: Infinity } },
  ];

  it('has epoch, every loss term and every metric as columns (first-seen order), empty where unmeasured', () => {
    expect(historyColumns(h)).toEqual(['loss.bpr', 'loss.reg', 'loss.a,b "q"', 'val.recall@20', 'val.ndcg@20', 'val.bpr']);
    const lines = historyToCsv(h).trimEnd().split('\n');
    expect(lines[0]).toBe('epoch,loss.bpr,loss.reg,"loss.a,b ""q""",val.recall@20,val.ndcg@20,val.bpr');
    expect(lines[1]).toBe('1,0.6931471805599453,1e-7,,,,');
    expect(lines[3]).toBe('3,0.4,,,0.123456789,NaN,Infinity');
  });

  it('round-trips exactly (a loss and a metric may share a name)', () => {
    expect(parseHistoryCsv(historyToCsv(h))).toEqual(h);
    expect(parseHistoryCsv(historyToCsv([]))).toEqual([]);
  });

  it('reads CRLF and a BOM (a file saved by a spreadsheet)', () => {
    const text = '\ufeff' + historyToCsv(h).replace(/\n/g, '\r\n');
    expect(parseHistoryCsv(text)).toEqual(h);
  });

  it('parses quoted fields with newlines', () => {
    expect(parseCsvRows('a,"b\nc",d\n1,2,3')).toEqual([['a', 'b\nc', 'd'], ['1', '2', '3']]);
  });

  it('rejects malformed files by row and column', () => {
    expect(() => parseHistoryCsv('step,loss.bpr\n1,2\n')).toThrow(/first column must be "epoch"/);
    expect(() => parseHistoryCsv('epoch,bpr\n1,2\n')).toThrow(/column "bpr" is neither/);
    expect(() => parseHistoryCsv('epoch,loss.bpr\n1,2,3\n')).toThrow(/row 2 has 3 cells, the header 2/);
    expect(() => parseHistoryCsv('epoch,loss.bpr\n1,abc\n')).toThrow(/row 2, column loss\.bpr: "abc" is not a number/);
    expect(() => parseHistoryCsv('epoch,loss.bpr\n,1\n')).toThrow(/row 2 has epoch ""/);
    expect(() => parseHistoryCsv('epoch,"loss.bpr\n1,2')).toThrow(/not closed/);
  });
});
