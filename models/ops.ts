import * as tf from '@tensorflow/tfjs';

/** The epsilon of every normalisation, as in PyTorch. */
export const NORM_EPSILON = 1e-5;

/**
 * Normalises NHWC activations over `axes` ([1, 2]: per sample and channel, instance norm;
 * [0, 1, 2]: over the batch, batch norm with batch statistics), then scales and shifts.
 */
export function normalize(x: tf.Tensor4D, axes: number[], gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, axes, true);
  let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, NORM_EPSILON)));
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y as tf.Tensor4D;
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
