import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import {
  attr,
  describeOnnx,
  encodeOnnx,
  OnnxAttributeType,
  OnnxDataType,
  onnxMessageType,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxModel,
  type OnnxNode,
} from './onnx-proto';
import { wireFields } from './onnx-wire';
import { splitPhaseDeconvs } from './phase-deconv';

/** The attributes of pix2pix's up-sampling layers. */
const SPLITTABLE = [
  attr.ints('kernel_shape', [4, 4]),
  attr.ints('strides', [2, 2]),
  attr.ints('pads', [1, 1, 1, 1]),
];

/** An initializer field whose values are listed in float_data rather than raw bytes. */
function tensorWithFloatData(t: OnnxInitializer): Uint8Array {
  const tensor = onnxMessageType('TensorProto');
  const values = [...new Float32Array(t.rawData.slice().buffer)];
  const body = tensor
    .encode(tensor.fromObject({ name: t.name, dataType: t.dataType, dims: t.dims, floatData: values }))
    .finish();
  return protobuf.Writer.create()
    .uint32((5 << 3) | 2)
    .bytes(body)
    .finish();
}

function floats(name: string, dims: number[]): OnnxInitializer {
  const values = Float32Array.from(
    { length: dims.reduce((a, b) => a * b, 1) },
    (_, i) => ((i * 7) % 13) / 13,
  );
  return { name, dataType: OnnxDataType.FLOAT, dims, rawData: new Uint8Array(values.buffer) };
}

/** A model of one ConvTranspose (4×4, stride 2, pad 1 unless `attributes` say otherwise). */
function deconvModel(
  o: {
    cin?: number;
    cout?: number;
    attributes?: OnnxAttribute[];
    opset?: number;
    weightAsInput?: boolean;
  } = {},
): OnnxModel {
  const cin = o.cin ?? 4;
  const cout = o.cout ?? 16;
  const node: OnnxNode = {
    name: 'up',
    opType: 'ConvTranspose',
    input: ['x', 'w', 'b'],
    output: ['y'],
    attribute: o.attributes ?? [
      attr.ints('kernel_shape', [4, 4]),
      attr.ints('strides', [2, 2]),
      attr.ints('pads', [1, 1, 1, 1]),
    ],
  };
  return {
    irVersion: 8,
    opset: o.opset ?? 17,
    producerName: 'test',
    producerVersion: '0',
    graphName: 'g',
    nodes: [node],
    initializers: [...(o.weightAsInput ? [] : [floats('w', [cin, cout, 4, 4])]), floats('b', [cout])],
    inputs: [
      { name: 'x', elemType: OnnxDataType.FLOAT, dims: [1, cin, 4, 4] },
      ...(o.weightAsInput ? [{ name: 'w', elemType: OnnxDataType.FLOAT, dims: [cin, cout, 4, 4] }] : []),
    ],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, dims: [1, cout, 8, 8] }],
    metadata: { model_kind: 'pix2pix' },
  };
}

interface DecodedGraph {
  node: {
    opType: string;
    input: string[];
    output: string[];
    attribute?: { name: string; ints?: number[] }[];
  }[];
  initializer: { name: string; dims: number[]; rawData: Uint8Array }[];
}

function graphOf(bytes: Uint8Array): DecodedGraph {
  const model = onnxMessageType('ModelProto');
  return (model.toObject(model.decode(bytes), { longs: Number, arrays: true }) as { graph: DecodedGraph })
    .graph;
}

function valuesOf(graph: DecodedGraph, name: string): Float32Array {
  return new Float32Array(new Uint8Array(graph.initializer.find((t) => t.name === name)!.rawData).buffer);
}

/** The bytes of a varint field, for fields the ONNX descriptor here does not name. */
function varintField(field: number, value: number): Uint8Array {
  return protobuf.Writer.create()
    .uint32(field << 3)
    .uint32(value)
    .finish();
}

describe('splitPhaseDeconvs', () => {
  it('replaces a 4×4 stride-2 ConvTranspose by four 2×2 phase convolutions, a Concat and a DepthToSpace', () => {
    const bytes = encodeOnnx(deconvModel());
    const { bytes: split, split: count } = splitPhaseDeconvs(bytes);
    expect(count).toBe(1);
    const graph = graphOf(split);
    expect(graph.node.map((n) => n.opType)).toEqual([
      'Conv',
      'Conv',
      'Conv',
      'Conv',
      'Concat',
      'DepthToSpace',
    ]);
    expect(graph.node.map((n) => n.attribute?.find((a) => a.name === 'pads')?.ints)).toEqual([
      [1, 1, 0, 0],
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [0, 0, 1, 1],
      undefined,
      undefined,
    ]);
    expect(graph.node.slice(0, 4).every((n) => n.input[0] === 'x' && n.input[2] === 'b')).toBe(true);
    expect(graph.node.at(-1)!.output).toEqual(['y']);
    expect(graph.initializer.map((t) => t.name).sort()).toEqual(
      ['b', 'w/phase00', 'w/phase01', 'w/phase10', 'w/phase11'].sort(),
    );
    expect(graph.initializer.find((t) => t.name === 'w/phase00')!.dims).toEqual([16, 4, 2, 2]);
    const before = describeOnnx(bytes);
    const after = describeOnnx(split);
    expect({ ...after, nodeCount: 0, opTypes: [] }).toEqual({ ...before, nodeCount: 0, opTypes: [] });
  });

  it('puts each kernel tap where its phase reads it', () => {
    const graph = graphOf(splitPhaseDeconvs(encodeOnnx(deconvModel({ cin: 1, cout: 16 }))).bytes);
    const original = new Float32Array(floats('w', [1, 16, 4, 4]).rawData.buffer);
    const tap = (co: number, kh: number, kw: number) => original[(co * 4 + kh) * 4 + kw];
    // Phase (0, 0): rows m−1, m through kernel rows 3, 1; columns likewise.
    expect([...valuesOf(graph, 'w/phase00').subarray(4 * 5, 4 * 6)]).toEqual([
      tap(5, 3, 3),
      tap(5, 3, 1),
      tap(5, 1, 3),
      tap(5, 1, 1),
    ]);
    // Phase (1, 0): rows m, m+1 through kernel rows 2, 0; columns m−1, m through 3, 1.
    expect([...valuesOf(graph, 'w/phase10').subarray(0, 4)]).toEqual([
      tap(0, 2, 3),
      tap(0, 2, 1),
      tap(0, 0, 3),
      tap(0, 0, 1),
    ]);
  });

  it('leaves alone what it cannot split exactly or where splitting is slower', () => {
    const cases: [string, OnnxModel][] = [
      [
        '3×3 kernel',
        deconvModel({
          attributes: [
            attr.ints('kernel_shape', [3, 3]),
            attr.ints('strides', [2, 2]),
            attr.ints('pads', [1, 1, 1, 1]),
          ],
        }),
      ],
      [
        'stride 1',
        deconvModel({ attributes: [attr.ints('strides', [1, 1]), attr.ints('pads', [1, 1, 1, 1])] }),
      ],
      [
        'output padding',
        deconvModel({
          attributes: [
            attr.ints('strides', [2, 2]),
            attr.ints('pads', [1, 1, 1, 1]),
            attr.ints('output_padding', [1, 1]),
          ],
        }),
      ],
      [
        'two groups',
        deconvModel({
          attributes: [
            attr.ints('strides', [2, 2]),
            attr.ints('pads', [1, 1, 1, 1]),
            { name: 'group', type: OnnxAttributeType.INT, i: 2 },
          ],
        }),
      ],
      ['no pads attribute', deconvModel({ attributes: [attr.ints('strides', [2, 2])] })],
      ['dilation 2', deconvModel({ attributes: [...SPLITTABLE, attr.ints('dilations', [2, 2])] })],
      [
        'padding chosen by the runtime',
        deconvModel({
          attributes: [
            ...SPLITTABLE,
            { name: 'auto_pad', type: OnnxAttributeType.STRING, s: new TextEncoder().encode('SAME_UPPER') },
          ],
        }),
      ],
      ['opset 10', deconvModel({ opset: 10 })],
      ['IR version 3', { ...deconvModel(), irVersion: 3 }],
      [
        'weights also a graph input',
        {
          ...deconvModel(),
          inputs: [...deconvModel().inputs, { name: 'w', elemType: 1, dims: [4, 16, 4, 4] }],
        },
      ],
      [
        'a node holding a subgraph',
        {
          ...deconvModel(),
          nodes: [
            ...deconvModel().nodes,
            {
              name: 'loop',
              opType: 'If',
              input: ['x'],
              output: ['z'],
              attribute: [{ name: 'then_branch', type: 5, g: { name: 'sub' } } as OnnxAttribute],
            },
          ],
        },
      ],
      ['weights fed as an input', deconvModel({ weightAsInput: true })],
      ['3 output channels', deconvModel({ cout: 3 })],
    ];
    for (const [what, model] of cases) {
      const bytes = encodeOnnx(model);
      const result = splitPhaseDeconvs(bytes);
      expect(result.split, what).toBe(0);
      expect(result.bytes, what).toBe(bytes);
    }
    expect(splitPhaseDeconvs(encodeOnnx(deconvModel({ cout: 8 })), { minOutChannels: 8 }).split).toBe(1);
    const explicit = [...SPLITTABLE, attr.ints('dilations', [1, 1]), attr.ints('output_padding', [0, 0])];
    const withDefaults = deconvModel({
      attributes: [...explicit, { name: 'group', type: OnnxAttributeType.INT, i: 1 }],
    });
    expect(splitPhaseDeconvs(encodeOnnx(withDefaults)).split).toBe(1);
  });

  it('reads weights the file lists as float_data as it reads raw bytes', () => {
    const raw = deconvModel();
    const weight = raw.initializers[0]!;
    const listed = tensorWithFloatData(weight);
    const fromRaw = graphOf(splitPhaseDeconvs(encodeOnnx(raw)).bytes);
    const fromList = graphOf(
      splitPhaseDeconvs(
        reencodeGraph(encodeOnnx({ ...raw, initializers: raw.initializers.slice(1) }), [listed]),
      ).bytes,
    );
    expect([...valuesOf(fromList, 'w/phase11')]).toEqual([...valuesOf(fromRaw, 'w/phase11')]);
  });

  it('leaves a model alone when any of its weights lives outside the file', () => {
    const model = deconvModel();
    const bytes = encodeOnnx({ ...model, initializers: [] });
    const tensor = onnxMessageType('TensorProto');
    const external = [...model.initializers].map((t, i) => {
      const body = tensor.encode(tensor.fromObject(t)).finish();
      const withLocation = i === 1 ? new Uint8Array([...body, ...varintField(14, 1)]) : body;
      return protobuf.Writer.create()
        .uint32((5 << 3) | 2)
        .bytes(withLocation)
        .finish();
    });
    const patched = reencodeGraph(bytes, external);
    expect(splitPhaseDeconvs(patched).split).toBe(0);
  });

  it('keeps fields it does not know, the weight another node still reads, and names already taken', () => {
    const base = deconvModel();
    const model: OnnxModel = {
      ...base,
      nodes: [
        ...base.nodes,
        { name: 'keep', opType: 'Identity', input: ['w'], output: ['w_copy'], attribute: [] },
        { name: 'taken', opType: 'Identity', input: ['y'], output: ['y/phase00'], attribute: [] },
      ],
      outputs: [...base.outputs, { name: 'w_copy', elemType: 1, dims: [4, 16, 4, 4] }],
    };
    const unknown = varintField(99, 12345);
    const inGraph = varintField(98, 777);
    const bytes = new Uint8Array([...reencodeGraph(encodeOnnx(model), [inGraph]), ...unknown]);
    const { bytes: split, split: count } = splitPhaseDeconvs(bytes);
    expect(count).toBe(1);
    expect([...split.subarray(split.length - unknown.length)]).toEqual([...unknown]);
    const graphField = wireFields(split).find((f) => f.field === 7)!;
    expect(
      wireFields(graphField.body!)
        .filter((f) => f.field === 98)
        .map((f) => [...f.raw]),
    ).toEqual([[...inGraph]]);
    const graph = graphOf(split);
    expect(graph.initializer.map((t) => t.name)).toContain('w');
    const outputs = graph.node.flatMap((n) => n.output);
    expect(new Set(outputs).size).toBe(outputs.length);
    expect(outputs).toContain('y/phase00_1');
  });
});

/** The model with `fields` (encoded, tag included) appended to its graph. */
function reencodeGraph(bytes: Uint8Array, fields: Uint8Array[]): Uint8Array {
  const reader = protobuf.Reader.create(bytes);
  const parts: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    if (tag >>> 3 === 7) {
      const graph = reader.bytes();
      const joined = new Uint8Array([...graph, ...fields.flatMap((i) => [...i])]);
      parts.push(
        protobuf.Writer.create()
          .uint32((7 << 3) | 2)
          .bytes(joined)
          .finish(),
      );
    } else {
      reader.skipType(tag & 7);
      parts.push(bytes.subarray(start, reader.pos));
    }
  }
  return new Uint8Array(parts.flatMap((p) => [...p]));
}
