import * as tf from '@tensorflow/tfjs';
import type { Graph } from './graph';
import { principalComponents } from './gram-pca';
import { sampleCodes } from './latent';
import type { ParamValues } from './params';
import { runGraphTo } from './run-graph';

/** A generator's graph and weights, as feature-space PCA reads them (a `LatentGan` is one). */
export interface GeneratorGraph {
  readonly generator: Graph;
  readonly G: ParamValues;
  readonly config: { readonly nz: number };
}

/** How GANSpace directions are found. */
export interface DirectionOptions {
  /** Codes sampled from the prior. */
  samples: number;
  /** Directions returned, strongest first. */
  components: number;
  seed: number;
  /** The generator node whose activations are PCA'd; by default its first block's output (`earlyFeatureLayer`). */
  layer?: string;
  /** Codes run through the generator at once. */
  batchSize: number;
}

/** Defaults for `ganspaceDirections`: 512 codes, well above nz 100, for 10 directions. */
export const DIRECTION_DEFAULTS: Readonly<DirectionOptions> = {
  samples: 512,
  components: 10,
  seed: 0,
  batchSize: 128,
};

/** Latent directions with what a slider needs to range over them. */
export interface LatentDirections {
  /** The generator node the PCA ran on. */
  layer: string;
  /** Unit vectors of length nz, strongest component first. */
  directions: number[][];
  /** The standard deviation of the sampled codes' projections on each direction (a slider's unit). */
  spread: number[];
  /** Each component's share of the features' variance. */
  explainedVarianceRatio: number[];
}

/** The id of a generator's first block output: the first ReLU (the first activation for other graphs). */
export function earlyFeatureLayer(generator: Graph): string {
  const node = generator.nodes.find((n) => n.op === 'relu' || n.op === 'leakyRelu');
  if (!node) throw new Error(`graph ${generator.name} has no activation to read features from`);
  return node.id;
}

/** The activations of `layer` for codes [n, 1, 1, nz], flattened to [n, D]. */
export function generatorFeatures(model: GeneratorGraph, codes: tf.Tensor4D, layer: string): tf.Tensor2D {
  return tf.tidy(() => {
    const features = runGraphTo(model.generator, model.G, [codes], { training: false }, layer);
    return tf.reshape(features, [codes.shape[0], -1]) as tf.Tensor2D;
  });
}

function sampledFeatures(
  model: GeneratorGraph,
  codes: tf.Tensor4D,
  layer: string,
  batchSize: number,
): tf.Tensor2D {
  const n = codes.shape[0];
  return tf.tidy(() => {
    const parts: tf.Tensor2D[] = [];
    for (let begin = 0; begin < n; begin += batchSize) {
      const size = Math.min(batchSize, n - begin);
      parts.push(generatorFeatures(model, tf.slice(codes, [begin, 0, 0, 0], [size, -1, -1, -1]), layer));
    }
    return tf.concat(parts, 0) as tf.Tensor2D;
  });
}

/**
 * GANSpace (Härkönen et al. 2020, §2): PCA of the generator's early features over codes sampled
 * from the prior, then each component carried back to the latent space by regressing the codes
 * on the samples' component coordinates (z ≈ Σ u_j x_j, so u_j ∝ Σ_i z_i x_ij as the coordinates
 * are uncorrelated). Directions are unit vectors, signed so their largest entry is positive.
 * Deterministic for a seed.
 */
export function ganspaceDirections(
  model: GeneratorGraph,
  options: Partial<DirectionOptions> = {},
): LatentDirections {
  const o = { ...DIRECTION_DEFAULTS, ...options };
  const { nz } = model.config;
  if (!Number.isInteger(o.samples) || o.samples < 2)
    throw new Error(`samples must be a whole number ≥ 2, got ${o.samples}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new Error(`batchSize must be a whole number ≥ 1, got ${o.batchSize}`);
  }
  const layer = o.layer ?? earlyFeatureLayer(model.generator);
  const codes = sampleCodes(o.samples, nz, o.seed);
  const features = sampledFeatures(model, codes, layer, o.batchSize);
  const z = codes.dataSync();
  tf.dispose([codes]);
  let pca;
  try {
    pca = principalComponents(features, o.components, o.seed);
  } finally {
    features.dispose();
  }
  const directions = pca.coordinates.map((x) => {
    const u = new Float64Array(nz);
    for (let i = 0; i < o.samples; i += 1) {
      for (let k = 0; k < nz; k += 1) u[k] = (u[k] as number) + (z[i * nz + k] as number) * (x[i] as number);
    }
    const norm = Math.hypot(...u) || 1;
    const largest = u.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
    return Array.from(u, (value) => (Math.sign(largest) || 1) * (value / norm));
  });
  const spread = directions.map((d) => {
    const projections = Array.from({ length: o.samples }, (_, i) =>
      d.reduce((sum, value, k) => sum + value * (z[i * nz + k] as number), 0),
    );
    const mean = projections.reduce((a, b) => a + b, 0) / o.samples;
    return Math.sqrt(projections.reduce((a, p) => a + (p - mean) ** 2, 0) / o.samples);
  });
  return { layer, directions, spread, explainedVarianceRatio: pca.explainedVarianceRatio };
}
