/**
 * The architecture description every network is built from: a list of nodes in execution order.
 * The trainer runs it with tfjs (`run-graph.ts`); the ONNX emitter reads the same description.
 * Layout is NHWC in tfjs; convolution pads are explicit and symmetric, as in PyTorch.
 */
export type Node =
  | { op: 'input'; id: string; channels: number }
  | {
      op: 'conv';
      id: string;
      input: string;
      inChannels: number;
      filters: number;
      kernel: number;
      stride: number;
      pad: number;
      bias: boolean;
    }
  | {
      op: 'convTranspose';
      id: string;
      input: string;
      inChannels: number;
      filters: number;
      kernel: number;
      stride: number;
      pad: number;
      outputPadding: number;
      bias: boolean;
    }
  | { op: 'norm'; id: string; input: string; kind: 'batch' | 'instance'; channels: number; affine: boolean }
  | { op: 'leakyRelu'; id: string; input: string; alpha: number }
  | { op: 'relu' | 'tanh' | 'sigmoid'; id: string; input: string }
  /** Each pixel's feature vector divided by its root mean square over channels (ProGAN's PixelNorm). */
  | { op: 'pixelNorm'; id: string; input: string }
  | { op: 'dropout'; id: string; input: string; rate: number }
  | { op: 'pad'; id: string; input: string; mode: 'reflect' | 'zero'; pad: number }
  | { op: 'concat'; id: string; inputs: string[] }
  | { op: 'add' | 'mul'; id: string; inputs: string[] }
  /** `inputs[0] · (1 − inputs[1])`: an image with a one-channel mask's hole blanked to 0. */
  | { op: 'blank'; id: string; inputs: [string, string] };

/** A network: its nodes in execution order, the input node ids and the output node id. */
export interface Graph {
  name: string;
  nodes: Node[];
  inputs: string[];
  output: string;
}

/** The shape and initialisation of one trainable parameter. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: 'normal' | 'gamma' | 'zeros';
}

/**
 * Every trainable parameter of a graph, named `<node id>.<kind>`. Conv weights are HWIO
 * ([k, k, in, out]); transposed-conv weights are [k, k, out, in] as tfjs expects.
 */
export function paramSpecs(graph: Graph): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (const node of graph.nodes) {
    if (node.op === 'conv' || node.op === 'convTranspose') {
      const shape =
        node.op === 'conv'
          ? [node.kernel, node.kernel, node.inChannels, node.filters]
          : [node.kernel, node.kernel, node.filters, node.inChannels];
      specs.push({ name: `${node.id}.weight`, shape, init: 'normal' });
      if (node.bias) specs.push({ name: `${node.id}.bias`, shape: [node.filters], init: 'zeros' });
    } else if (node.op === 'norm' && node.affine) {
      specs.push({ name: `${node.id}.gamma`, shape: [node.channels], init: 'gamma' });
      specs.push({ name: `${node.id}.beta`, shape: [node.channels], init: 'zeros' });
    }
  }
  return specs;
}

/** Builds a graph node by node; each method returns the new node's id. */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly inputs: string[] = [];
  private counter = 0;
  private readonly channels = new Map<string, number>();

  constructor(private readonly name: string) {}

  /** The number of channels a node outputs. */
  channelsOf(id: string): number {
    const c = this.channels.get(id);
    if (c === undefined) throw new Error(`unknown node ${id}`);
    return c;
  }

  input(id: string, channels: number): string {
    this.nodes.push({ op: 'input', id, channels });
    this.inputs.push(id);
    this.channels.set(id, channels);
    return id;
  }

  conv(
    input: string,
    filters: number,
    o: { kernel: number; stride: number; pad: number; bias: boolean },
  ): string {
    const id = this.nextId('conv');
    this.nodes.push({ op: 'conv', id, input, inChannels: this.channelsOf(input), filters, ...o });
    this.channels.set(id, filters);
    return id;
  }

  convTranspose(
    input: string,
    filters: number,
    o: { kernel: number; stride: number; pad: number; outputPadding?: number; bias: boolean },
  ): string {
    const id = this.nextId('deconv');
    this.nodes.push({
      op: 'convTranspose',
      id,
      input,
      inChannels: this.channelsOf(input),
      filters,
      kernel: o.kernel,
      stride: o.stride,
      pad: o.pad,
      outputPadding: o.outputPadding ?? 0,
      bias: o.bias,
    });
    this.channels.set(id, filters);
    return id;
  }

  /**
   * A normalisation; `none` returns the input unchanged. Affine by default only for batch norm,
   * as the reference (its InstanceNorm2d has affine=False).
   */
  norm(input: string, kind: 'batch' | 'instance' | 'none', affine = kind === 'batch'): string {
    if (kind === 'none') return input;
    const id = this.nextId(kind === 'batch' ? 'bn' : 'in');
    this.nodes.push({ op: 'norm', id, input, kind, channels: this.channelsOf(input), affine });
    this.channels.set(id, this.channelsOf(input));
    return id;
  }

  leakyRelu(input: string, alpha = 0.2): string {
    return this.unary({ op: 'leakyRelu', id: this.nextId('lrelu'), input, alpha });
  }

  relu(input: string): string {
    return this.unary({ op: 'relu', id: this.nextId('relu'), input });
  }

  tanh(input: string): string {
    return this.unary({ op: 'tanh', id: this.nextId('tanh'), input });
  }

  sigmoid(input: string): string {
    return this.unary({ op: 'sigmoid', id: this.nextId('sigmoid'), input });
  }

  /** Pixelwise feature normalisation: batch-independent, so samples in one batch never interact. */
  pixelNorm(input: string): string {
    return this.unary({ op: 'pixelNorm', id: this.nextId('pn'), input });
  }

  dropout(input: string, rate: number): string {
    return this.unary({ op: 'dropout', id: this.nextId('drop'), input, rate });
  }

  pad(input: string, pad: number, mode: 'reflect' | 'zero'): string {
    return this.unary({ op: 'pad', id: this.nextId('pad'), input, mode, pad });
  }

  /** Channel concatenation, in the order given. */
  concat(inputs: string[]): string {
    const id = this.nextId('cat');
    this.nodes.push({ op: 'concat', id, inputs });
    this.channels.set(
      id,
      inputs.reduce((sum, i) => sum + this.channelsOf(i), 0),
    );
    return id;
  }

  /** Element-wise sum (residual connections), of inputs with the same shape. */
  add(inputs: string[]): string {
    return this.elementwise('add', inputs);
  }

  /** Element-wise product (gates), of inputs with the same shape. */
  mul(inputs: string[]): string {
    return this.elementwise('mul', inputs);
  }

  /** The image with the hole of a one-channel mask (1 = hole) set to 0, mid-grey in [-1, 1]. */
  blank(image: string, mask: string): string {
    if (this.channelsOf(mask) !== 1)
      throw new Error(`a mask has one channel, ${mask} has ${this.channelsOf(mask)}`);
    const id = this.nextId('blank');
    this.nodes.push({ op: 'blank', id, inputs: [image, mask] });
    this.channels.set(id, this.channelsOf(image));
    return id;
  }

  build(output: string): Graph {
    return { name: this.name, nodes: [...this.nodes], inputs: [...this.inputs], output };
  }

  private unary<N extends Node & { input: string }>(node: N): string {
    this.nodes.push(node);
    this.channels.set(node.id, this.channelsOf(node.input));
    return node.id;
  }

  private elementwise(op: 'add' | 'mul', inputs: string[]): string {
    const id = this.nextId(op);
    this.nodes.push({ op, id, inputs });
    this.channels.set(id, this.channelsOf(inputs[0] ?? ''));
    return id;
  }

  private nextId(kind: string): string {
    this.counter += 1;
    return `${kind}${this.counter}`;
  }
}
