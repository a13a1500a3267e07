/**
 * TensorBoard Embedding Projector files (https://projector.tensorflow.org, "Load"): `vectors.tsv`,
 * one row of tab-separated floats per point, no header; `metadata.tsv`, one row per point in the
 * same order, with a header row. The projector takes the first metadata row as a header only when
 * there are two or more columns, so `side` is always written to keep it at least two.
 *
 * Users and items can go in one file pair (blocks), told apart by `side`; columns `title`,
 * `category` and `cluster` appear when any block provides them (empty cells elsewhere).
 */
import type { Dataset } from '../data/types';

export interface ProjectorMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface ProjectorBlock {
  /** Written in the `side` column, e.g. 'user' / 'item'. */
  side: string;
  embedding: ProjectorMatrix;
  /** One per row; default the row index. */
  ids?: readonly string[];
  titles?: readonly string[];
  categories?: readonly string[];
  /** Cluster index per row (e.g. DaRec's preference clusters). */
  clusters?: ArrayLike<number>;
  /** Rows to write (default all); keeps the projector responsive on big catalogues. */
  rows?: ArrayLike<number>;
}

export interface ProjectorOptions {
  /** Significant digits of each value (default 6: plenty for a 2-D/3-D view, a third of the full size). */
  digits?: number;
}

export interface ProjectorFiles {
  vectors: string;
  metadata: string;
  /** Points written. */
  count: number;
}

function cell(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

function value(x: number, digits: number): string {
  if (!Number.isFinite(x)) return '0';
  // toPrecision pads ("0.100000"); Number() drops the padding, String() keeps a short form.
  return String(Number(x.toPrecision(digits)));
}

export function projectorTsv(blocks: readonly ProjectorBlock[], opts: ProjectorOptions = {}): ProjectorFiles {
  const digits = opts.digits ?? 6;
  if (blocks.length === 0) throw new Error('projector export: nothing to write');
  const cols = blocks[0]!.embedding.cols;
  for (const b of blocks) {
    if (b.embedding.cols !== cols) throw new Error(`projector export: "${b.side}" vectors have ${b.embedding.cols} dimensions, "${blocks[0]!.side}" ${cols}; one file needs one size`);
    if (b.embedding.data.length !== b.embedding.rows * b.embedding.cols) throw new Error(`projector export: "${b.side}" data does not fill [${b.embedding.rows}, ${b.embedding.cols}]`);
    for (const [what, arr] of [['ids', b.ids], ['titles', b.titles], ['categories', b.categories], ['clusters', b.clusters]] as const) {
      if (arr && arr.length !== b.embedding.rows) throw new Error(`projector export: "${b.side}" has ${arr.length} ${what} for ${b.embedding.rows} rows`);
    }
  }
  const hasTitle = blocks.some((b) => b.titles), hasCat = blocks.some((b) => b.categories), hasCluster = blocks.some((b) => b.clusters);
  const header = ['id', ...(hasTitle ? ['title'] : []), ...(hasCat ? ['category'] : []), 'side', ...(hasCluster ? ['cluster'] : [])];
  const vec: string[] = [];
  const meta: string[] = [header.join('\t')];
  for (const b of blocks) {
    const { data } = b.embedding;
    const n = b.rows ? b.rows.length : b.embedding.rows;
    for (let j = 0; j < n; j++) {
      const r = b.rows ? b.rows[j]! : j;
      if (!(r >= 0 && r < b.embedding.rows)) throw new Error(`projector export: "${b.side}" row ${r} is out of range`);
      const parts = new Array<string>(cols);
      for (let c = 0; c < cols; c++) parts[c] = value(data[r * cols + c]!, digits);
      vec.push(parts.join('\t'));
      const m = [cell(b.ids?.[r] ?? String(r))];
      if (hasTitle) m.push(cell(b.titles?.[r] ?? ''));
      if (hasCat) m.push(cell(b.categories?.[r] ?? ''));
      m.push(cell(b.side));
      if (hasCluster) m.push(b.clusters ? String(b.clusters[r]) : '');
      meta.push(m.join('\t'));
    }
  }
  return { vectors: vec.join('\n') + '\n', metadata: meta.join('\n') + '\n', count: vec.length };
}

/** User and item blocks with the dataset's ids, titles and first category. */
export function projectorBlocksFor(
  ds: Dataset,
  parts: { users?: ProjectorMatrix; items?: ProjectorMatrix; userClusters?: ArrayLike<number>; itemClusters?: ArrayLike<number> },
): ProjectorBlock[] {
  const out: ProjectorBlock[] = [];
  if (parts.users) {
    if (parts.users.rows !== ds.numUsers) throw new Error(`projector export: ${parts.users.rows} user rows for ${ds.numUsers} users`);
    const b: ProjectorBlock = { side: 'user', embedding: parts.users };
    if (ds.userIds) b.ids = ds.userIds;
    if (parts.userClusters) b.clusters = parts.userClusters;
    out.push(b);
  }
  if (parts.items) {
    if (parts.items.rows !== ds.numItems) throw new Error(`projector export: ${parts.items.rows} item rows for ${ds.numItems} items`);
    const b: ProjectorBlock = { side: 'item', embedding: parts.items };
    if (ds.itemIds) b.ids = ds.itemIds;
    if (ds.itemText && ds.itemText.length === ds.numItems) {
      b.titles = ds.itemText.map((t) => t.title);
      if (ds.itemText.some((t) => (t.categories?.length ?? 0) > 0)) b.categories = ds.itemText.map((t) => t.categories?.[0] ?? '');
    }
    if (parts.itemClusters) b.clusters = parts.itemClusters;
    out.push(b);
  }
  return out;
}
