import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { disposeIntermediate, runBackendKernel } from './compose';
import { conv2dBackpropInputByMatmul, prefersMatmul } from './conv-matmul';
import { isHeapBackend } from './heap';

/** How one spatial axis of dx splits into `stride` phases, each a stride-1 convolution of dy. */
interface AxisPlan {
  stride: number;
  /** First and count of the phase-grid positions q; dx index i sits at q·stride + phase − padBefore. */
  qFirst: number;
  qCount: number;
  /** Where dx starts in the interleaved phase outputs. */
  offset: number;
  phases: { taps: number; padBefore: number; padAfter: number }[];
}

function planAxis(
  inSize: number,
  dySize: number,
  filter: number,
  stride: number,
  padBefore: number,
): AxisPlan {
  const qFirst = Math.floor(padBefore / stride);
  const qCount = Math.floor((padBefore + inSize - 1) / stride) - qFirst + 1;
  const phases = [];
  for (let r = 0; r < stride; r++) {
    const taps = r < filter ? Math.ceil((filter - r) / stride) : 0;
    const before = taps - 1 - qFirst;
    phases.push({
      taps,
      padBefore: before,
      padAfter: qCount - dySize - before + taps - 1,
    });
  }
  return { stride, qFirst, qCount, offset: padBefore - stride * qFirst, phases };
}

/**
 * The flipped filter of one phase as [tapsH, tapsW, Cout, Cin]: tap (j, k) is the forward filter's
 * (rowPhase + strideH·(tapsH−1−j), colPhase + strideW·(tapsW−1−k)). `swapped` is the filter with
 * its channel axes already swapped ([fh, fw, Cout, Cin]), so each tap is one contiguous block copy.
 */
function phaseTaps(
  swapped: Float32Array,
  info: backend_util.Conv2DInfo,
  rowPhase: number,
  tapsH: number,
  colPhase: number,
  tapsW: number,
): Float32Array {
  const { filterWidth, inChannels, outChannels, strideHeight, strideWidth } = info;
  const block = inChannels * outChannels;
  const out = new Float32Array(tapsH * tapsW * block);
  let o = 0;
  for (let j = 0; j < tapsH; j++) {
    const h = rowPhase + strideHeight * (tapsH - 1 - j);
    for (let k = 0; k < tapsW; k++) {
      const base = (h * filterWidth + colPhase + strideWidth * (tapsW - 1 - k)) * block;
      out.set(swapped.subarray(base, base + block), o);
      o += block;
    }
  }
  return out;
}

const fitsConv = (plan: AxisPlan) =>
  plan.phases.every((p) => p.taps === 0 || (p.padBefore >= 0 && p.padAfter >= 0));

/**
 * The input gradient of a 2-D convolution (also the forward pass of conv2dTranspose) built from
 * the backend's own Conv2D: dx splits into stride×stride interleaved phases, phase (r, c) being
 * a stride-1 convolution of dy with the flipped filter taps r, r+stride, … × c, c+stride, ….
 * No multiply lands on an inserted zero. Small images with large filters take the matrix-product
 * form of conv-matmul.ts instead; shapes neither can express go to `fallback`.
 */
export function conv2dBackpropInputVia(backendName: string, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as KernelBackend;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      args.attrs as unknown as Conv2DBackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    const rows = planAxis(
      info.inHeight,
      info.outHeight,
      info.filterHeight,
      info.strideHeight,
      info.padInfo.top,
    );
    const cols = planAxis(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.padInfo.left);
    if (info.dataFormat !== 'channelsLast') return fallback(args);
    if (isHeapBackend(backend) && dy.dtype === 'float32' && prefersMatmul('inputGrad', info)) {
      return conv2dBackpropInputByMatmul(backendName, backend, dy, filter, info);
    }
    if (!fitsConv(rows) || !fitsConv(cols)) return fallback(args);

    const { batchSize, inChannels, outChannels } = info;
    const run = (name: string, ins: Record<string, TensorInfo> | TensorInfo[], at: Record<string, unknown>) =>
      runBackendKernel(backendName, backend, name, ins as Record<string, TensorInfo>, at as never);

    // The backend's transpose swaps the channel axes far faster than a strided JS loop could.
    const swappedInfo = run('Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
    const weights = backend.readSync(swappedInfo.dataId) as Float32Array;
    disposeIntermediate(backend, swappedInfo);
    const phaseOutputs: TensorInfo[] = [];
    for (const [rowPhase, r] of rows.phases.entries()) {
      for (const [colPhase, c] of cols.phases.entries()) {
        if (r.taps === 0 || c.taps === 0) {
          phaseOutputs.push(
            run(
              'Fill',
              {},
              { shape: [batchSize, rows.qCount, cols.qCount, inChannels], value: 0, dtype: 'float32' },
            ),
          );
          continue;
        }
        const tapsShape = [r.taps, c.taps, outChannels, inChannels];
        const taps: TensorInfo = {
          dataId: backend.write(
            phaseTaps(weights, info, rowPhase, r.taps, colPhase, c.taps),
            tapsShape,
            'float32',
          ),
          shape: tapsShape,
          dtype: 'float32',
        };
        phaseOutputs.push(
          run(
            'Conv2D',
            { x: dy, filter: taps },
            {
              strides: [1, 1],
              pad: [
                [0, 0],
                [r.padBefore, r.padAfter],
                [c.padBefore, c.padAfter],
                [0, 0],
              ],
              dataFormat: 'NHWC',
              dilations: [1, 1],
            },
          ),
        );
        disposeIntermediate(backend, taps);
      }
    }

    let grid: TensorInfo;
    if (phaseOutputs.length === 1) {
      grid = phaseOutputs[0] as TensorInfo;
    } else {
      const stacked = run('Concat', phaseOutputs, { axis: 3 });
      for (const out of phaseOutputs) disposeIntermediate(backend, out);
      const split = run(
        'Reshape',
        { x: stacked },
        { shape: [batchSize, rows.qCount, cols.qCount, rows.stride, cols.stride, inChannels] },
      );
      disposeIntermediate(backend, stacked);
      const interleaved = run('Transpose', { x: split }, { perm: [0, 1, 3, 2, 4, 5] });
      disposeIntermediate(backend, split);
      grid = run(
        'Reshape',
        { x: interleaved },
        { shape: [batchSize, rows.qCount * rows.stride, cols.qCount * cols.stride, inChannels] },
      );
      disposeIntermediate(backend, interleaved);
    }
    if (grid.shape[1] === info.inHeight && grid.shape[2] === info.inWidth) return grid;
    const dx = run(
      'Slice',
      { x: grid },
      { begin: [0, rows.offset, cols.offset, 0], size: [batchSize, info.inHeight, info.inWidth, inChannels] },
    );
    disposeIntermediate(backend, grid);
    return dx;
  };
}

/**
 * Replaces the wasm backend's `Conv2DBackpropInput`, a scalar C loop that dominated conv
 * training steps, with the phase decomposition above on XNNPACK; `original` is the kernel
 * being replaced, kept for NCHW and unusual explicit pads.
 */
export function wasmConv2dBackpropInputConfig(original: KernelConfig): KernelConfig {
  return {
    kernelName: Conv2DBackpropInput,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: conv2dBackpropInputVia('wasm', original.kernelFunc),
  };
}
