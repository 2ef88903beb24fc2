import * as tf from '@tensorflow/tfjs';
import { writePng } from '../datasets/image-io';

/** A held-out pair as the trainer keeps it: HWC float in [-1, 1]. */
export interface HeldPair {
  a: Float32Array;
  b: Float32Array;
}

/**
 * Writes the validation strip: one row per pair, input | output | target, so progress is visible
 * at a glance. The same pairs every time, so strips from different steps compare directly.
 */
export async function writeSampleStrip(
  path: string,
  pairs: HeldPair[],
  size: number,
  translate: (a: tf.Tensor4D) => tf.Tensor4D,
): Promise<void> {
  const rows = pairs.length;
  const strip = tf.tidy(() => {
    const a = tf.tensor4d(concatAll(pairs.map((p) => p.a)), [rows, size, size, 3]);
    const b = tf.tensor4d(concatAll(pairs.map((p) => p.b)), [rows, size, size, 3]);
    const fake = translate(a);
    const row = tf.concat([a, fake, b], 2);
    const image = tf.reshape(row, [rows * size, size * 3, 3]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(image, 1), 127.5)), 0, 255), 'int32');
  });
  const pixels = Uint8Array.from(await strip.data());
  strip.dispose();
  await writePng(path, pixels, size * 3, rows * size);
}

/** The parts end to end in one array. */
export function concatAll(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
