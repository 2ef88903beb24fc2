import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './kernels/test-backends';
import { sampleCodes } from './latent';
import { interpolateCodes } from './latent-interpolation';

beforeAll(async () => {
  await useBackend('wasm');
});

function row(codes: tf.Tensor4D, i: number): Float32Array {
  return tf.tidy(() => tf.slice(codes, [i, 0, 0, 0], [1, -1, -1, -1]).dataSync() as Float32Array);
}

describe('interpolateCodes', () => {
  it.each(['linear', 'spherical'] as const)('%s: n codes with the ends exactly the given codes', (kind) => {
    const a = sampleCodes(1, 16, 1);
    const b = sampleCodes(1, 16, 2);
    const before = tf.memory().numTensors;
    const codes = interpolateCodes(a, b, 7, kind);
    expect(codes.shape).toEqual([7, 1, 1, 16]);
    expect(row(codes, 0)).toEqual(a.dataSync());
    expect(row(codes, 6)).toEqual(b.dataSync());
    codes.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('linear: the midpoint is the mean; spherical: codes of equal norm keep it', () => {
    const a = tf.tensor4d([3, 0, 0, 0], [1, 1, 1, 4]);
    const b = tf.tensor4d([0, 3, 0, 0], [1, 1, 1, 4]);
    const linear = interpolateCodes(a, b, 3, 'linear');
    const spherical = interpolateCodes(a, b, 5, 'spherical');
    expect(Array.from(row(linear, 1))).toEqual([1.5, 1.5, 0, 0]);
    for (let i = 0; i < 5; i += 1) expect(Math.hypot(...row(spherical, i))).toBeCloseTo(3, 5);
    const middle = row(spherical, 2);
    expect(middle[0]).toBeCloseTo(3 / Math.SQRT2, 5);
    expect(middle[1]).toBeCloseTo(3 / Math.SQRT2, 5);
    tf.dispose([a, b, linear, spherical]);
  });

  it('spherical between parallel codes falls back to the straight line', () => {
    const a = tf.tensor4d([1, 2], [1, 1, 1, 2]);
    const b = tf.tensor4d([2, 4], [1, 1, 1, 2]);
    const codes = interpolateCodes(a, b, 3);
    expect(Array.from(row(codes, 1))).toEqual([1.5, 3]);
    tf.dispose([a, b, codes]);
  });

  it('refuses codes of different shapes and fewer than two steps', () => {
    const a = sampleCodes(1, 4, 1);
    const b = sampleCodes(1, 5, 1);
    const batch = sampleCodes(2, 4, 1);
    expect(() => interpolateCodes(a, b, 4)).toThrow(/same shape.*\[1,1,1,4\].*\[1,1,1,5\]/);
    expect(() => interpolateCodes(batch, batch, 4)).toThrow(/same shape/);
    expect(() => interpolateCodes(a, a, 1)).toThrow(/at least 2/);
    tf.dispose([a, b, batch]);
  });
});
