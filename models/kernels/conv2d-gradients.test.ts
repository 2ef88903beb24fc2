import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { convPathOverride, type ConvPath } from './conv-matmul';
import { randomValues, relativeDiff, valuesOn } from './test-backends';

// The cpu backend's reference gradients are slow; on a loaded 2-core CI machine a case can take ~30 s.
vi.setConfig({ testTimeout: 90_000 });

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
  pad: 'same' | 'valid' | number;
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

/** The inner U-Net and PatchGAN layers: images of 1×1 to 8×8 pixels with many channels. */
const SMALL_IMAGE_CASES: ConvCase[] = [
  { name: '8x8 512->512 s2', x: [1, 8, 8, 128], filter: [4, 4, 128, 256], strides: 2, pad: 1 },
  { name: '4x4 s2, batch 2', x: [2, 4, 4, 256], filter: [4, 4, 256, 128], strides: 2, pad: 1 },
  { name: '2x2 s2', x: [1, 2, 2, 512], filter: [4, 4, 512, 64], strides: 2, pad: 1 },
  { name: '2x2 s2, batch 2', x: [2, 2, 2, 64], filter: [4, 4, 64, 512], strides: 2, pad: 1 },
  { name: '1x1 s1 same, batch 2', x: [2, 1, 1, 256], filter: [3, 3, 256, 128], strides: 1, pad: 'same' },
  { name: '4x4 s1 (PatchGAN)', x: [1, 4, 4, 128], filter: [4, 4, 128, 256], strides: 1, pad: 1 },
  { name: '6x6 s1 to one logit, batch 2', x: [2, 6, 6, 256], filter: [4, 4, 256, 1], strides: 1, pad: 1 },
  { name: '3x5 s1 same', x: [2, 3, 5, 64], filter: [3, 3, 64, 96], strides: 1, pad: 'same' },
];

const SMALL_TRANSPOSE_CASES: TransposeCase[] = [
  { name: '1x1 -> 2x2', x: [1, 1, 1, 512], filter: [4, 4, 256, 512], outShape: [1, 2, 2, 256], pad: 1 },
  {
    name: '2x2 -> 4x4, batch 2',
    x: [2, 2, 2, 256],
    filter: [4, 4, 128, 256],
    outShape: [2, 4, 4, 128],
    pad: 1,
  },
  { name: '4x4 -> 8x8', x: [1, 4, 4, 256], filter: [4, 4, 64, 256], outShape: [1, 8, 8, 64], pad: 1 },
  {
    name: '8x8 -> 16x16, batch 2',
    x: [2, 8, 8, 64],
    filter: [4, 4, 32, 64],
    outShape: [2, 16, 16, 32],
    pad: 1,
  },
];

for (const path of ['matmul', 'direct'] as ConvPath[]) {
  describe(`wasm conv2d gradients match the cpu backend on the ${path} path`, () => {
    afterEach(() => {
      convPathOverride.force = null;
    });
    const on = (fn: () => tf.Tensor[]) => async () => {
      convPathOverride.force = path;
      await expectWasmMatchesCpu(fn);
    };
    for (const [i, c] of [...CONV_CASES, ...SMALL_IMAGE_CASES].entries()) {
      it(`conv2d ${c.name}`, on(convGrads(c, 100 * i + 3)));
    }
    for (const [i, c] of [...TRANSPOSE_CASES, ...SMALL_TRANSPOSE_CASES].entries()) {
      it(`conv2dTranspose ${c.name}`, on(transposeGrads(c, 100 * i + 9)));
    }
  });
}

describe('wasm conv2d gradients match the cpu backend on small images, path chosen by size', () => {
  for (const [i, c] of SMALL_IMAGE_CASES.entries()) {
    it(`conv2d ${c.name}`, () => expectWasmMatchesCpu(convGrads(c, 100 * i + 5)));
  }
  for (const [i, c] of SMALL_TRANSPOSE_CASES.entries()) {
    it(`conv2dTranspose ${c.name}`, () => expectWasmMatchesCpu(transposeGrads(c, 100 * i + 11)));
  }
});
