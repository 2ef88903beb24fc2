import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  composite,
  gatedGenerator,
  INPAINT_DEFAULTS,
  InpaintGan,
  maskBatch,
  type InpaintConfig,
} from './inpaint';
import { useBackend } from './kernels/test-backends';
import { initParams } from './params';
import { runGraph } from './run-graph';
import { SpectralNorm } from './spectral-norm';

beforeAll(async () => {
  await useBackend('wasm');
});

const tiny = (over: Partial<InpaintConfig> = {}): InpaintConfig => ({
  ...INPAINT_DEFAULTS,
  size: 32,
  ngf: 4,
  ndf: 4,
  ...over,
});

/** The largest singular value of a matrix, by many power-iteration steps in plain numbers. */
function largestSingularValue(values: Float32Array, rows: number, cols: number): number {
  let v = Array.from({ length: cols }, (_, i) => Math.sin(i + 1));
  let sigma = 0;
  for (let it = 0; it < 500; it += 1) {
    const u = Array.from({ length: rows }, (_, r) => v.reduce((s, x, c) => s + values[r * cols + c]! * x, 0));
    const w = Array.from({ length: cols }, (_, c) => u.reduce((s, x, r) => s + values[r * cols + c]! * x, 0));
    const norm = Math.hypot(...w);
    sigma = Math.sqrt(norm / Math.hypot(...v));
    v = w.map((x) => x / norm);
  }
  return sigma;
}

describe('spectral normalisation', () => {
  it('estimates the largest singular value and normalises the weight to spectral norm 1', () => {
    const params = new Map([['c.weight', tf.variable(tf.randomNormal([3, 3, 4, 6], 0, 1, 'float32', 5))]]);
    const sn = new SpectralNorm(params, 1);
    for (let i = 0; i < 40; i += 1) sn.update(params);
    const matrix = params.get('c.weight')!.dataSync() as Float32Array;
    const expected = largestSingularValue(matrix, 36, 6);
    expect(sn.sigmas(params).get('c.weight')).toBeCloseTo(expected, 3);
    const normalized = sn.detachedNormalized(params).get('c.weight')!;
    expect(largestSingularValue(normalized.dataSync() as Float32Array, 36, 6)).toBeCloseTo(1, 3);
    sn.dispose();
  });

  it('differentiates through σ (the gradient is orthogonal to the weight, as for W/‖W‖)', () => {
    const w = tf.variable(tf.randomNormal([1, 1, 3, 2], 0, 1, 'float32', 9));
    const params = new Map([['c.weight', w]]);
    const sn = new SpectralNorm(params, 2);
    for (let i = 0; i < 50; i += 1) sn.update(params);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(sn.normalized(params).get('c.weight')!)) as tf.Scalar,
      [w],
    );
    const dot = tf.sum(tf.mul(grads[w.name]!, w)).dataSync()[0]!;
    // f(W/σ(W)) is scale-invariant in W, so its gradient has no component along W.
    expect(Math.abs(dot)).toBeLessThan(1e-3);
    sn.dispose();
  });
});

describe('the gated inpainting generator', () => {
  it('keeps the size, and never reads the pixels under the hole', () => {
    const graph = gatedGenerator({ ngf: 4 });
    const params = initParams(graph, 'test-gen', 3);
    const mask = maskBatch(1, 32, INPAINT_DEFAULTS.mask, 4);
    const image = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const scribbled = tf.add(tf.mul(image, tf.sub(1, mask)), tf.mul(mask, 0.9)) as tf.Tensor4D;
    const out = runGraph(graph, params, [image, mask], { training: false });
    expect(out.shape).toEqual([1, 32, 32, 3]);
    const other = runGraph(graph, params, [scribbled, mask], { training: false });
    expect(tf.max(tf.abs(tf.sub(out, other))).dataSync()[0]).toBe(0);
  });

  it('composites generated pixels only inside the hole', () => {
    const image = tf.fill([1, 8, 8, 3], 0.5) as tf.Tensor4D;
    const generated = tf.fill([1, 8, 8, 3], -0.25) as tf.Tensor4D;
    const mask = tf.tensor4d(
      Float32Array.from({ length: 64 }, (_, i) => (i < 16 ? 1 : 0)),
      [1, 8, 8, 1],
    );
    const out = composite(image, generated, mask).dataSync();
    expect(out[0]).toBeCloseTo(-0.25);
    expect(out[16 * 3]).toBeCloseTo(0.5);
  });
});

describe('InpaintGan', () => {
  it('learns to fill: the L1 inside held-out holes falls over a few dozen steps', () => {
    const model = new InpaintGan(tiny({ ngf: 8, ndf: 8, lr: 1e-3 }), 0, 'test-learn');
    const gradient = tf.tidy(() => {
      const ramp = tf.linspace(-1, 1, 32);
      const x = tf.tile(tf.reshape(ramp, [1, 1, 32, 1]), [1, 32, 1, 3]);
      return tf.mul(x, tf.tensor1d([1, 0.5, -0.5])) as tf.Tensor4D;
    });
    const mask = maskBatch(1, 32, INPAINT_DEFAULTS.mask, 999);
    const holeL1 = (): number =>
      tf.tidy(
        () =>
          tf
            .div(tf.sum(tf.abs(tf.sub(model.fill(gradient, mask), gradient))), tf.mul(tf.sum(mask), 3))
            .dataSync()[0]!,
      );
    const before = holeL1();
    let losses = model.step(gradient, 0);
    for (let step = 1; step < 60; step += 1) losses = model.step(gradient, step);
    expect(Object.values(losses).every(Number.isFinite)).toBe(true);
    expect(holeL1()).toBeLessThan(before * 0.75);
    model.dispose();
  });

  it('restores from its state exactly, spectral-norm vectors included', () => {
    const a = new InpaintGan(tiny(), 1, 'test-a');
    const image = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    a.step(image, 1);
    const b = new InpaintGan(tiny(), 7, 'test-b');
    b.restore(a.state());
    const la = a.step(image, 2);
    const lb = b.step(image, 2);
    expect(lb).toEqual(la);
    expect(a.state().some((s) => s.name.startsWith('sn/'))).toBe(true);
    a.dispose();
    b.dispose();
  });
});
