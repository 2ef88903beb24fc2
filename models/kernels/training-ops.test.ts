import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { randomValues, relativeDiff, useBackend, valuesOn } from './test-backends';

const SHAPE: [number, number, number, number] = [2, 6, 5, 3];

/** The element-wise, padding, concat and normalisation ops of the GAN graphs, each as f(x). */
const OPS: Record<string, (x: tf.Tensor4D) => tf.Tensor> = {
  leakyRelu: (x) => tf.leakyRelu(x, 0.2),
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  'concat on channels': (x) => tf.concat([x, tf.mul(x, x)], 3),
  'mirrorPad reflect': (x) =>
    tf.mirrorPad(
      x,
      [
        [0, 0],
        [1, 2],
        [2, 1],
        [0, 0],
      ],
      'reflect',
    ),
  pad: (x) =>
    tf.pad(x, [
      [0, 0],
      [1, 1],
      [0, 2],
      [0, 0],
    ]),
  'instance norm': (x) => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  },
  'batch norm': (x) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2], true);
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  },
  'dropout mask': (x) =>
    tf.mul(x, tf.cast(tf.greater(tf.tensor(randomValues(SHAPE, 9), SHAPE), 0), 'float32')),
  'L1 mean abs': (x) => tf.mean(tf.abs(tf.sub(x, 0.25))),
  'BCE with logits': (x) =>
    tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, 0.9)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))),
  softplus: (x) => tf.softplus(x),
  logSigmoid: (x) => tf.logSigmoid(x),
  'squared error': (x) => tf.mean(tf.squaredDifference(x, 0.5)),
};

describe('GAN graph ops run forward and backward on wasm as on cpu', () => {
  for (const [name, op] of Object.entries(OPS)) {
    it(name, async () => {
      const xv = randomValues(SHAPE, name.length * 31 + 5);
      const fn = () => {
        const x = tf.tensor4d(xv, SHAPE);
        const y = op(x);
        const upstream = tf.tensor(randomValues(y.shape, name.length * 31 + 6), y.shape);
        return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D), upstream)))(x)];
      };
      const [cpuY, cpuDx] = await valuesOn('cpu', fn);
      const [wasmY, wasmDx] = await valuesOn('wasm', fn);
      expect(relativeDiff(wasmY as Float32Array, cpuY as Float32Array)).toBeLessThan(1e-4);
      expect(relativeDiff(wasmDx as Float32Array, cpuDx as Float32Array)).toBeLessThan(1e-4);
    });
  }
});

describe('wasm Identity', () => {
  it('shares the data of the tensor it clones, which outlives the original', async () => {
    await useBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    const s = tf.clone(tf.tensor1d(['a', 'b'], 'string'));
    expect(s.arraySync()).toEqual(['a', 'b']);
  });
});
