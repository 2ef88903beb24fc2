import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../../models/adam';
import {
  CYCLEGAN_DEFAULTS,
  CycleGan,
  type CycleGanConfig,
  type CycleGanPoolsMeta,
} from '../../../models/cyclegan';
import { HINT_CHANNELS, sampleHints } from '../../../models/color-hints';
import { imageMetrics } from '../../../models/image-metrics';
import { INPAINT_DEFAULTS, InpaintGan, type InpaintConfig } from '../../../models/inpaint';
import { writePng } from '../datasets/image-io';
import { heldOutHints, heldOutMetrics, pix2pixFor } from './held-out';
import { arrayFillOf, compareHoles, HELD_OUT_MASK_SEED, writeInpaintStrip } from './inpaint-eval';
import { latentTraining } from './latent-training';
import type { TrainConfig } from './run-config';
import { concatAll, writeSampleStrip, type HeldPair } from './sample-strip';

/** Held-out figures an eval event carries (see the contract's `eval` event). */
export interface EvalFigures {
  l1?: number;
  psnr?: number;
  ssim?: number;
  baselineL1?: number;
  /** What `baselineL1` is: copy-the-input, the border-mean fill of a hole, or the held-out images' mean image. */
  baseline?: 'copy' | 'hole' | 'mean';
  cycleA?: number;
  cycleB?: number;
  /** The latent GAN critic's Wasserstein estimate: mean score of held-out images minus that of samples. */
  wasserstein?: number;
}

/** What the training loop needs of a model, whichever GAN it is. */
export interface TrainingModel {
  /** One step on a batch; `step` is the loop's step number (0 first), for models that alternate updates. */
  step(a: tf.Tensor4D, b: tf.Tensor4D, seed: number, step: number): Record<string, number>;
  setLearningRate(lr: number): void;
  /** Tensors and JSON-able meta for a checkpoint; the tensors stay owned by the model. */
  checkpoint(): { tensors: NamedTensor[]; meta: Record<string, unknown> };
  /** Restores what `checkpoint()` returned, read back from a checkpoint file. */
  restore(tensors: NamedTensor[], meta: Record<string, unknown>): void;
  /** Writes the validation strip of the fixed held-out images. */
  writeSample(path: string, held: HeldPair[], size: number): Promise<void>;
  /**
   * Held-out figures of this epoch. `matched` are ground-truth pairs an unpaired set carries
   * (test images named alike on both sides); a model that trains without pairs scores on them.
   */
  evaluate(held: HeldPair[], size: number, matched: HeldPair[]): Promise<EvalFigures>;
  dispose(): void;
}

/** Simulated colour hints for a batch of targets (NHWC in [-1, 1]), one seeded map per image. */
function hintBatch(b: Float32Array, count: number, size: number, seed: number): tf.Tensor4D {
  const plane = size * size * 3;
  const maps = Array.from({ length: count }, (_, i) =>
    sampleHints(b.subarray(i * plane, (i + 1) * plane), size, seed * 64 + i),
  );
  return tf.tensor4d(concatAll(maps), [count, size, size, HINT_CHANNELS]);
}

/**
 * pix2pix that also reads colour hints (user-guided colorization): every step gets simulated
 * hints from its targets; held-out strips and figures use fixed-seed hints.
 */
function hintedPix2pixTraining(config: TrainConfig): TrainingModel {
  const model = pix2pixFor(config, config.seed);
  const withHints = (held: HeldPair[], size: number) => {
    let index = 0;
    return (a: tf.Tensor4D): tf.Tensor4D => {
      const count = a.shape[0];
      const maps = held.slice(index, index + count).map((p, i) => heldOutHints(p.b, size, index + i));
      index += count;
      return tf.tidy(() =>
        model.translate(a, tf.tensor4d(concatAll(maps), [count, size, size, HINT_CHANNELS])),
      );
    };
  };
  return {
    step: (a, b, seed) => {
      const hints = hintBatch(b.dataSync() as Float32Array, b.shape[0], b.shape[1], seed);
      const losses = model.step(a, b, seed, hints);
      hints.dispose();
      return { ...losses };
    },
    setLearningRate: (lr) => model.setLearningRate(lr),
    checkpoint: () => ({ tensors: model.state(), meta: {} }),
    restore: (tensors) => model.restore(tensors),
    writeSample: (path, held, size) => writeSampleStrip(path, held, size, withHints(held, size)),
    evaluate: async (held, size) => heldOutMetrics(withHints(held, size), held, size),
    dispose: () => model.dispose(),
  };
}

function pix2pixTraining(config: TrainConfig): TrainingModel {
  if (config.hints) return hintedPix2pixTraining(config);
  const model = pix2pixFor(config, config.seed);
  return {
    step: (a, b, seed) => ({ ...model.step(a, b, seed) }),
    setLearningRate: (lr) => model.setLearningRate(lr),
    checkpoint: () => ({ tensors: model.state(), meta: {} }),
    restore: (tensors) => model.restore(tensors),
    writeSample: (path, held, size) => writeSampleStrip(path, held, size, (a) => model.translate(a)),
    evaluate: async (held, size) => heldOutMetrics((a) => model.translate(a), held, size),
    dispose: () => model.dispose(),
  };
}

/** The CycleGAN configuration a run's settings describe. */
export function cycleGanConfigOf(config: TrainConfig): CycleGanConfig {
  return {
    ...CYCLEGAN_DEFAULTS,
    size: config.size,
    ngf: config.ngf,
    ndf: config.ndf,
    blocks: config.blocks,
    norm: config.norm,
    dropout: config.dropout,
    gan: config.gan === 'wgangp' ? 'lsgan' : config.gan,
    lambdaA: config.lambdaA,
    lambdaB: config.lambdaB,
    lambdaIdentity: config.lambdaIdentity,
    poolSize: config.poolSize,
    lr: config.lr,
  };
}

/** The reference's CycleGAN with this run's settings. */
export function cycleGanFor(config: TrainConfig, seed: number, prefix = 'cyclegan'): CycleGan {
  return new CycleGan(cycleGanConfigOf(config), seed, prefix);
}

function batchOf(images: Float32Array[], size: number): tf.Tensor4D {
  const data = new Float32Array(images.reduce((n, x) => n + x.length, 0));
  let offset = 0;
  for (const image of images) {
    data.set(image, offset);
    offset += image.length;
  }
  return tf.tensor4d(data, [images.length, size, size, 3]);
}

/**
 * The CycleGAN validation strip: a row per held-out pair of images, A | A→B | A→B→A and
 * B | B→A | B→A→B side by side, so both directions and both cycles are visible at once.
 */
async function writeCycleStrip(model: CycleGan, path: string, held: HeldPair[], size: number): Promise<void> {
  const rows = held.length;
  const strip = tf.tidy(() => {
    const a = batchOf(
      held.map((p) => p.a),
      size,
    );
    const b = batchOf(
      held.map((p) => p.b),
      size,
    );
    const fakeB = model.translateAtoB(a);
    const fakeA = model.translateBtoA(b);
    const row = tf.concat([a, fakeB, model.translateBtoA(fakeB), b, fakeA, model.translateAtoB(fakeA)], 2);
    const image = tf.reshape(row, [rows * size, size * 6, 3]);
    return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(image, 1), 127.5)), 0, 255), 'int32');
  });
  const pixels = Uint8Array.from(await strip.data());
  strip.dispose();
  await writePng(path, pixels, size * 6, rows * size);
}

/** Mean cycle-reconstruction L1 on held-out A and B images. */
function cycleErrors(model: CycleGan, held: HeldPair[], size: number): EvalFigures {
  let cycleA = 0;
  let cycleB = 0;
  for (const pair of held) {
    tf.tidy(() => {
      const a = batchOf([pair.a], size);
      const b = batchOf([pair.b], size);
      cycleA += imageMetrics(model.translateBtoA(model.translateAtoB(a)), a).l1;
      cycleB += imageMetrics(model.translateAtoB(model.translateBtoA(b)), b).l1;
    });
  }
  const n = Math.max(1, held.length);
  return { cycleA: cycleA / n, cycleB: cycleB / n };
}

function cycleGanTraining(config: TrainConfig): TrainingModel {
  const model = cycleGanFor(config, config.seed);
  const owned: tf.Tensor[] = [];
  return {
    step: (a, b, seed) => ({ ...model.trainStep(a, b, seed) }),
    setLearningRate: (lr) => model.setLearningRate(lr),
    checkpoint: () => {
      tf.dispose(owned.splice(0));
      const pools = model.poolState();
      owned.push(...pools.tensors.map((t) => t.tensor));
      return { tensors: [...model.state(), ...pools.tensors], meta: { pools: pools.meta } };
    },
    restore: (tensors, meta) => {
      model.restore(tensors.filter((t) => !t.name.startsWith('pool/')));
      if (meta.pools) model.restorePools(meta.pools as CycleGanPoolsMeta, tensors);
    },
    writeSample: (path, held, size) => writeCycleStrip(model, path, held, size),
    evaluate: async (held, size, matched) => ({
      ...cycleErrors(model, held, size),
      ...(matched.length > 0 ? heldOutMetrics((a) => model.translateAtoB(a), matched, size) : {}),
    }),
    dispose: () => {
      tf.dispose(owned.splice(0));
      model.dispose();
    },
  };
}

/** The inpainting configuration a run's settings describe. */
export function inpaintConfigOf(config: TrainConfig): InpaintConfig {
  return {
    ...INPAINT_DEFAULTS,
    size: config.size,
    ngf: config.ngf,
    ndf: config.ndf,
    lambdaL1: config.lambdaL1,
    lr: config.lr,
    mask: config.maskDesign,
  };
}

/** The inpainting GAN learns from the photos alone (B); its holes come from the mask design. */
function inpaintTraining(config: TrainConfig): TrainingModel {
  const model = new InpaintGan(inpaintConfigOf(config), config.seed);
  const design = config.maskDesign;
  return {
    step: (_a, b, seed) => ({ ...model.step(b, seed) }),
    setLearningRate: (lr) => model.setLearningRate(lr),
    checkpoint: () => ({ tensors: model.state(), meta: {} }),
    restore: (tensors) => model.restore(tensors),
    writeSample: (path, held, size) =>
      writeInpaintStrip(path, held, size, design, (image, mask) => model.fill(image, mask)),
    evaluate: async (held, size) => {
      const fill = arrayFillOf((image, mask) => model.fill(image, mask), size);
      const images = held.map((p) => p.b);
      const m = await compareHoles(images, size, design, HELD_OUT_MASK_SEED, fill);
      return {
        l1: m.model.l1,
        psnr: m.model.psnr,
        ssim: m.model.ssim,
        baselineL1: m.baseline.l1,
        baseline: 'hole',
      };
    },
    dispose: () => model.dispose(),
  };
}

/** The model a run's configuration trains. */
export function trainingModelFor(config: TrainConfig): TrainingModel {
  if (config.model === 'inpaint') return inpaintTraining(config);
  if (config.model === 'latent') return latentTraining(config);
  return config.model === 'cyclegan' ? cycleGanTraining(config) : pix2pixTraining(config);
}
