import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { conv2dByMatmul, prefersMatmul } from './conv-matmul';
import { isHeapBackend } from './heap';

/**
 * A forward 2-D convolution that takes the matrix-product form for small images with large
 * filters (see conv-matmul.ts) and hands every other call to `direct`.
 */
export function conv2dVia(backendName: string, direct: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as KernelBackend;
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    if (!isHeapBackend(backend) || x.dtype !== 'float32' || filter.dtype !== 'float32') return direct(args);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    if (info.dataFormat !== 'channelsLast' || !prefersMatmul('forward', info)) return direct(args);
    return conv2dByMatmul(backendName, backend, x, filter, info);
  };
}

/**
 * Wraps the wasm backend's `Conv2D` (XNNPACK, which repacks a filter it has not seen, i.e. every
 * training step) with the matrix-product form; `original` is the kernel being replaced.
 */
export function wasmConv2dConfig(original: KernelConfig): KernelConfig {
  return {
    kernelName: Conv2D,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: conv2dVia('wasm', original.kernelFunc),
  };
}
