import type { Interactions } from '../data/types';
import type { Rng } from '../rng';

/**
 * Normalised bipartite adjacency D^-1/2 A D^-1/2 of the training graph, as CSR
 * over n = users + items nodes (users first, items offset by numUsers), with the
 * same construction as RLMRec's `_make_torch_adj` (no self loops, duplicates
 * merged). The structure is symmetric; `transposePos[p]` is the position of the
 * mirrored entry (c, r) of entry p = (r, c), so the values of Aᵀ after an
 * asymmetric edge dropout are a gather of A's values over the same structure.
 */
export interface Graph {
  numUsers: number;
  numItems: number;
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  vals: Float32Array;
  transposePos: Int32Array;
}

export function buildGraph(train: Interactions, numUsers: number, numItems: number): Graph {
  const n = numUsers + numItems;
  // Unique (user, item) pairs, sorted by user then item.
  const keys = new Float64Array(train.users.length);
  for (let k = 0; k < keys.length; k++) keys[k] = train.users[k]! * numItems + train.items[k]!;
  keys.sort();
  let m = 0;
  for (let k = 0; k < keys.length; k++) if (k === 0 || keys[k] !== keys[k - 1]) keys[m++] = keys[k]!;
  const deg = new Int32Array(n);
  for (let k = 0; k < m; k++) {
    const u = Math.floor(keys[k]! / numItems);
    const i = keys[k]! - u * numItems;
    deg[u]!++;
    deg[numUsers + i]!++;
  }
  const rowPtr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) rowPtr[r + 1] = rowPtr[r]! + deg[r]!;
  const nnz = rowPtr[n]!;
  const colIdx = new Int32Array(nnz);
  const cursor = rowPtr.slice(0, n);
  // User rows get items in ascending order because keys are sorted by (u, i);
  // item rows get users in ascending order for the same reason.
  for (let k = 0; k < m; k++) {
    const u = Math.floor(keys[k]! / numItems);
    const i = keys[k]! - u * numItems;
    colIdx[cursor[u]!++] = numUsers + i;
    colIdx[cursor[numUsers + i]!++] = u;
  }
  const vals = new Float32Array(nnz);
  for (let r = 0; r < n; r++) {
    for (let p = rowPtr[r]!; p < rowPtr[r + 1]!; p++) vals[p] = 1 / Math.sqrt(deg[r]! * deg[colIdx[p]!]!);
  }
  const transposePos = new Int32Array(nnz);
  const tcur = rowPtr.slice(0, n);
  // Visiting rows in ascending r, entry (c, r) is the next unseen one of row c.
  for (let r = 0; r < n; r++) {
    for (let p = rowPtr[r]!; p < rowPtr[r + 1]!; p++) transposePos[p] = tcur[colIdx[p]!]!++;
  }
  return { numUsers, numItems, n, rowPtr, colIdx, vals, transposePos };
}

/**
 * RLMRec's SpAdjEdgeDrop: every stored entry is kept with probability keepRate,
 * independently (so the result is not symmetric) and kept values are not
 * rescaled. Returns the values of A and of Aᵀ over the shared structure.
 */
export function dropEdges(g: Graph, keepRate: number, rng: Rng): { vals: Float32Array; valsT: Float32Array } {
  const nnz = g.vals.length;
  const vals = new Float32Array(nnz);
  if (keepRate >= 1) vals.set(g.vals);
  else for (let p = 0; p < nnz; p++) vals[p] = rng.next() < keepRate ? g.vals[p]! : 0;
  const valsT = new Float32Array(nnz);
  for (let p = 0; p < nnz; p++) valsT[p] = vals[g.transposePos[p]!]!;
  return { vals, valsT };
}
