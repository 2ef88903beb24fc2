import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../models/graph';
import { emitOnnx } from '../../../models/onnx/emit-onnx';
import { useTempDir } from '../../test-support/temp-dir';
import { hwcChannels, hwcToNchw, nchwToHwc, onnxHeldOutMetrics } from './held-out-onnx';
import { loadModel } from './session-cache';

const tempDir = useTempDir();
const SIZE = 16;

/** A 1×1 convolution with the given weights ([in][out]) and no bias: a per-pixel linear map. */
function writeLinearModel(path: string, weights: number[][], valueRange: string): void {
  const g = new GraphBuilder('linear');
  const inChannels = weights.length;
  const outChannels = weights[0]!.length;
  const graph = g.build(
    g.conv(g.input('input', inChannels), outChannels, { kernel: 1, stride: 1, pad: 0, bias: false }),
  );
  const values = new Float32Array(weights.flat());
  const bytes = emitOnnx(
    graph,
    new Map([[`${graph.output}.weight`, { shape: [1, 1, inChannels, outChannels], values }]]),
    {
      height: SIZE,
      width: SIZE,
      metadata: { value_range: valueRange },
      producerVersion: 'test',
    },
  );
  writeFileSync(path, bytes);
}

function randomPair(seed: number): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(SIZE * SIZE * 3);
  const b = new Float32Array(SIZE * SIZE * 3);
  for (let i = 0; i < a.length; i += 1) {
    a[i] = Math.sin(i * 0.37 + seed);
    b[i] = Math.cos(i * 0.11 + seed * 2);
  }
  return { a, b };
}

describe('layout conversions', () => {
  it('round-trip HWC [-1, 1] through NCHW in either value range', () => {
    const hwc = new Float32Array([-1, 0, 1, 0.5, -0.5, 0.25]);
    const nchw = hwcToNchw(hwc, 3, '0,1');
    expect([...nchw]).toEqual([0, 0.75, 0.5, 0.25, 1, 0.625]);
    expect([...nchwToHwc(nchw, 3, '0,1')]).toEqual([...hwc]);
    expect([...nchwToHwc(hwcToNchw(hwc, 3, '-1,1'), 3, '-1,1')]).toEqual([...hwc]);
  });

  it('takes BT.601 luma for one channel', () => {
    expect(hwcChannels(new Float32Array([1, -1, -1]), 1)[0]).toBeCloseTo(0.299 - 0.587 - 0.114, 6);
  });
});

describe('onnxHeldOutMetrics', () => {
  it('scores a model that copies its input exactly like the copy-the-input baseline', async () => {
    const path = join(tempDir(), 'identity.onnx');
    writeLinearModel(
      path,
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      '0,1',
    );
    const model = await loadModel(path, 'cpu');
    const metrics = await onnxHeldOutMetrics(model, [randomPair(1), randomPair(2)]);
    await model.session.release();
    expect(metrics.baselineL1).toBeGreaterThan(0.1);
    expect(metrics.l1).toBeCloseTo(metrics.baselineL1, 5);
  });

  it('compares a one-channel output with the target in grayscale', async () => {
    const path = join(tempDir(), 'luma.onnx');
    writeLinearModel(path, [[0.299], [0.587], [0.114]], '-1,1');
    const model = await loadModel(path, 'cpu');
    const pair = randomPair(3);
    const luma = await onnxHeldOutMetrics(model, [pair]);
    const selfTarget = await onnxHeldOutMetrics(model, [{ a: pair.a, b: pair.a }]);
    await model.session.release();
    expect(luma.l1).toBeCloseTo(luma.baselineL1, 5);
    expect(selfTarget.l1).toBeLessThan(1e-6);
    expect(selfTarget.psnr).toBeGreaterThan(60);
  });

  it('differs from the baseline for a model that changes the image', async () => {
    const path = join(tempDir(), 'negate.onnx');
    writeLinearModel(
      path,
      [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, -1],
      ],
      '-1,1',
    );
    const model = await loadModel(path, 'cpu');
    const { a } = randomPair(4);
    const metrics = await onnxHeldOutMetrics(model, [{ a, b: a }]);
    await model.session.release();
    expect(metrics.baselineL1).toBe(0);
    expect(metrics.l1).toBeGreaterThan(0.2);
  });
});
