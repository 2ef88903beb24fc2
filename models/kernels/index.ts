import {
  Conv2D,
  Conv2DBackpropInput,
  getKernel,
  Identity,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs';
import { wasmConv2dConfig } from './conv2d';
import { wasmConv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { wasmConv2dBackpropInputConfig } from './conv2d-backprop-input';
import { sharingIdentityConfig } from './identity';

// A global symbol rather than module state, so that a second copy of this module (a bundle
// beside the sources) still recognises the kernels the first one installed.
const OURS = Symbol.for('ganstudio.wasm-training-kernel');

function isOurs(fn: KernelFunc): boolean {
  return (fn as KernelFunc & { [OURS]?: true })[OURS] === true;
}

function markOurs(fn: KernelFunc): void {
  (fn as KernelFunc & { [OURS]?: true })[OURS] = true;
}

/** Puts `wrap(original)` in place of the wasm kernel `name`, unless it is one of ours already. */
function replaceWasmKernel(name: string, wrap: (original: KernelConfig) => KernelConfig): void {
  const original = getKernel(name, 'wasm');
  if (!original || isOurs(original.kernelFunc)) return;
  const replacement = wrap(original);
  markOurs(replacement.kernelFunc);
  unregisterKernel(name, 'wasm');
  registerKernel(replacement);
}

/**
 * Gives the wasm backend what conv GAN training needs: the missing `Conv2DBackpropFilter`, a
 * `Conv2DBackpropInput` on XNNPACK in place of the backend's slow one, and a `Conv2D` that
 * multiplies small images with large, ever-changing filters as a matrix product (conv-matmul.ts)
 * instead of repacking each new filter, and an `Identity` that shares data instead of copying
 * it (tfjs clones every tensor a gradient keeps).
 * Idempotent; call it before or after the wasm backend loads. A missing kernel tfjs itself
 * provides by then is left in place.
 */
export function registerWasmTrainingKernels(): void {
  const filter = getKernel(wasmConv2dBackpropFilterConfig.kernelName, 'wasm');
  if (!filter) {
    markOurs(wasmConv2dBackpropFilterConfig.kernelFunc);
    registerKernel(wasmConv2dBackpropFilterConfig);
  }
  replaceWasmKernel(Conv2DBackpropInput, wasmConv2dBackpropInputConfig);
  replaceWasmKernel(Conv2D, wasmConv2dConfig);
  replaceWasmKernel(Identity, sharingIdentityConfig);
}
