import { writeFileSync } from 'node:fs';
import { GraphBuilder, type Graph } from '../../models/graph';
import { emitOnnx } from '../../models/onnx/emit-onnx';
import { unetGenerator } from '../../models/unet';
import { randomWeights } from './random-weights';

/** Options of the small test models. */
export interface TestModelOptions {
  size?: number;
  ngf?: number;
  inChannels?: number;
  outChannels?: number;
  valueRange?: string;
}

function write(path: string, graph: Graph, size: number, metadata: Record<string, string>): void {
  const bytes = emitOnnx(graph, randomWeights(graph, 7), {
    height: size,
    width: size,
    metadata,
    producerVersion: '0.0.0-test',
  });
  writeFileSync(path, bytes);
}

function metadataFor(kind: string, size: number, o: Required<TestModelOptions>, inputs: string[]) {
  return {
    model_kind: kind,
    input_size: `${size}x${size}`,
    value_range: o.valueRange,
    in_channels: String(o.inChannels),
    out_channels: String(o.outChannels),
    input_names: inputs.join(','),
  };
}

/**
 * Writes a seeded U-Net generator as an ONNX file with our metadata (32², ngf 4, RGB unless
 * told), plus any `extra` metadata.
 */
export function writeUnetModel(
  path: string,
  options: TestModelOptions = {},
  extra: Record<string, string> = {},
): void {
  const o = { size: 32, ngf: 4, inChannels: 3, outChannels: 3, valueRange: '-1,1', ...options };
  const graph = unetGenerator({ ...o, norm: 'batch', dropout: false });
  write(path, graph, o.size, { ...metadataFor('pix2pix', o.size, o, graph.inputs), ...extra });
}

/** Writes a tiny inpainting model: image and mask concatenated, one 3×3 convolution, tanh. */
export function writeInpaintModel(path: string, options: TestModelOptions = {}): void {
  const o = { size: 16, ngf: 4, inChannels: 3, outChannels: 3, valueRange: '-1,1', ...options };
  const g = new GraphBuilder('inpaint-test');
  const joined = g.concat([g.input('input', o.inChannels), g.input('mask', 1)]);
  const graph = g.build(g.tanh(g.conv(joined, o.outChannels, { kernel: 3, stride: 1, pad: 1, bias: true })));
  write(path, graph, o.size, { ...metadataFor('inpaint', o.size, o, graph.inputs), mask_input: 'mask' });
}
