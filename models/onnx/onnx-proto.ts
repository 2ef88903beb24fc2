import protobuf from 'protobufjs/light.js';

/**
 * The part of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, IR version 8) that image
 * generators need, as a protobufjs reflection descriptor: field names and numbers as in the
 * official file, so files written here are standard ONNX and standard files decode here.
 */
const ONNX_DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            docString: { type: 'string', id: 13 },
            type: { type: 'AttributeType', id: 20 },
          },
          nested: {
            AttributeType: {
              values: {
                UNDEFINED: 0,
                FLOAT: 1,
                INT: 2,
                STRING: 3,
                TENSOR: 4,
                GRAPH: 5,
                FLOATS: 6,
                INTS: 7,
                STRINGS: 8,
              },
            },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        StringStringEntryProto: {
          fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int32Data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
            int64Data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            docString: { type: 'string', id: 12 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: {
                dimValue: { type: 'int64', id: 1 },
                dimParam: { type: 'string', id: 2 },
                denotation: { type: 'string', id: 3 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: {
            tensorType: { type: 'Tensor', id: 1 },
            denotation: { type: 'string', id: 6 },
          },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
const modelType = root.lookupType('onnx.ModelProto');

/** A message type of onnx.proto (the fields named above), for code that reads or writes parts of a file. */
export function onnxMessageType(
  name: 'ModelProto' | 'NodeProto' | 'TensorProto' | 'OperatorSetIdProto',
): protobuf.Type {
  return root.lookupType(`onnx.${name}`);
}

/** ONNX tensor element types used here (TensorProto.DataType). */
export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;

/** ONNX attribute types used here (AttributeProto.AttributeType). */
export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** A tensor dimension: a fixed size or a symbolic name. */
export type OnnxDim = number | string;

/** An attribute of a node, as the emitter writes it. */
export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}

/** Attributes of the kinds the emitter and the graph rewrites write, by value. */
export const attr = {
  int: (name: string, i: number): OnnxAttribute => ({ name, type: OnnxAttributeType.INT, i }),
  ints: (name: string, values: number[]): OnnxAttribute => ({
    name,
    type: OnnxAttributeType.INTS,
    ints: values,
  }),
  float: (name: string, f: number): OnnxAttribute => ({ name, type: OnnxAttributeType.FLOAT, f }),
  text: (name: string, s: string): OnnxAttribute => ({
    name,
    type: OnnxAttributeType.STRING,
    s: new TextEncoder().encode(s),
  }),
};

/** A node of an ONNX graph. */
export interface OnnxNode {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

/** A named initializer, stored as little-endian raw data. */
export interface OnnxInitializer {
  name: string;
  dataType: number;
  dims: number[];
  rawData: Uint8Array;
}

/** A graph input or output: a tensor of an element type and a shape. */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  dims: OnnxDim[];
}

/** Everything a model file holds, in the plain form the emitter builds and the reader returns. */
export interface OnnxModel {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
}

function valueInfo(v: OnnxValueInfo): object {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType,
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Serialises a model to ONNX protobuf bytes. */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const message = modelType.fromObject({
    irVersion: model.irVersion,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    opsetImport: [{ domain: '', version: model.opset }],
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.graphName,
      node: model.nodes,
      initializer: model.initializers,
      input: model.inputs.map(valueInfo),
      output: model.outputs.map(valueInfo),
    },
  });
  return modelType.encode(message).finish();
}

interface DecodedDim {
  dimValue?: number | string;
  dimParam?: string;
}

interface DecodedValueInfo {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: DecodedDim[] } } };
}

function readValueInfo(v: DecodedValueInfo): OnnxValueInfo {
  const tensor = v.type?.tensorType;
  return {
    name: v.name ?? '',
    elemType: tensor?.elemType ?? 0,
    dims: (tensor?.shape?.dim ?? []).map((d) =>
      d.dimParam !== undefined && d.dimParam !== ''
        ? d.dimParam
        : d.dimValue === undefined
          ? '?'
          : Number(d.dimValue),
    ),
  };
}

/**
 * Reads the description of a model (graph inputs and outputs, opset, metadata) without its
 * weights' values. Throws protobufjs's error on bytes that are not a ModelProto.
 */
export function describeOnnx(bytes: Uint8Array): Omit<OnnxModel, 'nodes' | 'initializers'> & {
  nodeCount: number;
  opTypes: string[];
} {
  const decoded = modelType.toObject(modelType.decode(bytes), { longs: Number, defaults: false }) as {
    irVersion?: number;
    producerName?: string;
    producerVersion?: string;
    opsetImport?: { domain?: string; version?: number }[];
    metadataProps?: { key?: string; value?: string }[];
    graph?: {
      name?: string;
      node?: { opType?: string }[];
      initializer?: { name?: string }[];
      input?: DecodedValueInfo[];
      output?: DecodedValueInfo[];
    };
  };
  const graph = decoded.graph;
  if (!graph) throw new Error('it has no graph');
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const opset = (decoded.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0;
  return {
    irVersion: decoded.irVersion ?? 0,
    opset,
    producerName: decoded.producerName ?? '',
    producerVersion: decoded.producerVersion ?? '',
    graphName: graph.name ?? '',
    inputs: (graph.input ?? []).filter((v) => !initializerNames.has(v.name)).map(readValueInfo),
    outputs: (graph.output ?? []).map(readValueInfo),
    metadata: Object.fromEntries((decoded.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
    nodeCount: graph.node?.length ?? 0,
    opTypes: [...new Set((graph.node ?? []).map((n) => n.opType ?? ''))].sort(),
  };
}
