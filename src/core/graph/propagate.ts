import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, KernelBackend } from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { csrSpmm } from './csr';
import type { Graph } from './adjacency';

/**
 * Sparse propagation Y = A X as one tfjs kernel, "CsrSpmm", with its own
 * gradient dX = Aᵀ dY. The CSR structure is symmetric (bipartite graph), so Aᵀ
 * is the same structure with the mirrored values `valsT`; the gradient is the
 * same kernel with vals and valsT swapped. Kernels: typed-array loop on cpu and
 * wasm (read in place from the backend's memory), a WGSL row-per-thread kernel on
 * webgpu. No UnsortedSegmentSum anywhere (wasm has none; cpu's is quadratic).
 */
export const CSR_SPMM = 'CsrSpmm';

interface SpmmInputs {
  rowPtr: TensorInfo;
  colIdx: TensorInfo;
  vals: TensorInfo;
  valsT: TensorInfo;
  x: TensorInfo;
}

type CpuLikeBackend = KernelBackend & {
  readSync(dataId: object): unknown;
  makeTensorInfo?(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): TensorInfo;
  typedArrayFromHeap?(t: TensorInfo): Float32Array | Int32Array;
};

function cpuKernel(args: { inputs: object; backend: object }): TensorInfo {
  const inputs = args.inputs as SpmmInputs;
  const backend = args.backend as CpuLikeBackend;
  const [n, d] = inputs.x.shape as [number, number];
  // wasm: view the heap in place (no copy); cpu: readSync returns the stored array.
  const read = (t: TensorInfo) => (backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : backend.readSync(t.dataId));
  if (backend.typedArrayFromHeap && backend.makeOutput) {
    const out = backend.makeOutput([n, d], 'float32');
    csrSpmm(
      read(inputs.rowPtr) as Int32Array, read(inputs.colIdx) as Int32Array, read(inputs.vals) as Float32Array,
      read(inputs.x) as Float32Array, d, backend.typedArrayFromHeap(out) as Float32Array,
    );
    return out;
  }
  const out = new Float32Array(n * d);
  csrSpmm(read(inputs.rowPtr) as Int32Array, read(inputs.colIdx) as Int32Array, read(inputs.vals) as Float32Array, read(inputs.x) as Float32Array, d, out);
  return backend.makeTensorInfo!([n, d], 'float32', out);
}

function webgpuProgram(n: number, d: number): WebGPUProgram {
  const size = n * d;
  return {
    outputShape: [n, d],
    shaderKey: 'csrSpmm',
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(size / 64), 1, 1],
    variableNames: ['rowPtr', 'colIdx', 'vals', 'x'],
    workgroupSize: [64, 1, 1],
    size: true,
    // One thread per output element: row r, column c; loops over r's neighbours.
    // Adjacent threads share a row, so reads of x are coalesced along c.
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let d = uniforms.outShape[1];
          let r = index / d;
          let c = index - r * d;
          let start = rowPtr[r];
          let end = rowPtr[r + 1];
          var acc = 0.0;
          for (var p = start; p < end; p = p + 1) {
            acc = acc + vals[p] * x[colIdx[p] * d + c];
          }
          setOutputAtIndex(index, acc);
        }
      }`,
  };
}

function webgpuKernel(args: { inputs: object; backend: object }): TensorInfo {
  const inputs = args.inputs as SpmmInputs;
  const backend = args.backend as WebGPUBackend;
  const [n, d] = inputs.x.shape as [number, number];
  return backend.runWebGPUProgram(webgpuProgram(n, d), [inputs.rowPtr, inputs.colIdx, inputs.vals, inputs.x], 'float32');
}

let registered = false;

/** Registers the kernel for every backend and its gradient; idempotent. */
export function registerPropagation(): void {
  if (registered) return;
  registered = true;
  for (const backendName of ['cpu', 'wasm']) tf.registerKernel({ kernelName: CSR_SPMM, backendName, kernelFunc: cpuKernel as never });
  tf.registerKernel({ kernelName: CSR_SPMM, backendName: 'webgpu', kernelFunc: webgpuKernel as never });
  tf.registerGradient({
    kernelName: CSR_SPMM,
    inputsToSave: ['rowPtr', 'colIdx', 'vals', 'valsT'],
    gradFunc: (dy, saved) => {
      const [rowPtr, colIdx, vals, valsT] = saved as tf.Tensor[];
      return {
        x: () => tf.engine().runKernel(CSR_SPMM, { rowPtr: rowPtr!, colIdx: colIdx!, vals: valsT!, valsT: vals!, x: dy as tf.Tensor }) as tf.Tensor,
      };
    },
  });
}

/** The graph's structure on the active backend; values are supplied per call. */
export interface GraphTensors {
  rowPtr: tf.Tensor1D;
  colIdx: tf.Tensor1D;
  n: number;
  dispose(): void;
}

export function uploadGraph(g: Graph): GraphTensors {
  registerPropagation();
  const rowPtr = tf.tensor1d(g.rowPtr, 'int32');
  const colIdx = tf.tensor1d(g.colIdx, 'int32');
  return { rowPtr, colIdx, n: g.n, dispose: () => { rowPtr.dispose(); colIdx.dispose(); } };
}

/** Y = A X where A has the uploaded structure and values `vals` (mirror `valsT`). */
export function propagate(gt: GraphTensors, vals: tf.Tensor1D, valsT: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor2D {
  return tf.engine().runKernel(CSR_SPMM, { rowPtr: gt.rowPtr, colIdx: gt.colIdx, vals, valsT, x }) as tf.Tensor2D;
}
