import {
  Identity,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';

/**
 * An `Identity` that shares its input's data (one more reference) instead of copying it, as the
 * cpu backend's does. tfjs clones every tensor a gradient needs with this kernel; the wasm
 * backend's own copies each one, which doubled the memory a training step holds for backward
 * and spent time on the copies. Tensors are immutable, so sharing is safe; strings keep the copy.
 */
export function sharingIdentityConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return original.kernelFunc(args);
    (args.backend as KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: Identity, backendName: original.backendName, kernelFunc };
}
