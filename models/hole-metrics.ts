/**
 * Quality of filled holes, measured only inside them, and the simple baseline a fill must beat.
 * Plain arrays (HWC, three channels, values in [-1, 1]; masks HW with 1 = hole), so training
 * (tfjs) and `ganstudio eval` (ONNX Runtime) score alike.
 */

/** L1 and PSNR on the [0, 1] scale and SSIM, over the pixels of the hole. */
export interface HoleMetrics {
  l1: number;
  psnr: number;
  ssim: number;
}

const WINDOW = 11;
const SIGMA = 1.5;

function gaussian(size: number): Float64Array {
  const half = (size - 1) / 2;
  const sigma = SIGMA * (size / WINDOW);
  const g = Float64Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const sum = g.reduce((s, v) => s + v, 0);
  return g.map((v) => v / sum);
}

/** A separable Gaussian blur of one plane with 'valid' borders: (w − k + 1) × (h − k + 1). */
function blurValid(plane: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const k = kernel.length;
  const ow = width - k + 1;
  const oh = height - k + 1;
  const rows = new Float64Array(ow * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < ow; x += 1) {
      let s = 0;
      for (let i = 0; i < k; i += 1) s += plane[y * width + x + i]! * kernel[i]!;
      rows[y * ow + x] = s;
    }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y += 1)
    for (let x = 0; x < ow; x += 1) {
      let s = 0;
      for (let i = 0; i < k; i += 1) s += rows[(y + i) * ow + x]! * kernel[i]!;
      out[y * ow + x] = s;
    }
  return out;
}

/**
 * L1, PSNR (peak 1) and SSIM (Wang et al. 2004: Gaussian 11×11 window, σ 1.5, per channel) of
 * `output` against `target`, counting only the hole: L1 and PSNR over the hole's pixels, SSIM
 * averaged over the windows centred in the hole. Images smaller than the window use a smaller one.
 */
export function holeMetrics(
  output: Float32Array,
  target: Float32Array,
  mask: ArrayLike<number>,
  width: number,
  height: number,
): HoleMetrics {
  const pixels = width * height;
  let holePixels = 0;
  let abs = 0;
  let sq = 0;
  const x = [0, 1, 2].map(() => new Float64Array(pixels));
  const y = [0, 1, 2].map(() => new Float64Array(pixels));
  for (let p = 0; p < pixels; p += 1) {
    const inHole = mask[p]! > 0.5;
    if (inHole) holePixels += 1;
    for (let c = 0; c < 3; c += 1) {
      const a = (Math.min(1, Math.max(-1, output[p * 3 + c]!)) + 1) / 2;
      const b = (Math.min(1, Math.max(-1, target[p * 3 + c]!)) + 1) / 2;
      x[c]![p] = a;
      y[c]![p] = b;
      if (inHole) {
        abs += Math.abs(a - b);
        sq += (a - b) ** 2;
      }
    }
  }
  if (holePixels === 0) throw new RangeError('the mask has no hole to measure');
  const l1 = abs / (holePixels * 3);
  const psnr = 10 * Math.log10(1 / Math.max(sq / (holePixels * 3), 1e-10));

  const k = Math.min(WINDOW, width, height);
  const kernel = gaussian(k);
  const ow = width - k + 1;
  const oh = height - k + 1;
  const offset = (k - 1) / 2;
  let ssimSum = 0;
  let ssimCount = 0;
  for (let c = 0; c < 3; c += 1) {
    const xs = x[c]!;
    const ys = y[c]!;
    const muX = blurValid(xs, width, height, kernel);
    const muY = blurValid(ys, width, height, kernel);
    const xx = blurValid(
      xs.map((v) => v * v),
      width,
      height,
      kernel,
    );
    const yy = blurValid(
      ys.map((v) => v * v),
      width,
      height,
      kernel,
    );
    const xy = blurValid(
      xs.map((v, i) => v * ys[i]!),
      width,
      height,
      kernel,
    );
    for (let wy = 0; wy < oh; wy += 1)
      for (let wx = 0; wx < ow; wx += 1) {
        if (!(mask[Math.floor(wy + offset) * width + Math.floor(wx + offset)]! > 0.5)) continue;
        const i = wy * ow + wx;
        const mx = muX[i]!;
        const my = muY[i]!;
        const c1 = 0.01 ** 2;
        const c2 = 0.03 ** 2;
        const num = (2 * mx * my + c1) * (2 * (xy[i]! - mx * my) + c2);
        const den = (mx * mx + my * my + c1) * (xx[i]! - mx * mx + (yy[i]! - my * my) + c2);
        ssimSum += num / den;
        ssimCount += 1;
      }
  }
  return { l1, psnr, ssim: ssimCount > 0 ? ssimSum / ssimCount : NaN };
}

/**
 * The baseline fill: each connected part of the hole (4-connected) is painted with the mean
 * colour of the valid pixels bordering it. A hole with no valid border (the whole image) gets
 * mid-grey.
 */
export function borderMeanFill(
  image: Float32Array,
  mask: ArrayLike<number>,
  width: number,
  height: number,
): Float32Array {
  const out = Float32Array.from(image);
  const label = new Int32Array(width * height).fill(-1);
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < width * height; start += 1) {
    if (!(mask[start]! > 0.5) || label[start] !== -1) continue;
    const members: number[] = [];
    const border = new Set<number>();
    label[start] = next;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      members.push(p);
      const px = p % width;
      const py = (p - px) / width;
      const neighbours = [
        px > 0 ? p - 1 : -1,
        px < width - 1 ? p + 1 : -1,
        py > 0 ? p - width : -1,
        py < height - 1 ? p + width : -1,
      ];
      for (const q of neighbours) {
        if (q < 0) continue;
        if (mask[q]! > 0.5) {
          if (label[q] === -1) {
            label[q] = next;
            stack.push(q);
          }
        } else border.add(q);
      }
    }
    const mean = [0, 0, 0];
    for (const q of border) for (let c = 0; c < 3; c += 1) mean[c]! += image[q * 3 + c]!;
    for (let c = 0; c < 3; c += 1) mean[c] = border.size > 0 ? mean[c]! / border.size : 0;
    for (const p of members) for (let c = 0; c < 3; c += 1) out[p * 3 + c] = mean[c]!;
    next += 1;
  }
  return out;
}
