import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph';
import { useBackend } from './kernels/test-backends';
import { initParams } from './params';
import { runGraph } from './run-graph';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('runGraph', () => {
  it('a transposed convolution of a 1×1 map (run as a matrix product) matches tfjs’s, values and gradients', () => {
    const g = new GraphBuilder('point');
    const output = g.convTranspose(g.input('z', 10), 7, { kernel: 4, stride: 1, pad: 0, bias: true });
    const graph = g.build(output);
    const params = initParams(graph, 'point', 1);
    const weight = params.get(`${output}.weight`) as tf.Variable;
    const bias = params.get(`${output}.bias`) as tf.Variable;
    tf.tidy(() => bias.assign(tf.randomNormal([7], 0, 1, 'float32', 3)));
    const x = tf.randomNormal([3, 1, 1, 10], 0, 1, 'float32', 2) as tf.Tensor4D;
    const probe = tf.randomNormal([3, 4, 4, 7], 0, 1, 'float32', 4);
    const loss = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, probe));
    const ours = tf.grads((input: tf.Tensor, w: tf.Tensor) =>
      loss(
        runGraph(graph, new Map([...params, [`${output}.weight`, w]]), [input as tf.Tensor4D], {
          training: false,
        }),
      ),
    );
    const reference = tf.grads((input: tf.Tensor, w: tf.Tensor) =>
      loss(tf.add(tf.conv2dTranspose(input as tf.Tensor4D, w as tf.Tensor4D, [3, 4, 4, 7], 1, 0), bias)),
    );
    const [values, expected] = tf.tidy(() => [
      runGraph(graph, params, [x], { training: false }),
      tf.add(tf.conv2dTranspose(x, weight as tf.Tensor as tf.Tensor4D, [3, 4, 4, 7], 1, 0), bias),
    ]);
    expect(values.shape).toEqual([3, 4, 4, 7]);
    const close = (a: tf.Tensor, b: tf.Tensor): number =>
      tf.tidy(
        () =>
          tf
            .max(tf.abs(tf.sub(a, b)))
            .div(tf.max(tf.abs(b)))
            .dataSync()[0] ?? NaN,
      );
    expect(close(values, expected)).toBeLessThan(1e-6);
    const [dx, dw] = ours([x, weight]);
    const [rx, rw] = reference([x, weight]);
    expect(close(dx as tf.Tensor, rx as tf.Tensor)).toBeLessThan(1e-5);
    expect(close(dw as tf.Tensor, rw as tf.Tensor)).toBeLessThan(1e-5);
    tf.dispose([values, expected, x, probe, dx, dw, rx, rw, ...params.values()]);
  });
});
