import * as tf from '@tensorflow/tfjs';

let registered = false;

/**
 * Gradients tfjs does not define but second-order differentiation (the WGAN-GP penalty through
 * LeakyReLU) reaches: a comparison's gradient is zero everywhere it is defined.
 */
export function registerMissingGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'Greater',
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  });
}
