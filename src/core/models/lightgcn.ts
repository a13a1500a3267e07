import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import type { LayerCombine } from '../config';
import { propagate, type GraphTensors } from '../graph/propagate';

/** Xavier-uniform [rows, cols] as torch.nn.init.xavier_uniform_ does for a 2-D tensor. */
export function xavierUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const bound = Math.sqrt(6 / (rows + cols));
  const a = new Float32Array(rows * cols);
  for (let k = 0; k < a.length; k++) a[k] = (rng.next() * 2 - 1) * bound;
  return a;
}

/** A trainable variable from values; the temporary tensor is released. Names are unique per model instance. */
export function makeVariable(values: Float32Array, shape: [number, number], name: string): tf.Variable<tf.Rank.R2> {
  const t = tf.tensor2d(values, shape);
  const v = tf.variable(t, true, `${name}_${nextId++}`);
  t.dispose();
  return v;
}
let nextId = 0;

/** Edge values of one forward pass (after dropout) and of its transpose. */
export interface EdgeValues {
  vals: tf.Tensor1D;
  valsT: tf.Tensor1D;
}

/**
 * LightGCN (He et al. 2020) as RLMRec implements it: ego embeddings of users
 * and items stacked into one [U+I, d] table, `layers` propagations over the
 * normalised adjacency, combined by sum (RLMRec's code) or mean (the paper).
 * Variable names follow PyTorch's module layout so exports map one to one.
 */
export class LightGCN {
  readonly userEmb: tf.Variable<tf.Rank.R2>;
  readonly itemEmb: tf.Variable<tf.Rank.R2>;

  constructor(
    readonly numUsers: number,
    readonly numItems: number,
    readonly dim: number,
    readonly layers: number,
    readonly combine: LayerCombine,
    rng: Rng,
  ) {
    this.userEmb = makeVariable(xavierUniform(numUsers, dim, rng), [numUsers, dim], 'user_embeds');
    this.itemEmb = makeVariable(xavierUniform(numItems, dim, rng), [numItems, dim], 'item_embeds');
  }

  variables(): tf.Variable[] {
    return [this.userEmb, this.itemEmb];
  }

  /** Final embeddings of all nodes, [U+I, d] (users first). Call inside a tidy. */
  forward(graph: GraphTensors, edges: EdgeValues): tf.Tensor2D {
    let h: tf.Tensor2D = tf.concat([this.userEmb, this.itemEmb], 0);
    let total = h;
    for (let l = 0; l < this.layers; l++) {
      h = propagate(graph, edges.vals, edges.valsT, h);
      total = tf.add(total, h);
    }
    return this.combine === 'mean' ? tf.div(total, this.layers + 1) : total;
  }

  dispose(): void {
    this.userEmb.dispose();
    this.itemEmb.dispose();
  }
}
