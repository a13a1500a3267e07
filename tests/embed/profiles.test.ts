// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Dataset, Interactions } from '../../src/core/data/types';
import {
  DEFAULT_PROFILE_CONFIG,
  buildItemProfiles,
  buildUserProfiles,
  previewProfiles,
  renderTemplate,
  userProfileItems,
  profileItemsFor,
  validateTemplate,
  ITEM_FIELDS,
  USER_FIELDS,
  type ProfileConfig,
} from '../../src/core/embed/profiles';

const ia = (pairs: [number, number][]): Interactions => ({
  users: Int32Array.from(pairs.map((p) => p[0])),
  items: Int32Array.from(pairs.map((p) => p[1])),
});

/**
 * 3 users, 8 items. Items 6 and 7 appear ONLY in validation/test and carry titles that must never
 * show up in a user profile. User 0 also has item 2 in test (it is in train for user 1 only).
 */
function leakDataset(): Dataset {
  return {
    name: 'leak',
    numUsers: 3,
    numItems: 8,
    train: ia([[0, 0], [0, 1], [1, 2], [1, 3], [0, 4], [2, 5], [1, 0]]),
    val: ia([[0, 6], [1, 6], [2, 7]]),
    test: ia([[0, 7], [1, 7], [0, 2], [2, 6]]),
    itemText: [
      { title: 'Alpha Film', categories: ['Drama'] },
      { title: 'Beta Show', categories: ['Comedy', 'Drama'], description: 'A show about <b>beta</b>.' },
      { title: 'Gamma Book', categories: ['Book'] },
      { title: 'Delta Game' },
      { title: 'Epsilon Song', categories: ['Music'] },
      { title: 'Zeta Doc', categories: [] },
      { title: 'VALIDATION_ONLY_TITLE', categories: ['LEAKCAT_VAL'] },
      { title: 'TEST_ONLY_TITLE', categories: ['LEAKCAT_TEST'] },
    ],
  };
}

describe('profiles never use validation/test items', () => {
  it('user profiles mention only training items', () => {
    const d = leakDataset();
    const cfg: ProfileConfig = { ...DEFAULT_PROFILE_CONFIG, userTemplate: 'User who liked: {titles}. Likes {categories}.', userMaxItems: 100 };
    const profiles = buildUserProfiles(d, cfg);
    expect(profiles).toHaveLength(3);
    for (const p of profiles) {
      expect(p).not.toMatch(/VALIDATION_ONLY|TEST_ONLY|LEAKCAT/);
    }
    // user 0's test item 2 ("Gamma Book") must not appear for user 0, though it is a train item of user 1
    expect(profiles[0]).not.toContain('Gamma Book');
    expect(profiles[1]).toContain('Gamma Book');
    const lists = userProfileItems(d, cfg);
    const trainOf = (u: number) => new Set([...d.train.items].filter((_, k) => d.train.users[k] === u));
    lists.forEach((l, u) => {
      for (const i of l) expect(trainOf(u).has(i)).toBe(true);
    });
  });

  it('holds on a random dataset for every user', () => {
    const nU = 40, nI = 60;
    let s = 12345;
    const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
    const mk = (m: number) => ia(Array.from({ length: m }, () => [rnd(nU), rnd(nI)] as [number, number]));
    const train = mk(400), val = mk(80), test = mk(80);
    const d: Dataset = {
      name: 'rand', numUsers: nU, numItems: nI, train, val, test,
      itemText: Array.from({ length: nI }, (_, i) => ({ title: `T${i}X` })),
    };
    const lists = userProfileItems(d, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 1000 });
    const profiles = buildUserProfiles(d, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 1000 });
    for (let u = 0; u < nU; u++) {
      const tr = new Set<number>();
      for (let k = 0; k < train.users.length; k++) if (train.users[k] === u) tr.add(train.items[k]!);
      expect(new Set(lists[u])).toEqual(tr);
      const heldOut = new Set<number>();
      for (const x of [val, test]) for (let k = 0; k < x.users.length; k++) if (x.users[k] === u && !tr.has(x.items[k]!)) heldOut.add(x.items[k]!);
      for (const i of heldOut) expect(profiles[u]).not.toContain(`T${i}X`);
    }
    const some = [7, 3, 39];
    const few = profileItemsFor(d, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 5 }, some);
    const all = userProfileItems(d, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 5 });
    some.forEach((u, j) => expect(Array.from(few[j]!)).toEqual(Array.from(all[u]!)));
  });
});

describe('user item choice', () => {
  const base = leakDataset();
  it('without timestamps/ratings takes the latest training rows first, distinct, up to N', () => {
    const l = userProfileItems(base, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 2 });
    expect(Array.from(l[0]!)).toEqual([4, 1]);
    expect(Array.from(l[1]!)).toEqual([0, 3]);
  });
  it('uses timestamps (most recent first) when the training split has them', () => {
    const d = leakDataset();
    Object.assign(d.train, { timestamps: Float64Array.from([50, 10, 0, 0, 20, 0, 0]) });
    const l = userProfileItems(d, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 3 });
    expect(Array.from(l[0]!)).toEqual([0, 4, 1]);
  });
  it('uses ratings (highest first) when there are ratings but no timestamps', () => {
    const d = leakDataset();
    Object.assign(d.train, { ratings: Float32Array.from([2, 5, 1, 1, 3, 1, 1]) });
    const l = userProfileItems(d, { ...DEFAULT_PROFILE_CONFIG, userMaxItems: 3 });
    expect(Array.from(l[0]!)).toEqual([1, 4, 0]);
  });
  it('asking for "recent" without timestamps is an error', () => {
    expect(() => userProfileItems(base, { ...DEFAULT_PROFILE_CONFIG, userOrder: 'recent' })).toThrow(/needs timestamps/);
  });
  it('a user with no training item gets an empty list', () => {
    const d = leakDataset();
    d.numUsers = 4;
    expect(userProfileItems(d)[3]!.length).toBe(0);
  });
});

describe('templates', () => {
  it('fills fields, drops empty optional groups and collapses spaces', () => {
    const d = leakDataset();
    const items = buildItemProfiles(d);
    expect(items[0]).toBe('Alpha Film. Categories: Drama');
    expect(items[1]).toBe('Beta Show. Categories: Comedy, Drama. A show about <b>beta</b>.');
    expect(items[3]).toBe('Delta Game');
    expect(renderTemplate('{title}  -  {description}', { title: 'A', description: '' })).toBe('A -');
  });
  it('items without metadata get a placeholder title', () => {
    const d = leakDataset();
    delete d.itemText;
    d.itemIds = Array.from({ length: 8 }, (_, i) => `i${i}`);
    expect(buildItemProfiles(d)[5]).toBe('item i5');
  });
  it('cuts long descriptions', () => {
    const d = leakDataset();
    d.itemText![0]!.description = 'word '.repeat(200);
    const p = buildItemProfiles(d, { ...DEFAULT_PROFILE_CONFIG, itemTemplate: '{description}', maxDescriptionChars: 50 })[0]!;
    expect(p.length).toBeLessThanOrEqual(51);
    expect(p.endsWith('…')).toBe(true);
  });
  it('validates fields and syntax with clear messages', () => {
    expect(validateTemplate('{title}', ITEM_FIELDS)).toBeNull();
    expect(validateTemplate('{titel}', ITEM_FIELDS)).toMatch(/unknown field \{titel\}/);
    expect(validateTemplate('{title', ITEM_FIELDS)).toMatch(/never closed/);
    expect(validateTemplate('[a [b]]', ITEM_FIELDS)).toMatch(/cannot be nested/);
    expect(validateTemplate('just text', USER_FIELDS)).toMatch(/uses no field/);
    expect(renderTemplate('\\{literal\\} {title}', { title: 'x' })).toBe('{literal} x');
  });
  it('previewProfiles shows a few of each kind and reports template errors', () => {
    const d = leakDataset();
    const p = previewProfiles(d, DEFAULT_PROFILE_CONFIG, 2);
    expect(p.error).toBeNull();
    expect(p.items.map((x) => x.index)).toEqual([0, 1]);
    expect(p.users).toHaveLength(2);
    expect(p.users[0]!.text.startsWith('User who liked: ')).toBe(true);
    const bad = previewProfiles(d, { ...DEFAULT_PROFILE_CONFIG, userTemplate: '{nope}' }, 2);
    expect(bad.error).toMatch(/unknown field \{nope\}/);
    expect(bad.items).toHaveLength(0);
  });
});
