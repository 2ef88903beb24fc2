import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { randomValues, relativeDiff, valuesOn } from './test-backends';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Shape4 = [number, number, number, number];

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
}

const CONV_CASES: ConvCase[] = [
  { name: 's1 same', x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: 's1 same, even kernel', x: [2, 8, 6, 3], filter: [4, 2, 3, 2], strides: 1, pad: 'same' },
  { name: 's1 valid', x: [2, 6, 8, 4], filter: [2, 4, 4, 3], strides: 1, pad: 'valid' },
  { name: 's2 same', x: [3, 10, 7, 4], filter: [4, 3, 4, 6], strides: 2, pad: 'same' },
  { name: 's2 same, odd input', x: [2, 11, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: 's2 valid, leftover rows', x: [2, 9, 12, 5], filter: [3, 2, 5, 2], strides: 2, pad: 'valid' },
  { name: 's2 valid 1x1', x: [2, 8, 7, 3], filter: [1, 1, 3, 4], strides: 2, pad: 'valid' },
  { name: 's2x1 same', x: [2, 8, 7, 3], filter: [3, 2, 3, 5], strides: [2, 1], pad: 'same' },
  { name: 's3 same', x: [1, 10, 11, 2], filter: [5, 3, 2, 3], strides: 3, pad: 'same' },
  { name: 's2 numeric pad', x: [2, 8, 6, 2], filter: [4, 4, 2, 3], strides: 2, pad: 1 },
  {
    name: 's2 explicit pads',
    x: [2, 8, 9, 3],
    filter: [3, 4, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 3],
      [0, 0],
    ],
  },
  {
    name: 's1 pads wider than the kernel',
    x: [2, 5, 6, 2],
    filter: [3, 3, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [4, 4],
      [3, 3],
      [0, 0],
    ],
  },
];

/** Forward value and gradients with respect to both inputs, against a random upstream gradient. */
function convGrads(c: ConvCase, seed: number) {
  const xv = randomValues(c.x, seed);
  const fv = randomValues(c.filter, seed + 1);
  return () => {
    const x = tf.tensor4d(xv, c.x);
    const filter = tf.tensor4d(fv, c.filter);
    const y = tf.conv2d(x, filter, c.strides, c.pad);
    const upstream = tf.tensor(randomValues(y.shape, seed + 2), y.shape);
    const [dx, dFilter] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), upstream)),
    )([x, filter]);
    return [y, dx as tf.Tensor, dFilter as tf.Tensor];
  };
}

interface TransposeCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  outShape: Shape4;
  pad: 'same' | 'valid';
}

const TRANSPOSE_CASES: TransposeCase[] = [
  { name: 's2 k4 same', x: [2, 5, 6, 6], filter: [4, 4, 3, 6], outShape: [2, 10, 12, 3], pad: 'same' },
  {
    name: 's2 k4 same, odd output',
    x: [2, 5, 6, 6],
    filter: [4, 4, 3, 6],
    outShape: [2, 9, 11, 3],
    pad: 'same',
  },
  { name: 's2 k3 valid', x: [2, 4, 5, 4], filter: [3, 3, 2, 4], outShape: [2, 9, 11, 2], pad: 'valid' },
  {
    name: 's2 k4 same, wider',
    x: [1, 8, 6, 16],
    filter: [4, 4, 8, 16],
    outShape: [1, 16, 12, 8],
    pad: 'same',
  },
];

function transposeGrads(c: TransposeCase, seed: number) {
  const xv = randomValues(c.x, seed);
  const fv = randomValues(c.filter, seed + 1);
  const uv = randomValues(c.outShape, seed + 2);
  return () => {
    const x = tf.tensor4d(xv, c.x);
    const filter = tf.tensor4d(fv, c.filter);
    const upstream = tf.tensor4d(uv, c.outShape);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.outShape, 2, c.pad);
    const [dx, dFilter] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), upstream)))([
      x,
      filter,
    ]);
    return [f(x, filter), dx as tf.Tensor, dFilter as tf.Tensor];
  };
}

async function expectWasmMatchesCpu(fn: () => tf.Tensor[]): Promise<void> {
  const cpu = await valuesOn('cpu', fn);
  const wasm = await valuesOn('wasm', fn);
  const labels = ['forward', 'd/dx', 'd/dfilter'];
  for (const [i, reference] of cpu.entries()) {
    expect(relativeDiff(wasm[i] as Float32Array, reference), labels[i]).toBeLessThan(1e-4);
  }
}

describe('wasm conv2d gradients match the cpu backend', () => {
  for (const [i, c] of CONV_CASES.entries()) {
    it(`conv2d ${c.name}`, () => expectWasmMatchesCpu(convGrads(c, 100 * i + 1)));
  }

  for (const [i, c] of TRANSPOSE_CASES.entries()) {
    it(`conv2dTranspose ${c.name}`, () => expectWasmMatchesCpu(transposeGrads(c, 100 * i + 7)));
  }

  it('stays right when the same shapes come back with new values', async () => {
    const c = CONV_CASES[3] as ConvCase;
    for (const seed of [11, 12, 13]) await expectWasmMatchesCpu(convGrads(c, seed));
  });
});
