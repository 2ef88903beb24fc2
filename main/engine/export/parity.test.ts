import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../../models/graph';
import { emitOnnx, type WeightValue } from '../../../models/onnx/emit-onnx';
import { describeOnnx } from '../../../models/onnx/onnx-proto';
import { dcganEncoder, dcganGenerator } from '../../../models/latent';
import { resnetGenerator } from '../../../models/resnet';
import { unetGenerator, type NormKind } from '../../../models/unet';
import { randomWeights } from '../../test-support/random-weights';
import { checkParity, PARITY_TOLERANCE } from './parity';
import { selectBackend } from '../training/tf-backend';

const NORMS: NormKind[] = ['batch', 'instance', 'none'];

/** The parity figure of a graph with random weights; fails when its outputs are nearly constant. */
async function exportedParity(graph: Graph, size: number, weights = randomWeights(graph)): Promise<number> {
  const bytes = emitOnnx(graph, weights, {
    height: size,
    width: size,
    metadata: {},
    producerVersion: 'test',
  });
  const session = await ort.InferenceSession.create(bytes);
  try {
    const figures = await checkParity(graph, weights, session, { height: size, width: size });
    expect(figures.outputSpan).toBeGreaterThan(0.5);
    return figures.maxAbs;
  } finally {
    await session.release();
  }
}

describe('ONNX export parity with tfjs', () => {
  beforeAll(async () => {
    await selectBackend('auto');
  });

  for (const norm of NORMS) {
    for (const size of [32, 64, 128, 256]) {
      it(`U-Net ${size} px, ${norm} norm, agrees within 1e-4`, async () => {
        const graph = unetGenerator({ size, inChannels: 3, outChannels: 3, ngf: 4, norm, dropout: true });
        expect(await exportedParity(graph, size)).toBeLessThanOrEqual(PARITY_TOLERANCE);
      });
    }
    for (const [size, blocks] of [
      [32, 6],
      [36, 6],
      [100, 9],
      [64, 9],
    ] as const) {
      it(`ResNet-${blocks} ${size} px, ${norm} norm, agrees within 1e-4`, async () => {
        const graph = resnetGenerator({
          inChannels: 3,
          outChannels: 3,
          ngf: 4,
          norm,
          blocks,
          dropout: norm === 'batch',
        });
        expect(await exportedParity(graph, size)).toBeLessThanOrEqual(PARITY_TOLERANCE);
      });
    }
  }

  it('U-Net 128 px at the reference width (ngf 64) agrees within 1e-4', async () => {
    const graph = unetGenerator({
      size: 128,
      inChannels: 3,
      outChannels: 3,
      ngf: 64,
      norm: 'batch',
      dropout: true,
    });
    expect(await exportedParity(graph, 128)).toBeLessThanOrEqual(PARITY_TOLERANCE);
  }, 60_000);

  it('grayscale in and out (1 channel) agrees within 1e-4', async () => {
    const graph = unetGenerator({
      size: 32,
      inChannels: 1,
      outChannels: 1,
      ngf: 4,
      norm: 'instance',
      dropout: false,
    });
    expect(await exportedParity(graph, 32)).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });

  it.each([32, 64])(
    'DCGAN generator from a 1×1 code and its encoder to one, %i px, agree within 1e-4',
    async (size) => {
      const code = { height: 1, width: 1 };
      const generator = dcganGenerator({ size, nz: 16, ngf: 4 });
      const encoder = dcganEncoder({ size, nz: 16, ndf: 4 });
      for (const [graph, sizes] of [
        [generator, { inputSizes: { z: code } }],
        [encoder, { outputSize: code }],
      ] as const) {
        const weights = randomWeights(graph);
        const bytes = emitOnnx(graph, weights, {
          height: size,
          width: size,
          metadata: {},
          producerVersion: 'test',
          ...sizes,
        });
        const session = await ort.InferenceSession.create(bytes);
        const figures = await checkParity(
          graph,
          weights,
          session,
          { height: size, width: size },
          'inputSizes' in sizes ? sizes.inputSizes : {},
        );
        await session.release();
        expect(figures.outputSpan).toBeGreaterThan(0.1);
        expect(figures.maxAbs).toBeLessThanOrEqual(PARITY_TOLERANCE);
      }
    },
  );

  it('catches an export whose weights differ from the trained ones', async () => {
    const graph = unetGenerator({
      size: 32,
      inChannels: 3,
      outChannels: 3,
      ngf: 4,
      norm: 'instance',
      dropout: false,
    });
    const weights = randomWeights(graph);
    const exported = new Map<string, WeightValue>(weights);
    const [name, first] = [...weights][0] ?? [];
    if (!name || !first) throw new Error('no weights');
    const changed = new Float32Array(first.values);
    changed[0] = (changed[0] ?? 0) + 0.5;
    exported.set(name, { shape: first.shape, values: changed });
    const bytes = emitOnnx(graph, exported, { height: 32, width: 32, metadata: {}, producerVersion: 'test' });
    const session = await ort.InferenceSession.create(bytes);
    const figures = await checkParity(graph, weights, session, { height: 32, width: 32 });
    await session.release();
    expect(figures.maxAbs).toBeGreaterThan(PARITY_TOLERANCE);
  });

  it('writes NCHW inputs and outputs, explicit pads and opset 17, never auto_pad', () => {
    const graph = resnetGenerator({
      inChannels: 3,
      outChannels: 3,
      ngf: 4,
      norm: 'instance',
      blocks: 6,
      dropout: false,
    });
    const bytes = emitOnnx(graph, randomWeights(graph), {
      height: 64,
      width: 64,
      metadata: { model_kind: 'cyclegan' },
      producerVersion: 'test',
    });
    const info = describeOnnx(bytes);
    expect(info.opset).toBe(17);
    expect(info.inputs).toEqual([{ name: 'input', elemType: 1, dims: ['batch', 3, 64, 64] }]);
    expect(info.outputs).toEqual([{ name: 'output', elemType: 1, dims: ['batch', 3, 64, 64] }]);
    expect(info.metadata.model_kind).toBe('cyclegan');
    expect(info.opTypes).toEqual(
      expect.arrayContaining([
        'Conv',
        'ConvTranspose',
        'InstanceNormalization',
        'Pad',
        'Add',
        'Relu',
        'Tanh',
      ]),
    );
    expect(new TextDecoder('latin1').decode(bytes)).not.toContain('auto_pad');
  });
});
