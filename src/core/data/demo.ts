import type { Dataset, ItemText } from './types';
import { Rng } from '../rng';
import { randomSplit } from './split';

/**
 * Deterministic synthetic dataset with planted structure that both sides of
 * DaRec can see: users mix a few latent tastes, items have topic profiles,
 * interactions follow taste x topic affinity times a popularity skew plus
 * uniform noise, and item titles/descriptions are drawn from topic vocabularies
 * so the text carries the same signal the interactions do.
 */
export interface DemoOptions {
  users: number;
  items: number;
  interactions: number;
  seed: number;
  /** Fraction of interactions drawn uniformly at random (noise). */
  noise?: number;
}

const TOPICS: { name: string; words: string[] }[] = [
  { name: 'Space', words: ['galaxy', 'orbit', 'rocket', 'planet', 'astronaut', 'nebula', 'comet', 'starship', 'lunar', 'cosmos'] },
  { name: 'Cooking', words: ['recipe', 'kitchen', 'bread', 'spice', 'pasta', 'baking', 'flavour', 'chef', 'soup', 'garlic'] },
  { name: 'History', words: ['empire', 'war', 'ancient', 'king', 'revolution', 'medieval', 'dynasty', 'battle', 'roman', 'archive'] },
  { name: 'Romance', words: ['love', 'heart', 'wedding', 'kiss', 'summer', 'letters', 'promise', 'passion', 'bride', 'dance'] },
  { name: 'Mystery', words: ['detective', 'murder', 'clue', 'secret', 'alibi', 'suspect', 'inspector', 'crime', 'vanished', 'shadow'] },
  { name: 'Sports', words: ['football', 'coach', 'season', 'champion', 'marathon', 'stadium', 'team', 'trophy', 'league', 'sprint'] },
  { name: 'Music', words: ['guitar', 'album', 'jazz', 'melody', 'concert', 'piano', 'rhythm', 'band', 'opera', 'song'] },
  { name: 'Gardening', words: ['garden', 'roses', 'soil', 'seeds', 'orchard', 'compost', 'bloom', 'herbs', 'pruning', 'greenhouse'] },
  { name: 'Technology', words: ['software', 'robot', 'network', 'silicon', 'startup', 'algorithm', 'data', 'circuit', 'code', 'machine'] },
  { name: 'Travel', words: ['journey', 'island', 'mountain', 'passport', 'voyage', 'desert', 'harbour', 'map', 'train', 'trail'] },
  { name: 'Horror', words: ['ghost', 'haunted', 'curse', 'vampire', 'nightmare', 'crypt', 'witch', 'blood', 'terror', 'zombie'] },
  { name: 'Finance', words: ['money', 'market', 'invest', 'bank', 'wealth', 'stocks', 'budget', 'crash', 'fortune', 'trader'] },
];
const FILLER = ['the', 'a', 'story', 'of', 'new', 'great', 'little', 'last', 'first', 'guide', 'book', 'tale', 'life', 'world'];

export function generateDemo(opts: DemoOptions): Dataset {
  const { users: nU, items: nI, interactions: target, seed } = opts;
  const noise = opts.noise ?? 0.1;
  const rng = new Rng(seed);
  const T = TOPICS.length;

  // Item topic profiles: one dominant topic, sometimes a secondary one.
  const itemTopic = new Float32Array(nI * T);
  const itemMain = new Int32Array(nI);
  const itemSecond = new Int32Array(nI).fill(-1);
  for (let i = 0; i < nI; i++) {
    const a = rng.int(T);
    itemMain[i] = a;
    itemTopic[i * T + a] = 1;
    if (rng.next() < 0.35) {
      let b = rng.int(T - 1);
      if (b >= a) b++;
      itemSecond[i] = b;
      itemTopic[i * T + b] = 0.5;
    }
  }
  // Popularity skew: Zipf-like weights over a random permutation of items.
  const popRank = rng.shuffle(Int32Array.from({ length: nI }, (_, k) => k));
  const pop = new Float32Array(nI);
  for (let r = 0; r < nI; r++) pop[popRank[r]!] = 1 / Math.pow(r + 1, 0.6);

  // Users: 1-3 tastes with random weights; activity log-normal, scaled to hit the target count.
  const activity = new Float64Array(nU);
  let actSum = 0;
  for (let u = 0; u < nU; u++) {
    activity[u] = Math.exp(0.7 * rng.normal());
    actSum += activity[u]!;
  }
  const maxPerUser = Math.floor(nI * 0.5);
  const allU: number[] = [];
  const allI: number[] = [];
  const score = new Float64Array(nI);
  const taste = new Float64Array(T);
  for (let u = 0; u < nU; u++) {
    taste.fill(0.02);
    const k = 1 + rng.int(3);
    for (let j = 0; j < k; j++) taste[rng.int(T)]! += 0.3 + rng.next();
    const n = Math.max(3, Math.min(maxPerUser, Math.round((activity[u]! / actSum) * target)));
    for (let i = 0; i < nI; i++) {
      let aff = 0;
      for (let t = 0; t < T; t++) aff += taste[t]! * itemTopic[i * T + t]!;
      // Exponential keys give weighted sampling without replacement (Efraimidis-Spirakis).
      const w = rng.next() < noise ? 1e-3 : aff * aff * pop[i]!;
      score[i] = Math.log(1 - rng.next()) / Math.max(w, 1e-12);
    }
    const chosen = topIndices(score, n);
    for (const i of chosen) {
      allU.push(u);
      allI.push(i);
    }
  }

  const itemText: ItemText[] = [];
  for (let i = 0; i < nI; i++) itemText.push(itemTextFor(rng, itemMain[i]!, itemSecond[i]!, i));

  const all = { users: Int32Array.from(allU), items: Int32Array.from(allI) };
  const split = randomSplit(all, nU, nI, seed + 1);
  return {
    name: `demo-${nU}x${nI}`,
    numUsers: nU,
    numItems: nI,
    ...split,
    userIds: Array.from({ length: nU }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: nI }, (_, i) => `i${i}`),
    itemText,
  };
}

function topIndices(score: Float64Array, n: number): number[] {
  const idx = Array.from({ length: score.length }, (_, k) => k);
  idx.sort((a, b) => score[b]! - score[a]!);
  return idx.slice(0, n);
}

function pickWords(rng: Rng, words: string[], n: number): string[] {
  return Array.from({ length: n }, () => words[rng.int(words.length)]!);
}

function capital(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function itemTextFor(rng: Rng, main: number, second: number, i: number): ItemText {
  const a = TOPICS[main]!;
  const b = second >= 0 ? TOPICS[second]! : null;
  const [w1, w2] = pickWords(rng, a.words, 2);
  const title = `${capital(FILLER[rng.int(FILLER.length)]!)} ${capital(w1!)} ${capital(b ? b.words[rng.int(b.words.length)]! : w2!)} #${i}`;
  const body = [...pickWords(rng, a.words, 6), ...(b ? pickWords(rng, b.words, 3) : []), ...pickWords(rng, FILLER, 4)];
  rng.shuffle(body);
  return {
    title,
    description: `A ${a.name.toLowerCase()} ${b ? `and ${b.name.toLowerCase()} ` : ''}title about ${body.join(' ')}.`,
    categories: b ? [a.name, b.name] : [a.name],
  };
}

/** Topic names, exported so views can colour the demo by its planted categories. */
export const DEMO_TOPICS = TOPICS.map(t => t.name);
