import * as tf from '@tensorflow/tfjs';
import { reflectPad } from './ops';

/** How steeply gradient magnitude turns into edge strength: a step of 0.25 in luminance gives tanh(1) ≈ 0.76. */
export const EDGE_GAIN = 4;

/** Sobel's x and y kernels, HWIO [3, 3, 1, 2], scaled by 1/4 so a unit luminance step gives magnitude 1. */
function sobelKernel(): tf.Tensor4D {
  const x = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
  const y = [-1, -2, -1, 0, 0, 0, 1, 2, 1];
  return tf.tensor4d(
    x.flatMap((value, i) => [value / 4, (y[i] as number) / 4]),
    [3, 3, 1, 2],
  );
}

/**
 * A differentiable edge map of NHWC images in [-1, 1]: the Sobel gradient magnitude of their
 * luminance (Rec. 601 weights, on 0–1 values), squashed to [0, 1) by tanh(EDGE_GAIN · m), then
 * a 3×3 max so an edge within a pixel of a point counts there. It stands in for the HOG edges
 * iGAN matches sketches with (Zhu et al. 2016): a sketch stroke says where an edge is, not
 * which way it runs, and one 3×3 convolution costs far less per step than gradient histograms;
 * the max-pooling gives a little of HOG's tolerance to where exactly the edge falls. [n, s, s, 1].
 */
export function edgeStrength(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const weights = tf.tensor1d([0.299, 0.587, 0.114]);
    const luminance = tf.div(tf.add(tf.sum(tf.mul(images, weights), 3, true), 1), 2) as tf.Tensor4D;
    const gradients = tf.conv2d(reflectPad(luminance, 1), sobelKernel(), 1, 'valid');
    const magnitude = tf.sqrt(tf.add(tf.sum(tf.square(gradients), 3, true), 1e-8));
    const strength = tf.tanh(tf.mul(magnitude, EDGE_GAIN)) as tf.Tensor4D;
    return tf.maxPool(strength, 3, 1, 'same');
  });
}
