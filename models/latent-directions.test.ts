import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { principalComponents } from './gram-pca';
import { useBackend } from './kernels/test-backends';
import { sampleCodes } from './latent';
import { earlyFeatureLayer, ganspaceDirections, generatorFeatures } from './latent-directions';
import { runGraph, runGraphTo } from './run-graph';
import { symmetricEigen } from './symmetric-eigen';
import { tinyLatentGan } from './tiny-latent-gan';

beforeAll(async () => {
  await useBackend('wasm');
});

const dot = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe('ganspaceDirections', () => {
  it('gives unit, nearly orthogonal directions with spreads and falling variance ratios, the same for a seed', () => {
    const model = tinyLatentGan(1, 'ganspace');
    const before = tf.memory().numTensors;
    const options = { samples: 256, components: 5, seed: 3, batchSize: 100 };
    const result = ganspaceDirections(model, options);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.layer).toBe(earlyFeatureLayer(model.generator));
    expect(result.directions).toHaveLength(5);
    for (const [i, d] of result.directions.entries()) {
      expect(d).toHaveLength(16);
      expect(Math.hypot(...d)).toBeCloseTo(1, 6);
      for (const other of result.directions.slice(i + 1)) expect(Math.abs(dot(d, other))).toBeLessThan(0.35);
    }
    for (const s of result.spread) expect(s).toBeGreaterThan(0.5);
    const ratios = result.explainedVarianceRatio;
    expect(ratios.every((r, i) => r > 0 && (i === 0 || r <= (ratios[i - 1] as number)))).toBe(true);
    expect(ratios.reduce((a, b) => a + b, 0)).toBeLessThan(1);
    expect(ganspaceDirections(model, options)).toEqual(result);
    expect(ganspaceDirections(model, { ...options, seed: 4 }).directions[0]).not.toEqual(
      result.directions[0],
    );
    model.dispose();
  });

  it('moving along the first direction changes the early features more than random directions do', () => {
    const model = tinyLatentGan(2, 'ganspace-move');
    const { directions, layer } = ganspaceDirections(model, { samples: 256, components: 3, seed: 1 });
    const change = (direction: number[]): number =>
      tf.tidy(() => {
        const codes = sampleCodes(16, 16, 9);
        const step = tf.mul(tf.tensor4d(direction, [1, 1, 1, 16]), 1.5);
        const delta = tf.sub(
          generatorFeatures(model, tf.add(codes, step) as tf.Tensor4D, layer),
          generatorFeatures(model, codes, layer),
        );
        return tf.mean(tf.square(delta)).dataSync()[0] ?? NaN;
      });
    const unitRandom = (seed: number): number[] => {
      const r = Array.from(tf.tidy(() => tf.randomNormal([16], 0, 1, 'float32', seed).dataSync()));
      const norm = Math.hypot(...r);
      return r.map((x) => x / norm);
    };
    const first = change(directions[0] as number[]);
    const random = Array.from({ length: 8 }, (_, i) => change(unitRandom(100 + i)));
    expect(first).toBeGreaterThan(Math.max(...random));
    model.dispose();
  });

  it('refuses more components than the samples give', () => {
    const model = tinyLatentGan(3, 'ganspace-bad');
    expect(() => ganspaceDirections(model, { samples: 4, components: 4 })).toThrow(
      /4 samples gives 1 to 3 components/,
    );
    expect(() => ganspaceDirections(model, { samples: 1 })).toThrow(/samples/);
    expect(() => ganspaceDirections(model, { layer: 'nope' })).toThrow(/no node nope/);
    model.dispose();
  });
});

describe('principalComponents', () => {
  it('finds the spread of planted directions and the samples’ coordinates on them', () => {
    const n = 200;
    const d = 300;
    // Centred and uncorrelated, so that the planted axes are exactly the principal ones.
    const [a, b] = tf.tidy(() => {
      const centred = (seed: number): tf.Tensor =>
        tf.sub(
          tf.randomNormal([n, 1], 0, 1, 'float32', seed),
          tf.mean(tf.randomNormal([n, 1], 0, 1, 'float32', seed)),
        );
      const first = centred(1);
      const second = centred(2);
      const along = tf.div(tf.sum(tf.mul(first, second)), tf.sum(tf.square(first)));
      return [first, tf.sub(second, tf.mul(first, along))];
    });
    const features = tf.tidy(() => {
      const e1 = tf.oneHot(7, d).reshape([1, d]);
      const e2 = tf.oneHot(42, d).reshape([1, d]);
      const noise = tf.randomNormal([n, d], 0, 0.01, 'float32', 3);
      return tf.add(
        tf.addN([tf.matMul(tf.mul(a, 5), e1), tf.matMul(tf.mul(b, 2), e2), noise]),
        10,
      ) as tf.Tensor2D;
    });
    const pca = principalComponents(features, 2, 0);
    const variance = (x: tf.Tensor): number => tf.tidy(() => tf.moments(x).variance.dataSync()[0] ?? NaN);
    const relative = (x: number | undefined, y: number): number => Math.abs((x ?? NaN) / y - 1);
    expect(relative(pca.variances[0], variance(tf.mul(a, 5)))).toBeLessThan(0.005);
    expect(relative(pca.variances[1], variance(tf.mul(b, 2)))).toBeLessThan(0.005);
    const total = tf.tidy(() => tf.sum(tf.moments(features, 0).variance).dataSync()[0] ?? NaN);
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo((pca.variances[0] ?? NaN) / total, 3);
    const correlation = (x: Float64Array, y: tf.Tensor): number =>
      tf.tidy(() => {
        const values = tf.tensor1d(Float32Array.from(x));
        const u = tf.sub(values, tf.mean(values));
        const v = tf.sub(tf.reshape(y, [-1]), tf.mean(y));
        return tf.div(tf.sum(tf.mul(u, v)), tf.mul(tf.norm(u), tf.norm(v))).dataSync()[0] ?? NaN;
      });
    expect(Math.abs(correlation(pca.coordinates[0] as Float64Array, a))).toBeGreaterThan(0.999);
    expect(Math.abs(correlation(pca.coordinates[1] as Float64Array, b))).toBeGreaterThan(0.999);
    tf.dispose([a, b, features]);
  });
});

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix: A v = λ v, largest first', () => {
    const a = [4, 1, 2, 1, 3, 0, 2, 0, 5];
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10);
    expect(values[0]).toBeGreaterThan(values[1] as number);
    expect(values[1]).toBeGreaterThan(values[2] as number);
    for (const [j, v] of vectors.entries()) {
      for (let i = 0; i < 3; i += 1) {
        const av = [0, 1, 2].reduce((sum, k) => sum + (a[i * 3 + k] as number) * (v[k] as number), 0);
        expect(av).toBeCloseTo((values[j] as number) * (v[i] as number), 10);
      }
    }
  });
});

describe('runGraphTo', () => {
  it('returns an intermediate node’s value, and the output as runGraph does', () => {
    const model = tinyLatentGan(4, 'run-to');
    const before = tf.memory().numTensors;
    const [toOutput, whole, early] = tf.tidy(() => {
      const z = sampleCodes(2, 16, 1);
      return [
        runGraphTo(model.generator, model.G, [z], { training: false }, model.generator.output),
        runGraph(model.generator, model.G, [z], { training: false }),
        runGraphTo(model.generator, model.G, [z], { training: false }, earlyFeatureLayer(model.generator)),
      ];
    });
    expect(toOutput.dataSync()).toEqual(whole.dataSync());
    expect(early.shape).toEqual([2, 4, 4, 16]);
    expect(Math.min(...early.dataSync())).toBe(0);
    tf.dispose([toOutput, whole, early]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
