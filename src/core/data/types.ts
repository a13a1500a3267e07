/**
 * Dataset types shared by every part of the app. Ids are contiguous integers
 * (users 0..numUsers-1, items 0..numItems-1); original ids, when a source file
 * had them, are kept in `userIds` / `itemIds` so exports can map back.
 */

/** Parallel typed arrays: interaction k is (users[k], items[k]). */
export interface Interactions {
  users: Int32Array;
  items: Int32Array;
}

/** Text attached to an item; the LLM side builds profiles from it. */
export interface ItemText {
  title: string;
  description?: string;
  categories?: string[];
}

export interface Dataset {
  name: string;
  numUsers: number;
  numItems: number;
  train: Interactions;
  val: Interactions;
  test: Interactions;
  /** Original id of each user index, when the source had one. */
  userIds?: string[];
  /** Original id of each item index, when the source had one. */
  itemIds?: string[];
  /** Per item index, when the source had metadata. */
  itemText?: ItemText[];
}

export function interactionCount(x: Interactions): number {
  return x.users.length;
}

export function emptyInteractions(): Interactions {
  return { users: new Int32Array(0), items: new Int32Array(0) };
}

/** Concatenate several interaction lists (e.g. all splits, for statistics). */
export function concatInteractions(parts: Interactions[]): Interactions {
  const n = parts.reduce((s, p) => s + p.users.length, 0);
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    users.set(p.users, o);
    items.set(p.items, o);
    o += p.users.length;
  }
  return { users, items };
}

/** Throws with a clear message when ids are out of range; used at every boundary. */
export function validateDataset(d: Dataset): void {
  if (!Number.isInteger(d.numUsers) || d.numUsers <= 0) throw new Error(`dataset "${d.name}": no users`);
  if (!Number.isInteger(d.numItems) || d.numItems <= 0) throw new Error(`dataset "${d.name}": no items`);
  for (const [split, x] of [['train', d.train], ['val', d.val], ['test', d.test]] as const) {
    if (x.users.length !== x.items.length) throw new Error(`dataset "${d.name}": ${split} users/items lengths differ`);
    for (let k = 0; k < x.users.length; k++) {
      const u = x.users[k]!, i = x.items[k]!;
      if (u < 0 || u >= d.numUsers) throw new Error(`dataset "${d.name}": ${split} row ${k} has user index ${u} outside 0..${d.numUsers - 1}`);
      if (i < 0 || i >= d.numItems) throw new Error(`dataset "${d.name}": ${split} row ${k} has item index ${i} outside 0..${d.numItems - 1}`);
    }
  }
  if (d.train.users.length === 0) throw new Error(`dataset "${d.name}": the training split is empty`);
}
