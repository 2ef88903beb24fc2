import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageMetrics } from './image-metrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('imageMetrics', () => {
  it('gives L1 0, SSIM 1 and a very high PSNR for identical images', () => {
    const x = tf.randomUniform([2, 24, 24, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const m = imageMetrics(x, x);
    expect(m.l1).toBe(0);
    expect(m.ssim).toBeCloseTo(1, 5);
    expect(m.psnr).toBeGreaterThan(90);
    x.dispose();
  });

  it('matches the closed forms for a constant offset', () => {
    const x = tf.fill([1, 16, 16, 3], -0.5) as tf.Tensor4D;
    const y = tf.fill([1, 16, 16, 3], 0.5) as tf.Tensor4D;
    const m = imageMetrics(x, y);
    // On the [0, 1] scale the images are 0.25 and 0.75: L1 0.5, MSE 0.25, PSNR 10·log10(4).
    expect(m.l1).toBeCloseTo(0.5, 6);
    expect(m.psnr).toBeCloseTo(10 * Math.log10(4), 4);
    // Constant images: SSIM = (2·μx·μy + c1) / (μx² + μy² + c1).
    const c1 = 0.0001;
    // float32 sums over the 11×11 window leave variances of ~1e-7 instead of 0.
    expect(m.ssim).toBeCloseTo((2 * 0.25 * 0.75 + c1) / (0.25 ** 2 + 0.75 ** 2 + c1), 3);
    tf.dispose([x, y]);
  });

  it('ranks a slightly noisy copy above an unrelated image', () => {
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const near = tf.add(x, tf.randomNormal([1, 32, 32, 3], 0, 0.05, 'float32', 3)) as tf.Tensor4D;
    const far = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const a = imageMetrics(near, x);
    const b = imageMetrics(far, x);
    expect(a.ssim).toBeGreaterThan(b.ssim);
    expect(a.psnr).toBeGreaterThan(b.psnr);
    expect(a.l1).toBeLessThan(b.l1);
    tf.dispose([x, near, far]);
  });
});
