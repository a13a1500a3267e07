/**
 * The preprocessed dataset as RecBole atomic files (https://recbole.io/docs/user_guide/data/atomic_files.html),
 * so a run here can be compared with RecBole on exactly the same split.
 *
 * Layout 'benchmark' (default): `<name>/<name>.train.inter`, `.valid.inter`, `.test.inter`, loaded by
 * RecBole with `benchmark_filename: [train, valid, test]` as the fixed split. Layout 'single': one
 * `<name>/<name>.inter` with a `split:token` column (train / valid / test) for other tools; RecBole
 * itself would re-split it by its eval_args. `<name>/<name>.item` holds `title:token_seq` (and
 * `categories:token_seq`) when the dataset has item texts. `<name>.yaml` is a matching RecBole config.
 *
 * Tokens are the original ids when the dataset has them, else the indices. Atomic files are
 * tab-separated with no quoting, so tabs and line breaks inside ids / titles become spaces; two ids
 * that collide after that are an error rather than a silent merge.
 */
import { strToU8, zipSync } from 'fflate';
import type { Dataset, Interactions } from '../data/types';
import type { InteractionExtras } from '../embed/profiles';
import { oneLine } from './oneLine';

export interface RecboleExportOptions {
  layout?: 'benchmark' | 'single';
  /** RecBole dataset name: folder and file stem. Default: the dataset name reduced to [A-Za-z0-9_-]. */
  name?: string;
  /** Write `<name>.item` when the dataset has item texts (default true). */
  itemFile?: boolean;
  /** Add `description:token_seq` to the item file (default false: descriptions are long). */
  includeDescription?: boolean;
}

export interface RecboleExport {
  name: string;
  /** Path (under `<name>/`, plus `<name>.yaml`) to file text. */
  files: Record<string, string>;
}

export const RECBOLE_SPLITS = [
  { key: 'train', suffix: 'train' },
  { key: 'val', suffix: 'valid' },
  { key: 'test', suffix: 'test' },
] as const;

export function recboleName(name: string): string {
  const s = name.replace(/\.[A-Za-z0-9]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return s === '' ? 'dataset' : s;
}

function cell(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

function seq(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function tokens(kind: string, ids: readonly string[] | undefined, n: number): string[] {
  const out = ids ? ids.map(cell) : Array.from({ length: n }, (_, k) => String(k));
  if (ids) {
    const seen = new Map<string, number>();
    out.forEach((t, k) => {
      const prev = seen.get(t);
      if (prev !== undefined) throw new Error(`RecBole export: ${kind} ids ${prev} and ${k} are both "${t}" once tabs / line breaks become spaces`);
      seen.set(t, k);
    });
  }
  return out;
}

function extrasOf(ds: Dataset): { timestamps: boolean; ratings: boolean } {
  const all = (f: keyof InteractionExtras) =>
    [ds.train, ds.val, ds.test].every((x) => {
      const v = (x as Interactions & InteractionExtras)[f];
      return v !== undefined && v.length === x.users.length;
    });
  return { timestamps: all('timestamps'), ratings: all('ratings') };
}

export function exportRecbole(ds: Dataset, opts: RecboleExportOptions = {}): RecboleExport {
  const name = opts.name !== undefined ? recboleName(opts.name) : recboleName(ds.name);
  const layout = opts.layout ?? 'benchmark';
  const users = tokens('user', ds.userIds, ds.numUsers);
  const items = tokens('item', ds.itemIds, ds.numItems);
  const ex = extrasOf(ds);
  const head = ['user_id:token', 'item_id:token'];
  if (ex.ratings) head.push('rating:float');
  if (ex.timestamps) head.push('timestamp:float');
  const rows = (x: Interactions, split?: string): string[] => {
    const e = x as Interactions & InteractionExtras;
    const out: string[] = [];
    for (let k = 0; k < x.users.length; k++) {
      let line = `${users[x.users[k]!]}\t${items[x.items[k]!]}`;
      if (ex.ratings) line += `\t${e.ratings![k]}`;
      if (ex.timestamps) line += `\t${e.timestamps![k]}`;
      if (split) line += `\t${split}`;
      out.push(line);
    }
    return out;
  };
  const files: Record<string, string> = {};
  if (layout === 'benchmark') {
    for (const s of RECBOLE_SPLITS) files[`${name}/${name}.${s.suffix}.inter`] = [head.join('\t'), ...rows(ds[s.key])].join('\n') + '\n';
  } else {
    const lines = [[...head, 'split:token'].join('\t')];
    for (const s of RECBOLE_SPLITS) lines.push(...rows(ds[s.key], s.suffix));
    files[`${name}/${name}.inter`] = lines.join('\n') + '\n';
  }
  const texts = ds.itemText;
  const withItems = (opts.itemFile ?? true) && texts !== undefined && texts.length === ds.numItems;
  if (withItems) {
    const cats = texts.some((t) => (t.categories?.length ?? 0) > 0);
    const desc = opts.includeDescription === true && texts.some((t) => (t.description ?? '') !== '');
    const ih = ['item_id:token', 'title:token_seq'];
    if (cats) ih.push('categories:token_seq');
    if (desc) ih.push('description:token_seq');
    const lines = [ih.join('\t')];
    texts.forEach((t, k) => {
      const parts = [items[k]!, seq(t.title)];
      // token_seq splits on spaces, so a multi-word category stays one token with underscores.
      if (cats) parts.push((t.categories ?? []).map((c) => seq(c).replace(/ /g, '_')).filter((c) => c !== '').join(' '));
      if (desc) parts.push(seq(t.description ?? ''));
      lines.push(parts.join('\t'));
    });
    files[`${name}/${name}.item`] = lines.join('\n') + '\n';
  }
  const interCols = ['user_id', 'item_id', ...(ex.ratings ? ['rating'] : []), ...(ex.timestamps ? ['timestamp'] : [])];
  const y = [
    `# RecBole config for the "${oneLine(ds.name)}" split exported by DaRec Playground.`,
    `# Run: python run_recbole.py --model=LightGCN --dataset=${name} --config_files=${name}.yaml`,
    `dataset: ${name}`,
    'data_path: ./',
    'USER_ID_FIELD: user_id',
    'ITEM_ID_FIELD: item_id',
    ...(ex.ratings ? ['RATING_FIELD: rating'] : []),
    ...(ex.timestamps ? ['TIME_FIELD: timestamp'] : []),
    'load_col:',
    `  inter: [${interCols.join(', ')}]`,
    ...(withItems ? [`  item: [item_id, title${texts!.some((t) => (t.categories?.length ?? 0) > 0) ? ', categories' : ''}]`] : []),
    // The split is already made; keep every user and item RecBole would otherwise filter.
    'user_inter_num_interval: "[0,inf)"',
    'item_inter_num_interval: "[0,inf)"',
    ...(layout === 'benchmark'
      ? ['benchmark_filename: [train, valid, test]']
      : ['# One .inter file: the split column is informational; RecBole re-splits by eval_args.']),
    'eval_args:',
    '  mode: full',
    'metrics: [Recall, NDCG]',
    'topk: [10, 20]',
    'valid_metric: Recall@20',
  ];
  files[`${name}.yaml`] = y.join('\n') + '\n';
  return { name, files };
}

/** The export as one zip (paths as in `files`), ready to download. */
export function recboleZip(ds: Dataset, opts: RecboleExportOptions = {}): Uint8Array {
  const { files } = exportRecbole(ds, opts);
  return zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [p, strToU8(t)])));
}
