import * as tf from '@tensorflow/tfjs';
import { borderMeanFill, holeMetrics, type HoleMetrics } from '../../../models/hole-metrics';
import { freeFormMask, type MaskDesign } from '../../../models/masks';
import { writePng } from '../datasets/image-io';
import { concatAll, type HeldPair } from './sample-strip';

/** The seed of held-out holes: the same holes every epoch and in `ganstudio eval`, so figures compare. */
export const HELD_OUT_MASK_SEED = 424_242;

/** Fills images' holes (NHWC in [-1, 1], masks NHW1 with 1 = hole) and returns the composites. */
export type FillFn = (image: tf.Tensor4D, mask: tf.Tensor4D) => tf.Tensor4D;

/** The held-out hole of image `index` (HW, 1 = hole). */
export function heldOutMask(size: number, design: MaskDesign, seed: number, index: number): Uint8Array {
  return freeFormMask(size, design, seed * 1000 + index);
}

/** Hole figures of a fill and of the border-mean baseline, averaged over images. */
export interface HoleComparison {
  model: HoleMetrics;
  baseline: HoleMetrics;
  images: number;
}

/** Averages per-image hole figures. */
export function meanMetrics(list: HoleMetrics[]): HoleMetrics {
  const n = Math.max(1, list.length);
  const sum = (key: keyof HoleMetrics): number => list.reduce((s, m) => s + m[key], 0) / n;
  return { l1: sum('l1'), psnr: sum('psnr'), ssim: sum('ssim') };
}

/** Fills one image's hole: HWC in [-1, 1] and its mask (1 = hole) in, the composite out. */
export type ArrayFill = (image: Float32Array, mask: Uint8Array) => Float32Array | Promise<Float32Array>;

/**
 * L1, PSNR and SSIM inside seeded held-out holes of images (HWC in [-1, 1], `size`²), for the
 * fill and for the border-mean baseline beside it.
 */
export async function compareHoles(
  images: Float32Array[],
  size: number,
  design: MaskDesign,
  seed: number,
  fill: ArrayFill,
): Promise<HoleComparison> {
  const model: HoleMetrics[] = [];
  const baseline: HoleMetrics[] = [];
  for (const [index, image] of images.entries()) {
    const mask = heldOutMask(size, design, seed, index);
    model.push(holeMetrics(await fill(image, mask), image, mask, size, size));
    baseline.push(holeMetrics(borderMeanFill(image, mask, size, size), image, mask, size, size));
  }
  return { model: meanMetrics(model), baseline: meanMetrics(baseline), images: images.length };
}

/** A tfjs fill (`FillFn`) as an `ArrayFill` of one image. */
export function arrayFillOf(fill: FillFn, size: number): ArrayFill {
  return (image, mask) => {
    const out = tf.tidy(() =>
      fill(tf.tensor4d(image, [1, size, size, 3]), tf.tensor4d(Float32Array.from(mask), [1, size, size, 1])),
    );
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  };
}

/**
 * The inpainting validation strip: per held-out photo, the photo with its hole (shown white) |
 * the fill | the photo, with the same holes every time so strips from different steps compare.
 */
export async function writeInpaintStrip(
  path: string,
  held: HeldPair[],
  size: number,
  design: MaskDesign,
  fill: FillFn,
): Promise<void> {
  const rows = held.length;
  const masks = held.map((_, index) => heldOutMask(size, design, HELD_OUT_MASK_SEED, index));
  const strip = tf.tidy(() => {
    const image = tf.tensor4d(concatAll(held.map((p) => p.b)), [rows, size, size, 3]);
    const mask = tf.tensor4d(concatAll(masks.map((m) => Float32Array.from(m))), [rows, size, size, 1]);
    const holed = tf.add(tf.mul(image, tf.sub(1, mask)), mask);
    const row = tf.concat([holed, fill(image, mask), image], 2);
    const pixels = tf.reshape(row, [rows * size, size * 3, 3]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(pixels, 1), 127.5)), 0, 255), 'int32');
  });
  const pixels = Uint8Array.from(await strip.data());
  strip.dispose();
  await writePng(path, pixels, size * 3, rows * size);
}
