import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './kernels/test-backends';
import {
  dcganCritic,
  dcganEncoder,
  dcganGenerator,
  LATENT_DEFAULTS,
  LatentGan,
  latentSizeError,
  sampleCodes,
  type LatentConfig,
} from './latent';
import { pixelNorm } from './ops';

beforeAll(async () => {
  await useBackend('wasm');
});

const tiny = (over: Partial<LatentConfig> = {}): LatentConfig => ({
  ...LATENT_DEFAULTS,
  size: 16,
  nz: 8,
  ngf: 4,
  ndf: 4,
  ...over,
});

/** A batch of "real" images: smooth colour ramps that differ per image. */
function ramps(count: number, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.linspace(-1, 1, size).reshape([1, 1, size, 1]);
    const y = tf.linspace(-1, 1, size).reshape([1, size, 1, 1]);
    const phase = tf.linspace(-0.5, 0.5, count).reshape([count, 1, 1, 1]);
    const r = tf.add(tf.mul(x, 0.8), phase);
    const g = tf.mul(tf.add(y, phase), 0.6);
    const b = tf.mul(tf.add(x, y), 0.4);
    return tf.clipByValue(
      tf.concat([r.tile([1, size, 1, 1]), g.tile([1, 1, size, 1]), b.tile([count, 1, 1, 1])], 3),
      -1,
      1,
    ) as tf.Tensor4D;
  });
}

describe('DCGAN shapes', () => {
  it.each([16, 64, 128])('maps codes to %i px images and back', (size) => {
    const config = { size, nz: 8, ngf: 2, ndf: 2 };
    expect(dcganGenerator(config).nodes.filter((n) => n.op === 'convTranspose')).toHaveLength(
      Math.log2(size) - 1,
    );
    expect(dcganCritic(config).nodes.filter((n) => n.op === 'conv')).toHaveLength(Math.log2(size) - 1);
    const model = new LatentGan(tiny({ size }), 1, `shape-${size}`);
    tf.tidy(() => {
      const images = model.sample(sampleCodes(2, 8, 3));
      expect(images.shape).toEqual([2, size, size, 3]);
      expect(model.encode(images).shape).toEqual([2, 1, 1, 8]);
      expect(model.score(images).shape).toEqual([2]);
    });
    model.dispose();
  });

  it('refuses sizes the 4×4 start cannot reach, naming the size', () => {
    expect(latentSizeError(64)).toBeUndefined();
    expect(latentSizeError(96)).toMatch(/power-of-two.*96/);
    expect(latentSizeError(8)).toMatch(/8/);
    expect(() => dcganEncoder({ size: 100, nz: 4, ndf: 2 })).toThrow(/100/);
  });

  it('PixelNorm gives every pixel unit root mean square over channels', () => {
    const out = tf.tidy(() => pixelNorm(tf.randomNormal([2, 3, 3, 5], 0, 4, 'float32', 7) as tf.Tensor4D));
    const rms = tf.tidy(() => tf.sqrt(tf.mean(tf.square(out), 3)).dataSync());
    for (const value of rms) expect(value).toBeCloseTo(1, 4);
    out.dispose();
  });

  it('a sample is the same alone and in a batch (no batch statistics)', () => {
    const model = new LatentGan(tiny(), 2, 'alone');
    const [alone, batched] = tf.tidy(() => {
      const z = sampleCodes(3, 8, 5);
      const first = tf.slice(z, [0, 0, 0, 0], [1, 1, 1, 8]);
      return [
        model.sample(first).dataSync(),
        tf.slice(model.sample(z), [0, 0, 0, 0], [1, 16, 16, 3]).dataSync(),
      ];
    });
    expect(Math.max(...alone.map((v, i) => Math.abs(v - (batched[i] ?? 0))))).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe('LatentGan training', () => {
  it('updates the generator every nCritic-th step, with a positive gradient penalty', () => {
    const model = new LatentGan(tiny({ nCritic: 2 }), 3, 'steps');
    const real = ramps(4, 16);
    const first = model.step(real, 10, 0);
    const second = model.step(real, 11, 1);
    expect(Number.isFinite(first.G)).toBe(true);
    expect(second.G).toBeNaN();
    for (const losses of [first, second]) {
      expect(losses.gp).toBeGreaterThan(0);
      expect(Number.isFinite(losses.W)).toBe(true);
      expect(Number.isFinite(losses.E_z) && Number.isFinite(losses.E_x)).toBe(true);
    }
    real.dispose();
    model.dispose();
  });

  it('the encoder learns to invert the generator (code error falls)', () => {
    const model = new LatentGan(tiny({ lr: 2e-3 }), 4, 'invert');
    const real = ramps(8, 16);
    const errors: number[] = [];
    for (let step = 0; step < 40; step += 1) errors.push(model.step(real, 100 + step, step).E_z);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(errors.slice(-5))).toBeLessThan(0.8 * mean(errors.slice(0, 5)));
    real.dispose();
    model.dispose();
  });

  it('the critic learns to score the real images above the generated ones', () => {
    const model = new LatentGan(tiny({ lr: 1e-3, nCritic: 1000 }), 5, 'critic');
    const real = ramps(8, 16);
    for (let step = 1; step <= 30; step += 1) model.step(real, 200 + step, step);
    const [realScore, fakeScore] = tf.tidy(() => [
      model.score(real).mean().dataSync()[0] ?? NaN,
      model
        .score(model.sample(sampleCodes(8, 8, 9)))
        .mean()
        .dataSync()[0] ?? NaN,
    ]);
    expect(realScore).toBeGreaterThan(fakeScore);
    real.dispose();
    model.dispose();
  });

  it.each([false, true])('resumes bit for bit (spectral norm %s)', (spectralNorm) => {
    const config = tiny({ spectralNorm });
    const a = new LatentGan(config, 6, `resume-a-${spectralNorm}`);
    const real = ramps(2, 16);
    a.step(real, 1, 0);
    const b = new LatentGan(config, 99, `resume-b-${spectralNorm}`);
    b.restore(a.state());
    expect(b.step(real, 2, 1)).toEqual(a.step(real, 2, 1));
    real.dispose();
    a.dispose();
    b.dispose();
  });

  it('refuses a checkpoint of another shape, naming the tensor', () => {
    const a = new LatentGan(tiny(), 1, 'shape-a');
    const b = new LatentGan(tiny({ nz: 9 }), 1, 'shape-b');
    expect(() => b.restore(a.state())).toThrow(/G\/deconv.*shape/);
    a.dispose();
    b.dispose();
  });
});

describe('seeded codes', () => {
  it('repeat for every seed, 0 included (tfjs alone would draw 0 from Math.random)', () => {
    for (const seed of [0, 1]) {
      const [a, b] = [sampleCodes(2, 4, seed), sampleCodes(2, 4, seed)];
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([a, b]);
    }
  });
});
