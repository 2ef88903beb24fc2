import { grayToRgb, toGray } from './grayscale';

/** Parameters of the XDoG operator; the defaults give thin sketch lines at 64–512 px. */
export interface EdgeOptions {
  /** Standard deviation, in pixels, of the finer Gaussian. */
  sigma?: number;
  /** Ratio of the coarser Gaussian's sigma to the finer one's. */
  k?: number;
  /** Weight of the coarser Gaussian; just under 1 keeps flat areas white. */
  tau?: number;
  /** Threshold on the difference; below it a pixel turns towards black. */
  epsilon?: number;
  /** Steepness of the soft threshold; large values give crisp lines. */
  phi?: number;
}

const DEFAULTS: Required<EdgeOptions> = { sigma: 0.8, k: 1.6, tau: 0.98, epsilon: -0.01, phi: 200 };

/**
 * Sketch-like edges (eXtended Difference of Gaussians, Winnemöller et al. 2012): black lines on
 * white, returned as 8-bit RGB with equal channels, like the inputs of edges2shoes.
 */
export function detectEdges(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: EdgeOptions = {},
): Uint8Array {
  const { sigma, k, tau, epsilon, phi } = { ...DEFAULTS, ...options };
  const gray = toGray(rgb, width, height);
  const fine = gaussianBlur(gray, width, height, sigma);
  const coarse = gaussianBlur(gray, width, height, sigma * k);
  const out = new Float32Array(gray.length);
  for (let i = 0; i < gray.length; i += 1) {
    const d = fine[i]! - tau * coarse[i]!;
    out[i] = d >= epsilon ? 1 : 1 + Math.tanh(phi * (d - epsilon));
  }
  return grayToRgb(out);
}

/** Separable Gaussian blur of a one-channel image; borders repeat the edge pixel. */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (!(sigma > 0)) return src.slice();
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let t = -radius; t <= radius; t += 1) {
        const xx = Math.min(width - 1, Math.max(0, x + t));
        sum += kernel[t + radius]! * src[row + xx]!;
      }
      tmp[row + x] = sum;
    }
  }
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let t = -radius; t <= radius; t += 1) {
        const yy = Math.min(height - 1, Math.max(0, y + t));
        sum += kernel[t + radius]! * tmp[yy * width + x]!;
      }
      out[y * width + x] = sum;
    }
  }
  return out;
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let t = -radius; t <= radius; t += 1) {
    const w = Math.exp(-(t * t) / (2 * sigma * sigma));
    kernel[t + radius] = w;
    total += w;
  }
  for (let i = 0; i < kernel.length; i += 1) kernel[i] = kernel[i]! / total;
  return kernel;
}
