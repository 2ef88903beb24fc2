import * as tf from '@tensorflow/tfjs';

const detach = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** The identity in the forward pass, a zero gradient in the backward pass (PyTorch's `detach`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detach(x) as T;
}
