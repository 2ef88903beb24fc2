import * as tf from '@tensorflow/tfjs';
import { registerMissingGradients } from './gradients';
import { tfSeed } from './tf-seed';

/** The adversarial objectives the trainer offers. */
export type GanLossKind = 'vanilla' | 'lsgan' | 'hinge' | 'wgangp';

/** Binary cross-entropy on logits against a constant target, numerically stable. */
export function bceWithLogits(logits: tf.Tensor, target: 0 | 1): tf.Scalar {
  const positive = tf.relu(logits);
  const linear = target === 1 ? logits : tf.zerosLike(logits);
  return tf.mean(tf.add(tf.sub(positive, linear), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
}

/** The discriminator's loss on its outputs for real and for generated inputs (without any penalty). */
export function discriminatorLoss(kind: GanLossKind, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  switch (kind) {
    case 'vanilla':
      return tf.mul(tf.add(bceWithLogits(real, 1), bceWithLogits(fake, 0)), 0.5);
    case 'lsgan':
      return tf.mul(tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))), 0.5);
    case 'hinge':
      return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake))));
    case 'wgangp':
      return tf.sub(tf.mean(fake), tf.mean(real));
  }
}

/** The generator's adversarial loss on the discriminator's output for generated inputs. */
export function generatorLoss(kind: GanLossKind, fake: tf.Tensor): tf.Scalar {
  switch (kind) {
    case 'vanilla':
      return bceWithLogits(fake, 1);
    case 'lsgan':
      return tf.mean(tf.square(tf.sub(fake, 1)));
    case 'hinge':
    case 'wgangp':
      return tf.neg(tf.mean(fake)) as tf.Scalar;
  }
}

/** Mean absolute error. */
export function l1Loss(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b)));
}

/**
 * The WGAN-GP gradient penalty (Gulrajani et al. 2017): λ·E[(‖∇ₓD(x̂)‖₂ − 1)²] at random points
 * x̂ between real and generated inputs. Differentiable with respect to the critic's parameters
 * (a second-order gradient), so it shapes the critic's update.
 */
export function gradientPenalty(
  critic: (x: tf.Tensor) => tf.Tensor,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  lambda: number,
  seed?: number,
): tf.Scalar {
  registerMissingGradients();
  const alpha = tf.randomUniform(
    [real.shape[0], 1, 1, 1],
    0,
    1,
    'float32',
    seed === undefined ? undefined : tfSeed(seed),
  );
  const mixed = tf.add(tf.mul(alpha, real), tf.mul(tf.sub(1, alpha), fake)) as tf.Tensor4D;
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(mixed);
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradient), [1, 2, 3]), 1e-12));
  return tf.mul(tf.mean(tf.square(tf.sub(norms, 1))), lambda);
}
