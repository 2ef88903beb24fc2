import * as tf from '@tensorflow/tfjs';

/** The epsilon of every normalisation, as in PyTorch. */
export const NORM_EPSILON = 1e-5;

/**
 * Normalises NHWC activations over `axes` ([1, 2]: per sample and channel, instance norm;
 * [0, 1, 2]: over the batch, batch norm with batch statistics), then scales and shifts.
 * Its gradient is written out (as PyTorch's fused norm does) so that backward keeps only the
 * normalised output and the standard deviations, not each step of the forward computation.
 */
export function normalize(x: tf.Tensor4D, axes: number[], gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor4D {
  if (gamma && beta) return affineNorm(axes)(x, gamma, beta);
  return plainNorm(axes)(x);
}

/** x̂ = (x − mean) / √(var + ε) over `axes`, and the √(var + ε) it divided by. */
function standardize(x: tf.Tensor4D, axes: number[]): { xhat: tf.Tensor4D; std: tf.Tensor4D } {
  const centred = tf.sub(x, stagedMean(x, axes)) as tf.Tensor4D;
  const variance = stagedMean(tf.square(centred), axes);
  const std = tf.sqrt(tf.add(variance, NORM_EPSILON)) as tf.Tensor4D;
  return { xhat: tf.div(centred, std) as tf.Tensor4D, std };
}

/** ∂L/∂x of x̂ given ∂L/∂x̂: (g − mean(g) − x̂·mean(g·x̂)) / std, the means over `axes`. */
function standardizeGrad(g: tf.Tensor4D, xhat: tf.Tensor4D, std: tf.Tensor4D, axes: number[]): tf.Tensor4D {
  const projected = tf.mul(xhat, stagedMean(tf.mul(g, xhat), axes));
  return tf.div(tf.sub(tf.sub(g, stagedMean(g, axes)), projected), std);
}

/** The sum over batch, height and width, shaped like the per-channel parameter `like`. */
function channelSum(x: tf.Tensor4D, like: tf.Tensor): tf.Tensor {
  return tf.reshape(stagedSum(x, [0, 1, 2]), like.shape);
}

const plainNorms = new Map<string, (x: tf.Tensor4D) => tf.Tensor4D>();
const affineNorms = new Map<string, (x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor4D>();

function plainNorm(axes: number[]): (x: tf.Tensor4D) => tf.Tensor4D {
  const key = axes.join();
  let fn = plainNorms.get(key);
  if (!fn) {
    fn = tf.customGrad((x, save) => {
      const { xhat, std } = standardize(x as tf.Tensor4D, axes);
      (save as tf.GradSaveFunc)([xhat, std]);
      return {
        value: xhat,
        gradFunc: (dy, [savedXhat, savedStd]) =>
          standardizeGrad(dy as tf.Tensor4D, savedXhat as tf.Tensor4D, savedStd as tf.Tensor4D, axes),
      };
    }) as (x: tf.Tensor4D) => tf.Tensor4D;
    plainNorms.set(key, fn);
  }
  return fn;
}

function affineNorm(axes: number[]): (x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor4D {
  const key = axes.join();
  let fn = affineNorms.get(key);
  if (!fn) {
    fn = tf.customGrad((x, gamma, beta, save) => {
      const { xhat, std } = standardize(x as tf.Tensor4D, axes);
      (save as tf.GradSaveFunc)([xhat, std, gamma as tf.Tensor]);
      return {
        value: tf.add(tf.mul(xhat, gamma as tf.Tensor), beta as tf.Tensor),
        gradFunc: (dy, [savedXhat, savedStd, savedGamma]) => {
          const up = dy as tf.Tensor4D;
          const xh = savedXhat as tf.Tensor4D;
          const g = tf.mul(up, savedGamma as tf.Tensor) as tf.Tensor4D;
          return [
            standardizeGrad(g, xh, savedStd as tf.Tensor4D, axes),
            channelSum(tf.mul(up, xh), savedGamma as tf.Tensor),
            channelSum(up, savedGamma as tf.Tensor),
          ];
        },
      };
    }) as (x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor4D;
    affineNorms.set(key, fn);
  }
  return fn;
}

/** The sum over `axes` (kept as size-1 dimensions), one axis at a time, as {@link stagedMean}. */
export function stagedSum(x: tf.Tensor4D, axes: number[]): tf.Tensor4D {
  return axes.reduce((acc, axis) => tf.sum(acc, axis, true), x);
}

/**
 * The mean over `axes` (kept as size-1 dimensions), one axis at a time. Each stage sums at most
 * one image side, so float32 accumulation error stays small even where a backend sums naively
 * (wasm): one sum over 256×256 values loses about 1e-4 of relative precision, two of 256 do not.
 */
export function stagedMean(x: tf.Tensor4D, axes: number[]): tf.Tensor4D {
  return axes.reduce((acc, axis) => tf.mean(acc, axis, true), x);
}

/** Pads height and width by `pad` on every side, mirroring without repeating the edge (PyTorch's ReflectionPad2d). */
export function reflectPad(x: tf.Tensor4D, pad: number): tf.Tensor4D {
  return tf.mirrorPad(
    x,
    [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ],
    'reflect',
  );
}

/** The ε under PixelNorm's root mean square (ProGAN uses 1e-8). */
export const PIXEL_NORM_EPSILON = 1e-8;

/** ProGAN's PixelNorm on NHWC: x / sqrt(mean over channels of x² + ε), pixel by pixel. */
export function pixelNorm(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.add(tf.mean(tf.square(x), 3, true), PIXEL_NORM_EPSILON))));
}
