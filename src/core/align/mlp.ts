import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { mm } from './ops';

import { RLMREC_LEAKY_SLOPE } from './constants';

export { RLMREC_LEAKY_SLOPE };

let instanceCounter = 0;
/**
 * tfjs keeps one global registry of variable names and throws on duplicates, so every
 * alignment instance gets its own prefix; exporters use the logical names instead.
 */
export function uniqueScope(prefix: string): string {
  instanceCounter += 1;
  return `${prefix}#${instanceCounter}`;
}

/** Xavier/Glorot uniform `[rows, cols]`, as `nn.init.xavier_uniform_` (gain 1), drawn from `rng`. */
export function xavierUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const a = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * a;
  return out;
}

/** A Linear layer's default PyTorch bias init U(-1/sqrt(in), 1/sqrt(in)); RLMRec re-initialises only weights. */
function torchBias(fanIn: number, n: number, rng: Rng): Float32Array {
  const b = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.next() - 1) * b;
  return out;
}

/** A trainable variable from `init`, which is disposed (tf.variable keeps its own reference to the data). */
export function ownedVariable(init: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(init, true, name);
  init.dispose();
  return v;
}

export interface MlpOptions {
  /** Hidden width; default `floor((in + out) / 2)` as RLMRec (Python `//`). */
  hidden?: number;
  leakySlope?: number;
}

/**
 * Two-layer perceptron `in -> hidden -> out` with LeakyReLU between, on plain variables
 * (no tf.layers: names and layouts stay under our control for export).
 * Weights are stored `[in, out]` so the forward is `x @ W + b`; PyTorch's Linear keeps
 * `[out, in]`, so an exporter transposes every `*.weight`.
 */
export class Mlp {
  readonly inDim: number;
  readonly hidden: number;
  readonly outDim: number;
  readonly slope: number;
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;
  /** Logical name, e.g. `sharedCF` → `sharedCF.0.weight` (PyTorch Sequential indices 0 and 2). */
  readonly name: string;

  constructor(name: string, scope: string, inDim: number, outDim: number, rng: Rng, opts: MlpOptions = {}) {
    this.name = name;
    this.inDim = inDim;
    this.outDim = outDim;
    this.hidden = opts.hidden ?? Math.floor((inDim + outDim) / 2);
    this.slope = opts.leakySlope ?? RLMREC_LEAKY_SLOPE;
    const h = this.hidden;
    // Init order fixed (w1, b1, w2, b2) so a seed gives the same weights everywhere.
    this.w1 = ownedVariable(tf.tensor2d(xavierUniform(inDim, h, rng), [inDim, h]), `${scope}/${name}.0.weight`);
    this.b1 = ownedVariable(tf.tensor1d(torchBias(inDim, h, rng)), `${scope}/${name}.0.bias`);
    this.w2 = ownedVariable(tf.tensor2d(xavierUniform(h, outDim, rng), [h, outDim]), `${scope}/${name}.2.weight`);
    this.b2 = ownedVariable(tf.tensor1d(torchBias(h, outDim, rng)), `${scope}/${name}.2.bias`);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.leakyRelu(tf.add(mm(x, this.w1 as tf.Tensor2D), this.b1), this.slope) as tf.Tensor2D;
      return tf.add(mm(h, this.w2 as tf.Tensor2D), this.b2) as tf.Tensor2D;
    });
  }

  /** Applies the MLP in row chunks, for whole tables outside training (bounds the hidden activation's memory). */
  applyChunked(x: tf.Tensor2D, chunk = 4096): tf.Tensor2D {
    const n = x.shape[0];
    if (n <= chunk) return this.apply(x);
    return tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      for (let s = 0; s < n; s += chunk) {
        parts.push(this.apply(tf.slice(x, [s, 0], [Math.min(chunk, n - s), -1])));
      }
      return tf.concat(parts, 0);
    });
  }

  variables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  namedVariables(): Record<string, tf.Variable> {
    return {
      [`${this.name}.0.weight`]: this.w1,
      [`${this.name}.0.bias`]: this.b1,
      [`${this.name}.2.weight`]: this.w2,
      [`${this.name}.2.bias`]: this.b2,
    };
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
