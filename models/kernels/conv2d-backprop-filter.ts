import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { disposeIntermediate, runBackendKernel } from './compose';
import { conv2dBackpropFilterByMatmul, prefersMatmul } from './conv-matmul';
import { isHeapBackend } from './heap';

/**
 * The filter gradient of a 2-D convolution as one forward convolution of the same backend:
 * with x laid out as [Cin, H, W, N] (a batch of Cin single images with N channels) and dy as
 * [Oh, Ow, N, Cout] (an Oh×Ow filter), a stride-1 convolution dilated by the forward stride
 * yields dW laid out as [Cin, Fh, Fw, Cout]. Small images with large filters take the
 * matrix-product form of conv-matmul.ts instead.
 */
export function conv2dBackpropFilterVia(backendName: string): KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    if (info.dataFormat !== 'channelsLast') {
      throw new Error(`${Conv2DBackpropFilter} on ${backendName} supports only NHWC`);
    }
    if (isHeapBackend(backend) && x.dtype === 'float32' && prefersMatmul('filterGrad', info)) {
      return conv2dBackpropFilterByMatmul(backendName, backend, x, dy, info);
    }
    const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    const { inChannels, outChannels, inHeight, inWidth, outHeight, outWidth } = info;
    // Pad the far edges only as much as the last filter tap reaches: the forward pad may
    // cover rows no output window used, and negative pads are not allowed, hence the crop below.
    const padBottom = Math.max(0, filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top);
    const padRight = Math.max(0, filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left);

    const run = (name: string, ins: Record<string, TensorInfo>, at: Record<string, unknown>) =>
      runBackendKernel(backendName, backend, name, ins, at as never);
    const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const conv = run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padInfo.top, padBottom],
          [padInfo.left, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [strideHeight, strideWidth],
      },
    );
    disposeIntermediate(backend, xT);
    disposeIntermediate(backend, dyT);

    let grad = conv;
    if (conv.shape[1] !== filterHeight || conv.shape[2] !== filterWidth) {
      grad = run(
        'Slice',
        { x: conv },
        { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] },
      );
      disposeIntermediate(backend, conv);
    }
    const dW = run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
    disposeIntermediate(backend, grad);
    return dW;
  };
}

/** `Conv2DBackpropFilter` for the wasm backend, which ships without it. */
export const wasmConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterVia('wasm'),
};
