import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../../models/adam';
import { imageMetrics } from '../../../models/image-metrics';
import { LATENT_DEFAULTS, LatentGan, sampleCodes, type LatentConfig } from '../../../models/latent';
import { writePng } from '../datasets/image-io';
import type { TrainConfig } from './run-config';
import { concatAll, type HeldPair } from './sample-strip';
import type { EvalFigures, TrainingModel } from './training-model';

/** The seed of the validation strip's codes: the same faces of the prior at every step. */
export const STRIP_CODE_SEED = 31_337;

/** The latent GAN configuration a run's settings describe. */
export function latentConfigOf(config: TrainConfig): LatentConfig {
  return {
    ...LATENT_DEFAULTS,
    size: config.size,
    nz: config.nz,
    ngf: config.ngf,
    ndf: config.ndf,
    lambdaGp: config.lambdaGp,
    nCritic: config.nCritic,
    spectralNorm: config.spectralNorm,
    lr: config.lr,
  };
}

/** The tensors of a latent GAN that a model needs (networks and spectral-norm vectors), without optimizer state. */
export function latentWeights(state: NamedTensor[]): NamedTensor[] {
  return state.filter((t) => /^(G|D|E|sn)\//.test(t.name));
}

function imagesOf(held: HeldPair[], size: number): tf.Tensor4D {
  return tf.tensor4d(concatAll(held.map((p) => p.b)), [held.length, size, size, 3]);
}

/**
 * The latent GAN's validation strip: one row per held-out image, the image | G(E(image)) (what
 * the encoder makes of it) | two samples from fixed seeded codes, so successive strips show the
 * same codes as training goes on.
 */
export async function writeLatentStrip(
  model: LatentGan,
  path: string,
  held: HeldPair[],
  size: number,
): Promise<void> {
  const rows = held.length;
  const strip = tf.tidy(() => {
    const real = imagesOf(held, size);
    const reconstructed = model.sample(model.encode(real));
    const samples = model.sample(sampleCodes(2 * rows, model.config.nz, STRIP_CODE_SEED));
    const [even, odd] = tf.split(tf.reshape(samples, [rows, 2, size, size, 3]), 2, 1);
    const pair = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [rows, size, size, 3]);
    const row = tf.concat([real, reconstructed, pair(even!), pair(odd!)], 2);
    const image = tf.reshape(row, [rows * size, size * 4, 3]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(image, 1), 127.5)), 0, 255), 'int32');
  });
  const pixels = Uint8Array.from(await strip.data());
  strip.dispose();
  await writePng(path, pixels, size * 4, rows * size);
}

/**
 * Held-out figures of a latent GAN: L1, PSNR and SSIM of G(E(x)) against x (how well the encoder
 * inverts the generator on images it never trained on), beside the L1 of the held-out images'
 * mean image (a reconstruction that ignores the image), and the critic's Wasserstein estimate,
 * mean score of the held-out images minus that of as many samples from fixed codes.
 */
export function latentFigures(model: LatentGan, held: HeldPair[], size: number): EvalFigures {
  const sums = { l1: 0, psnr: 0, ssim: 0, baselineL1: 0 };
  const images = held.map((p) => p.b);
  const mean = new Float32Array(size * size * 3);
  for (const image of images) for (let i = 0; i < mean.length; i += 1) mean[i]! += image[i]! / images.length;
  for (const image of images) {
    tf.tidy(() => {
      const real = tf.tensor4d(image, [1, size, size, 3]);
      const m = imageMetrics(model.sample(model.encode(real)), real);
      sums.l1 += m.l1;
      sums.psnr += m.psnr;
      sums.ssim += m.ssim;
      sums.baselineL1 += imageMetrics(tf.tensor4d(mean, [1, size, size, 3]), real).l1;
    });
  }
  const wasserstein = tf.tidy(() => {
    const real = imagesOf(held, size);
    const fake = model.sample(sampleCodes(held.length, model.config.nz, STRIP_CODE_SEED + 1));
    return tf.sub(tf.mean(model.score(real)), tf.mean(model.score(fake))).dataSync()[0] ?? NaN;
  });
  const n = Math.max(1, images.length);
  return {
    l1: sums.l1 / n,
    psnr: sums.psnr / n,
    ssim: sums.ssim / n,
    baselineL1: sums.baselineL1 / n,
    baseline: 'mean',
    wasserstein,
  };
}

/**
 * The latent GAN learns from the photos alone (B): WGAN-GP on them, a generator update every
 * `nCritic`-th step of the loop (its step number makes that, and a resumed run, exact), and the
 * encoder trained alongside. Losses without a generator update leave out `G`.
 */
export function latentTraining(config: TrainConfig): TrainingModel {
  const model = new LatentGan(latentConfigOf(config), config.seed);
  return {
    step: (_a, b, seed, step) => {
      const { G, ...rest } = model.step(b, seed, step);
      return Number.isNaN(G) ? { ...rest } : { ...rest, G };
    },
    setLearningRate: (lr) => model.setLearningRate(lr),
    checkpoint: () => ({ tensors: model.state(), meta: {} }),
    restore: (tensors) => model.restore(tensors),
    writeSample: (path, held, size) => writeLatentStrip(model, path, held, size),
    evaluate: async (held, size) => latentFigures(model, held, size),
    dispose: () => model.dispose(),
  };
}
