import * as tf from '@tensorflow/tfjs';

/** Quality of generated images against their targets, on the [0, 1] scale, averaged over the batch. */
export interface ImageMetrics {
  l1: number;
  psnr: number;
  ssim: number;
}

function gaussianWindow(size: number, sigma: number): tf.Tensor4D {
  const half = (size - 1) / 2;
  const g = Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const sum = g.reduce((s, v) => s + v, 0);
  const w = g.map((v) => v / sum);
  const values: number[] = [];
  for (let y = 0; y < size; y += 1) for (let x = 0; x < size; x += 1) values.push((w[y] ?? 0) * (w[x] ?? 0));
  return tf.tensor4d(values, [size, size, 1, 1]);
}

/**
 * L1, PSNR (peak 1) and SSIM (Wang et al. 2004: 11×11 Gaussian window, σ 1.5, per channel) of
 * `output` against `target`, both NHWC in [-1, 1]. Images smaller than the window use a smaller one.
 */
export function imageMetrics(output: tf.Tensor4D, target: tf.Tensor4D): ImageMetrics {
  return tf.tidy(() => {
    const x = tf.div(tf.add(tf.clipByValue(output, -1, 1), 1), 2) as tf.Tensor4D;
    const y = tf.div(tf.add(tf.clipByValue(target, -1, 1), 1), 2) as tf.Tensor4D;
    const l1 = tf.mean(tf.abs(tf.sub(x, y)));
    const mse = tf.maximum(tf.mean(tf.square(tf.sub(x, y)), [1, 2, 3]), 1e-10);
    const psnr = tf.mean(tf.mul(tf.div(tf.log(tf.div(1, mse)), Math.log(10)), 10));

    const channels = x.shape[3];
    const size = Math.min(11, x.shape[1], x.shape[2]);
    const window = tf.tile(gaussianWindow(size, 1.5 * (size / 11)), [1, 1, channels, 1]) as tf.Tensor4D;
    const blur = (t: tf.Tensor4D): tf.Tensor4D => tf.depthwiseConv2d(t, window, 1, 'valid');
    const muX = blur(x);
    const muY = blur(y);
    const sigmaX = tf.sub(blur(tf.mul(x, x) as tf.Tensor4D), tf.square(muX));
    const sigmaY = tf.sub(blur(tf.mul(y, y) as tf.Tensor4D), tf.square(muY));
    const sigmaXY = tf.sub(blur(tf.mul(x, y) as tf.Tensor4D), tf.mul(muX, muY));
    const c1 = 0.01 ** 2;
    const c2 = 0.03 ** 2;
    const numerator = tf.mul(tf.add(tf.mul(tf.mul(muX, muY), 2), c1), tf.add(tf.mul(sigmaXY, 2), c2));
    const denominator = tf.mul(
      tf.add(tf.add(tf.square(muX), tf.square(muY)), c1),
      tf.add(tf.add(sigmaX, sigmaY), c2),
    );
    const ssim = tf.mean(tf.div(numerator, denominator));
    const [l1v, psnrv, ssimv] = [l1, psnr, ssim].map((t) => t.dataSync()[0] ?? NaN);
    return { l1: l1v ?? NaN, psnr: psnrv ?? NaN, ssim: ssimv ?? NaN };
  });
}
