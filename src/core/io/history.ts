/**
 * Loss / metric history as CSV: one row per entry, `epoch`, then `loss.<term>` for every loss term and
 * `val.<metric>` for every validation metric seen in any entry (first-seen order). The prefix keeps the
 * two groups apart (a loss and a metric may share a name) and lets the file be read back exactly;
 * `pd.read_csv` takes it as is. An empty cell means "not measured at that epoch" (validation runs
 * every N epochs). Numbers are written in JavaScript's shortest round-trip form, NaN / Infinity by name.
 */

export interface HistoryEntry {
  epoch: number;
  loss?: Record<string, number>;
  val?: Record<string, number>;
}

type Group = 'loss' | 'val';
const GROUPS: readonly Group[] = ['loss', 'val'];

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, or one
 * behind a leading tab / CR) gets a leading `'`, which spreadsheets show as text (OWASP "CSV
 * injection"). Numbers, negative ones and `-Infinity` included, are left as they are, so numeric
 * columns read back unchanged.
 */
export function spreadsheetSafe(s: string): string {
  if (!/^[=+\-@\t\r]/.test(s)) return s;
  return s.trim() !== '' && !Number.isNaN(Number(s)) ? s : `'${s}`;
}

/**
 * One CSV field, quoted when it holds a delimiter, quote or newline (RFC 4180), formula-like text
 * neutralised (`spreadsheetSafe`). The app's CSVs (history, comparison) hold numbers and names the
 * app makes, so this is a second line of defence for names that ever come from outside.
 */
export function csvField(s: string): string {
  const t = spreadsheetSafe(s);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function num(x: number): string {
  return Number.isNaN(x) ? 'NaN' : String(x);
}

export function historyColumns(history: readonly HistoryEntry[]): string[] {
  const cols: string[] = [];
  for (const g of GROUPS) {
    const seen = new Set<string>();
    for (const e of history) for (const k of Object.keys(e[g] ?? {})) if (!seen.has(k)) { seen.add(k); cols.push(`${g}.${k}`); }
  }
  return cols;
}

export function historyToCsv(history: readonly HistoryEntry[]): string {
  const cols = historyColumns(history);
  const lines = [['epoch', ...cols].map(csvField).join(',')];
  for (const e of history) {
    const cells = [num(e.epoch)];
    for (const c of cols) {
      const dot = c.indexOf('.');
      const v = e[c.slice(0, dot) as Group]?.[c.slice(dot + 1)];
      cells.push(v === undefined ? '' : num(v));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let k = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (k < src.length) {
    const c = src[k]!;
    if (quoted) {
      if (c === '"') {
        if (src[k + 1] === '"') { field += '"'; k += 2; continue; }
        quoted = false;
      } else field += c;
      k++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && src[k + 1] === '\n') k++;
    } else field += c;
    k++;
  }
  if (quoted) throw new Error('history CSV: a quoted field is not closed (the file is truncated)');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Reads what `historyToCsv` writes; columns without a `loss.` / `val.` prefix are rejected by name. */
export function parseHistoryCsv(text: string, name = 'history.csv'): HistoryEntry[] {
  const rows = parseCsvRows(text);
  const head = rows[0];
  if (!head || head[0] !== 'epoch') throw new Error(`${name}: the first column must be "epoch" (got ${JSON.stringify(head?.[0] ?? '')})`);
  const cols = head.slice(1).map((c) => {
    const dot = c.indexOf('.');
    const g = c.slice(0, dot);
    if (dot < 0 || !(GROUPS as readonly string[]).includes(g)) throw new Error(`${name}: column "${c}" is neither loss.<term> nor val.<metric>`);
    return { group: g as Group, key: c.slice(dot + 1) };
  });
  const out: HistoryEntry[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    if (cells.length !== head.length) throw new Error(`${name}: row ${r + 1} has ${cells.length} cells, the header ${head.length}`);
    const epoch = Number(cells[0]);
    if (cells[0] === '' || !Number.isFinite(epoch)) throw new Error(`${name}: row ${r + 1} has epoch ${JSON.stringify(cells[0])}, not a number`);
    const e: HistoryEntry = { epoch };
    cols.forEach((c, j) => {
      const cell = cells[j + 1]!;
      if (cell === '') return;
      const v = Number(cell);
      if (Number.isNaN(v) && cell !== 'NaN') throw new Error(`${name}: row ${r + 1}, column ${c.group}.${c.key}: ${JSON.stringify(cell)} is not a number`);
      (e[c.group] ??= {})[c.key] = v;
    });
    out.push(e);
  }
  return out;
}
