import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeOnnx, OnnxAttributeType, type OnnxDim, type OnnxModel } from '../../../models/onnx/onnx-proto';
import { useTempDir } from '../../test-support/temp-dir';
import { describeModel } from './describe-model';

const tempDir = useTempDir();

/** A one-node model (Identity, or a stride-2 average pool) with the given inputs. */
function model(
  inputs: { name: string; elemType?: number; dims: OnnxDim[] }[],
  o: { op?: 'Identity' | 'AveragePool'; metadata?: Record<string, string> } = {},
): Uint8Array {
  const first = inputs[0];
  if (!first) throw new Error('no input');
  const pool = o.op === 'AveragePool';
  const outDims = pool ? first.dims.map((d, i) => (i >= 2 && typeof d === 'number' ? d / 2 : d)) : first.dims;
  const spec: OnnxModel = {
    irVersion: 8,
    opset: 17,
    producerName: 'test',
    producerVersion: '0',
    graphName: 'g',
    nodes: [
      {
        name: 'n',
        opType: o.op ?? 'Identity',
        input: [first.name],
        output: ['out'],
        attribute: pool
          ? [
              { name: 'kernel_shape', type: OnnxAttributeType.INTS, ints: [2, 2] },
              { name: 'strides', type: OnnxAttributeType.INTS, ints: [2, 2] },
            ]
          : [],
      },
    ],
    initializers: [],
    inputs: inputs.map((i) => ({ name: i.name, elemType: i.elemType ?? 1, dims: i.dims })),
    outputs: [{ name: 'out', elemType: first.elemType ?? 1, dims: outDims }],
    metadata: o.metadata ?? {},
  };
  return encodeOnnx(spec);
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

describe('describeModel', () => {
  it('describes an external model without our metadata as image2image in -1..1', async () => {
    const d = await describeModel(file('identity.onnx', model([{ name: 'x', dims: ['N', 3, 64, 48] }])), {
      measureLatency: true,
    });
    expect(d).toMatchObject({ kind: 'image2image', imageInput: 'x', maskInput: null, output: 'out' });
    expect([d.height, d.width, d.inChannels, d.outChannels, d.valueRange]).toEqual([64, 48, 3, 3, '-1,1']);
    expect(d.provider).toBe('cpu');
    expect(d.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('takes free height and width from the metadata, else 256', async () => {
    const free = model([{ name: 'x', dims: ['N', 1, 'H', 'W'] }]);
    expect((await describeModel(file('free.onnx', free))).height).toBe(256);
    const sized = model([{ name: 'x', dims: ['N', 1, 'H', 'W'] }], {
      metadata: { input_size: '96x80', value_range: '0,1' },
    });
    const d = await describeModel(file('sized.onnx', sized));
    expect([d.height, d.width, d.valueRange]).toEqual([96, 80, '0,1']);
  });

  it.each([
    [
      'rank3.onnx',
      model([{ name: 'x', dims: [1, 3, 64] }]),
      /rank3\.onnx: its input "x" has rank 3 \[1, 3, 64\]; an image model needs NCHW/,
    ],
    [
      'bytes.onnx',
      model([{ name: 'x', elemType: 2, dims: [1, 3, 8, 8] }]),
      /bytes\.onnx: its input "x" is uint8; GAN Studio runs float32/,
    ],
    [
      'nhwc.onnx',
      model([{ name: 'x', dims: [1, 64, 64, 3] }]),
      /nhwc\.onnx: its input "x" has 64 channels .* \(NCHW layout\)/,
    ],
    [
      'two.onnx',
      model([
        { name: 'a', dims: [1, 3, 8, 8] },
        { name: 'b', dims: [1, 3, 8, 8] },
      ]),
      /two\.onnx: it takes 2 inputs \(a, b\); an image model takes one image/,
    ],
    [
      'half.onnx',
      model([{ name: 'x', dims: [1, 3, 8, 8] }], { op: 'AveragePool' }),
      /half\.onnx: its output is \[1, 3, 4, 4\]/,
    ],
    [
      'range.onnx',
      model([{ name: 'x', dims: [1, 3, 8, 8] }], { metadata: { value_range: '0,255' } }),
      /value_range "0,255"/,
    ],
  ])('refuses %s with a message naming it', async (name, bytes, message) => {
    await expect(describeModel(file(name, bytes))).rejects.toThrow(message);
  });

  it('refuses empty, truncated, non-ONNX and missing files, naming them', async () => {
    await expect(describeModel(file('empty.onnx', ''))).rejects.toThrow(/empty\.onnx: the file is empty/);
    await expect(describeModel(file('text.onnx', 'hello, I am a text file'))).rejects.toThrow(
      /text\.onnx: not an ONNX model, or the file is truncated/,
    );
    const whole = model([{ name: 'x', dims: [1, 3, 8, 8] }]);
    await expect(describeModel(file('cut.onnx', whole.subarray(0, whole.length - 9)))).rejects.toThrow(
      /cut\.onnx/,
    );
    await expect(describeModel(join(tempDir(), 'gone.onnx'))).rejects.toThrow(/gone\.onnx does not exist/);
  });

  it('needs the mask input its metadata names', async () => {
    const bytes = model([{ name: 'image', dims: [1, 3, 8, 8] }], { metadata: { mask_input: 'mask' } });
    await expect(describeModel(file('nomask.onnx', bytes))).rejects.toThrow(
      /names a mask input "mask" that the graph lacks/,
    );
  });
});
