/*
 * Plain-loop float64 references for the alignment losses. Written independently of the tfjs
 * code (direct pair loops, explicit softmax), so agreement checks the math, and central finite
 * differences of these give trustworthy gradients (no float32 cancellation).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng';

export type M = number[][];

export function randMat(rng: Rng, n: number, d: number, scale = 1): M {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() * scale));
}

export function t2(m: M): tf.Tensor2D {
  return tf.tensor2d(m, [m.length, (m[0] as number[]).length], 'float32');
}

export const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * (b[i] as number), 0);

export function normRow(a: number[], eps = 1e-12): number[] {
  const inv = 1 / Math.sqrt(dot(a, a) + eps);
  return a.map(v => v * inv);
}

export const normRows = (m: M, eps = 1e-12): M => m.map(r => normRow(r, eps));

export function lse(xs: number[]): number {
  const mx = Math.max(...xs);
  return mx + Math.log(xs.reduce((s, v) => s + Math.exp(v - mx), 0));
}

export function orthCosRef(s: M, p: M): number {
  let acc = 0;
  for (let k = 0; k < s.length; k++) acc += dot(normRow(s[k] as number[]), normRow(p[k] as number[])) ** 2;
  return acc / s.length;
}

export function orthFrobRef(s: M, p: M): number {
  const n = s.length;
  const sn = normRows(s);
  const pn = normRows(p);
  const d1 = (s[0] as number[]).length;
  const d2 = (p[0] as number[]).length;
  let acc = 0;
  for (let a = 0; a < d1; a++)
    for (let b = 0; b < d2; b++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += (sn[k] as number[])[a]! * (pn[k] as number[])[b]!;
      acc += (v / n) ** 2;
    }
  return acc;
}

export function uniformityRef(x: M, t = 2): number {
  const xn = normRows(x);
  let acc = 0;
  let cnt = 0;
  for (let i = 0; i < xn.length; i++)
    for (let j = i + 1; j < xn.length; j++) {
      let d2 = 0;
      for (let c = 0; c < (xn[i] as number[]).length; c++) d2 += ((xn[i] as number[])[c]! - (xn[j] as number[])[c]!) ** 2;
      acc += Math.exp(-t * d2);
      cnt++;
    }
  return Math.log(acc / cnt);
}

function cosMat(x: M): M {
  const xn = normRows(x);
  return xn.map(a => xn.map(b => dot(a, b)));
}

export function globalMseRef(sc: M, sl: M): number {
  const c = cosMat(sc);
  const l = cosMat(sl);
  const n = sc.length;
  let acc = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) acc += ((c[i] as number[])[j]! - (l[i] as number[])[j]!) ** 2;
  return acc / (n * n);
}

export function globalKlRef(sc: M, sl: M, tau: number): number {
  const c = cosMat(sc);
  const l = cosMat(sl);
  const n = sc.length;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const js = [...Array(n).keys()].filter(j => j !== i);
    const lc = js.map(j => (c[i] as number[])[j]! / tau);
    const ll = js.map(j => (l[i] as number[])[j]! / tau);
    const zc = lse(lc);
    const zl = lse(ll);
    for (let k = 0; k < js.length; k++) {
      const logP = ll[k]! - zl;
      const logQ = lc[k]! - zc;
      acc += Math.exp(logP) * (logP - logQ);
    }
  }
  return acc / n;
}

export function mseRef(a: M, b: M): number {
  let acc = 0;
  let cnt = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < (a[i] as number[]).length; j++) {
      acc += ((a[i] as number[])[j]! - (b[i] as number[])[j]!) ** 2;
      cnt++;
    }
  return acc / cnt;
}

/** mean_i [ -cos(a_i,b_i)/τ + log Σ_j exp(cos(a_i, all_j)/τ) ]. */
export function infoNCERef(a: M, b: M, tau: number, all?: M, eps = 1e-12): number {
  const an = normRows(a, eps);
  const bn = normRows(b, eps);
  const alln = all ? normRows(all, eps) : bn;
  let acc = 0;
  for (let i = 0; i < an.length; i++) {
    const ai = an[i] as number[];
    acc += -dot(ai, bn[i] as number[]) / tau + lse(alln.map(r => dot(ai, r) / tau));
  }
  return acc / an.length;
}

export const symInfoNCERef = (a: M, b: M, tau: number): number => 0.5 * (infoNCERef(a, b, tau) + infoNCERef(b, a, tau));

/** Centres (means of normalised rows) of clusters present on both sides, in ascending cluster id. */
export function hardCentresRef(sc: M, sl: M, idsC: number[], idsL: number[]): { cc: M; cl: M } {
  const scn = normRows(sc);
  const sln = normRows(sl);
  const present = [...new Set(idsC)].filter(c => idsL.includes(c)).sort((x, y) => x - y);
  const mean = (rows: M, ids: number[], c: number): number[] => {
    const sel = rows.filter((_, r) => ids[r] === c);
    return (sel[0] as number[]).map((_, j) => sel.reduce((s, r) => s + (r[j] as number), 0) / sel.length);
  };
  return { cc: present.map(c => mean(scn, idsC, c)), cl: present.map(c => mean(sln, idsL, c)) };
}

export function studentTRef(x: M, mu: M, alpha: number): M {
  return x.map(r => {
    const k = mu.map(m => (1 + r.reduce((s, v, j) => s + (v - (m[j] as number)) ** 2, 0) / alpha) ** (-(alpha + 1) / 2));
    const z = k.reduce((s, v) => s + v, 0);
    return k.map(v => v / z);
  });
}

export function softCentresRef(x: M, q: M): M {
  const K = (q[0] as number[]).length;
  return Array.from({ length: K }, (_, k) => {
    const w = q.map(r => r[k] as number);
    const z = w.reduce((s, v) => s + v, 0);
    return (x[0] as number[]).map((_, j) => x.reduce((s, r, i) => s + (w[i] as number) * (r[j] as number), 0) / z);
  });
}

export interface MlpW {
  w1: M;
  b1: number[];
  w2: M;
  b2: number[];
  slope: number;
}

export function mlpRef(x: M, w: MlpW): M {
  const lin = (inp: number[], W: M, b: number[]): number[] =>
    b.map((bv, o) => bv + inp.reduce((s, v, i) => s + v * (W[i] as number[])[o]!, 0));
  return x.map(r => {
    const h = lin(r, w.w1, w.b1).map(v => (v > 0 ? v : v * w.slope));
    return lin(h, w.w2, w.b2);
  });
}

/** Central finite differences of a float64 function of several matrices. */
export function fdGrad(f: (xs: M[]) => number, xs: M[], h = 1e-5): M[] {
  return xs.map((x, xi) =>
    x.map((row, i) =>
      row.map((_, j) => {
        const plus = xs.map(m => m.map(r => r.slice()));
        const minus = xs.map(m => m.map(r => r.slice()));
        (plus[xi] as M)[i]![j]! += h;
        (minus[xi] as M)[i]![j]! -= h;
        return (f(plus) - f(minus)) / (2 * h);
      }),
    ),
  );
}

/** max |a−b| / max(1, max|b|): a scale-aware error for float32 results against float64 ones. */
export function relErr(a: M | number[] | number, b: M | number[] | number): number {
  const fa = [a].flat(2) as number[];
  const fb = [b].flat(2) as number[];
  if (fa.length !== fb.length) throw new Error(`length ${fa.length} vs ${fb.length}`);
  let err = 0;
  let scale = 1;
  for (let i = 0; i < fa.length; i++) {
    err = Math.max(err, Math.abs((fa[i] as number) - (fb[i] as number)));
    scale = Math.max(scale, Math.abs(fb[i] as number));
  }
  return err / scale;
}

/** tfjs gradient of a scalar function of matrices, as arrays (inputs created and disposed here). */
export function tfGrad(f: (...xs: tf.Tensor2D[]) => tf.Scalar, xs: M[]): { value: number; grads: M[] } {
  return tf.tidy(() => {
    const ts = xs.map(t2);
    const g = tf.valueAndGrads((...a: tf.Tensor[]) => f(...(a as tf.Tensor2D[])))(ts);
    return { value: g.value.dataSync()[0] as number, grads: g.grads.map(x => x.arraySync() as M) };
  });
}
