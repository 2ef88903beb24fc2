import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, getKernel } from '@tensorflow/tfjs';
import { convPathOverride, type ConvPath } from './conv-matmul';
import { registerWasmTrainingKernels } from './index';
import { randomValues, useBackend } from './test-backends';

describe('training on wasm', () => {
  it('registers its kernels once, however often it is called', async () => {
    await useBackend('wasm');
    const filter = getKernel(Conv2DBackpropFilter, 'wasm');
    const input = getKernel(Conv2DBackpropInput, 'wasm');
    const forward = getKernel(Conv2D, 'wasm');
    expect(filter).toBeDefined();
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(getKernel(Conv2DBackpropFilter, 'wasm')).toBe(filter);
    expect(getKernel(Conv2DBackpropInput, 'wasm')).toBe(input);
    expect(getKernel(Conv2D, 'wasm')).toBe(forward);
  });

  afterEach(() => {
    convPathOverride.force = null;
  });

  for (const path of [null, 'matmul', 'direct'] as (ConvPath | null)[]) {
    it(`runs an encoder–decoder Adam step with an L1 loss and leaks no tensors (${path ?? 'path by size'})`, async () => {
      convPathOverride.force = path;
      await encoderDecoderSteps();
    });
  }
});

async function encoderDecoderSteps(): Promise<void> {
  await useBackend('wasm');
  const size = 16;
  const variable = (shape: number[], seed: number) => {
    const initial = tf.tidy(() => tf.mul(tf.tensor(randomValues(shape, seed), shape), 0.1));
    const v = tf.variable(initial);
    initial.dispose();
    return v;
  };
  const encode = variable([4, 4, 3, 8], 1);
  const decode = variable([4, 4, 3, 8], 2);
  const input = tf.tensor4d(randomValues([2, size, size, 3], 3), [2, size, size, 3]);
  const target = tf.tanh(tf.tensor4d(randomValues([2, size, size, 3], 4), [2, size, size, 3]));
  const optimizer = tf.train.adam(2e-4, 0.5);
  const step = () =>
    tf.tidy(() => {
      const loss = optimizer.minimize(() => {
        const hidden = tf.leakyRelu(tf.conv2d(input, encode as tf.Tensor4D, 2, 'same'), 0.2);
        const output = tf.tanh(
          tf.conv2dTranspose(hidden, decode as tf.Tensor4D, [2, size, size, 3], 2, 'same'),
        );
        return tf.mean(tf.abs(tf.sub(output, target)));
      }, true) as tf.Scalar;
      return loss.dataSync()[0] as number;
    });

  const first = step();
  const before = tf.memory();
  const backendBuffers = tf.backend().numDataIds();
  const second = step();
  const third = step();
  expect(tf.memory().numTensors).toBe(before.numTensors);
  expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  // Also the kernels' own intermediates, which never pass through the engine.
  expect(tf.backend().numDataIds()).toBe(backendBuffers);
  for (const loss of [first, second, third]) expect(Number.isFinite(loss)).toBe(true);
  expect(third).not.toBe(first);
  tf.dispose([encode, decode, input, target]);
  optimizer.dispose();
}
