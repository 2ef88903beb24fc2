import { describe, expect, it } from 'vitest';
import { HINT_CHANNELS, sampleHints } from './color-hints';

function ramp(size: number): Float32Array {
  const image = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y += 1)
    for (let x = 0; x < size; x += 1) image.set([x / size, -y / size, 0.25], (y * size + x) * 3);
  return image;
}

describe('simulated colour hints', () => {
  it('are reproducible, often absent, and otherwise a few points', () => {
    const image = ramp(64);
    expect(sampleHints(image, 64, 5)).toEqual(sampleHints(image, 64, 5));
    const counts = Array.from({ length: 200 }, (_, seed) => {
      const hints = sampleHints(image, 64, seed);
      let marked = 0;
      for (let p = 0; p < 64 * 64; p += 1) marked += hints[p * HINT_CHANNELS + 3]!;
      return marked;
    });
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(10);
    expect(counts.filter((c) => c > 0).length).toBeGreaterThan(100);
  });

  it('carry the mean colour of the target under each patch, and nothing elsewhere', () => {
    const image = ramp(32);
    const hints = sampleHints(image, 32, 11);
    for (let p = 0; p < 32 * 32; p += 1) {
      const o = p * HINT_CHANNELS;
      if (hints[o + 3] === 0) {
        expect([hints[o], hints[o + 1], hints[o + 2]]).toEqual([0, 0, 0]);
        continue;
      }
      expect(hints[o + 3]).toBe(1);
      expect(hints[o + 2]).toBeCloseTo(0.25, 5);
      expect(Math.abs(hints[o]! - image[p * 3]!)).toBeLessThan(1 / 16);
    }
  });
});
