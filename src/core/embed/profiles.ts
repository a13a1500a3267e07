/**
 * Profile text for the LLM side of DaRec: one string per item and per user, embedded later.
 *
 * Users are described ONLY by their training interactions. Using a validation or test item here
 * would leak the held-out answer into the user's LLM vector, and alignment would then score the
 * test split with information it must not have.
 */
import type { Dataset, Interactions, ItemText } from '../data/types';

/** Optional per-interaction side data some loaders may attach to `train` (not part of the core type). */
export interface InteractionExtras {
  timestamps?: ArrayLike<number>;
  ratings?: ArrayLike<number>;
}

export type UserItemOrder = 'auto' | 'recent' | 'rating' | 'row';

export interface ProfileConfig {
  /** Placeholders: {title} {categories} {description} {id}. `[...]` is dropped when its placeholders are all empty. */
  itemTemplate: string;
  /** Placeholders: {titles} {categories} {count} {id}. */
  userTemplate: string;
  /** At most this many training items describe a user. */
  userMaxItems: number;
  /**
   * Which training items describe a user first. 'auto': most recent when timestamps exist, else
   * highest rated when ratings exist, else the latest rows of the training split (loaders keep
   * file order, which is usually chronological).
   */
  userOrder: UserItemOrder;
  /** Descriptions are cut to this many characters so one long blurb does not eat the token budget. */
  maxDescriptionChars: number;
  /** At most this many categories in a user's {categories}, most frequent first. */
  userMaxCategories: number;
}

export const DEFAULT_PROFILE_CONFIG: ProfileConfig = {
  itemTemplate: '{title}[. Categories: {categories}][. {description}]',
  userTemplate: 'User who liked: {titles}',
  userMaxItems: 20,
  userOrder: 'auto',
  maxDescriptionChars: 300,
  userMaxCategories: 5,
};

export const ITEM_FIELDS = ['title', 'categories', 'description', 'id'] as const;
export const USER_FIELDS = ['titles', 'categories', 'count', 'id'] as const;

type Piece = { kind: 'text'; text: string } | { kind: 'field'; name: string } | { kind: 'opt'; pieces: Piece[] };

/** Parses `{field}`, optional `[...]` groups (one level) and `\{ \} \[ \]` escapes. Throws with the position on bad syntax. */
export function parseTemplate(template: string): Piece[] {
  const top: Piece[] = [];
  let cur = top;
  let inOpt = false;
  let text = '';
  const flush = () => {
    if (text) cur.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && i + 1 < template.length && '{}[]\\'.includes(template[i + 1]!)) {
      text += template[++i]!;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new Error(`template: "{" at character ${i + 1} is never closed`);
      const name = template.slice(i + 1, end).trim();
      if (!/^[a-z_]+$/i.test(name)) throw new Error(`template: "{${name}}" at character ${i + 1} is not a field name`);
      flush();
      cur.push({ kind: 'field', name });
      i = end;
    } else if (c === '}') {
      throw new Error(`template: "}" at character ${i + 1} has no opening "{"`);
    } else if (c === '[') {
      if (inOpt) throw new Error(`template: optional groups "[...]" cannot be nested (character ${i + 1})`);
      flush();
      const group: Piece[] = [];
      top.push({ kind: 'opt', pieces: group });
      cur = group;
      inOpt = true;
    } else if (c === ']') {
      if (!inOpt) throw new Error(`template: "]" at character ${i + 1} has no opening "["`);
      flush();
      cur = top;
      inOpt = false;
    } else {
      text += c;
    }
  }
  if (inOpt) throw new Error('template: an optional group "[" is never closed');
  flush();
  return top;
}

function fieldsOf(pieces: Piece[], out: string[]): string[] {
  for (const p of pieces) {
    if (p.kind === 'field') out.push(p.name);
    else if (p.kind === 'opt') fieldsOf(p.pieces, out);
  }
  return out;
}

/** Null when the template is usable, else a message for the editor. */
export function validateTemplate(template: string, allowed: readonly string[]): string | null {
  let pieces: Piece[];
  try {
    pieces = parseTemplate(template);
  } catch (e) {
    return (e as Error).message;
  }
  const fields = fieldsOf(pieces, []);
  const unknown = fields.filter((f) => !allowed.includes(f));
  if (unknown.length) return `template: unknown field {${unknown[0]}}; use ${allowed.map((f) => `{${f}}`).join(' ')}`;
  if (fields.length === 0) return 'template: it uses no field, so every profile would be the same text';
  return null;
}

function renderPieces(pieces: Piece[], values: Record<string, string>): string {
  let s = '';
  for (const p of pieces) {
    if (p.kind === 'text') s += p.text;
    else if (p.kind === 'field') s += values[p.name] ?? '';
    else {
      const fs = fieldsOf(p.pieces, []);
      if (fs.some((f) => (values[f] ?? '') !== '')) s += renderPieces(p.pieces, values);
    }
  }
  return s;
}

/** Fills a template; whitespace runs collapse so missing fields leave no double spaces. */
export function renderTemplate(template: string | Piece[], values: Record<string, string>): string {
  const pieces = typeof template === 'string' ? parseTemplate(template) : template;
  return renderPieces(pieces, values).replace(/\s+/g, ' ').trim();
}

function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  const cut = s.slice(0, n);
  const sp = cut.lastIndexOf(' ');
  return (sp > n * 0.6 ? cut.slice(0, sp) : cut) + '…';
}

function itemLabel(dataset: Dataset, i: number): string {
  return dataset.itemIds?.[i] ?? String(i);
}

function textOf(dataset: Dataset, i: number): ItemText | undefined {
  return dataset.itemText?.[i];
}

/** Title used for an item everywhere (items without metadata get a stable placeholder). */
export function itemTitle(dataset: Dataset, i: number): string {
  const t = textOf(dataset, i)?.title?.trim();
  return t ? t : `item ${itemLabel(dataset, i)}`;
}

export function itemValues(dataset: Dataset, i: number, cfg: ProfileConfig): Record<string, string> {
  const t = textOf(dataset, i);
  return {
    title: itemTitle(dataset, i),
    categories: (t?.categories ?? []).map((c) => c.trim()).filter(Boolean).join(', '),
    description: clip((t?.description ?? '').replace(/\s+/g, ' ').trim(), cfg.maxDescriptionChars),
    id: itemLabel(dataset, i),
  };
}

export function buildItemProfiles(dataset: Dataset, cfg: ProfileConfig = DEFAULT_PROFILE_CONFIG): string[] {
  const pieces = parseTemplate(cfg.itemTemplate);
  const out = new Array<string>(dataset.numItems);
  for (let i = 0; i < dataset.numItems; i++) out[i] = renderTemplate(pieces, itemValues(dataset, i, cfg));
  return out;
}

/** The ordering actually used for 'auto', given what the training split carries. */
export function resolveUserOrder(train: Interactions, order: UserItemOrder): Exclude<UserItemOrder, 'auto'> {
  const ex = train as Interactions & InteractionExtras;
  if (order !== 'auto') {
    if (order === 'recent' && !ex.timestamps) throw new Error('user profiles: "most recent" needs timestamps, and the training split has none');
    if (order === 'rating' && !ex.ratings) throw new Error('user profiles: "highest rated" needs ratings, and the training split has none');
    return order;
  }
  if (ex.timestamps && ex.timestamps.length === train.users.length) return 'recent';
  if (ex.ratings && ex.ratings.length === train.users.length) return 'rating';
  return 'row';
}

/** Best-first, distinct items from one user's training rows. */
function pickItems(rows: number[], train: Interactions, key: (k: number) => number, max: number): Int32Array {
  // Best first; ties go to the later row, the more recent one when files are chronological.
  rows.sort((a, b) => key(b) - key(a) || b - a);
  const seen = new Set<number>();
  const picked: number[] = [];
  for (const k of rows) {
    if (picked.length >= max) break;
    const it = train.items[k]!;
    if (seen.has(it)) continue;
    seen.add(it);
    picked.push(it);
  }
  return Int32Array.from(picked);
}

function orderKey(dataset: Dataset, cfg: ProfileConfig): (k: number) => number {
  const ex = dataset.train as Interactions & InteractionExtras;
  const order = resolveUserOrder(dataset.train, cfg.userOrder);
  return order === 'recent' ? (k) => ex.timestamps![k]! : order === 'rating' ? (k) => ex.ratings![k]! : (k) => k;
}

/**
 * For every user, the training items that describe them, best first, distinct, at most
 * `cfg.userMaxItems`. Reads `dataset.train` only.
 */
export function userProfileItems(dataset: Dataset, cfg: ProfileConfig = DEFAULT_PROFILE_CONFIG): Int32Array[] {
  const train = dataset.train;
  const key = orderKey(dataset, cfg);
  const n = train.users.length;
  // Bucket rows by user (counting sort) so the whole pass is O(interactions).
  const start = new Int32Array(dataset.numUsers + 1);
  for (let k = 0; k < n; k++) start[train.users[k]! + 1]!++;
  for (let u = 0; u < dataset.numUsers; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, dataset.numUsers);
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[fill[train.users[k]!]!++] = k;
  const max = Math.max(0, Math.floor(cfg.userMaxItems));
  const out: Int32Array[] = new Array(dataset.numUsers);
  for (let u = 0; u < dataset.numUsers; u++) out[u] = pickItems(Array.from(rows.subarray(start[u]!, start[u + 1]!)), train, key, max);
  return out;
}

/** The same lists for a few users only (the live preview re-renders on every keystroke). */
export function profileItemsFor(dataset: Dataset, cfg: ProfileConfig, users: number[]): Int32Array[] {
  const train = dataset.train;
  const key = orderKey(dataset, cfg);
  const slot = new Map(users.map((u, j) => [u, j]));
  const rows: number[][] = users.map(() => []);
  for (let k = 0; k < train.users.length; k++) {
    const j = slot.get(train.users[k]!);
    if (j !== undefined) rows[j]!.push(k);
  }
  const max = Math.max(0, Math.floor(cfg.userMaxItems));
  return rows.map((r) => pickItems(r, train, key, max));
}

export function userValues(dataset: Dataset, u: number, items: Int32Array, cfg: ProfileConfig): Record<string, string> {
  const counts = new Map<string, number>();
  for (const i of items) for (const c of textOf(dataset, i)?.categories ?? []) {
    const k = c.trim();
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const cats = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, cfg.userMaxCategories)
    .map(([c]) => c);
  return {
    // "; " because catalogue titles often contain commas ("Godfather, The (1972)").
    titles: Array.from(items, (i) => itemTitle(dataset, i)).join('; '),
    categories: cats.join(', '),
    count: String(items.length),
    id: dataset.userIds?.[u] ?? String(u),
  };
}

export function buildUserProfiles(dataset: Dataset, cfg: ProfileConfig = DEFAULT_PROFILE_CONFIG): string[] {
  const pieces = parseTemplate(cfg.userTemplate);
  const lists = userProfileItems(dataset, cfg);
  return lists.map((items, u) => renderTemplate(pieces, userValues(dataset, u, items, cfg)));
}

export interface ProfilePreview {
  items: { index: number; text: string }[];
  users: { index: number; text: string }[];
  /** Set when a template or the order cannot be used; the lists are then empty. */
  error: string | null;
}

/** The first `n` item and user profiles (users with at least one training item), for the editor's live preview. */
export function previewProfiles(dataset: Dataset, cfg: ProfileConfig = DEFAULT_PROFILE_CONFIG, n = 3): ProfilePreview {
  const err = validateTemplate(cfg.itemTemplate, ITEM_FIELDS) ?? validateTemplate(cfg.userTemplate, USER_FIELDS);
  if (err) return { items: [], users: [], error: err };
  try {
    const ip = parseTemplate(cfg.itemTemplate);
    const items = [];
    for (let i = 0; i < Math.min(n, dataset.numItems); i++) items.push({ index: i, text: renderTemplate(ip, itemValues(dataset, i, cfg)) });
    const up = parseTemplate(cfg.userTemplate);
    // The first n users that have a training item, in index order.
    const chosen: number[] = [];
    const has = new Uint8Array(dataset.numUsers);
    for (const u of dataset.train.users) has[u] = 1;
    for (let u = 0; u < dataset.numUsers && chosen.length < n; u++) if (has[u]) chosen.push(u);
    const lists = profileItemsFor(dataset, cfg, chosen);
    const users = chosen.map((u, j) => ({ index: u, text: renderTemplate(up, userValues(dataset, u, lists[j]!, cfg)) }));
    return { items, users, error: null };
  } catch (e) {
    return { items: [], users: [], error: (e as Error).message };
  }
}
