import * as tf from '@tensorflow/tfjs';
import { addAll } from '../addAll';
import type { Dataset } from '../data/types';
import type { RunConfig } from '../config';
import { Rng } from '../rng';
import { buildGraph, dropEdges, type Graph } from '../graph/adjacency';
import { uploadGraph, type GraphTensors } from '../graph/propagate';
import { Backbone, type ForwardGraph } from '../models/backbones';
import type { EdgeValues } from '../models/params';
import { createAlignment, type AlignContext, type Alignment } from '../align/index';
import { sampleEpoch, userItemIndex, type UserItems } from './sampler';
import { bprLoss, l2Reg } from './losses';
import { gatherRows } from './gatherRows';
import { evaluateRanking, heldOutByUser } from '../eval/evaluator';
import type { Metrics } from '../eval/metrics';
import type { TrainListener } from './events';
import { RunControl } from './control';
import { NumericalFault, firstNonFinite } from './faults';

/** Frozen LLM-side vectors, row = user / item index. */
export interface LlmEmbeddings {
  users: Float32Array;
  items: Float32Array;
  dim: number;
}

interface LoopState {
  /** Last completed epoch. */
  epoch: number;
  best: number;
  bestEpoch: number;
  bad: number;
  bestWeights: Float32Array[] | null;
  history: TrainResult['history'];
  lossHistory: TrainResult['lossHistory'];
  trainMs: number;
  epochsRun: number;
}

/** What `saveState` returns and `restoreState` takes (and a checkpoint stores). */
export interface SavedState {
  weights: Float32Array[];
  bestWeights: Float32Array[] | null;
  shapes: number[][];
  loop: Omit<LoopState, 'bestWeights'>;
  /** Adam's step count, then its first and second moments (absent: Adam restarts). */
  optimizer?: { shape: number[]; data: Float32Array }[];
  /** States of the random streams (the trainer's in fork order, then the alignment's; absent: they restart). */
  rng?: number[];
  /** The alignment's state between epochs (DaRec's clusters; absent or null: rebuilt as at a run's start). */
  align?: unknown;
}

export interface TrainResult {
  test: Metrics;
  bestEpoch: number;
  epochs: number;
  stoppedEarly: boolean;
  history: { epoch: number; val: Metrics }[];
  /** Mean training loss terms (weighted) of every epoch run. */
  lossHistory: { epoch: number; loss: Record<string, number> }[];
  /** Mean wall time of a training epoch (evaluation excluded). */
  epochMs: number;
}

/**
 * The training loop: BPR over a CF backbone (+ its SSL loss) + an LLM alignment,
 * with RLMRec's protocol: one shuffled pass over the training interactions per
 * epoch, fresh dropout per batch, validation every N epochs, early stopping on
 * validation Recall@20, test at the best checkpoint. Reports through events;
 * owns and disposes every long-lived tensor.
 */
export class Trainer {
  readonly graph: Graph;
  readonly trainIndex: UserItems;
  private gt: GraphTensors | null = null;
  private fullEdges: EdgeValues | null = null;
  backbone: Backbone | null = null;
  alignment: Alignment | null = null;
  private llmUsers: tf.Tensor2D | null = null;
  private llmItems: tf.Tensor2D | null = null;
  private optimizer: tf.Optimizer | null = null;
  /** Early-stopping and history state of `run()`, kept on the trainer so it can be saved and resumed. */
  private loop: LoopState = { epoch: 0, best: -Infinity, bestEpoch: 0, bad: 0, bestWeights: null, history: [], lossHistory: [], trainMs: 0, epochsRun: 0 };
  /** Called after every epoch's event (and evaluation); the worker takes snapshots and checkpoints here. */
  afterEpoch: ((epoch: number) => Promise<void>) | null = null;
  private readonly rng: { init: Rng; sample: Rng; drop: Rng; align: Rng; mask: Rng; noise: Rng };

  constructor(
    readonly dataset: Dataset,
    readonly config: RunConfig,
    private readonly emit: TrainListener = () => {},
    readonly control: RunControl = new RunControl(),
    readonly llm?: LlmEmbeddings,
  ) {
    const root = new Rng(config.seed);
    // Forked in a fixed order so adding an alignment does not change the backbone's streams.
    this.rng = { init: root.fork(), sample: root.fork(), drop: root.fork(), align: root.fork(), mask: root.fork(), noise: root.fork() };
    this.graph = buildGraph(dataset.train, dataset.numUsers, dataset.numItems);
    this.trainIndex = userItemIndex(dataset.train, dataset.numUsers);
    if (config.align.method !== 'none') {
      if (!llm) throw new Error(`alignment "${config.align.method}" needs LLM embeddings of users and items (compute or upload them first)`);
      if (llm.users.length !== dataset.numUsers * llm.dim || llm.items.length !== dataset.numItems * llm.dim) {
        throw new Error(`LLM embeddings do not match the dataset: expected ${dataset.numUsers} users and ${dataset.numItems} items of dimension ${llm.dim}`);
      }
    }
  }

  private variables(): tf.Variable[] {
    return [...this.backbone!.variables(), ...(this.alignment?.variables() ?? [])];
  }

  /** Allocates tensors on the active backend. */
  init(): void {
    const { model, align } = this.config;
    const d = this.dataset;
    this.gt = uploadGraph(this.graph);
    this.fullEdges = { vals: tf.tensor1d(this.graph.vals), valsT: tf.tensor1d(this.graph.vals) };
    this.backbone = new Backbone(d.numUsers, d.numItems, { name: model.backbone, dim: model.embeddingSize, layers: model.layers, combine: model.combine, ssl: model.ssl }, this.rng.init);
    if (this.llm) {
      this.llmUsers = tf.tensor2d(this.llm.users, [d.numUsers, this.llm.dim]);
      this.llmItems = tf.tensor2d(this.llm.items, [d.numItems, this.llm.dim]);
    }
    this.alignment = createAlignment(align.method, align.options, { cf: this.backbone.outDim, llm: this.llm?.dim ?? 0 }, this.rng.align);
    // Explicit epsilon: tfjs's default follows the backend (1e-4 on 16-bit webgl); 1e-8 is PyTorch's.
    this.optimizer = tf.train.adam(this.config.train.lr, 0.9, 0.999, tf.getBackend() === 'webgl' ? 1e-4 : 1e-8);
  }

  private forwardGraph(): ForwardGraph {
    return {
      graph: this.gt!,
      full: this.fullEdges!,
      dropped: () => {
        const { vals, valsT } = dropEdges(this.graph, this.config.model.keepRate, this.rng.drop);
        return { vals: tf.tensor1d(vals), valsT: tf.tensor1d(valsT) };
      },
      seed: () => this.rng.noise.int(2 ** 31),
    };
  }

  /** One optimisation step on a batch of triples; returns every loss term (weighted) as kept scalars. Unchecked: `epoch()` guards. */
  step(users: Int32Array, pos: Int32Array, neg: Int32Array, epoch = 0, step = 0): Record<string, tf.Scalar> {
    const { terms, grads } = this.gradients(users, pos, neg, epoch, step);
    this.applyGradients(grads);
    return terms;
  }

  /**
   * Loss terms and gradients of one batch, not yet applied, so a caller can
   * check the terms first. Terms and gradients are kept: the caller disposes
   * them (`applyGradients` disposes the gradients).
   */
  private gradients(users: Int32Array, pos: Int32Array, neg: Int32Array, epoch = 0, step = 0): { terms: Record<string, tf.Scalar>; grads: tf.NamedTensorMap } {
    const backbone = this.backbone!, align = this.alignment!, U = this.dataset.numUsers, I = this.dataset.numItems;
    const b = users.length;
    const nodes = new Int32Array(3 * b);
    nodes.set(users, 0);
    for (let k = 0; k < b; k++) {
      nodes[b + k] = U + pos[k]!;
      nodes[2 * b + k] = U + neg[k]!;
    }
    const terms: Record<string, tf.Scalar> = {};
    const fg = this.forwardGraph();
    const vars = this.variables();
    const grads = tf.tidy(() => {
      const nodesT = tf.tensor1d(nodes, 'int32');
      const userT = tf.tensor1d(users, 'int32'), posT = tf.tensor1d(pos, 'int32'), negT = tf.tensor1d(neg, 'int32');
      const batchNodes = { users: nodesT.slice(0, b), pos: nodesT.slice(b, b), neg: nodesT.slice(2 * b, b) };
      const { grads } = tf.variableGrads(() => {
        const ego = backbone.ego();
        const masked = align.maskInput?.(ego, this.rng.mask);
        const all = backbone.trainForward(masked?.masked ?? ego, fg);
        const [eu, ep, en] = tf.split(gatherRows(all, nodesT), 3, 0) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const parts: Record<string, tf.Scalar> = {
          bpr: bprLoss(eu, ep, en),
          reg: tf.mul(l2Reg(vars), this.config.train.regWeight) as tf.Scalar,
          ...backbone.sslLosses(ego, fg, batchNodes),
        };
        if (align.name !== 'none') {
          const [allU, allI] = align.needs.allCF ? (tf.split(all, [U, I], 0) as [tf.Tensor2D, tf.Tensor2D]) : [undefined, undefined];
          const ctx: AlignContext = {
            userCF: eu, itemCF: ep,
            userLLM: tf.gather(this.llmUsers!, userT), itemLLM: tf.gather(this.llmItems!, posT),
            userIdx: userT, itemIdx: posT, userIds: users, itemIds: pos,
            ...(align.needs.negatives ? { negItemCF: en, negItemLLM: tf.gather(this.llmItems!, negT), negItemIdx: negT, negItemIds: neg } : {}),
            ...(allU ? { allUserCF: allU, allItemCF: allI } : {}),
            ...(align.needs.allLLM ? { allUserLLM: this.llmUsers!, allItemLLM: this.llmItems! } : {}),
            epoch, step,
          };
          Object.assign(parts, align.losses(ctx));
        }
        for (const [k, v] of Object.entries(parts)) terms[k] = tf.keep(v);
        return addAll(Object.values(parts)) as tf.Scalar;
      }, vars);
      return grads;
    });
    return { terms, grads };
  }

  /** Applies (and disposes) gradients from `gradients()`. */
  private applyGradients(grads: tf.NamedTensorMap): void {
    this.optimizer!.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }

  /** Changes the optimiser's learning rate mid-run (fault-injection tests use it to make a run diverge). */
  setLearningRate(lr: number): void {
    // tfjs keeps it as a protected field that applyGradients reads on every step.
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /** Final user and item embeddings without dropout, as the model scores them. Caller disposes. */
  embeddings(): { users: tf.Tensor2D; items: tf.Tensor2D } {
    const cf = this.cfEmbeddings();
    try {
      return this.alignment!.scoringEmbeddings(cf.users, cf.items);
    } finally {
      tf.dispose([cf.users, cf.items]);
    }
  }

  /** The frozen LLM tables on the device (null without LLM inputs). Owned by the trainer. */
  llmTables(): { users: tf.Tensor2D; items: tf.Tensor2D } | null {
    return this.llmUsers && this.llmItems ? { users: this.llmUsers, items: this.llmItems } : null;
  }

  /** The backbone's final CF embeddings (no dropout). Caller disposes. */
  cfEmbeddings(): { users: tf.Tensor2D; items: tf.Tensor2D } {
    return tf.tidy(() => {
      const all = this.backbone!.inferForward(this.backbone!.ego(), this.forwardGraph());
      const [users, items] = tf.split(all, [this.dataset.numUsers, this.dataset.numItems], 0) as [tf.Tensor2D, tf.Tensor2D];
      return { users, items };
    });
  }

  async evaluate(split: 'val' | 'test'): Promise<Metrics> {
    const { users, items } = this.embeddings();
    try {
      return await evaluateRanking(users, items, heldOutByUser(this.dataset[split]), this.trainIndex, this.config.train.evalBatch);
    } finally {
      users.dispose();
      items.dispose();
    }
  }

  /** Per-epoch alignment work (DaRec re-clusters); `epoch()` calls it. */
  async epochStart(epoch: number): Promise<void> {
    const a = this.alignment!;
    if (!a.onEpochStart) return;
    const cf = a.needs.epochCF ? this.cfEmbeddings() : null;
    try {
      await a.onEpochStart({ epoch, allUserLLM: this.llmUsers!, allItemLLM: this.llmItems!, ...(cf ? { allUserCF: cf.users, allItemCF: cf.items } : {}) });
    } finally {
      if (cf) tf.dispose([cf.users, cf.items]);
    }
  }

  /** Runs one epoch; returns mean loss terms and wall time, or null when stopped. Throws NumericalFault before applying a non-finite step. */
  async epoch(epoch: number): Promise<{ loss: Record<string, number>; ms: number; steps: number } | null> {
    const t0 = performance.now();
    await this.epochStart(epoch);
    const { users, pos, neg } = sampleEpoch(this.dataset.train, this.trainIndex, this.dataset.numItems, this.rng.sample);
    const bs = this.config.train.batchSize;
    const steps = Math.ceil(users.length / bs);
    const sums: Record<string, number> = {};
    for (let s = 0; s < steps; s++) {
      if (!(await this.control.checkpoint(() => this.emit({ type: 'state', state: 'paused' }), () => this.emit({ type: 'state', state: 'running' })))) return null;
      const a = s * bs, e = Math.min(users.length, a + bs);
      const { terms, grads } = this.gradients(users.subarray(a, e), pos.subarray(a, e), neg.subarray(a, e), epoch, s);
      const loss: Record<string, number> = {};
      for (const [k, t] of Object.entries(terms)) {
        loss[k] = (await t.data())[0]!;
        t.dispose();
      }
      const bad = firstNonFinite(loss);
      if (bad) {
        tf.dispose(Object.values(grads));
        throw new NumericalFault(bad[0], bad[1], epoch, s + 1, steps);
      }
      this.applyGradients(grads);
      for (const [k, v] of Object.entries(loss)) sums[k] = (sums[k] ?? 0) + v;
      this.emit({ type: 'step', epoch, step: s + 1, steps, loss });
    }
    const loss: Record<string, number> = {};
    for (const [k, v] of Object.entries(sums)) loss[k] = v / steps;
    return { loss, ms: performance.now() - t0, steps };
  }

  /** Full run with early stopping; tests at the best validation checkpoint. Null when stopped. */
  async run(): Promise<TrainResult | null> {
    if (!this.backbone) this.init();
    const cfg = this.config.train;
    const d = this.dataset;
    this.emit({
      type: 'start', backend: tf.getBackend(), numUsers: d.numUsers, numItems: d.numItems,
      train: d.train.users.length, val: d.val.users.length, test: d.test.users.length,
      stepsPerEpoch: Math.ceil(d.train.users.length / cfg.batchSize),
    });
    this.emit({ type: 'state', state: 'running' });
    const hasVal = d.val.users.length > 0;
    const st = this.loop;
    let stoppedEarly = false, epoch = st.epoch;
    for (epoch = st.epoch + 1; epoch <= cfg.epochs; epoch++) {
      const r = await this.epoch(epoch);
      if (!r) {
        this.emit({ type: 'state', state: 'stopped' });
        return null;
      }
      st.trainMs += r.ms;
      st.epochsRun++;
      st.lossHistory.push({ epoch, loss: r.loss });
      this.emit({ type: 'epoch', epoch, ms: r.ms, loss: r.loss, numTensors: tf.memory().numTensors, stepsPerSec: r.steps / (r.ms / 1000) });
      let stop = false;
      if (hasVal && (epoch % cfg.evalEvery === 0 || epoch === cfg.epochs)) {
        const t0 = performance.now();
        const val = await this.evaluate('val');
        const score = val['recall@20'] ?? 0;
        const improved = score > st.best;
        st.history.push({ epoch, val });
        this.emit({ type: 'eval', epoch, ms: performance.now() - t0, val, best: improved });
        if (improved) {
          st.best = score;
          st.bestEpoch = epoch;
          st.bad = 0;
          st.bestWeights = await Promise.all(this.variables().map(v => v.data() as Promise<Float32Array>));
        } else if (++st.bad >= cfg.patience) stop = stoppedEarly = true;
      }
      st.epoch = epoch;
      await this.afterEpoch?.(epoch);
      if (stop) break;
    }
    const epochs = Math.min(epoch, cfg.epochs);
    let bestEpoch = st.bestEpoch;
    if (st.bestWeights) this.assignVariables(st.bestWeights);
    else bestEpoch = epochs;
    const test = await this.evaluate('test');
    this.emit({ type: 'test', test, bestEpoch, epochs, stoppedEarly });
    this.emit({ type: 'state', state: 'done' });
    return { test, bestEpoch, epochs, stoppedEarly, history: st.history, lossHistory: st.lossHistory, epochMs: st.trainMs / Math.max(1, st.epochsRun) };
  }

  private assignVariables(values: Float32Array[]): void {
    this.variables().forEach((v, k) => {
      const t = tf.tensor(values[k]!, v.shape);
      v.assign(t);
      t.dispose();
    });
  }

  /**
   * Everything needed to resume after a crash, reload or lost GPU: current and
   * best weights (in variable order), the early-stopping state, Adam's step count
   * and moments, the random streams' states and the alignment's state between
   * epochs (DaRec's clusters), so that a resumed run continues
   * exactly as the uninterrupted one would (on the same backend).
   */
  async saveState(): Promise<SavedState> {
    if (!this.backbone) this.init();
    const { bestWeights, ...loop } = this.loop;
    // Adam's first entry is a fresh int32 scalar (its step count, disposed here); the others are its
    // live float32 moment variables. Their data() is kept as is, like the weights' below: a GPU
    // backend downloads a fresh array, and tfjs never writes a tensor's values in place.
    const weights = await this.optimizer!.getWeights();
    let optimizer: SavedState['optimizer'];
    try {
      optimizer = await Promise.all(weights.map(async ({ tensor }, k) => {
        const data = await tensor.data();
        return { shape: tensor.shape, data: k === 0 ? Float32Array.from(data) : (data as Float32Array) };
      }));
    } finally {
      weights[0]!.tensor.dispose();
    }
    return {
      weights: await Promise.all(this.variables().map(v => v.data() as Promise<Float32Array>)),
      bestWeights,
      shapes: this.variables().map(v => v.shape),
      loop: structuredClone(loop),
      optimizer,
      rng: this.randomStreams().map(r => r.state),
      align: (await this.alignment?.saveEpochState?.()) ?? null,
    };
  }

  /** Validation and loss history so far (for persistence while running). */
  historySoFar(): Pick<TrainResult, 'history' | 'lossHistory'> {
    return { history: this.loop.history, lossHistory: this.loop.lossHistory };
  }

  /**
   * Restores what `saveState` returned; the next `run()` continues at the following epoch.
   * A state without optimiser or random-stream entries (older checkpoints) restarts those.
   */
  async restoreState(s: SavedState): Promise<void> {
    if (!this.backbone) this.init();
    const vars = this.variables();
    if (s.weights.length !== vars.length || vars.some((v, k) => v.size !== s.weights[k]!.length || v.shape.join() !== s.shapes[k]!.join())) {
      throw new Error('the checkpoint does not fit this model (different model, alignment or dataset size)');
    }
    this.assignVariables(s.weights);
    this.loop = { ...structuredClone(s.loop), bestWeights: s.bestWeights };
    // Adam's state must be the step count plus two moments shaped like each variable; anything else (damaged) restarts Adam.
    const fits = s.optimizer?.length === 1 + 2 * vars.length && vars.every((v, k) => [1, 1 + vars.length].every(o => s.optimizer![o + k]!.shape.join() === v.shape.join()));
    if (fits) {
      // Adam keeps first moments then second moments, each in variable order (setWeights copies them).
      const ts = s.optimizer!.map((w, k) => ({ name: `opt${k}`, tensor: tf.tensor(w.data, w.shape) }));
      await this.optimizer!.setWeights(ts);
      tf.dispose(ts.map(t => t.tensor));
    }
    const streams = this.randomStreams();
    if (s.rng?.length === streams.length) streams.forEach((r, k) => { r.state = s.rng![k]!; });
    this.alignment?.restoreEpochState?.(s.align ?? null, { user: this.dataset.numUsers, item: this.dataset.numItems });
  }

  /** Every random stream training draws from: the trainer's, then the alignment's own. */
  private randomStreams(): Rng[] {
    return [...Object.values(this.rng), ...(this.alignment?.randomStreams?.() ?? [])];
  }

  dispose(): void {
    this.gt?.dispose();
    if (this.fullEdges) tf.dispose([this.fullEdges.vals, this.fullEdges.valsT]);
    this.backbone?.dispose();
    this.alignment?.dispose();
    if (this.llmUsers) tf.dispose([this.llmUsers, this.llmItems!]);
    this.optimizer?.dispose();
    this.gt = null;
    this.fullEdges = null;
    this.backbone = null;
    this.alignment = null;
    this.llmUsers = this.llmItems = null;
    this.optimizer = null;
  }
}
