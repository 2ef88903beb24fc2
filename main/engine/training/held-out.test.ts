import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HINT_CHANNELS } from '../../../models/color-hints';
import { heldOutHints, hintedHeldOutMetrics } from './held-out';
import { selectBackend } from './tf-backend';

const SIZE = 32;

beforeAll(async () => {
  await selectBackend('cpu');
});

/** A held-out pair: a flat gray input and a target of two colours, HWC in [-1, 1]. */
function pair(seed: number): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(SIZE * SIZE * 3);
  const b = new Float32Array(SIZE * SIZE * 3);
  for (let p = 0; p < SIZE * SIZE; p += 1) {
    const left = p % SIZE < SIZE / 2;
    b.set(left ? [0.8, -0.2 + seed * 0.1, -0.6] : [-0.7, 0.5, 0.3 - seed * 0.1], p * 3);
  }
  return { a, b };
}

/** A "model" that paints each hint's colour where the hint mask is set and keeps the input elsewhere. */
function pasteHints(a: tf.Tensor4D, hints: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [rgb, mask] = tf.split(hints, [3, 1], 3) as [tf.Tensor4D, tf.Tensor4D];
    return tf.add(tf.mul(rgb, mask), tf.mul(a, tf.sub(1, mask))) as tf.Tensor4D;
  });
}

describe('hintedHeldOutMetrics', () => {
  it('scores the same pairs without hints and with their seeded hints, so the help of hints shows', () => {
    const pairs = [0, 1, 2, 3, 4, 5].map(pair);
    const hinted = pairs.map((p, i) => heldOutHints(p.b, SIZE, i));
    expect(hinted.some((h) => h.some((v, i) => i % HINT_CHANNELS === 3 && v === 1))).toBe(true);
    const before = tf.memory().numTensors;
    const m = hintedHeldOutMetrics(pasteHints, pairs, SIZE);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.l1).toBeCloseTo(m.baselineL1, 6);
    expect(m.withHints.l1).toBeLessThan(m.l1);
    expect(m.withHints.psnr).toBeGreaterThan(m.psnr);
  });

  it('gives each held-out image the same hints every time, and different images different ones', () => {
    const target = pair(0).b;
    expect(heldOutHints(target, SIZE, 3)).toEqual(heldOutHints(target, SIZE, 3));
    const maps = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => heldOutHints(target, SIZE, i).join());
    expect(new Set(maps).size).toBeGreaterThan(1);
  });
});
