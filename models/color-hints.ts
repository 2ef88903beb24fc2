import { Sfc32 } from './sfc32';

/** Channels of a hint map: the hint colour (RGB in [-1, 1]) and a mask that is 1 where a hint is. */
export const HINT_CHANNELS = 4;

/** The most hint points one training image gets. */
const MAX_POINTS = 32;

/**
 * Simulated user colour hints for a training image, as user-guided colorization trains them
 * (Zhang et al., "Real-Time User-Guided Image Colorization with Learned Deep Priors", 2017):
 * a geometric number of points (p = 1/8, so often none), each a small square patch carrying the
 * mean colour of the target under it. `target` is HWC RGB in [-1, 1]; the result is HWC with
 * `HINT_CHANNELS` channels. The same seed gives the same hints.
 */
export function sampleHints(target: Float32Array, size: number, seed: number): Float32Array {
  const random = Sfc32.fromSeed(seed);
  const hints = new Float32Array(size * size * HINT_CHANNELS);
  let points = 0;
  while (points < MAX_POINTS && random.next() >= 1 / 8) points += 1;
  const largest = Math.max(1, Math.round(size / 32));
  for (let p = 0; p < points; p += 1) {
    const side = 1 + random.int(largest);
    const left = random.int(size - side + 1);
    const top = random.int(size - side + 1);
    const mean = [0, 0, 0];
    for (let y = top; y < top + side; y += 1)
      for (let x = left; x < left + side; x += 1)
        for (let c = 0; c < 3; c += 1) mean[c]! += target[(y * size + x) * 3 + c]!;
    for (let y = top; y < top + side; y += 1)
      for (let x = left; x < left + side; x += 1) {
        const o = (y * size + x) * HINT_CHANNELS;
        for (let c = 0; c < 3; c += 1) hints[o + c] = mean[c]! / (side * side);
        hints[o + 3] = 1;
      }
  }
  return hints;
}
