import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { paramSpecs } from './graph';
import { discriminatorLoss, generatorLoss, l1Loss } from './losses';
import { countParams, detachedCopies, disposeAll } from './params';
import { patchGan } from './patchgan';
import { Pix2Pix, PIX2PIX_DEFAULTS, type Pix2PixConfig } from './pix2pix';
import { runGraph } from './run-graph';
import { stopGradient } from './stop-gradient';
import { unetGenerator } from './unet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny = (over: Partial<Pix2PixConfig> = {}): Pix2PixConfig => ({
  ...PIX2PIX_DEFAULTS,
  size: 32,
  ngf: 4,
  ndf: 4,
  ...over,
});

function batch(size: number, n = 1, seed = 1): { a: tf.Tensor4D; b: tf.Tensor4D } {
  const a = tf.randomUniform([n, size, size, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
  const b = tf.tanh(tf.mul(a, 1.5)) as tf.Tensor4D;
  return { a, b };
}

describe('architectures', () => {
  it('the U-Net keeps the spatial size and has the reference parameter count', () => {
    const g = unetGenerator({
      size: 128,
      inChannels: 3,
      outChannels: 3,
      ngf: 64,
      norm: 'batch',
      dropout: true,
    });
    const total = paramSpecs(g).reduce((sum, s) => sum + s.shape.reduce((p, d) => p * d, 1), 0);
    // The g_params the PyTorch peer (../shared/bench/torch_peer.py) prints for unet_128, ngf 64.
    expect(total).toBe(41_828_995);
    const small = unetGenerator({
      size: 32,
      inChannels: 3,
      outChannels: 3,
      ngf: 4,
      norm: 'instance',
      dropout: false,
    });
    const params = new Map(paramSpecs(small).map((s) => [s.name, tf.zeros(s.shape)]));
    const y = runGraph(small, params, [tf.zeros([2, 32, 32, 3])], { training: false });
    expect(y.shape).toEqual([2, 32, 32, 3]);
    disposeAll(params);
    y.dispose();
  });

  it('the 70×70 PatchGAN maps 128 px to a 14×14 grid of logits', () => {
    const d = patchGan({ inChannels: 6, ndf: 4, nLayers: 3, norm: 'batch' });
    const params = new Map(paramSpecs(d).map((s) => [s.name, tf.ones(s.shape)]));
    const y = runGraph(d, params, [tf.zeros([1, 128, 128, 6])], { training: true });
    expect(y.shape).toEqual([1, 14, 14, 1]);
    disposeAll(params);
    y.dispose();
  });

  it('refuses U-Net sizes that are not powers of two', () => {
    expect(() =>
      unetGenerator({ size: 100, inChannels: 3, outChannels: 3, ngf: 4, norm: 'batch', dropout: true }),
    ).toThrow(/power of two/);
  });

  it('initialises conv weights N(0, 0.02) and batch-norm gammas N(1, 0.02)', () => {
    const model = new Pix2Pix(tiny({ ngf: 16 }), 7, 'init-check');
    const weights = [...model.G].filter(([n]) => n.endsWith('.weight')).map(([, v]) => v.dataSync());
    const all = Float32Array.from(weights.flatMap((w) => [...w]));
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    const std = Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
    const gammas = [...model.G].filter(([n]) => n.endsWith('.gamma')).flatMap(([, v]) => [...v.dataSync()]);
    expect(gammas.reduce((s, v) => s + v, 0) / gammas.length).toBeCloseTo(1, 1);
    model.dispose();
  });
});

describe('Pix2Pix step', () => {
  it('gives finite losses, leaks no tensors, and lowers the L1 on a fixed pair', () => {
    const model = new Pix2Pix(tiny(), 3, 'leak-check');
    const { a, b } = batch(32, 2);
    model.step(a, b, 1);
    const before = tf.memory().numTensors;
    const l1: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const losses = model.step(a, b, i + 2);
      for (const value of Object.values(losses)) expect(Number.isFinite(value)).toBe(true);
      l1.push(losses.G_l1);
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(l1.at(-1)).toBeLessThan(l1[0] ?? 0);
    model.dispose();
    tf.dispose([a, b]);
  }, 60_000);

  it('yields the same updates as separate D and G passes (one generator forward is enough)', () => {
    const config = tiny({ dropout: false, norm: 'instance' });
    const shared = new Pix2Pix(config, 11, 'shared');
    const separate = new Pix2Pix(config, 11, 'separate');
    const { a, b } = batch(32, 1, 5);

    const gradsFor = (model: Pix2Pix) => {
      const fake = tf.tidy(() => runGraph(model.generator, model.G, [a], { training: true }));
      const dGrads = tf.variableGrads(() => {
        const real = runGraph(model.discriminator, model.D, [tf.concat([a, b], 3)], { training: true });
        const faked = runGraph(model.discriminator, model.D, [tf.concat([a, fake], 3)], { training: true });
        return discriminatorLoss('vanilla', real, faked);
      }, [...model.D.values()]);
      const frozen = detachedCopies(model.D);
      const gGrads = tf.variableGrads(() => {
        const f = runGraph(model.generator, model.G, [a], { training: true });
        const pred = runGraph(model.discriminator, frozen, [tf.concat([a, f], 3)], { training: true });
        return tf.add(generatorLoss('vanilla', pred), tf.mul(l1Loss(f, b), 100)) as tf.Scalar;
      }, [...model.G.values()]);
      disposeAll(frozen);
      fake.dispose();
      return { ...dGrads.grads, ...gGrads.grads };
    };
    const expected = gradsFor(separate);

    const frozenD = detachedCopies(shared.D);
    const actual = tf.variableGrads(() => {
      const fake = runGraph(shared.generator, shared.G, [a], { training: true });
      const fakePair = tf.concat([a, fake], 3);
      const real = runGraph(shared.discriminator, shared.D, [tf.concat([a, b], 3)], { training: true });
      const faked = runGraph(shared.discriminator, shared.D, [stopGradient(fakePair)], { training: true });
      const pred = runGraph(shared.discriminator, frozenD, [fakePair], { training: true });
      return tf.add(
        tf.add(discriminatorLoss('vanilla', real, faked), generatorLoss('vanilla', pred)),
        tf.mul(l1Loss(fake, b), 100),
      ) as tf.Scalar;
    }, [...shared.G.values(), ...shared.D.values()]).grads;
    disposeAll(frozenD);

    for (const [name, grad] of Object.entries(expected)) {
      const twin = actual[name.replace(/^separate/, 'shared')];
      expect(twin, name).toBeDefined();
      const diff = tf.max(tf.abs(tf.sub(grad, twin as tf.Tensor))).dataSync()[0] ?? 1;
      const scale = tf.max(tf.abs(grad)).dataSync()[0] ?? 1;
      expect(diff / Math.max(scale, 1e-8), name).toBeLessThan(1e-4);
    }
    shared.dispose();
    separate.dispose();
  });

  it.each(['lsgan', 'hinge', 'wgangp'] as const)('trains with the %s objective', (gan) => {
    const model = new Pix2Pix(tiny({ gan }), 4, `obj-${gan}`);
    const { a, b } = batch(32);
    const losses = model.step(a, b, 1);
    for (const value of Object.values(losses)) expect(Number.isFinite(value)).toBe(true);
    if (gan === 'wgangp') expect(losses.gp).toBeGreaterThan(0);
    else expect(losses.gp).toBe(0);
    model.dispose();
  });

  it('applies the gradient penalty to the critic update', () => {
    const run = (lambdaGp: number): Float32Array => {
      const model = new Pix2Pix(tiny({ gan: 'wgangp', lambdaGp, dropout: false }), 9, `gp-${lambdaGp}`);
      const { a, b } = batch(32, 1, 3);
      model.step(a, b, 1);
      const first = [...model.D.values()][0];
      const out = Float32Array.from(first?.dataSync() ?? []);
      model.dispose();
      return out;
    };
    const without = run(0);
    const withGp = run(10);
    const diff = without.reduce((m, v, i) => Math.max(m, Math.abs(v - (withGp[i] ?? 0))), 0);
    expect(diff).toBeGreaterThan(1e-7);
  });

  it('resumes exactly: restoring the state reproduces the next step', async () => {
    const config = tiny({ dropout: true });
    const original = new Pix2Pix(config, 21, 'orig');
    const { a, b } = batch(32, 1, 8);
    original.step(a, b, 1);
    original.step(a, b, 2);
    const saved = original.state().map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
    const resumed = new Pix2Pix(config, 999, 'resumed');
    resumed.restore(saved);
    const next = original.step(a, b, 3);
    const again = resumed.step(a, b, 3);
    expect(again).toEqual(next);
    const w1 = [...original.G.values()][0]?.dataSync();
    const w2 = [...resumed.G.values()][0]?.dataSync();
    expect(Array.from(w2 ?? [])).toEqual(Array.from(w1 ?? []));
    tf.dispose(saved.map((s) => s.tensor));
    original.dispose();
    resumed.dispose();
    expect(countParams(new Map())).toBe(0);
  });
});
