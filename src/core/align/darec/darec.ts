import * as tf from '@tensorflow/tfjs';
import { addAll } from '../../addAll';
import type { Rng } from '../../rng';
import { hungarian } from '../hungarian';
import { kmeans, type KMeansResult } from '../kmeans';
import { Mlp, uniqueScope } from '../mlp';
import { connectedZero, l2normalize } from '../ops';
import type { AlignContext, AlignDims, Alignment, AlignNeeds, EpochContext, LossTerms } from '../types';
import { validateDaRecConfig, type DaRecConfig } from './config';
import {
  centreInfoNCE,
  centreMse,
  globalStructureKl,
  globalStructureMse,
  hardCentres,
  orthogonalityCosine,
  orthogonalityFrobenius,
  reconstructionMse,
  softCentres,
  studentTAssign,
  uniformity,
} from './losses';

type NodeType = 'user' | 'item';

/** One set of nodes clustered together, with assignments of both sides in one id space. */
interface ClusterGroup {
  types: NodeType[];
  /** Size of the shared id space. */
  k: number;
  /** Cluster of each node as seen on the CF side / LLM side (equal except in 'separate-match'). */
  assignC: Partial<Record<NodeType, Int32Array>>;
  assignL: Partial<Record<NodeType, Int32Array>>;
  /** S^L centres (unit rows) for the 'soft' variant. */
  mu: tf.Tensor2D | null;
}

/** `ClusterGroup` as plain data, for checkpoints. */
interface SavedClusters {
  lastClusterEpoch: number;
  groups: (Omit<ClusterGroup, 'mu'> & { mu: { shape: [number, number]; data: Float32Array } | null })[];
}

export interface DaRecSpaces {
  sharedCF: tf.Tensor2D;
  sharedLLM: tf.Tensor2D;
  /** null when not disentangled. */
  specificCF: tf.Tensor2D | null;
  specificLLM: tf.Tensor2D | null;
}

/** Projections of one batch: users and items (positives then negatives). */
interface BatchSpaces {
  sc: Record<NodeType, tf.Tensor2D>;
  sl: Record<NodeType, tf.Tensor2D>;
  pc: Record<NodeType, tf.Tensor2D> | null;
  pl: Record<NodeType, tf.Tensor2D> | null;
  cf: Record<NodeType, tf.Tensor2D>;
  llm: Record<NodeType, tf.Tensor2D>;
  ids: Record<NodeType, Int32Array>;
}

function firstRows(x: tf.Tensor2D, max: number): tf.Tensor2D {
  return max > 0 && x.shape[0] > max ? tf.slice(x, [0, 0], [max, -1]) : x;
}

function concatIds(...parts: Int32Array[]): Int32Array {
  if (parts.length === 1) return parts[0] as Int32Array;
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * DaRec (Yang et al. 2024): four projection networks split CF and LLM embeddings into
 * shared and specific parts; regularisers keep the parts apart and spread; the shared parts
 * are aligned globally (similarity structure) and locally (preference-cluster centres).
 * See shared/design/darec.md; every open choice is a field of DaRecConfig.
 */
export class DaRecAlignment implements Alignment {
  readonly name = 'darec' as const;
  readonly needs: AlignNeeds;
  readonly cfg: DaRecConfig;
  readonly dims: AlignDims;
  readonly sharedCF: Mlp;
  readonly sharedLLM: Mlp;
  readonly specificCF: Mlp | null;
  readonly specificLLM: Mlp | null;
  readonly decoderCF: Mlp | null;
  readonly decoderLLM: Mlp | null;
  private readonly clusterRng: Rng;
  private groups: ClusterGroup[] | null = null;
  private lastClusterEpoch = Number.NEGATIVE_INFINITY;
  private numUsers = 0;

  constructor(cfg: DaRecConfig, dims: AlignDims, rng: Rng) {
    const problems = validateDaRecConfig(cfg);
    if (problems.length > 0) throw new Error(`DaRec config: ${problems.join('; ')}`);
    this.cfg = cfg;
    this.dims = dims;
    const scope = uniqueScope('darec');
    const slope = { leakySlope: cfg.leakySlope };
    // One fork per module, always in this order, so switching a module off (ablation,
    // decoder) leaves the others' initial weights unchanged.
    const r = [rng.fork(), rng.fork(), rng.fork(), rng.fork(), rng.fork(), rng.fork(), rng.fork()] as const;
    const d = dims.cf;
    this.sharedCF = new Mlp('sharedCF', scope, d, d, r[0], slope);
    this.sharedLLM = new Mlp('sharedLLM', scope, dims.llm, d, r[2], slope);
    this.specificCF = cfg.disentangle ? new Mlp('specificCF', scope, d, d, r[1], slope) : null;
    this.specificLLM = cfg.disentangle ? new Mlp('specificLLM', scope, dims.llm, d, r[3], slope) : null;
    const decIn = cfg.disentangle ? 2 * d : d;
    this.decoderCF = cfg.weights.dec > 0 ? new Mlp('decoderCF', scope, decIn, d, r[4], slope) : null;
    this.decoderLLM = cfg.weights.dec > 0 ? new Mlp('decoderLLM', scope, decIn, dims.llm, r[5], slope) : null;
    this.clusterRng = r[6];
    this.needs = {
      negatives: true,
      allCF: false,
      allLLM: false,
      epochCF: cfg.weights.loc > 0 && cfg.local.assignment === 'separate-match',
    };
  }

  randomStreams(): Rng[] {
    return [this.clusterRng];
  }

  /** The clusters and when they were made: with reclusterEvery > 1 a resumed run must not re-cluster early. */
  async saveEpochState(): Promise<SavedClusters | null> {
    if (this.groups === null) return null;
    const groups = await Promise.all(this.groups.map(async g => ({
      types: g.types, k: g.k, assignC: g.assignC, assignL: g.assignL,
      mu: g.mu ? { shape: g.mu.shape, data: (await g.mu.data()) as Float32Array } : null,
    })));
    return { lastClusterEpoch: this.lastClusterEpoch, groups };
  }

  restoreEpochState(state: unknown, nodes: { user: number; item: number }): void {
    this.disposeGroups();
    const s = state as SavedClusters | null;
    const fits = (g: SavedClusters['groups'][number]) =>
      g.types.every(t => g.assignC[t]?.length === nodes[t] && g.assignL[t]?.length === nodes[t])
      && (g.mu === null || (g.mu.shape[0] === g.k && g.mu.data.length === g.mu.shape[0] * g.mu.shape[1]));
    if (!s || !Array.isArray(s.groups) || !s.groups.every(fits)) return;
    this.groups = s.groups.map(g => ({ ...g, mu: g.mu ? tf.tensor2d(g.mu.data, g.mu.shape) : null }));
    this.lastClusterEpoch = s.lastClusterEpoch;
  }

  private mlps(): Mlp[] {
    return [this.sharedCF, this.specificCF, this.sharedLLM, this.specificLLM, this.decoderCF, this.decoderLLM].filter(
      (m): m is Mlp => m !== null,
    );
  }

  variables(): tf.Variable[] {
    return this.mlps().flatMap(m => m.variables());
  }

  namedVariables(): Record<string, tf.Variable> {
    return Object.assign({}, ...this.mlps().map(m => m.namedVariables())) as Record<string, tf.Variable>;
  }

  weights(): Record<string, number> {
    const w = this.cfg.weights;
    return { orth: this.cfg.disentangle ? w.orth : 0, uni: w.uni, dec: w.dec, glo: w.glo, loc: w.loc };
  }

  /** Epoch of the last clustering, null before the first. */
  clusterEpoch(): number | null {
    return this.groups === null ? null : this.lastClusterEpoch;
  }

  /** Cluster of every node from the last clustering (LLM side): users then items; null before the first. */
  clusters(): Int32Array | null {
    if (this.groups === null) return null;
    const parts: Int32Array[] = [];
    let offset = 0;
    for (const t of ['user', 'item'] as const) {
      const g = this.groups.find(x => x.types.includes(t));
      const a = g?.assignL[t];
      if (g === undefined || a === undefined) return null;
      // With 'separate' scope, item ids follow the user ids so every cluster id is unique.
      const off = this.groups.length > 1 && t === 'item' ? offset : 0;
      parts.push(off === 0 ? a : a.map(v => v + off));
      offset += g.k;
    }
    return concatIds(...parts);
  }

  /** Projections of whole tables, for the visualisation views. New tensors; the caller disposes them. */
  spaces(
    allUserCF: tf.Tensor2D,
    allItemCF: tf.Tensor2D,
    allUserLLM: tf.Tensor2D,
    allItemLLM: tf.Tensor2D,
  ): { users: DaRecSpaces; items: DaRecSpaces } {
    const one = (cf: tf.Tensor2D, llm: tf.Tensor2D): DaRecSpaces => ({
      sharedCF: this.sharedCF.applyChunked(cf),
      sharedLLM: this.sharedLLM.applyChunked(llm),
      specificCF: this.specificCF?.applyChunked(cf) ?? null,
      specificLLM: this.specificLLM?.applyChunked(llm) ?? null,
    });
    return { users: one(allUserCF, allUserLLM), items: one(allItemCF, allItemLLM) };
  }

  scoringEmbeddings(userCF: tf.Tensor2D, itemCF: tf.Tensor2D): { users: tf.Tensor2D; items: tf.Tensor2D } {
    if (this.cfg.scoring === 'cf') return { users: tf.clone(userCF), items: tf.clone(itemCF) };
    // score = S·S + P·P: both parts of the CF side, the LLM side never enters scoring.
    const both = (x: tf.Tensor2D): tf.Tensor2D =>
      tf.tidy(() => {
        const s = this.sharedCF.applyChunked(x);
        return this.specificCF === null ? s : tf.concat([s, this.specificCF.applyChunked(x)], 1);
      });
    return { users: both(userCF), items: both(itemCF) };
  }

  async onEpochStart(ctx: EpochContext): Promise<void> {
    if (this.cfg.weights.loc <= 0) return;
    if (this.groups !== null && ctx.epoch - this.lastClusterEpoch < this.cfg.local.reclusterEvery) return;
    await this.recluster(ctx);
    this.lastClusterEpoch = ctx.epoch;
  }

  /** Runs the clustering now (normally called by onEpochStart). */
  async recluster(ctx: EpochContext): Promise<void> {
    const lc = this.cfg.local;
    this.numUsers = ctx.allUserLLM.shape[0];
    const tables = tf.tidy(() => ({
      slU: l2normalize(this.sharedLLM.applyChunked(ctx.allUserLLM)),
      slI: l2normalize(this.sharedLLM.applyChunked(ctx.allItemLLM)),
    }));
    let scU: tf.Tensor2D | null = null;
    let scI: tf.Tensor2D | null = null;
    try {
      if (lc.assignment === 'separate-match') {
        if (ctx.allUserCF === undefined || ctx.allItemCF === undefined) {
          throw new Error("DaRec 'separate-match' clustering needs allUserCF/allItemCF in the epoch context");
        }
        const [u, i] = tf.tidy(() => [
          l2normalize(this.sharedCF.applyChunked(ctx.allUserCF as tf.Tensor2D)),
          l2normalize(this.sharedCF.applyChunked(ctx.allItemCF as tf.Tensor2D)),
        ]);
        scU = u as tf.Tensor2D;
        scI = i as tf.Tensor2D;
      }
      const specs: { types: NodeType[]; sl: tf.Tensor2D; sc: tf.Tensor2D | null; owned: boolean }[] = [];
      if (lc.scope === 'joint') {
        specs.push({
          types: ['user', 'item'],
          sl: tf.concat([tables.slU, tables.slI], 0),
          sc: scU !== null && scI !== null ? tf.concat([scU, scI], 0) : null,
          owned: true,
        });
      } else {
        specs.push({ types: ['user'], sl: tables.slU, sc: scU, owned: false });
        specs.push({ types: ['item'], sl: tables.slI, sc: scI, owned: false });
      }
      const groups: ClusterGroup[] = [];
      try {
        for (const s of specs) groups.push(await this.clusterGroup(s.types, s.sl, s.sc, this.numUsers));
      } finally {
        for (const s of specs) if (s.owned) tf.dispose([s.sl, ...(s.sc ? [s.sc] : [])]);
      }
      this.disposeGroups();
      this.groups = groups;
    } finally {
      tf.dispose([tables.slU, tables.slI, ...(scU ? [scU] : []), ...(scI ? [scI] : [])]);
    }
  }

  private async clusterGroup(types: NodeType[], sl: tf.Tensor2D, sc: tf.Tensor2D | null, numUsers: number): Promise<ClusterGroup> {
    const lc = this.cfg.local;
    const opts = { maxIter: lc.kmeansMaxIter, tol: lc.kmeansTol, restarts: lc.kmeansRestarts, cosine: true };
    const rl = await kmeans(sl, lc.clusters, this.clusterRng, opts);
    const split = (a: Int32Array): Partial<Record<NodeType, Int32Array>> =>
      types.length === 2 ? { user: a.subarray(0, numUsers), item: a.subarray(numUsers) } : { [types[0] as NodeType]: a };
    if (lc.assignment !== 'separate-match') {
      const parts = split(rl.assignments);
      const mu = lc.assignment === 'soft' ? tf.tensor2d(rl.centres, [rl.k, rl.dim]) : null;
      return { types, k: rl.k, assignC: parts, assignL: parts, mu };
    }
    const rc = await kmeans(sc as tf.Tensor2D, lc.clusters, this.clusterRng, opts);
    const { mapC, mapL, k } = matchCentres(rc, rl);
    return { types, k, assignC: split(rc.assignments.map(v => mapC[v] as number)), assignL: split(rl.assignments.map(v => mapL[v] as number)), mu: null };
  }

  losses(ctx: AlignContext): LossTerms {
    const w = this.weights();
    return tf.tidy(() => {
      const b = this.project(ctx);
      const out: LossTerms = {};
      const types: NodeType[] = ['user', 'item'];
      const cat = (r: Record<NodeType, tf.Tensor2D>): tf.Tensor2D => tf.concat([r.user, r.item], 0);
      if ((w.orth as number) > 0 && b.pc !== null && b.pl !== null) {
        const f = this.cfg.orthogonality === 'cosine' ? orthogonalityCosine : orthogonalityFrobenius;
        out.orth = tf.mul(tf.add(f(cat(b.sc), cat(b.pc)), f(cat(b.sl), cat(b.pl))), w.orth as number) as tf.Scalar;
      }
      const m = this.cfg.maxPairRows;
      const pairTerm = (fn: (t: NodeType) => tf.Scalar): tf.Scalar => {
        const ts = types.filter(t => b.sc[t].shape[0] >= 2);
        if (ts.length === 0) return connectedZero(b.sc.user);
        return tf.div(addAll(ts.map(fn)), ts.length) as tf.Scalar;
      };
      if ((w.uni as number) > 0) {
        const spaces = [b.sc, b.sl, ...(b.pc && b.pl ? [b.pc, b.pl] : [])];
        const t = this.cfg.uniformityT;
        const terms = spaces.map(sp => pairTerm(ty => uniformity(firstRows(sp[ty], m), t)));
        out.uni = tf.mul(addAll(terms), w.uni as number) as tf.Scalar;
      }
      if ((w.glo as number) > 0) {
        const g = this.cfg.global;
        const term = pairTerm(ty =>
          g.kind === 'mse'
            ? globalStructureMse(firstRows(b.sc[ty], m), firstRows(b.sl[ty], m))
            : globalStructureKl(firstRows(b.sc[ty], m), firstRows(b.sl[ty], m), g.temperature),
        );
        out.glo = tf.mul(term, w.glo as number) as tf.Scalar;
      }
      if ((w.dec as number) > 0 && this.decoderCF !== null && this.decoderLLM !== null) {
        const inC = b.pc ? tf.concat([cat(b.sc), cat(b.pc)], 1) : cat(b.sc);
        const inL = b.pl ? tf.concat([cat(b.sl), cat(b.pl)], 1) : cat(b.sl);
        const rc = reconstructionMse(this.decoderCF.apply(inC), cat(b.cf));
        const rl = reconstructionMse(this.decoderLLM.apply(inL), cat(b.llm));
        out.dec = tf.mul(tf.add(rc, rl), w.dec as number) as tf.Scalar;
      }
      if ((w.loc as number) > 0) out.loc = tf.mul(this.localLoss(b), w.loc as number) as tf.Scalar;
      return out;
    });
  }

  private project(ctx: AlignContext): BatchSpaces {
    const hasNeg = ctx.negItemCF !== undefined && ctx.negItemLLM !== undefined;
    const itemsCF = hasNeg ? tf.concat([ctx.itemCF, ctx.negItemCF as tf.Tensor2D], 0) : ctx.itemCF;
    const itemsLLM = hasNeg ? tf.concat([ctx.itemLLM, ctx.negItemLLM as tf.Tensor2D], 0) : ctx.itemLLM;
    const itemIds = hasNeg ? concatIds(ctx.itemIds, ctx.negItemIds ?? new Int32Array(0)) : ctx.itemIds;
    if (itemIds.length !== itemsCF.shape[0] || ctx.userIds.length !== ctx.userCF.shape[0]) {
      throw new Error('DaRec: userIds/itemIds/negItemIds must match the rows of the batch tensors');
    }
    const cf = { user: ctx.userCF, item: itemsCF };
    const llm = { user: ctx.userLLM, item: itemsLLM };
    const each = (mlp: Mlp, src: Record<NodeType, tf.Tensor2D>): Record<NodeType, tf.Tensor2D> => ({
      user: mlp.apply(src.user),
      item: mlp.apply(src.item),
    });
    return {
      sc: each(this.sharedCF, cf),
      sl: each(this.sharedLLM, llm),
      pc: this.specificCF ? each(this.specificCF, cf) : null,
      pl: this.specificLLM ? each(this.specificLLM, llm) : null,
      cf,
      llm,
      ids: { user: ctx.userIds, item: itemIds },
    };
  }

  private localLoss(b: BatchSpaces): tf.Scalar {
    if (this.groups === null) throw new Error('DaRec: local alignment needs clusters — call onEpochStart before losses');
    const lc = this.cfg.local;
    const terms: tf.Scalar[] = [];
    for (const g of this.groups) {
      const scN = l2normalize(tf.concat(g.types.map(t => b.sc[t]), 0));
      const slN = l2normalize(tf.concat(g.types.map(t => b.sl[t]), 0));
      let cc: tf.Tensor2D;
      let cl: tf.Tensor2D;
      if (g.mu !== null) {
        const q = studentTAssign(slN, g.mu, lc.studentAlpha);
        cc = softCentres(scN, q);
        cl = softCentres(slN, q);
      } else {
        const lookup = (assign: Partial<Record<NodeType, Int32Array>>): Int32Array =>
          concatIds(
            ...g.types.map(t => {
              const a = assign[t] as Int32Array;
              return b.ids[t].map(id => a[id] as number);
            }),
          );
        const m = membership(lookup(g.assignC), lookup(g.assignL), g.k);
        if (m === null) {
          terms.push(connectedZero(scN));
          continue;
        }
        const n = scN.shape[0];
        cc = hardCentres(scN, tf.tensor2d(m.onehotC, [n, m.k]), tf.tensor1d(m.countsC));
        cl = hardCentres(slN, tf.tensor2d(m.onehotL, [n, m.k]), tf.tensor1d(m.countsL));
      }
      terms.push(lc.centreLoss === 'infonce' ? centreInfoNCE(cc, cl, lc.temperature) : centreMse(cc, cl));
    }
    return tf.div(addAll(terms), terms.length) as tf.Scalar;
  }

  private disposeGroups(): void {
    for (const g of this.groups ?? []) g.mu?.dispose();
    this.groups = null;
  }

  dispose(): void {
    this.disposeGroups();
    for (const m of this.mlps()) m.dispose();
  }
}

/**
 * One-hot memberships of a batch over the clusters present on BOTH sides (a cluster with no
 * batch row on one side has no centre there and is left out of the loss), compacted to
 * K' columns. Built on the host, so no mask is derived from tensors in the gradient function.
 * Returns null when no cluster is present.
 */
export function membership(
  idsC: Int32Array,
  idsL: Int32Array,
  k: number,
): { k: number; onehotC: Float32Array; onehotL: Float32Array; countsC: Float32Array; countsL: Float32Array } | null {
  const n = idsC.length;
  const cntC = new Int32Array(k);
  const cntL = new Int32Array(k);
  for (let r = 0; r < n; r++) {
    cntC[idsC[r] as number]! += 1;
    cntL[idsL[r] as number]! += 1;
  }
  const col = new Int32Array(k).fill(-1);
  let kk = 0;
  for (let c = 0; c < k; c++) if ((cntC[c] as number) > 0 && (cntL[c] as number) > 0) col[c] = kk++;
  if (kk === 0) return null;
  const onehotC = new Float32Array(n * kk);
  const onehotL = new Float32Array(n * kk);
  const countsC = new Float32Array(kk);
  const countsL = new Float32Array(kk);
  for (let r = 0; r < n; r++) {
    const a = col[idsC[r] as number] as number;
    if (a >= 0) {
      onehotC[r * kk + a] = 1;
      countsC[a]! += 1;
    }
    const l = col[idsL[r] as number] as number;
    if (l >= 0) {
      onehotL[r * kk + l] = 1;
      countsL[l]! += 1;
    }
  }
  return { k: kk, onehotC, onehotL, countsC, countsL };
}

/**
 * Matches the CF-side and LLM-side K-means clusters by maximal total cosine between their
 * (unit) centres; returns maps of both sides' cluster ids into one id space (the larger side's),
 * so cluster j of the CF side and cluster j of the LLM side are a matched pair.
 */
export function matchCentres(rc: KMeansResult, rl: KMeansResult): { mapC: Int32Array; mapL: Int32Array; k: number } {
  const d = rc.dim;
  const cosCost = (a: Float32Array, ka: number, bb: Float32Array, kb: number): Float64Array => {
    const cost = new Float64Array(ka * kb);
    for (let i = 0; i < ka; i++)
      for (let j = 0; j < kb; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (a[i * d + t] as number) * (bb[j * d + t] as number);
        cost[i * kb + j] = -s;
      }
    return cost;
  };
  if (rc.k <= rl.k) {
    const match = hungarian(cosCost(rc.centres, rc.k, rl.centres, rl.k), rc.k, rl.k);
    return { mapC: match, mapL: Int32Array.from({ length: rl.k }, (_, j) => j), k: rl.k };
  }
  const match = hungarian(cosCost(rl.centres, rl.k, rc.centres, rc.k), rl.k, rc.k);
  return { mapC: Int32Array.from({ length: rc.k }, (_, j) => j), mapL: match, k: rc.k };
}
