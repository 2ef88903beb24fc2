import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import { disposeIntermediate, runBackendKernel } from './compose';
import { heapView, withShape, type HeapBackend } from './heap';

/**
 * The three convolution kernels of training as one matrix product each, for layers with a small
 * image and a large filter. XNNPACK packs the second operand of a product (and a convolution's
 * filter) before it multiplies, which for a filter that changes every optimizer step costs more
 * than the arithmetic; the first operand it reads as it is. So the filter, reshaped for free to
 * [fh·fw·Cin, Cout], is the first operand wherever the algebra allows, and the small operands are
 * rearranged in JS on the heap. With P = N·Oh·Ow output positions and R = fh·fw·Cin:
 *
 * - forward:      yᵀ[Cout, P] = Wᵀ[Cout, R] · patchesᵀ[R, P]  (one transpose of W, cached per tensor)
 * - input grad:   cols[R, P]  = W[R, Cout] · dyᵀ[Cout, P], then dx = col2im(cols)
 * - filter grad:  dW[R, Cout] = patchesᵀ[R, P] · dy[P, Cout]
 *
 * Filter taps that only ever meet padding (2×2 → 1×1) are left out of the forward and input-grad
 * products.
 */

/** Which implementation the conv kernels use: the size rule below, or one forced (tests, benchmarks). */
export type ConvPath = 'matmul' | 'direct';

/** Overrides the size rule for every conv kernel while `force` is set. */
export const convPathOverride: { force: ConvPath | null } = { force: null };

type Op = 'forward' | 'inputGrad' | 'filterGrad';

/**
 * Whether the matrix-product form should run for this shape: when output positions are few next
 * to output channels, i.e. the image-side matrices (P·R values, rearranged in JS) are small next
 * to the filter (R·Cout values, which the direct path packs on every call).
 */
export function prefersMatmul(op: Op, info: backend_util.Conv2DInfo): boolean {
  if (convPathOverride.force) return convPathOverride.force === 'matmul';
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const ratio = positions / info.outChannels;
  return ratio <= MAX_POSITIONS_PER_OUT_CHANNEL[op];
}

// Timed per layer of pix2pix at 128 px (wasm, one thread, a fresh filter per call). The forward
// form pays a transpose of W (~7 ns a value) and wins up to 16×16 → 8×8 at 512 channels (P/Cout
// 1/8), ties at 1/2, loses from 1; the input-grad form wins everywhere but a 1-channel output; the
// filter-grad form wins or ties up to 8 and loses from 32.
const MAX_POSITIONS_PER_OUT_CHANNEL: Record<Op, number> = { forward: 0.25, inputGrad: 64, filterGrad: 8 };

function matMul(backendName: string, backend: HeapBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  // Rank 2, untransposed: the only form the wasm backend hands to XNNPACK rather than a scalar loop.
  return runBackendKernel(backendName, backend, 'BatchMatMul', { a, b }, {
    transposeA: false,
    transposeB: false,
  } as never);
}

/** Where tap `k` of output position `o` reads the input along one axis, or −1 off the edge. */
function source(o: number, k: number, stride: number, pad: number, dilation: number, size: number): number {
  const i = o * stride - pad + k * dilation;
  return i >= 0 && i < size ? i : -1;
}

/**
 * The filter rows and columns that touch the image for at least one output position. On the
 * innermost U-Net layers (2×2 → 1×1) only 2 of 4 per axis do; the others multiply padding.
 */
interface Taps {
  rows: number[];
  cols: number[];
  /** Whether every tap is live, so the filter serves as it is. */
  all: boolean;
}

function liveAlong(filter: number, out: number, stride: number, pad: number, dilation: number, size: number) {
  const live: number[] = [];
  for (let k = 0; k < filter; k++) {
    for (let o = 0; o < out; o++) {
      if (source(o, k, stride, pad, dilation, size) >= 0) {
        live.push(k);
        break;
      }
    }
  }
  return live;
}

function liveTaps(info: backend_util.Conv2DInfo): Taps {
  const { filterHeight, filterWidth, outHeight, outWidth, inHeight, inWidth, padInfo } = info;
  const rows = liveAlong(
    filterHeight,
    outHeight,
    info.strideHeight,
    padInfo.top,
    info.dilationHeight,
    inHeight,
  );
  const cols = liveAlong(filterWidth, outWidth, info.strideWidth, padInfo.left, info.dilationWidth, inWidth);
  return { rows, cols, all: rows.length === filterHeight && cols.length === filterWidth };
}

function allTaps(info: backend_util.Conv2DInfo): Taps {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  return { rows: range(info.filterHeight), cols: range(info.filterWidth), all: true };
}

/**
 * Calls `visit(tap, p, start)` for every tap (an index into `taps`) and output position whose
 * input pixel lies inside the image, `start` being that pixel's offset in NHWC.
 */
function forEachTap(
  info: backend_util.Conv2DInfo,
  taps: Taps,
  visit: (tap: number, p: number, start: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, padInfo } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  for (const [i, kh] of taps.rows.entries()) {
    for (const [j, kw] of taps.cols.entries()) {
      const tap = i * taps.cols.length + j;
      let p = 0;
      for (let n = 0; n < batchSize; n++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = source(oh, kh, strideHeight, padInfo.top, dilationHeight, inHeight);
          for (let ow = 0; ow < outWidth; ow++, p++) {
            const iw = source(ow, kw, strideWidth, padInfo.left, dilationWidth, inWidth);
            if (ih >= 0 && iw >= 0) visit(tap, p, ((n * inHeight + ih) * inWidth + iw) * c);
          }
        }
      }
    }
  }
}

/** patchesᵀ[(kh, kw, c), p] = x[n, ih, iw, c] over the given taps, zero where a window leaves the image. */
function im2colTransposed(
  x: Float32Array,
  info: backend_util.Conv2DInfo,
  taps: Taps,
  out: Float32Array,
): void {
  const c = info.inChannels;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  out.fill(0);
  forEachTap(info, taps, (tap, p, start) => {
    let to = tap * c * positions + p;
    for (let ci = 0; ci < c; ci++, to += positions) out[to] = x[start + ci]!;
  });
}

/** dx[n, ih, iw, c] = Σ over the taps landing there of cols[(kh, kw, c), p]; `dx` starts zeroed. */
function col2im(cols: Float32Array, info: backend_util.Conv2DInfo, taps: Taps, dx: Float32Array): void {
  const c = info.inChannels;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  forEachTap(info, taps, (tap, p, start) => {
    let from = tap * c * positions + p;
    for (let ci = 0; ci < c; ci++, from += positions) dx[start + ci]! += cols[from]!;
  });
}

function transpose(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const block = 16;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(r0 + block, rows);
    for (let c0 = 0; c0 < cols; c0 += block) {
      const c1 = Math.min(c0 + block, cols);
      for (let r = r0; r < r1; r++) {
        for (let c = c0, from = r * cols + c0, to = c0 * rows + r; c < c1; c++, from++, to += rows) {
          dst[to] = src[from]!;
        }
      }
    }
  }
}

/**
 * The filter as a [taps·Cin, Cout] matrix restricted to `taps`: the filter itself when every
 * tap is live (`owned` false), else a copy of the live taps' [Cin, Cout] blocks.
 */
function filterMatrix(
  backend: HeapBackend,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  taps: Taps,
): { matrix: TensorInfo; owned: boolean } {
  const { filterWidth, inChannels, outChannels } = info;
  const block = inChannels * outChannels;
  const count = taps.rows.length * taps.cols.length;
  if (taps.all) return { matrix: withShape(filter, [count * inChannels, outChannels]), owned: false };
  const matrix = backend.makeOutput([count * inChannels, outChannels], 'float32');
  const from = heapView(backend, filter);
  const to = heapView(backend, matrix);
  let o = 0;
  for (const kh of taps.rows) {
    for (const kw of taps.cols) {
      const start = (kh * filterWidth + kw) * block;
      to.set(from.subarray(start, start + block), o);
      o += block;
    }
  }
  return { matrix, owned: true };
}

/**
 * Transposed filters by filter tensor, while that tensor lives: a filter seen again (inference,
 * or the discriminator on real then fake pairs) is not transposed again. Entries of disposed
 * tensors (refCount 0; a data id never comes back) are released on the next call.
 */
const transposedFilters = new Map<object, { taps: string; matrix: TensorInfo }>();

function releaseDeadFilters(backend: HeapBackend): void {
  for (const [dataId, entry] of transposedFilters) {
    if (backend.refCount(dataId) > 0) continue;
    disposeIntermediate(backend, entry.matrix);
    transposedFilters.delete(dataId);
  }
}

/** Wᵀ[Cout, taps·Cin] over the live taps: the one transpose of a filter the forward pass needs. */
function transposedFilter(
  backendName: string,
  backend: HeapBackend,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  taps: Taps,
): TensorInfo {
  releaseDeadFilters(backend);
  const key = `${filter.shape}|${taps.rows}/${taps.cols}`;
  const cached = transposedFilters.get(filter.dataId);
  if (cached?.taps === key) return cached.matrix;
  const { matrix, owned } = filterMatrix(backend, filter, info, taps);
  const transposed = runBackendKernel(backendName, backend, 'Transpose', { x: matrix }, {
    perm: [1, 0],
  } as never);
  if (owned) disposeIntermediate(backend, matrix);
  if (cached) disposeIntermediate(backend, cached.matrix);
  transposedFilters.set(filter.dataId, { taps: key, matrix: transposed });
  return transposed;
}

/** `Conv2D` (NHWC) as Wᵀ · patchesᵀ over the live taps, transposed back. */
export function conv2dByMatmul(
  backendName: string,
  backend: HeapBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const taps = liveTaps(info);
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const filterT = transposedFilter(backendName, backend, filter, info, taps);
  const patchesT = backend.makeOutput([filterT.shape[1] as number, positions], 'float32');
  im2colTransposed(heapView(backend, x), info, taps, heapView(backend, patchesT));
  const yT = matMul(backendName, backend, filterT, patchesT);
  disposeIntermediate(backend, patchesT);
  if (positions === 1) return withShape(yT, info.outShape);
  const y = backend.makeOutput(info.outShape, 'float32');
  transpose(heapView(backend, yT), info.outChannels, positions, heapView(backend, y));
  disposeIntermediate(backend, yT);
  return y;
}

/** `Conv2DBackpropInput` (NHWC) as W · dyᵀ over the live taps, followed by col2im. */
export function conv2dBackpropInputByMatmul(
  backendName: string,
  backend: HeapBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const taps = liveTaps(info);
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const { outChannels } = info;
  const { matrix, owned } = filterMatrix(backend, filter, info, taps);
  // A fresh copy even where a plain reshape would do (one position): XNNPACK keys its packed
  // operand by tensor id alone, and dy also serves the filter gradient, as [P, Cout].
  const dyT = backend.makeOutput([outChannels, positions], 'float32');
  transpose(heapView(backend, dy), positions, outChannels, heapView(backend, dyT));
  const cols = matMul(backendName, backend, matrix, dyT);
  disposeIntermediate(backend, dyT);
  if (owned) disposeIntermediate(backend, matrix);
  const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], 'float32');
  const dxView = heapView(backend, dx);
  dxView.fill(0);
  col2im(heapView(backend, cols), info, taps, dxView);
  disposeIntermediate(backend, cols);
  return dx;
}

/** `Conv2DBackpropFilter` (NHWC) as patchesᵀ · dy. */
export function conv2dBackpropFilterByMatmul(
  backendName: string,
  backend: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  // Every tap, as dW has a row for each; dead ones get zero rows from zero patches.
  const taps = allTaps(info);
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const patchesT = backend.makeOutput([rows, positions], 'float32');
  // dy is copied for the reason given in conv2dBackpropInputByMatmul.
  const dyCopy = backend.makeOutput([positions, info.outChannels], 'float32');
  im2colTransposed(heapView(backend, x), info, taps, heapView(backend, patchesT));
  heapView(backend, dyCopy).set(heapView(backend, dy));
  const dW = matMul(backendName, backend, patchesT, dyCopy);
  disposeIntermediate(backend, patchesT);
  disposeIntermediate(backend, dyCopy);
  return withShape(dW, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels]);
}
