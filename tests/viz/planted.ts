import { Rng } from '../../src/core/rng';
import type { PointSet } from '../../src/core/viz/types';

/** Well-separated isotropic Gaussian clusters: centres ~N(0, sep^2) per coordinate, unit noise. */
export function plantedClusters(n: number, dim: number, clusters: number, seed: number, sep = 10): { x: PointSet; labels: Int32Array } {
  const rng = new Rng(seed);
  const centres = Float64Array.from({ length: clusters * dim }, () => rng.normal() * sep);
  const data = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let a = 0; a < dim; a++) data[i * dim + a] = centres[c * dim + a]! + rng.normal();
  }
  return { x: { n, dim, data }, labels };
}
