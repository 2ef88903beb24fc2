import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs';
import { wasmConv2dBackpropFilterConfig } from './conv2d-backprop-filter';

/** The kernels this project adds to the wasm backend so that conv GANs can train on it. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [wasmConv2dBackpropFilterConfig];

/**
 * Registers {@link WASM_TRAINING_KERNELS}; safe to call any number of times, before or after
 * the wasm backend is loaded. A kernel tfjs itself already provides is left in place.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
}
