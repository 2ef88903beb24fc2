import {
  Conv2DBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelFunc,
} from '@tensorflow/tfjs';
import { wasmConv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { wasmConv2dBackpropInputConfig } from './conv2d-backprop-input';

// A global symbol rather than module state, so that a second copy of this module (a bundle
// beside the sources) still recognises the kernels the first one installed.
const OURS = Symbol.for('ganstudio.wasm-training-kernel');

function isOurs(fn: KernelFunc): boolean {
  return (fn as KernelFunc & { [OURS]?: true })[OURS] === true;
}

function markOurs(fn: KernelFunc): void {
  (fn as KernelFunc & { [OURS]?: true })[OURS] = true;
}

/**
 * Gives the wasm backend what conv GAN training needs: the missing `Conv2DBackpropFilter`, and
 * a `Conv2DBackpropInput` on XNNPACK in place of the backend's slow one. Idempotent; call it
 * before or after the wasm backend loads. A missing kernel tfjs itself provides by then is
 * left in place.
 */
export function registerWasmTrainingKernels(): void {
  const filter = getKernel(wasmConv2dBackpropFilterConfig.kernelName, 'wasm');
  if (!filter) {
    markOurs(wasmConv2dBackpropFilterConfig.kernelFunc);
    registerKernel(wasmConv2dBackpropFilterConfig);
  }
  const input = getKernel(Conv2DBackpropInput, 'wasm');
  if (input && !isOurs(input.kernelFunc)) {
    const replacement = wasmConv2dBackpropInputConfig(input);
    markOurs(replacement.kernelFunc);
    unregisterKernel(Conv2DBackpropInput, 'wasm');
    registerKernel(replacement);
  }
}
