import * as tf from '@tensorflow/tfjs';
import { descendCodes, type CodeGenerator, type CodeObjective } from './code-descent';
import { edgeStrength } from './edge-map';
import { tfSeed } from './tf-seed';

/** Colour strokes: the colours wanted and how much each pixel's colour counts. */
export interface ColorConstraint {
  /** The stroke colours, [1, size, size, 3] in [-1, 1] like the generator's images (only masked pixels matter). */
  target: tf.Tensor4D;
  /** Per-pixel weights in [0, 1], [1, size, size, 1]; 0 where nothing was painted. */
  mask: tf.Tensor4D;
}

/** Sketch strokes: where the image should have edges. */
export interface SketchConstraint {
  /** Per-pixel weights in [0, 1], [1, size, size, 1]; 1 on the stroke. */
  mask: tf.Tensor4D;
}

/** The strokes to satisfy; at least one of them. */
export interface Constraints {
  color?: ColorConstraint;
  sketch?: SketchConstraint;
}

/** How one constraint update searches. */
export interface ConstraintOptions {
  /** Codes optimised together in one batch: the start code and `starts − 1` others. */
  starts: number;
  /** Adam steps per update. */
  steps: number;
  learningRate: number;
  /** λ of λ·‖z‖²/nz, which keeps the codes near the prior N(0, I). */
  priorWeight: number;
  /** Standard deviation of the noise added to the start code for the perturbed starts. */
  perturbation: number;
  /** Seeds the other starts. */
  seed: number;
  /** Progress: every start's total loss after `step` updates, step = 0 … steps. */
  onStep?: (step: number, losses: Float32Array) => void;
}

/**
 * Defaults for `fitConstraints`, measured with scripts/bench-latent-edit.ts at 64 px (ngf 32,
 * nz 100, wasm, one thread): 4 starts × 5 steps at 0.3 cost about 0.7 s of CPU per update and
 * reach about 60% of the loss reduction of a 100-step search; a person painting on continues
 * from the candidate they pick, so further updates take it further.
 */
export const CONSTRAINT_DEFAULTS: Readonly<Omit<ConstraintOptions, 'onStep'>> = {
  starts: 4,
  steps: 5,
  learningRate: 0.3,
  priorWeight: 0.05,
  perturbation: 0.5,
  seed: 0,
};

/** Where a candidate's search began: the given code, a perturbation of it, or a fresh prior sample. */
export type CandidateOrigin = 'start' | 'perturbed' | 'prior';

/** One optimised code and its image (both owned by the caller) with its loss and the loss's parts. */
export interface Candidate {
  code: tf.Tensor4D;
  /** G(code), [1, size, size, 3] in [-1, 1]. */
  image: tf.Tensor4D;
  origin: CandidateOrigin;
  loss: number;
  terms: { color?: number; sketch?: number; prior: number };
}

function checkMask(name: string, mask: tf.Tensor4D, size: number): void {
  if (mask.shape.join() !== [1, size, size, 1].join()) {
    throw new Error(
      `the ${name} mask must be [1, ${size}, ${size}, 1] (the model's size), got [${mask.shape}]`,
    );
  }
  const [low, high, total] = tf.tidy(() =>
    [tf.min(mask), tf.max(mask), tf.sum(mask)].map((t) => t.dataSync()[0]),
  );
  if (!(low !== undefined && high !== undefined && low >= 0 && high <= 1)) {
    throw new Error(`the ${name} mask's weights must lie in [0, 1], got ${low} to ${high}`);
  }
  if (!(total !== undefined && total > 0)) throw new Error(`the ${name} mask has no painted pixel`);
}

function checkConstraints(constraints: Constraints, size: number): void {
  const { color, sketch } = constraints;
  if (!color && !sketch) throw new Error('no constraint given: paint a colour or a sketch stroke');
  if (color) {
    if (color.target.shape.join() !== [1, size, size, 3].join()) {
      throw new Error(
        `the colour target must be [1, ${size}, ${size}, 3] (the model's size), got [${color.target.shape}]`,
      );
    }
    checkMask('colour', color.mask, size);
  }
  if (sketch) checkMask('sketch', sketch.mask, size);
}

/** Member 0 is the start; then perturbations of it and prior samples in turn. */
function origins(starts: number): CandidateOrigin[] {
  return Array.from({ length: starts }, (_, i) => (i === 0 ? 'start' : i % 2 === 1 ? 'perturbed' : 'prior'));
}

function startingCodes(start: tf.Tensor4D, kinds: CandidateOrigin[], o: ConstraintOptions): tf.Tensor4D {
  return tf.tidy(() => {
    const nz = start.shape[3];
    const noise = tf.randomNormal([kinds.length, 1, 1, nz], 0, 1, 'float32', tfSeed(o.seed));
    const perturbed = tf.add(start, tf.mul(noise, o.perturbation));
    const pick = tf.tensor4d(
      kinds.map((kind) => (kind === 'prior' ? 0 : 1)),
      [kinds.length, 1, 1, 1],
    );
    const isStart = tf.tensor4d(
      kinds.map((kind) => (kind === 'start' ? 1 : 0)),
      [kinds.length, 1, 1, 1],
    );
    const moved = tf.add(tf.mul(perturbed, pick), tf.mul(noise, tf.sub(1, pick)));
    return tf.add(
      tf.mul(tf.tile(start, [kinds.length, 1, 1, 1]), isStart),
      tf.mul(moved, tf.sub(1, isStart)),
    );
  }) as tf.Tensor4D;
}

/** Σ weight · value over each image's pixels and channels, over Σ weight · channels: a per-member masked mean [n]. */
function maskedMean(values: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor1D {
  const weight = tf.mul(tf.sum(mask), values.shape[3]);
  return tf.div(tf.sum(tf.mul(values, mask), [1, 2, 3]), weight) as tf.Tensor1D;
}

/** Colour MSE and edge deficit under their masks, plus λ·‖z‖²/nz, per batch member. */
function constraintObjective(
  model: CodeGenerator,
  { color, sketch }: Constraints,
  priorWeight: number,
): (z: tf.Tensor4D) => CodeObjective {
  return (z) =>
    tf.tidy(() => {
      const images = model.sample(z);
      const terms: Record<string, tf.Tensor1D> = { prior: tf.mean(tf.square(z), [1, 2, 3]) as tf.Tensor1D };
      if (color) terms.color = maskedMean(tf.square(tf.sub(images, color.target)) as tf.Tensor4D, color.mask);
      if (sketch) terms.sketch = maskedMean(tf.sub(1, edgeStrength(images)) as tf.Tensor4D, sketch.mask);
      const fit = [terms.color, terms.sketch].filter((t): t is tf.Tensor1D => t !== undefined);
      const total = tf.add(tf.addN(fit), tf.mul(terms.prior as tf.Tensor1D, priorWeight)) as tf.Tensor1D;
      return { total, terms, images };
    });
}

/**
 * iGAN's constrained search (Zhu et al. 2016, §4 "Manipulating the latent vector"): optimises
 * several codes at once, in one batch, so that the generated image matches the colour strokes
 * under their pixels (mean squared error under the mask) and has edges under the sketch strokes
 * (mean of 1 − `edgeStrength` under the mask), plus λ·‖z‖²/nz keeping each code near the prior.
 * The batch holds `start` [1, 1, 1, nz] and `starts − 1` seeded others; the generator's
 * PixelNorm keeps members independent. Returns the candidates sorted best (lowest loss) first.
 */
export function fitConstraints(
  model: CodeGenerator,
  start: tf.Tensor4D,
  constraints: Constraints,
  options: Partial<ConstraintOptions> = {},
): Candidate[] {
  const o = { ...CONSTRAINT_DEFAULTS, ...options };
  const { size, nz } = model.config;
  if (start.shape.join() !== [1, 1, 1, nz].join()) {
    throw new Error(`the start code must be [1, 1, 1, ${nz}], got [${start.shape}]`);
  }
  if (!Number.isInteger(o.starts) || o.starts < 1)
    throw new Error(`starts must be a whole number ≥ 1, got ${o.starts}`);
  if (!Number.isInteger(o.steps) || o.steps < 0)
    throw new Error(`steps must be a whole number ≥ 0, got ${o.steps}`);
  checkConstraints(constraints, size);
  const kinds = origins(o.starts);
  const first = startingCodes(start, kinds, o);
  let descent;
  try {
    descent = descendCodes(first, constraintObjective(model, constraints, o.priorWeight), {
      steps: o.steps,
      learningRate: o.learningRate,
      onStep: (step, terms) => o.onStep?.(step, terms.total ?? new Float32Array()),
    });
  } finally {
    first.dispose();
  }
  const { codes, images, values } = descent;
  const candidates = kinds.map((origin, i): Candidate => {
    const term = (name: string): number | undefined => values[name]?.[i];
    const colorLoss = term('color');
    const sketchLoss = term('sketch');
    return {
      code: tf.slice(codes, [i, 0, 0, 0], [1, 1, 1, nz]),
      image: tf.slice(images, [i, 0, 0, 0], [1, size, size, 3]),
      origin,
      loss: term('total') ?? NaN,
      terms: {
        ...(colorLoss === undefined ? {} : { color: colorLoss }),
        ...(sketchLoss === undefined ? {} : { sketch: sketchLoss }),
        prior: term('prior') ?? NaN,
      },
    };
  });
  tf.dispose([codes, images]);
  return candidates.sort((a, b) => a.loss - b.loss);
}
