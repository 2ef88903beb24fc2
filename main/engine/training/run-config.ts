import { z } from 'zod';
import { inpaintSizeError } from '../../../models/inpaint';
import { LATENT_DEFAULTS, latentSizeError } from '../../../models/latent';
import { DEFAULT_MASK_DESIGN, maskDesignError } from '../../../models/masks';
import { resnetSizeError } from '../../../models/resnet';

/** The training backends a run may ask for. */
export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;

const range = z.tuple([z.number(), z.number()]);

/** A mask design as the run configuration stores it (checked by `maskDesignError`). */
export const maskDesignSchema = z.strictObject({
  strokes: range,
  vertices: range,
  width: range,
  maxLength: z.number(),
  maxAngle: z.number(),
  boxes: range,
  boxSize: range,
});

const configObject = z
  .strictObject({
    model: z.enum(['pix2pix', 'cyclegan', 'inpaint', 'latent']),
    data: z.strictObject({
      root: z.string().min(1),
      mode: z.enum(['aligned', 'paired', 'single', 'unaligned']).optional(),
      secondRoot: z.string().optional(),
      derive: z.enum(['gray2color', 'edges2photo', 'inpaint']).optional(),
    }),
    size: z.number().int().min(16).max(2048).default(128),
    loadSize: z.number().int().positive().optional(),
    preprocess: z.enum(['resize_and_crop', 'resize', 'none', 'square']).default('resize_and_crop'),
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
    blocks: z.number().int().min(1).max(16).optional(),
    lambdaA: z.number().min(0).default(10),
    lambdaB: z.number().min(0).default(10),
    lambdaIdentity: z.number().min(0).default(0.5),
    poolSize: z.number().int().min(0).max(1000).default(50),
    maskDesign: maskDesignSchema.default(DEFAULT_MASK_DESIGN),
    /** pix2pix learns from simulated colour hints too (user-guided colorization). */
    hints: z.boolean().default(false),
    /** Latent GAN: length of the code z. */
    nz: z.number().int().min(1).max(512).default(LATENT_DEFAULTS.nz),
    /** Latent GAN: critic updates per generator update. */
    nCritic: z.number().int().min(1).max(20).default(LATENT_DEFAULTS.nCritic),
    /** Latent GAN: spectral normalisation of the critic on top of the gradient penalty. */
    spectralNorm: z.boolean().default(false),
    /** Latent GAN: weight of the WGAN-GP gradient penalty. */
    lambdaGp: z.number().min(0).max(1000).default(LATENT_DEFAULTS.lambdaGp),
    sampleEvery: z.number().int().positive().default(100),
    checkpointEvery: z.number().int().positive().default(500),
    keepCheckpoints: z.number().int().min(1).default(3),
    samples: z.number().int().min(1).max(16).default(4),
    evalImages: z.number().int().min(1).max(500).default(32),
  })
  .refine((c) => !(c.steps && c.epochs), 'give either steps or epochs, not both')
  .superRefine((c, ctx) => {
    const sizeError =
      c.model === 'pix2pix'
        ? Number.isInteger(Math.log2(c.size)) && c.size >= 32
          ? undefined
          : 'must be a power of two ≥ 32 for the U-Net'
        : c.model === 'inpaint'
          ? inpaintSizeError(c.size)
          : c.model === 'latent'
            ? latentSizeError(c.size)
            : resnetSizeError(c.size);
    if (sizeError) ctx.addIssue({ code: 'custom', path: ['size'], message: sizeError });
    if (c.model === 'cyclegan' && c.gan === 'wgangp') {
      ctx.addIssue({
        code: 'custom',
        path: ['gan'],
        message: 'CycleGAN trains with vanilla, lsgan or hinge',
      });
    }
    if (c.model === 'inpaint' && c.gan !== 'hinge') {
      ctx.addIssue({
        code: 'custom',
        path: ['gan'],
        message: 'the inpainting GAN trains with the hinge loss (SN-PatchGAN)',
      });
    }
    if (c.model === 'latent' && c.gan !== 'wgangp') {
      ctx.addIssue({
        code: 'custom',
        path: ['gan'],
        message: 'the latent GAN trains with WGAN-GP (wgangp)',
      });
    }
    if (c.model !== 'latent' && c.preprocess === 'square') {
      ctx.addIssue({
        code: 'custom',
        path: ['preprocess'],
        message: 'the square centre crop is how the latent GAN reads images; the other models crop pairs',
      });
    }
    const maskError = c.model === 'inpaint' ? maskDesignError(c.maskDesign) : undefined;
    if (maskError) ctx.addIssue({ code: 'custom', path: ['maskDesign'], message: maskError });
    if (c.hints && c.model !== 'pix2pix') {
      ctx.addIssue({ code: 'custom', path: ['hints'], message: 'colour hints train with pix2pix' });
    }
    if (c.model === 'pix2pix' && c.data.mode === 'unaligned') {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'mode'],
        message: 'pix2pix needs paired images; an unaligned dataset trains CycleGAN',
      });
    }
  });

/**
 * The reference's defaults differ by model: CycleGAN uses instance norm, LSGAN and no dropout;
 * the inpainting GAN (DeepFill v2) no norm, the hinge loss and narrower layers; the latent GAN
 * WGAN-GP's settings (`LATENT_DEFAULTS`) at 64 px in batches of 16, each image centre-cropped
 * to a square (mixed sizes and aspect ratios) before it is resized.
 */
const MODEL_DEFAULTS: Record<string, Record<string, unknown>> = {
  cyclegan: { norm: 'instance', gan: 'lsgan', dropout: false },
  inpaint: { norm: 'none', gan: 'hinge', dropout: false, lambdaL1: 10, ngf: 32 },
  latent: {
    norm: 'none',
    gan: 'wgangp',
    dropout: false,
    size: LATENT_DEFAULTS.size,
    ngf: LATENT_DEFAULTS.ngf,
    ndf: LATENT_DEFAULTS.ndf,
    lr: LATENT_DEFAULTS.lr,
    batch: 16,
    preprocess: 'square',
  },
};

/**
 * A training run's configuration, validated wherever it enters (CLI, UI, a resumed run's
 * config.json). Defaults follow the pix2pix and CycleGAN references at 128 px.
 */
export const trainConfigSchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null) return raw;
  const defaults = MODEL_DEFAULTS[(raw as { model?: string }).model ?? ''] ?? {};
  const given = Object.entries(raw).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(given) };
}, configObject);

/** A validated training configuration. */
export type TrainConfig = z.output<typeof configObject>;
/** A training configuration as a user writes it (defaults not yet applied). */
export type TrainConfigInput = z.input<typeof configObject>;

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
