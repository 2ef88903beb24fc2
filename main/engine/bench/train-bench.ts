import * as tf from '@tensorflow/tfjs';
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
}

/** Options of `ganstudio bench train`. */
export interface TrainBenchOptions {
  model: 'pix2pix';
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
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
