import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './kernels/test-backends';
import { sampleCodes } from './latent';
import { projectImage } from './latent-projection';
import { tinyLatentGan } from './tiny-latent-gan';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('projectImage', () => {
  it('refines the encoder’s guess to a smaller reconstruction error, reporting every step', () => {
    const model = tinyLatentGan(1, 'project');
    const image = tf.tidy(() => model.sample(sampleCodes(1, 16, 42)));
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const result = projectImage(model, image, { steps: 40, onStep: (step) => seen.push(step) });
    expect(result.refinedError).toBeLessThan(0.5 * result.encodedError);
    expect(result.errors).toHaveLength(41);
    expect(result.errors[0]).toBe(result.encodedError);
    expect(result.errors.at(-1)).toBe(result.refinedError);
    expect(seen).toEqual(Array.from({ length: 41 }, (_, i) => i));
    const measured = tf.tidy(
      () =>
        tf
          .mean(tf.abs(tf.sub(model.sample(result.refined), image)))
          .div(2)
          .dataSync()[0],
    );
    expect(measured).toBeCloseTo(result.refinedError, 5);
    expect(result.encoded.shape).toEqual([1, 1, 1, 16]);
    tf.dispose([result.encoded, result.refined, result.reconstruction]);
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
    model.dispose();
  });

  it('reduces the error of an image the generator did not make, with L1 alone too', () => {
    const model = tinyLatentGan(2, 'project-real');
    const image = tf.tidy(() => {
      const ramp = tf.linspace(-0.8, 0.8, 16).reshape([1, 1, 16, 1]);
      return tf.concat(
        [ramp.tile([1, 16, 1, 1]), ramp.tile([1, 16, 1, 1]).neg(), tf.zeros([1, 16, 16, 1])],
        3,
      );
    }) as tf.Tensor4D;
    const result = projectImage(model, image, { steps: 30, pixelLoss: 'l1' });
    expect(result.refinedError).toBeLessThan(result.encodedError);
    tf.dispose([result.encoded, result.refined, result.reconstruction, image]);
    model.dispose();
  });

  it('refuses an image of another size or a batch', () => {
    const model = tinyLatentGan(3, 'project-bad');
    const wrong = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const batch = tf.zeros([2, 16, 16, 3]) as tf.Tensor4D;
    expect(() => projectImage(model, wrong)).toThrow(/16×16.*\[1,32,32,3\]/);
    expect(() => projectImage(model, batch)).toThrow(/one 16×16/);
    tf.dispose([wrong, batch]);
    model.dispose();
  });
});
