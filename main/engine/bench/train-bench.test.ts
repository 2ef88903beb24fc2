import { describe, expect, it } from 'vitest';
import { benchTrain } from './train-bench';

describe('bench train', () => {
  it('times the peer’s CycleGAN case and reports its generator size and peak memory', async () => {
    const line = await benchTrain({ model: 'cyclegan', size: 32, steps: 1, ngf: 2, backend: 'cpu' });
    expect(line).toMatchObject({ case: 'cyclegan-resnet6-32-ngf2', backend: 'cpu', steps: 1 });
    expect(line.g_params).toBeGreaterThan(1000);
    expect(line.train_step_s).toBeGreaterThan(0);
    expect(line.peak_rss_mb).toBeGreaterThan(10);
  }, 60_000);

  it('times the inpainting GAN: a training step and one fill', async () => {
    const line = await benchTrain({ model: 'inpaint', size: 32, steps: 1, ngf: 2, backend: 'cpu' });
    expect(line).toMatchObject({ case: 'inpaint-gated32-ngf2', backend: 'cpu', steps: 1 });
    expect(line.g_params).toBeGreaterThan(100);
    expect(line.infer_ms).toBeGreaterThan(0);
  }, 60_000);

  it('times the latent GAN in batches of 16: loop steps with a generator update every 5th, and one sample', async () => {
    const line = await benchTrain({ model: 'latent', size: 16, steps: 5, ngf: 2, backend: 'wasm' });
    expect(line).toMatchObject({ case: 'latent-dcgan16-ngf2-nz100-b16', backend: 'wasm', steps: 5 });
    expect(line.g_params).toBeGreaterThan(1000);
    // Both figures are rounded (the step to 0.1 ms), so compare them relatively: 16 images a step.
    expect((line.train_img_per_s * line.train_step_s) / 16).toBeCloseTo(1, 1);
    expect(line.infer_ms).toBeGreaterThan(0);
  }, 60_000);
});
