import { z } from 'zod';

/** The training backends a run may ask for. */
export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;

/**
 * A training run's configuration, validated wherever it enters (CLI, UI, a resumed run's
 * config.json). Defaults follow the pix2pix reference at 128 px.
 */
export const trainConfigSchema = z
  .strictObject({
    model: z.literal('pix2pix'),
    data: z.strictObject({
      root: z.string().min(1),
      mode: z.enum(['aligned', 'paired', 'single']).optional(),
      secondRoot: z.string().optional(),
      derive: z.enum(['gray2color', 'edges2photo']).optional(),
    }),
    size: z
      .number()
      .int()
      .refine((n) => n >= 32 && Number.isInteger(Math.log2(n)), 'must be a power of two ≥ 32')
      .default(128),
    loadSize: z.number().int().positive().optional(),
    preprocess: z.enum(['resize_and_crop', 'resize', 'none']).default('resize_and_crop'),
    flip: z.boolean().default(true),
    direction: z.enum(['AtoB', 'BtoA']).default('AtoB'),
    batch: z.number().int().min(1).max(64).default(1),
    steps: z.number().int().positive().optional(),
    epochs: z.number().int().positive().optional(),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    seed: z.number().int().min(0).default(0),
    ngf: z.number().int().min(1).max(256).default(64),
    ndf: z.number().int().min(1).max(256).default(64),
    norm: z.enum(['batch', 'instance', 'none']).default('batch'),
    dropout: z.boolean().default(true),
    gan: z.enum(['vanilla', 'lsgan', 'hinge', 'wgangp']).default('vanilla'),
    lambdaL1: z.number().min(0).default(100),
    lr: z.number().positive().max(1).default(2e-4),
    sampleEvery: z.number().int().positive().default(100),
    checkpointEvery: z.number().int().positive().default(500),
    keepCheckpoints: z.number().int().min(1).default(3),
    samples: z.number().int().min(1).max(16).default(4),
    evalImages: z.number().int().min(1).max(500).default(32),
  })
  .refine((c) => !(c.steps && c.epochs), 'give either steps or epochs, not both');

/** A validated training configuration. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** A training configuration as a user writes it (defaults not yet applied). */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/** The total number of steps a run makes; epochs convert with the dataset's steps per epoch. */
export function totalSteps(config: TrainConfig, stepsPerEpoch: number): number {
  if (config.steps) return config.steps;
  return (config.epochs ?? 200) * stepsPerEpoch;
}

/** The reference's schedule: constant for the first half, then linear decay to zero at the end. */
export function learningRateAt(step: number, total: number, base: number): number {
  const half = Math.floor(total / 2);
  if (step < half) return base;
  return base * Math.max(0, 1 - (step - half) / Math.max(1, total - half));
}
