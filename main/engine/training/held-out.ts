import * as tf from '@tensorflow/tfjs';
import { HINT_CHANNELS, sampleHints } from '../../../models/color-hints';
import { imageMetrics } from '../../../models/image-metrics';
import { Pix2Pix, PIX2PIX_DEFAULTS } from '../../../models/pix2pix';
import type { TrainConfig } from './run-config';
import type { HeldPair } from './sample-strip';

/** The pix2pix model a run's configuration describes. */
export function pix2pixFor(config: TrainConfig, seed: number, prefix?: string): Pix2Pix {
  return new Pix2Pix(
    {
      ...PIX2PIX_DEFAULTS,
      size: config.size,
      ngf: config.ngf,
      ndf: config.ndf,
      norm: config.norm,
      dropout: config.dropout,
      gan: config.gan,
      lambdaL1: config.lambdaL1,
      lr: config.lr,
      hintChannels: config.hints ? HINT_CHANNELS : 0,
    },
    seed,
    prefix,
  );
}

/** Held-out quality of a generator, averaged over pairs, beside the copy-the-input L1. */
export interface HeldOutMetrics {
  l1: number;
  psnr: number;
  ssim: number;
  baselineL1: number;
}

/**
 * L1, PSNR and SSIM of a generator (`translate`, A to B) on held-out pairs (HWC in [-1, 1] of
 * `size`²), and the copy-the-input L1.
 */
export function heldOutMetrics(
  translate: (a: tf.Tensor4D) => tf.Tensor4D,
  pairs: HeldPair[],
  size: number,
): HeldOutMetrics {
  const sums = { l1: 0, psnr: 0, ssim: 0, baselineL1: 0 };
  for (const pair of pairs) {
    tf.tidy(() => {
      const a = tf.tensor4d(pair.a, [1, size, size, 3]);
      const b = tf.tensor4d(pair.b, [1, size, size, 3]);
      const m = imageMetrics(translate(a), b);
      sums.l1 += m.l1;
      sums.psnr += m.psnr;
      sums.ssim += m.ssim;
      sums.baselineL1 += imageMetrics(a, b).l1;
    });
  }
  const n = Math.max(1, pairs.length);
  return { l1: sums.l1 / n, psnr: sums.psnr / n, ssim: sums.ssim / n, baselineL1: sums.baselineL1 / n };
}

/** Seeds of the held-out images' simulated hints: the same every epoch and in `eval`, so figures compare. */
export const HELD_OUT_HINT_SEED = 77_777;

/**
 * The simulated colour hints of held-out image `index` (its target HWC RGB in [-1, 1], `size`²),
 * as training draws them, seeded by the image's place among the held-out pairs; HWC with
 * `HINT_CHANNELS` channels.
 */
export function heldOutHints(target: Float32Array, size: number, index: number): Float32Array {
  return sampleHints(target, size, HELD_OUT_HINT_SEED + index);
}

/** Held-out quality of a hinted model without hints, beside the copy-the-input L1, and with hints. */
export interface HintedHeldOutMetrics extends HeldOutMetrics {
  /** The same pairs with each image's seeded simulated hints (`heldOutHints`). */
  withHints: { l1: number; psnr: number; ssim: number };
}

/**
 * L1, PSNR and SSIM of a hinted generator (`translate`, A and a hint map to B) on held-out pairs
 * twice: with empty hint maps, as a person who gives no hints gets, and with each pair's seeded
 * simulated hints, so the two show how much hints help.
 */
export function hintedHeldOutMetrics(
  translate: (a: tf.Tensor4D, hints: tf.Tensor4D) => tf.Tensor4D,
  pairs: HeldPair[],
  size: number,
): HintedHeldOutMetrics {
  const shape: [number, number, number, number] = [1, size, size, HINT_CHANNELS];
  const none = heldOutMetrics((a) => tf.tidy(() => translate(a, tf.zeros(shape))), pairs, size);
  let index = 0;
  const hinted = heldOutMetrics(
    (a) => {
      const pair = pairs[index]!;
      const hints = heldOutHints(pair.b, size, index);
      index += 1;
      return tf.tidy(() => translate(a, tf.tensor4d(hints, shape)));
    },
    pairs,
    size,
  );
  return { ...none, withHints: { l1: hinted.l1, psnr: hinted.psnr, ssim: hinted.ssim } };
}
