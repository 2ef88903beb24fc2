import type { Graph, Node } from '../graph';
import { paramSpecs } from '../graph';
import { NORM_EPSILON, PIXEL_NORM_EPSILON } from '../ops';
import {
  attr,
  encodeOnnx,
  OnnxDataType,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxModel,
  type OnnxNode,
} from './onnx-proto';

/** The opset every export targets (InstanceNormalization, Pad with a pads input, reflect mode). */
export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/** A parameter's values as plain data, in the layout `paramSpecs` gives (HWIO for conv weights). */
export interface WeightValue {
  shape: readonly number[];
  values: Float32Array;
}

/** What the emitter needs besides the graph and its weights. */
export interface EmitOptions {
  /** Height and width of every image input (the model is exported for one size). */
  height: number;
  width: number;
  /** `metadata_props`: model kind, value range, channels, run id, dataset hash… */
  metadata: Record<string, string>;
  producerVersion: string;
  /** The name of the output tensor; `output` unless given. */
  outputName?: string;
  /** Height and width of the output where they differ from the inputs' (a generator from a latent code). */
  outputSize?: { height: number; width: number };
  /** Height and width of named inputs that differ from `height`/`width` (a latent code is 1×1). */
  inputSizes?: Record<string, { height: number; width: number }>;
}

function rawFloats(values: Float32Array): Uint8Array {
  const copy = new Float32Array(values);
  return new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength);
}

/** Reorders [k, k, a, b] (tfjs conv HWIO, or transposed-conv [k, k, out, in]) to ONNX's [b, a, k, k]. */
export function kernelToOnnx(weight: WeightValue): { dims: number[]; values: Float32Array } {
  const [kh, kw, a, b] = weight.shape;
  if (
    kh === undefined ||
    kw === undefined ||
    a === undefined ||
    b === undefined ||
    weight.shape.length !== 4
  ) {
    throw new Error(`a kernel must have 4 dimensions, got [${weight.shape.join(', ')}]`);
  }
  const out = new Float32Array(weight.values.length);
  for (let y = 0; y < kh; y += 1) {
    for (let x = 0; x < kw; x += 1) {
      for (let i = 0; i < a; i += 1) {
        for (let o = 0; o < b; o += 1) {
          out[((o * a + i) * kh + y) * kw + x] = weight.values[((y * kw + x) * a + i) * b + o] ?? 0;
        }
      }
    }
  }
  return { dims: [b, a, kh, kw], values: out };
}

/** Builds ONNX nodes and initializers from graph nodes; each graph node's value gets the name of its id. */
class OnnxGraphWriter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  /** Graph ids whose value is another id's (dropout at inference). */
  private readonly alias = new Map<string, string>();

  constructor(private readonly weights: ReadonlyMap<string, WeightValue>) {}

  name(id: string): string {
    return this.alias.get(id) ?? id;
  }

  weight(name: string): WeightValue {
    const value = this.weights.get(name);
    if (!value) throw new Error(`missing parameter ${name}`);
    return value;
  }

  initializer(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push({ name, dataType: OnnxDataType.FLOAT, dims, rawData: rawFloats(values) });
    return name;
  }

  int64Initializer(name: string, values: number[]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dataType: OnnxDataType.INT64,
      dims: [values.length],
      rawData: new Uint8Array(data.buffer),
    });
    return name;
  }

  node(opType: string, id: string, input: string[], attribute: OnnxAttribute[] = []): void {
    this.nodes.push({ name: id, opType, input, output: [id], attribute });
  }

  write(node: Node): void {
    switch (node.op) {
      case 'input':
        return;
      case 'conv':
      case 'convTranspose':
        return this.convolution(node);
      case 'norm':
        return this.norm(node);
      case 'leakyRelu':
        return this.node('LeakyRelu', node.id, [this.name(node.input)], [attr.float('alpha', node.alpha)]);
      case 'relu':
        return this.node('Relu', node.id, [this.name(node.input)]);
      case 'tanh':
        return this.node('Tanh', node.id, [this.name(node.input)]);
      case 'sigmoid':
        return this.node('Sigmoid', node.id, [this.name(node.input)]);
      case 'pixelNorm': {
        const x = this.name(node.input);
        const epsilon = this.initializer(`${node.id}.epsilon`, [1], new Float32Array([PIXEL_NORM_EPSILON]));
        this.node('Mul', `${node.id}.square`, [x, x]);
        this.node(
          'ReduceMean',
          `${node.id}.mean`,
          [`${node.id}.square`],
          [attr.ints('axes', [1]), attr.int('keepdims', 1)],
        );
        this.node('Add', `${node.id}.shifted`, [`${node.id}.mean`, epsilon]);
        this.node('Sqrt', `${node.id}.rms`, [`${node.id}.shifted`]);
        return this.node('Div', node.id, [x, `${node.id}.rms`]);
      }
      case 'dropout':
        this.alias.set(node.id, this.name(node.input));
        return;
      case 'pad': {
        const p = node.pad;
        const pads = this.int64Initializer(`${node.id}.pads`, [0, 0, p, p, 0, 0, p, p]);
        const mode = node.mode === 'reflect' ? 'reflect' : 'constant';
        return this.node('Pad', node.id, [this.name(node.input), pads], [attr.text('mode', mode)]);
      }
      case 'concat':
        return this.node(
          'Concat',
          node.id,
          node.inputs.map((i) => this.name(i)),
          [attr.int('axis', 1)],
        );
      case 'add':
      case 'mul':
        return this.chain(node.op === 'add' ? 'Add' : 'Mul', node.id, node.inputs);
      case 'blank': {
        const one = this.initializer(`${node.id}.one`, [1], new Float32Array([1]));
        const [image, mask] = node.inputs.map((i) => this.name(i));
        this.node('Sub', `${node.id}.keep`, [one, mask ?? '']);
        return this.node('Mul', node.id, [image ?? '', `${node.id}.keep`]);
      }
    }
  }

  /** A binary op applied left to right over any number of inputs. */
  private chain(opType: string, id: string, inputs: string[]): void {
    const [first, ...rest] = inputs.map((i) => this.name(i));
    if (first === undefined || rest.length === 0) throw new Error(`${id} needs at least two inputs`);
    let acc = first;
    rest.forEach((operand, index) => {
      const out = index === rest.length - 1 ? id : `${id}.${index}`;
      this.node(opType, out, [acc, operand]);
      acc = out;
    });
  }

  private convolution(node: Extract<Node, { op: 'conv' | 'convTranspose' }>): void {
    const kernel = kernelToOnnx(this.weight(`${node.id}.weight`));
    const inputs = [this.name(node.input), this.initializer(`${node.id}.weight`, kernel.dims, kernel.values)];
    if (node.bias)
      inputs.push(this.initializer(`${node.id}.bias`, [node.filters], this.weight(`${node.id}.bias`).values));
    const attributes = [
      attr.ints('kernel_shape', [node.kernel, node.kernel]),
      attr.ints('strides', [node.stride, node.stride]),
      attr.ints('pads', [node.pad, node.pad, node.pad, node.pad]),
      attr.ints('dilations', [1, 1]),
      attr.int('group', 1),
    ];
    if (node.op === 'convTranspose')
      attributes.push(attr.ints('output_padding', [node.outputPadding, node.outputPadding]));
    this.node(node.op === 'conv' ? 'Conv' : 'ConvTranspose', node.id, inputs, attributes);
  }

  /**
   * Instance norm directly. Batch norm as the trainer runs it (statistics of the batch, no
   * running averages) is, for one image, instance norm with the batch norm's scale and shift:
   * exported models normalise each image on its own, as inference with a batch of one does.
   */
  private norm(node: Extract<Node, { op: 'norm' }>): void {
    const c = node.channels;
    const scale = node.affine ? this.weight(`${node.id}.gamma`).values : new Float32Array(c).fill(1);
    const shift = node.affine ? this.weight(`${node.id}.beta`).values : new Float32Array(c);
    this.node(
      'InstanceNormalization',
      node.id,
      [
        this.name(node.input),
        this.initializer(`${node.id}.scale`, [c], scale),
        this.initializer(`${node.id}.shift`, [c], shift),
      ],
      [attr.float('epsilon', NORM_EPSILON)],
    );
  }
}

/**
 * Emits a graph and its weights as an ONNX model: NCHW, explicit pads and output padding (no
 * `auto_pad`), a dynamic batch dimension, float32 in and out. The node list follows the graph's
 * execution order, so the file reads like the architecture.
 */
export function emitOnnx(
  graph: Graph,
  weights: ReadonlyMap<string, WeightValue>,
  options: EmitOptions,
): Uint8Array {
  for (const spec of paramSpecs(graph)) {
    const value = weights.get(spec.name);
    if (!value) throw new Error(`missing parameter ${spec.name}`);
    if (value.shape.join() !== spec.shape.join()) {
      throw new Error(
        `${spec.name} has shape [${value.shape.join(', ')}], the graph needs [${spec.shape.join(', ')}]`,
      );
    }
  }
  const writer = new OnnxGraphWriter(weights);
  for (const node of graph.nodes) writer.write(node);
  const outputName = options.outputName ?? 'output';
  writer.nodes.push({
    name: outputName,
    opType: 'Identity',
    input: [writer.name(graph.output)],
    output: [outputName],
    attribute: [],
  });
  const channelsOf = (id: string): number => {
    const node = graph.nodes.find((n) => n.id === id);
    if (node?.op !== 'input') throw new Error(`${id} is not an input`);
    return node.channels;
  };
  const outChannels = outputChannels(graph);
  const model: OnnxModel = {
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'GAN Studio',
    producerVersion: options.producerVersion,
    graphName: graph.name,
    nodes: writer.nodes,
    initializers: writer.initializers,
    inputs: graph.inputs.map((id) => ({
      name: id,
      elemType: OnnxDataType.FLOAT,
      dims: [
        'batch',
        channelsOf(id),
        options.inputSizes?.[id]?.height ?? options.height,
        options.inputSizes?.[id]?.width ?? options.width,
      ],
    })),
    outputs: [
      {
        name: outputName,
        elemType: OnnxDataType.FLOAT,
        dims: [
          'batch',
          outChannels,
          options.outputSize?.height ?? options.height,
          options.outputSize?.width ?? options.width,
        ],
      },
    ],
    metadata: options.metadata,
  };
  return encodeOnnx(model);
}

/** The channel count of a graph's output, followed back through shape-keeping nodes. */
export function outputChannels(graph: Graph): number {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const channels = (id: string): number => {
    const node = byId.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    switch (node.op) {
      case 'input':
        return node.channels;
      case 'conv':
      case 'convTranspose':
        return node.filters;
      case 'norm':
        return node.channels;
      case 'concat':
        return node.inputs.reduce((sum, i) => sum + channels(i), 0);
      case 'add':
      case 'mul':
      case 'blank':
        return channels(node.inputs[0] ?? '');
      default:
        return channels(node.input);
    }
  };
  return channels(graph.output);
}
