import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/**
 * A backend that keeps each tensor in one linear heap and lets JS read and write it in place:
 * the wasm backend's `makeOutput` and `typedArrayFromHeap` (public on `BackendWasm`).
 */
export interface HeapBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): backend_util.TypedArray;
}

/** Whether `backend` lets kernels work on its heap directly (the wasm backend does). */
export function isHeapBackend(backend: KernelBackend): backend is HeapBackend {
  const candidate = backend as Partial<HeapBackend>;
  return typeof candidate.makeOutput === 'function' && typeof candidate.typedArrayFromHeap === 'function';
}

/**
 * A float32 view of a tensor's data on the heap. Growing the heap detaches earlier views, so
 * take views after the last allocation that precedes their use.
 */
export function heapView(backend: HeapBackend, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The same data read with another shape of the same size, as a kernel input (not to dispose). */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}
