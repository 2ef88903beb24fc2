import * as tf from '@tensorflow/tfjs';
import type { Graph, Node } from './graph';
import { normalize, pixelNorm, reflectPad } from './ops';
import type { ParamValues } from './params';

/** How a forward pass runs: dropout on in training; a seed makes its masks reproducible. */
export interface RunOptions {
  training: boolean;
  seed?: number;
}

function param(params: ParamValues, name: string): tf.Tensor {
  const value = params.get(name);
  if (!value) throw new Error(`missing parameter ${name}`);
  return value;
}

function normalizeNode(
  x: tf.Tensor4D,
  node: Extract<Node, { op: 'norm' }>,
  params: ParamValues,
): tf.Tensor4D {
  const axes = node.kind === 'instance' ? [1, 2] : [0, 1, 2];
  return node.affine
    ? normalize(x, axes, param(params, `${node.id}.gamma`), param(params, `${node.id}.beta`))
    : normalize(x, axes);
}

/**
 * A transposed convolution of a 1×1 map (a DCGAN generator's first layer, from the code) as the
 * matrix product it is: output pixel (i, j) is x · W[i, j]ᵀ. The general kernel pads the single
 * pixel to the filter's size and convolves mostly zeros, several times the work forward and back.
 */
function projectFromPoint(x: tf.Tensor4D, weight: tf.Tensor4D, bias?: tf.Tensor): tf.Tensor4D {
  const [kh, kw, outChannels, inChannels] = weight.shape;
  const flat = tf.reshape(weight, [kh * kw * outChannels, inChannels]);
  let y = tf.reshape(tf.matMul(tf.reshape(x, [-1, inChannels]), flat, false, true), [
    -1,
    kh,
    kw,
    outChannels,
  ]);
  if (bias) y = tf.add(y, bias);
  return y as tf.Tensor4D;
}

function convTranspose(
  x: tf.Tensor4D,
  node: Extract<Node, { op: 'convTranspose' }>,
  params: ParamValues,
): tf.Tensor4D {
  const [batch, height, width] = x.shape;
  const size = (n: number): number => (n - 1) * node.stride - 2 * node.pad + node.kernel + node.outputPadding;
  const outShape: [number, number, number, number] = [batch, size(height), size(width), node.filters];
  const weight = param(params, `${node.id}.weight`) as tf.Tensor4D;
  if (height === 1 && width === 1 && node.stride === 1 && node.pad === 0 && node.outputPadding === 0) {
    return projectFromPoint(x, weight, node.bias ? param(params, `${node.id}.bias`) : undefined);
  }
  // tfjs derives the transposed conv from a forward conv with the same pads; PyTorch's
  // output_padding extends the far edge, which is what a larger output shape does here.
  let y = tf.conv2dTranspose(x, weight, outShape, node.stride, node.pad);
  if (node.bias) y = tf.add(y, param(params, `${node.id}.bias`));
  return y;
}

/** For each node id, the index of the last node that reads its value (the output is read after all). */
function lastUses(graph: Graph): Map<string, number> {
  const last = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    for (const input of 'inputs' in node ? node.inputs : 'input' in node ? [node.input] : [])
      last.set(input, index);
  });
  last.set(graph.output, Infinity);
  return last;
}

/**
 * Runs a graph forward on NHWC inputs (in the order of `graph.inputs`) and returns its output.
 * Each value is disposed once the last node that reads it has run, so a pass inside a gradient
 * function holds only what backward needs (tfjs keeps its own references to those); the
 * given inputs are left alone. Call inside `tf.tidy` or a gradient function.
 */
export function runGraph(
  graph: Graph,
  params: ParamValues,
  inputs: tf.Tensor4D[],
  options: RunOptions,
): tf.Tensor4D {
  const values = new Map<string, tf.Tensor4D>();
  const get = (id: string): tf.Tensor4D => {
    const value = values.get(id);
    if (!value) throw new Error(`node ${id} used before it was computed`);
    return value;
  };
  const last = lastUses(graph);
  const given = new Set<tf.Tensor>(inputs);
  let dropoutIndex = 0;
  graph.nodes.forEach((node, index) => {
    const out = tf.tidy(() => runNode(node));
    values.set(node.id, out);
    for (const [id, value] of values) {
      if ((last.get(id) ?? -1) > index || given.has(value)) continue;
      values.delete(id);
      if (![...values.values()].includes(value)) value.dispose();
    }
  });
  return get(graph.output);

  function runNode(node: Node): tf.Tensor4D {
    let out: tf.Tensor4D;
    switch (node.op) {
      case 'input': {
        const index = graph.inputs.indexOf(node.id);
        const input = inputs[index];
        if (!input) throw new Error(`input ${node.id} was not given`);
        if (input.shape[3] !== node.channels) {
          throw new Error(`input ${node.id} needs ${node.channels} channels, got ${input.shape[3]}`);
        }
        out = input;
        break;
      }
      case 'conv': {
        const weight = param(params, `${node.id}.weight`) as tf.Tensor4D;
        out = tf.conv2d(get(node.input), weight, node.stride, node.pad);
        if (node.bias) out = tf.add(out, param(params, `${node.id}.bias`));
        break;
      }
      case 'convTranspose':
        out = convTranspose(get(node.input), node, params);
        break;
      case 'norm':
        out = normalizeNode(get(node.input), node, params);
        break;
      case 'leakyRelu':
        out = tf.leakyRelu(get(node.input), node.alpha);
        break;
      case 'relu':
        out = tf.relu(get(node.input));
        break;
      case 'tanh':
        out = tf.tanh(get(node.input));
        break;
      case 'sigmoid':
        out = tf.sigmoid(get(node.input));
        break;
      case 'pixelNorm':
        out = pixelNorm(get(node.input));
        break;
      case 'dropout': {
        dropoutIndex += 1;
        const x = get(node.input);
        if (!options.training || node.rate === 0) {
          out = x;
          break;
        }
        const seed = options.seed === undefined ? undefined : options.seed * 131 + dropoutIndex;
        const keep = tf.cast(
          tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), node.rate),
          'float32',
        );
        out = tf.mul(x, tf.div(keep, 1 - node.rate));
        break;
      }
      case 'pad': {
        const x = get(node.input);
        const p = node.pad;
        out =
          node.mode === 'reflect'
            ? reflectPad(x, p)
            : tf.pad(x, [
                [0, 0],
                [p, p],
                [p, p],
                [0, 0],
              ]);
        break;
      }
      case 'concat':
        out = tf.concat(node.inputs.map(get), 3);
        break;
      case 'add':
        out = node.inputs.map(get).reduce((sum, x) => tf.add(sum, x));
        break;
      case 'mul':
        out = node.inputs.map(get).reduce((product, x) => tf.mul(product, x));
        break;
      case 'blank':
        out = tf.mul(get(node.inputs[0]), tf.sub(1, get(node.inputs[1])));
        break;
    }
    return out;
  }
}

/**
 * The value of one intermediate node (`nodeId`) of a graph, e.g. a generator's early features:
 * only the nodes up to it run, with `runGraph`'s memory behaviour. Call inside `tf.tidy` or a
 * gradient function.
 */
export function runGraphTo(
  graph: Graph,
  params: ParamValues,
  inputs: tf.Tensor4D[],
  options: RunOptions,
  nodeId: string,
): tf.Tensor4D {
  const end = graph.nodes.findIndex((node) => node.id === nodeId);
  if (end < 0) throw new Error(`graph ${graph.name} has no node ${nodeId}`);
  return runGraph(
    { ...graph, nodes: graph.nodes.slice(0, end + 1), output: nodeId },
    params,
    inputs,
    options,
  );
}
