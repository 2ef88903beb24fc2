import * as tf from '@tensorflow/tfjs';

/** The identity in the forward pass, a zero gradient in the backward pass (PyTorch's `detach`). */
export const stopGradient: <T extends tf.Tensor>(x: T) => T = tf.customGrad((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as <T extends tf.Tensor>(x: T) => T;
