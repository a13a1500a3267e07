import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import type { RunConfig } from '../config';
import { Rng } from '../rng';
import { buildGraph, dropEdges, type Graph } from '../graph/adjacency';
import { uploadGraph, type GraphTensors } from '../graph/propagate';
import { LightGCN, type EdgeValues } from '../models/lightgcn';
import { sampleEpoch, userItemIndex, type UserItems } from './sampler';
import { bprLoss, l2Reg } from './losses';
import { gatherRows } from './gatherRows';
import { evaluateRanking, heldOutByUser } from '../eval/evaluator';
import type { Metrics } from '../eval/metrics';
import type { TrainListener } from './events';
import { RunControl } from './control';

export interface TrainResult {
  test: Metrics;
  bestEpoch: number;
  epochs: number;
  stoppedEarly: boolean;
  history: { epoch: number; val: Metrics }[];
}

/**
 * The training loop: BPR over LightGCN with RLMRec's protocol (one shuffled
 * pass over the training interactions per epoch, a fresh edge dropout per
 * batch, validation every N epochs, early stopping on validation Recall@20,
 * test at the best checkpoint). Reports through events; owns and disposes
 * every long-lived tensor.
 */
export class Trainer {
  readonly graph: Graph;
  readonly trainIndex: UserItems;
  private gt: GraphTensors | null = null;
  private fullEdges: EdgeValues | null = null;
  model: LightGCN | null = null;
  private optimizer: tf.Optimizer | null = null;
  private readonly rngInit: Rng;
  private readonly rngSample: Rng;
  private readonly rngDrop: Rng;

  constructor(
    readonly dataset: Dataset,
    readonly config: RunConfig,
    private readonly emit: TrainListener = () => {},
    readonly control: RunControl = new RunControl(),
  ) {
    const root = new Rng(config.seed);
    this.rngInit = root.fork();
    this.rngSample = root.fork();
    this.rngDrop = root.fork();
    this.graph = buildGraph(dataset.train, dataset.numUsers, dataset.numItems);
    this.trainIndex = userItemIndex(dataset.train, dataset.numUsers);
  }

  /** Allocates tensors on the active backend. */
  init(): void {
    const { model } = this.config;
    this.gt = uploadGraph(this.graph);
    this.fullEdges = { vals: tf.tensor1d(this.graph.vals), valsT: tf.tensor1d(this.graph.vals) };
    this.model = new LightGCN(this.dataset.numUsers, this.dataset.numItems, model.embeddingSize, model.layers, model.combine, this.rngInit);
    // Explicit epsilon: tfjs's default follows the backend (1e-4 on 16-bit webgl); 1e-8 is PyTorch's.
    this.optimizer = tf.train.adam(this.config.train.lr, 0.9, 0.999, tf.getBackend() === 'webgl' ? 1e-4 : 1e-8);
  }

  /** One BPR step on a batch of triples; returns the loss terms as tensors kept alive for reading. */
  step(users: Int32Array, pos: Int32Array, neg: Int32Array): Record<string, tf.Scalar> {
    const gt = this.gt!, model = this.model!, U = this.dataset.numUsers;
    const { vals, valsT } = dropEdges(this.graph, this.config.model.keepRate, this.rngDrop);
    const b = users.length;
    const idx = new Int32Array(3 * b);
    idx.set(users, 0);
    for (let k = 0; k < b; k++) {
      idx[b + k] = U + pos[k]!;
      idx[2 * b + k] = U + neg[k]!;
    }
    const terms: Record<string, tf.Scalar> = {};
    tf.tidy(() => {
      const edges = { vals: tf.tensor1d(vals), valsT: tf.tensor1d(valsT) };
      const idxT = tf.tensor1d(idx, 'int32');
      this.optimizer!.minimize(() => {
        const all = model.forward(gt, edges);
        const rows = gatherRows(all, idxT);
        const [eu, ep, en] = tf.split(rows, 3, 0) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const bpr = bprLoss(eu, ep, en);
        const reg = tf.mul(l2Reg(model.variables()), this.config.train.regWeight) as tf.Scalar;
        terms.bpr = tf.keep(bpr);
        terms.reg = tf.keep(reg);
        return tf.add(bpr, reg) as tf.Scalar;
      }, false, model.variables());
    });
    return terms;
  }

  /** Final user and item embeddings without dropout. Caller disposes. */
  embeddings(): { users: tf.Tensor2D; items: tf.Tensor2D } {
    return tf.tidy(() => {
      const all = this.model!.forward(this.gt!, this.fullEdges!);
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

  /** Runs one epoch; returns mean loss terms and wall time. */
  async epoch(epoch: number): Promise<{ loss: Record<string, number>; ms: number; steps: number } | null> {
    const t0 = performance.now();
    const { users, pos, neg } = sampleEpoch(this.dataset.train, this.trainIndex, this.dataset.numItems, this.rngSample);
    const bs = this.config.train.batchSize;
    const steps = Math.ceil(users.length / bs);
    const sums: Record<string, number> = {};
    for (let s = 0; s < steps; s++) {
      if (!(await this.control.checkpoint(() => this.emit({ type: 'state', state: 'paused' }), () => this.emit({ type: 'state', state: 'running' })))) return null;
      const a = s * bs, e = Math.min(users.length, a + bs);
      const terms = this.step(users.subarray(a, e), pos.subarray(a, e), neg.subarray(a, e));
      const loss: Record<string, number> = {};
      for (const [k, t] of Object.entries(terms)) {
        loss[k] = (await t.data())[0]!;
        t.dispose();
        sums[k] = (sums[k] ?? 0) + loss[k]!;
      }
      this.emit({ type: 'step', epoch, step: s + 1, steps, loss });
    }
    const loss: Record<string, number> = {};
    for (const [k, v] of Object.entries(sums)) loss[k] = v / steps;
    return { loss, ms: performance.now() - t0, steps };
  }

  /** Full run with early stopping; tests at the best validation checkpoint. */
  async run(): Promise<TrainResult | null> {
    if (!this.model) this.init();
    const cfg = this.config.train;
    const d = this.dataset;
    this.emit({
      type: 'start', backend: tf.getBackend(), numUsers: d.numUsers, numItems: d.numItems,
      train: d.train.users.length, val: d.val.users.length, test: d.test.users.length,
      stepsPerEpoch: Math.ceil(d.train.users.length / cfg.batchSize),
    });
    this.emit({ type: 'state', state: 'running' });
    const hasVal = d.val.users.length > 0;
    let best = -Infinity, bestEpoch = 0, bad = 0, stoppedEarly = false, epoch = 0;
    let checkpoint: Float32Array[] | null = null;
    const history: TrainResult['history'] = [];
    for (epoch = 1; epoch <= cfg.epochs; epoch++) {
      const r = await this.epoch(epoch);
      if (!r) {
        this.emit({ type: 'state', state: 'stopped' });
        return null;
      }
      this.emit({ type: 'epoch', epoch, ms: r.ms, loss: r.loss, numTensors: tf.memory().numTensors, stepsPerSec: r.steps / (r.ms / 1000) });
      if (hasVal && (epoch % cfg.evalEvery === 0 || epoch === cfg.epochs)) {
        const t0 = performance.now();
        const val = await this.evaluate('val');
        const score = val['recall@20'] ?? 0;
        const improved = score > best;
        history.push({ epoch, val });
        this.emit({ type: 'eval', epoch, ms: performance.now() - t0, val, best: improved });
        if (improved) {
          best = score;
          bestEpoch = epoch;
          bad = 0;
          checkpoint = await Promise.all(this.model!.variables().map(v => v.data() as Promise<Float32Array>));
        } else if (++bad >= cfg.patience) {
          stoppedEarly = true;
          break;
        }
      }
    }
    const epochs = Math.min(epoch, cfg.epochs);
    if (checkpoint) {
      this.model!.variables().forEach((v, k) => {
        const t = tf.tensor(checkpoint![k]!, v.shape);
        v.assign(t);
        t.dispose();
      });
    }
    else bestEpoch = epochs;
    const test = await this.evaluate('test');
    this.emit({ type: 'test', test, bestEpoch, epochs, stoppedEarly });
    this.emit({ type: 'state', state: 'done' });
    return { test, bestEpoch, epochs, stoppedEarly, history };
  }

  dispose(): void {
    this.gt?.dispose();
    this.fullEdges?.vals.dispose();
    this.fullEdges?.valsT.dispose();
    this.model?.dispose();
    this.optimizer?.dispose();
    this.gt = null;
    this.fullEdges = null;
    this.model = null;
    this.optimizer = null;
  }
}
