import * as tf from '@tensorflow/tfjs';
import { CYCLEGAN_DEFAULTS, CycleGan, cycleGanBlocks } from '../../../models/cyclegan';
import { INPAINT_DEFAULTS, InpaintGan, maskBatch } from '../../../models/inpaint';
import { LATENT_DEFAULTS, LatentGan, sampleCodes } from '../../../models/latent';
import { countParams } from '../../../models/params';
import { Pix2Pix, PIX2PIX_DEFAULTS } from '../../../models/pix2pix';
import { selectBackend } from '../training/tf-backend';
import type { BACKEND_CHOICES } from '../training/run-config';

/** One benchmark result, shaped like the PyTorch peer's lines. */
export interface BenchLine {
  case: string;
  train_step_s: number;
  train_img_per_s: number;
  infer_ms: number;
  backend: string;
  g_params: number;
  steps: number;
  /** Peak resident memory of this process so far, in MB. */
  peak_rss_mb: number;
}

/** Options of `ganstudio bench train`. */
export interface TrainBenchOptions {
  model: 'pix2pix' | 'cyclegan' | 'inpaint' | 'latent';
  size: number;
  steps: number;
  ngf: number;
  backend: (typeof BACKEND_CHOICES)[number];
}

function timeIt(fn: () => void, steps: number, warm = 2): number {
  for (let i = 0; i < warm; i += 1) fn();
  const start = performance.now();
  for (let i = 0; i < steps; i += 1) fn();
  return (performance.now() - start) / 1000 / steps;
}

/**
 * The peer's pix2pix case in tfjs: batch 1, U-Net + PatchGAN at `size`, ngf = ndf, random
 * inputs, 2 warm-up steps then `steps` timed; inference is the generator alone, no dropout.
 */
export async function benchTrain(options: TrainBenchOptions): Promise<BenchLine> {
  const backend = await selectBackend(options.backend);
  if (options.model === 'cyclegan') return benchCycleGan(options, backend.name);
  if (options.model === 'inpaint') return benchInpaint(options, backend.name);
  if (options.model === 'latent') return benchLatent(options, backend.name);
  const model = new Pix2Pix(
    { ...PIX2PIX_DEFAULTS, size: options.size, ngf: options.ngf, ndf: options.ngf },
    0,
    'bench',
  );
  const a = tf.randomNormal([1, options.size, options.size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const b = tf.randomNormal([1, options.size, options.size, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  let seed = 0;
  const trainStep = timeIt(() => void model.step(a, b, (seed += 1)), options.steps);
  const infer = timeIt(() => {
    const y = model.translate(a);
    y.dataSync();
    y.dispose();
  }, options.steps);
  let gParams = 0;
  for (const v of model.G.values()) gParams += v.size;
  model.dispose();
  tf.dispose([a, b]);
  return {
    case: `pix2pix-unet${options.size}-ngf${options.ngf}`,
    train_step_s: round(trainStep, 4),
    train_img_per_s: round(1 / trainStep, 3),
    infer_ms: round(infer * 1000, 2),
    backend: backend.name,
    g_params: gParams,
    steps: options.steps,
    peak_rss_mb: peakRssMb(),
  };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * The peer's CycleGAN case: two ResNet generators (6 blocks below 256 px, 9 from 256) and two
 * instance-norm PatchGANs, LSGAN, cycle 10, identity 0.5, pools of 50; inference is G_A alone.
 */
async function benchCycleGan(options: TrainBenchOptions, backend: string): Promise<BenchLine> {
  const config = { ...CYCLEGAN_DEFAULTS, size: options.size, ngf: options.ngf, ndf: options.ngf };
  const model = new CycleGan(config, 0, 'bench');
  const a = tf.randomNormal([1, options.size, options.size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const b = tf.randomNormal([1, options.size, options.size, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  let seed = 0;
  const trainStep = timeIt(() => void model.trainStep(a, b, (seed += 1)), options.steps);
  const infer = timeIt(() => {
    const y = model.translateAtoB(a);
    y.dataSync();
    y.dispose();
  }, options.steps);
  let gParams = 0;
  for (const v of model.params.G_A.values()) gParams += v.size;
  model.dispose();
  tf.dispose([a, b]);
  return {
    case: `cyclegan-resnet${cycleGanBlocks(config)}-${options.size}-ngf${options.ngf}`,
    train_step_s: round(trainStep, 4),
    train_img_per_s: round(1 / trainStep, 3),
    infer_ms: round(infer * 1000, 2),
    backend,
    g_params: gParams,
    steps: options.steps,
    peak_rss_mb: peakRssMb(),
  };
}

/**
 * The inpainting GAN (no peer case exists): gated generator at `ngf`, SN-PatchGAN at twice that,
 * holes from the default mask design; inference is one fill of a seeded hole.
 */
async function benchInpaint(options: TrainBenchOptions, backend: string): Promise<BenchLine> {
  const config = { ...INPAINT_DEFAULTS, size: options.size, ngf: options.ngf, ndf: 2 * options.ngf };
  const model = new InpaintGan(config, 0, 'bench');
  const image = tf.randomNormal([1, options.size, options.size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const mask = maskBatch(1, options.size, config.mask, 7);
  let seed = 0;
  const trainStep = timeIt(() => void model.step(image, (seed += 1)), options.steps);
  const infer = timeIt(() => {
    const y = model.fill(image, mask);
    y.dataSync();
    y.dispose();
  }, options.steps);
  const gParams = countParams(model.G);
  model.dispose();
  tf.dispose([image, mask]);
  return {
    case: `inpaint-gated${options.size}-ngf${options.ngf}`,
    train_step_s: round(trainStep, 4),
    train_img_per_s: round(1 / trainStep, 3),
    infer_ms: round(infer * 1000, 2),
    backend,
    g_params: gParams,
    steps: options.steps,
    peak_rss_mb: peakRssMb(),
  };
}

/** The latent GAN's batch in a bench: the run default, as DCGAN and WGAN-GP train in batches. */
const LATENT_BENCH_BATCH = 16;

/**
 * The latent GAN (no peer case exists: torch_peer.py has pix2pix and CycleGAN only): DCGAN
 * generator at `ngf`, WGAN-GP critic and encoder at ndf = `ngf`, nz 100, batch 16 of random
 * images. A step is the trainer's: a critic and an encoder update, and a generator update every
 * 5th step, so `steps` (5 by default) after 2 warm-up steps covers whole cycles; inference is
 * one sample from one code.
 */
async function benchLatent(options: TrainBenchOptions, backend: string): Promise<BenchLine> {
  const config = { ...LATENT_DEFAULTS, size: options.size, ngf: options.ngf, ndf: options.ngf };
  const model = new LatentGan(config, 0, 'bench');
  const batch = LATENT_BENCH_BATCH;
  const real = tf.randomUniform([batch, options.size, options.size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const z = sampleCodes(1, config.nz, 2);
  let step = 0;
  const trainStep = timeIt(() => {
    model.step(real, step, step);
    step += 1;
  }, options.steps);
  const infer = timeIt(() => {
    const y = model.sample(z);
    y.dataSync();
    y.dispose();
  }, options.steps);
  const gParams = countParams(model.G);
  model.dispose();
  tf.dispose([real, z]);
  return {
    case: `latent-dcgan${options.size}-ngf${options.ngf}-nz${config.nz}-b${batch}`,
    train_step_s: round(trainStep, 4),
    train_img_per_s: round(batch / trainStep, 3),
    infer_ms: round(infer * 1000, 2),
    backend,
    g_params: gParams,
    steps: options.steps,
    peak_rss_mb: peakRssMb(),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
