import * as tf from '@tensorflow/tfjs';
import { addAll } from '../addAll';
import type { Rng } from '../rng';
import { propagate, type GraphTensors } from '../graph/propagate';
import { gatherRows } from '../train/gatherRows';
import { infoNCE } from '../align/ops';
import { makeVariable, xavierUniform, type EdgeValues } from './params';

/**
 * The collaborative-filtering backbones DaRec plugs into, as RLMRec's
 * encoder/models/general_cf implements them. Every backbone owns a user and an
 * item embedding table (the "ego" table [U+I, d] when stacked) and maps it to
 * final node embeddings; SGL and SimGCL add their own contrastive loss.
 */
export { BACKBONES, BACKBONE_PRESETS, type BackboneName, type BackboneOptions } from './presets';
import type { BackboneName, BackboneOptions } from './presets';

/** What a forward pass may use: the graph, its undropped values and a source of fresh dropout samples. */
export interface ForwardGraph {
  graph: GraphTensors;
  full: EdgeValues;
  /** A new edge-dropout sample (tensors live in the caller's tidy scope). */
  dropped(): EdgeValues;
  /** A fresh integer seed for on-device noise (SimGCL). */
  seed(): number;
}

/** Node ids of the batch: users 0..U-1, items offset by U. */
export interface BatchNodes {
  users: tf.Tensor1D;
  pos: tf.Tensor1D;
  neg: tf.Tensor1D;
}

export class Backbone {
  readonly userEmb: tf.Variable<tf.Rank.R2>;
  readonly itemEmb: tf.Variable<tf.Rank.R2>;
  /** Width of the final embeddings (GCCF concatenates its layers). */
  readonly outDim: number;

  constructor(readonly numUsers: number, readonly numItems: number, readonly opts: BackboneOptions, rng: Rng) {
    this.userEmb = makeVariable(xavierUniform(numUsers, opts.dim, rng), [numUsers, opts.dim], 'user_embeds');
    this.itemEmb = makeVariable(xavierUniform(numItems, opts.dim, rng), [numItems, opts.dim], 'item_embeds');
    this.outDim = opts.name === 'gccf' ? opts.dim * (opts.layers + 1) : opts.dim;
  }

  get name(): BackboneName {
    return this.opts.name;
  }

  variables(): tf.Variable[] {
    return [this.userEmb, this.itemEmb];
  }

  /** PyTorch-style names (RLMRec's parameter names) for export. */
  namedVariables(): Record<string, tf.Variable> {
    return { user_embeds: this.userEmb, item_embeds: this.itemEmb };
  }

  /** The stacked ego table [U+I, d]. */
  ego(): tf.Tensor2D {
    return tf.concat([this.userEmb, this.itemEmb], 0);
  }

  /** Layer outputs 0..L over `edges`, with optional per-layer perturbation (SimGCL). */
  private layers(ego: tf.Tensor2D, g: ForwardGraph, edges: EdgeValues, perturb?: (h: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D[] {
    const out = [ego];
    let h = ego;
    for (let l = 0; l < this.opts.layers; l++) {
      h = propagate(g.graph, edges.vals, edges.valsT, h);
      if (perturb) h = perturb(h);
      out.push(h);
    }
    return out;
  }

  private combine(hs: tf.Tensor2D[]): tf.Tensor2D {
    if (this.opts.name === 'gccf') return tf.concat(hs, 1);
    const s = hs.length === 1 ? hs[0]! : (addAll(hs) as tf.Tensor2D);
    return this.opts.combine === 'mean' && hs.length > 1 ? tf.div(s, hs.length) : s;
  }

  /**
   * Final embeddings used by BPR and the alignment during training. LightGCN
   * propagates over a fresh edge-dropout sample; SGL and SimGCL score BPR on the
   * clean graph (their augmentations only feed the contrastive loss); GCCF
   * propagates the full graph; MF has no propagation.
   */
  trainForward(ego: tf.Tensor2D, g: ForwardGraph): tf.Tensor2D {
    if (this.opts.name === 'mf') return ego;
    return this.combine(this.layers(ego, g, this.opts.name === 'lightgcn' ? g.dropped() : g.full));
  }

  /** Final embeddings for evaluation (no dropout, no noise). */
  inferForward(ego: tf.Tensor2D, g: ForwardGraph): tf.Tensor2D {
    if (this.opts.name === 'mf') return ego;
    return this.combine(this.layers(ego, g, g.full));
  }

  /** The backbone's own self-supervised loss, weighted, by name ({} when it has none). */
  sslLosses(ego: tf.Tensor2D, g: ForwardGraph, b: BatchNodes): Record<string, tf.Scalar> {
    const { weight, temperature: tau, eps } = this.opts.ssl;
    if (weight === 0 || (this.opts.name !== 'sgl' && this.opts.name !== 'simgcl')) return {};
    const U = this.numUsers;
    let v1: tf.Tensor2D, v2: tf.Tensor2D;
    if (this.opts.name === 'sgl') {
      // Two edge-dropout views of the graph (SGL-ED), as RLMRec's sgl.py.
      v1 = this.combine(this.layers(ego, g, g.dropped()));
      v2 = this.combine(this.layers(ego, g, g.dropped()));
    } else {
      // SimGCL: add sign-aligned random noise of radius eps after every layer.
      const perturb = (h: tf.Tensor2D) => {
        const noise = tf.randomUniform(h.shape, 0, 1, 'float32', g.seed());
        const unit = tf.mul(noise, tf.rsqrt(tf.add(tf.sum(tf.square(noise), 1, true), 1e-24)));
        return tf.add(h, tf.mul(tf.mul(unit, tf.sign(h)), eps)) as tf.Tensor2D;
      };
      v1 = this.combine(this.layers(ego, g, g.full, perturb));
      v2 = this.combine(this.layers(ego, g, g.full, perturb));
    }
    const [u2, i2] = tf.split(v2, [U, this.numItems], 0) as [tf.Tensor2D, tf.Tensor2D];
    const row = (v: tf.Tensor2D, idx: tf.Tensor1D) => gatherRows(v, idx);
    let cl = tf.add(
      infoNCE(row(v1, b.users), row(v2, b.users), tau, u2),
      infoNCE(row(v1, b.pos), row(v2, b.pos), tau, i2),
    );
    // RLMRec's SGL also contrasts the negatives; its SimGCL does not.
    if (this.opts.name === 'sgl') cl = tf.add(cl, infoNCE(row(v1, b.neg), row(v2, b.neg), tau, i2));
    return { cl: tf.mul(cl, weight) as tf.Scalar };
  }

  dispose(): void {
    this.userEmb.dispose();
    this.itemEmb.dispose();
  }
}
