import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../../models/graph';
import type { WeightValue } from '../../../models/onnx/emit-onnx';
import { cycleGanGraphs } from '../../../models/cyclegan';
import { HINT_CHANNELS } from '../../../models/color-hints';
import { gatedGenerator } from '../../../models/inpaint';
import { dcganEncoder, dcganGenerator } from '../../../models/latent';
import { latentConfigOf } from '../training/latent-training';
import { unetGenerator } from '../../../models/unet';
import { cycleGanConfigOf, inpaintConfigOf } from '../training/training-model';
import { StudioError } from '../errors';
import { readCheckpoint } from '../training/checkpoint-file';
import { trainConfigSchema, type TrainConfig } from '../training/run-config';

/** One generator a checkpoint holds, ready to emit: its graph, weights and what it translates. */
export interface CheckpointGenerator {
  /** `pix2pix`, … (the model kind written to the export's metadata). */
  kind: string;
  /** `AtoB` or `BtoA`: the direction the generator maps. */
  direction: string;
  graph: Graph;
  weights: Map<string, WeightValue>;
  inChannels: number;
  outChannels: number;
  size: number;
  /** Inputs whose height and width are not `size` (a latent code is 1×1). */
  inputSizes?: Record<string, { height: number; width: number }>;
  /** The output's height and width when it is not `size`² (an encoder's code is 1×1). */
  outputSize?: { height: number; width: number };
  /** The output's name when it is not `output` (an encoder's is `z`). */
  outputName?: string;
}

/** A checkpoint's training step, configuration and exportable generators. */
export interface CheckpointContents {
  step: number;
  config: TrainConfig;
  generators: CheckpointGenerator[];
}

function weightsOf(
  graph: Graph,
  group: string,
  tensors: Map<string, tf.Tensor>,
  file: string,
): Map<string, WeightValue> {
  const weights = new Map<string, WeightValue>();
  for (const node of graph.nodes) {
    for (const suffix of ['weight', 'bias', 'gamma', 'beta']) {
      const tensor = tensors.get(`${group}/${node.id}.${suffix}`);
      if (tensor)
        weights.set(`${node.id}.${suffix}`, {
          shape: tensor.shape,
          values: tensor.dataSync() as Float32Array,
        });
    }
  }
  if (weights.size === 0) throw new StudioError('bad-input', `${file} holds no ${group} weights.`);
  return weights;
}

/** Reads a checkpoint and rebuilds the generator graphs its configuration describes. */
export function readCheckpointGenerators(file: string): CheckpointContents {
  const { meta, tensors } = readCheckpoint(file);
  try {
    const parsed = trainConfigSchema.safeParse(meta.config);
    if (!parsed.success)
      throw new StudioError('bad-input', `${file} does not say how its model was configured.`);
    const config = parsed.data;
    const byName = new Map(tensors.map((t) => [t.name, t.tensor]));
    if (config.model === 'cyclegan') {
      const graphs = cycleGanGraphs(cycleGanConfigOf(config));
      const generator = (group: 'G_A' | 'G_B', direction: string): CheckpointGenerator => ({
        kind: 'cyclegan',
        direction,
        graph: graphs[group],
        weights: weightsOf(graphs[group], group, byName, file),
        inChannels: 3,
        outChannels: 3,
        size: config.size,
      });
      return { step: meta.step, config, generators: [generator('G_A', 'AtoB'), generator('G_B', 'BtoA')] };
    }
    if (config.model === 'latent') {
      const latent = latentConfigOf(config);
      const generator = dcganGenerator(latent);
      const encoder = dcganEncoder(latent);
      const code = { height: 1, width: 1 };
      return {
        step: meta.step,
        config,
        generators: [
          {
            kind: 'latent',
            direction: 'generate',
            graph: generator,
            weights: weightsOf(generator, 'G', byName, file),
            inChannels: latent.nz,
            outChannels: 3,
            size: config.size,
            inputSizes: { [generator.inputs[0] ?? 'z']: code },
          },
          {
            kind: 'latent-encoder',
            direction: 'encode',
            graph: encoder,
            weights: weightsOf(encoder, 'E', byName, file),
            inChannels: 3,
            outChannels: latent.nz,
            size: config.size,
            outputSize: code,
            outputName: 'z',
          },
        ],
      };
    }
    if (config.model === 'inpaint') {
      const graph = gatedGenerator(inpaintConfigOf(config));
      return {
        step: meta.step,
        config,
        generators: [
          {
            kind: 'inpaint',
            direction: 'fill',
            graph,
            weights: weightsOf(graph, 'G', byName, file),
            inChannels: 3,
            outChannels: 3,
            size: config.size,
          },
        ],
      };
    }
    const graph = unetGenerator({
      size: config.size,
      inChannels: 3,
      outChannels: 3,
      ngf: config.ngf,
      norm: config.norm,
      dropout: config.dropout,
      hintChannels: config.hints ? HINT_CHANNELS : 0,
    });
    return {
      step: meta.step,
      config,
      generators: [
        {
          kind: config.model,
          direction: config.direction,
          graph,
          weights: weightsOf(graph, 'G', byName, file),
          inChannels: 3,
          outChannels: 3,
          size: config.size,
        },
      ],
    };
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
}
