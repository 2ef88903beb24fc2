import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

/**
 * Runs another kernel registered for `backendName` on `backend` from inside a kernel function,
 * bypassing the engine: no tape, no tensor tracking. The caller disposes what it gets back
 * with {@link disposeIntermediate}.
 */
export function runBackendKernel(
  backendName: string,
  backend: KernelBackend,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`Kernel '${kernelName}' is not registered for backend '${backendName}'`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`Kernel '${kernelName}' returned several outputs`);
  return out;
}

/** Releases an intermediate result of {@link runBackendKernel}. */
export function disposeIntermediate(backend: KernelBackend, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}
