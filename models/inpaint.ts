import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedTensor } from './adam';
import { GraphBuilder, type Graph } from './graph';
import { discriminatorLoss, generatorLoss } from './losses';
import { DEFAULT_MASK_DESIGN, freeFormMask, type MaskDesign } from './masks';
import { disposeAll, initParams, type Params } from './params';
import { runGraph } from './run-graph';
import { SpectralNorm } from './spectral-norm';
import { stopGradient } from './stop-gradient';

/** Everything that defines an inpainting model and its optimisation. */
export interface InpaintConfig {
  size: number;
  /** Width of the generator's first layer (DeepFill v2's cnum is 48). */
  ngf: number;
  /** Width of the discriminator's first layer (DeepFill v2 uses 64). */
  ndf: number;
  /** Weight of the L1 reconstruction against the adversarial (hinge) term. */
  lambdaL1: number;
  lr: number;
  beta1: number;
  beta2: number;
  /** How training holes are drawn. */
  mask: MaskDesign;
}

/**
 * DeepFill v2's Adam β (0.5/0.999) and discriminator width, at twice its learning rate, and an
 * L1 weight of 10 where DeepFill v2 weighs both terms 1: runs here are short and on a CPU, and a
 * heavier reconstruction term gives plausible fills long before the adversarial term settles.
 */
export const INPAINT_DEFAULTS: InpaintConfig = {
  size: 128,
  ngf: 32,
  ndf: 64,
  lambdaL1: 10,
  lr: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  mask: DEFAULT_MASK_DESIGN,
};

/** The sizes the generator maps onto themselves: multiples of 8 (three stride-2 steps), at least 32. */
export function inpaintSizeError(size: number): string | undefined {
  if (!Number.isInteger(size) || size < 32 || size % 8 !== 0) {
    return `The inpainting generator needs a size that is a multiple of 8 and at least 32, got ${size}.`;
  }
  return undefined;
}

/**
 * The inpainting generator: a gated-convolution encoder–decoder after DeepFill v2 (Yu et al.,
 * "Free-Form Image Inpainting with Gated Convolution", ICCV 2019). Every layer is a gated
 * convolution, LeakyReLU(features) · σ(gate), so the network learns per pixel and channel how
 * much to trust what it reads — the hole, the valid pixels or the border between. Inputs are the
 * image (its hole blanked inside the network) and the mask (1 = hole). It is DeepFill v2's coarse
 * stage without the refinement stage's contextual attention, and three stride-2 steps in place
 * of its dilated convolutions give the bottleneck its field of view. The last layer also reads
 * the known pixels and the mask directly, and its output is linear (no tanh; values are clipped
 * to [-1, 1] where they are used): a saturating tanh stalled short runs on light backgrounds.
 */
export function gatedGenerator(o: { ngf: number }): Graph {
  const g = new GraphBuilder('gated-inpaint');
  const gated = (x: string, filters: number, kernel: number, stride: number): string => {
    const conv = { kernel, stride, pad: (kernel - 1) / 2, bias: true };
    return g.mul([g.leakyRelu(g.conv(x, filters, conv)), g.sigmoid(g.conv(x, filters, conv))]);
  };
  const gatedUp = (x: string, filters: number): string => {
    const conv = { kernel: 4, stride: 2, pad: 1, bias: true };
    return g.mul([
      g.leakyRelu(g.convTranspose(x, filters, conv)),
      g.sigmoid(g.convTranspose(x, filters, conv)),
    ]);
  };
  const image = g.input('input', 3);
  const mask = g.input('mask', 1);
  const c = o.ngf;
  const known = g.concat([g.blank(image, mask), mask]);
  let x = gated(known, c, 5, 1);
  x = gated(gated(x, 2 * c, 3, 2), 2 * c, 3, 1);
  x = gated(gated(x, 4 * c, 3, 2), 4 * c, 3, 1);
  x = gated(x, 4 * c, 3, 2);
  for (let i = 0; i < 3; i += 1) x = gated(x, 4 * c, 3, 1);
  x = gated(gatedUp(x, 4 * c), 4 * c, 3, 1);
  x = gated(gatedUp(x, 2 * c), 2 * c, 3, 1);
  x = gated(gatedUp(x, c), Math.max(1, c / 2), 3, 1);
  return g.build(g.conv(g.concat([x, known]), 3, { kernel: 3, stride: 1, pad: 1, bias: true }));
}

/**
 * SN-PatchGAN (DeepFill v2): stride-2 5×5 convolutions with LeakyReLU on the image and its mask,
 * widths ndf, 2·ndf, 4·ndf, 4·ndf, then a 5×5 convolution to one score per patch. Spectral
 * normalisation is applied to its weights by the trainer (`SpectralNorm`), not in the graph.
 */
export function snPatchGan(o: { ndf: number }): Graph {
  const g = new GraphBuilder('sn-patchgan');
  let x = g.input('input', 4);
  for (const mult of [1, 2, 4, 4]) {
    x = g.leakyRelu(g.conv(x, o.ndf * mult, { kernel: 5, stride: 2, pad: 2, bias: true }));
  }
  return g.build(g.conv(x, 1, { kernel: 5, stride: 1, pad: 2, bias: true }));
}

/** A batch of training holes (NHWC, one channel, 1 = hole), one seeded mask per image. */
export function maskBatch(count: number, size: number, design: MaskDesign, seed: number): tf.Tensor4D {
  const data = new Float32Array(count * size * size);
  for (let i = 0; i < count; i += 1) data.set(freeFormMask(size, design, seed * 64 + i), i * size * size);
  return tf.tensor4d(data, [count, size, size, 1]);
}

/** The generated pixels inside the hole, the image's own outside it. */
export function composite(image: tf.Tensor4D, generated: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.add(tf.mul(generated, mask), tf.mul(image, tf.sub(1, mask))));
}

/**
 * How much more an L1 error inside the hole counts than one outside it (Liu et al. 2018 weigh
 * the hole 6 to 1): the reconstruction of valid pixels still teaches features, the hole is the task.
 */
export const HOLE_WEIGHT = 6;

/** The losses of one training step, as numbers. */
export interface InpaintLosses {
  D: number;
  G_gan: number;
  G_l1: number;
}

/**
 * An inpainting GAN: gated-convolution generator, spectral-normalised PatchGAN with the hinge
 * loss, and an L1 reconstruction term, as DeepFill v2 trains it.
 */
export class InpaintGan {
  readonly generator: Graph;
  readonly discriminator: Graph;
  readonly G: Params;
  readonly D: Params;
  private readonly sn: SpectralNorm;
  private readonly optG: Adam;
  private readonly optD: Adam;

  constructor(
    readonly config: InpaintConfig,
    seed: number,
    prefix = 'inpaint',
  ) {
    this.generator = gatedGenerator(config);
    this.discriminator = snPatchGan(config);
    this.G = initParams(this.generator, `${prefix}/G`, seed);
    this.D = initParams(this.discriminator, `${prefix}/D`, seed + 1);
    this.sn = new SpectralNorm(this.D, seed + 2);
    this.optG = new Adam(this.G, config.lr, config.beta1, config.beta2);
    this.optD = new Adam(this.D, config.lr, config.beta1, config.beta2);
  }

  /**
   * One optimisation step on a batch of photos (NHWC in [-1, 1]) with holes drawn from `seed`.
   * The discriminator scores the photo and the composite (generated pixels in the hole), each
   * with the mask as a fourth channel; its update sees the composite detached, and the
   * generator's adversarial term reads detached, normalised copies of its weights, so one
   * backward pass yields both updates.
   */
  step(image: tf.Tensor4D, seed: number): InpaintLosses {
    const mask = maskBatch(image.shape[0], image.shape[1], this.config.mask, seed);
    this.sn.update(this.D);
    const frozenD = this.sn.detachedNormalized(this.D);
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const generated = runGraph(this.generator, this.G, [image, mask], { training: true });
      const filled = composite(image, generated, mask);
      const realInput = tf.concat([image, mask], 3);
      const fakeInput = tf.concat([filled, mask], 3);
      const normalizedD = this.sn.normalized(this.D);
      const predReal = runGraph(this.discriminator, normalizedD, [realInput], { training: true });
      const predFake = runGraph(this.discriminator, normalizedD, [stopGradient(fakeInput)], {
        training: true,
      });
      const lossD = discriminatorLoss('hinge', predReal, predFake);
      const lossGan = generatorLoss(
        'hinge',
        runGraph(this.discriminator, frozenD, [fakeInput], { training: true }),
      );
      const weights = tf.add(tf.mul(mask, HOLE_WEIGHT - 1), 1);
      const lossL1 = tf.mul(
        tf.mean(tf.mul(tf.abs(tf.sub(generated, image)), weights)),
        this.config.lambdaL1,
      ) as tf.Scalar;
      kept = [lossD, lossGan, lossL1].map((t) => tf.keep(t));
      return tf.add(tf.add(lossD, lossGan), lossL1) as tf.Scalar;
    }, [...this.G.values(), ...this.D.values()]);
    this.optG.apply((name) => grads[this.G.get(name)?.name ?? '']);
    this.optD.apply((name) => grads[this.D.get(name)?.name ?? '']);
    const [lossD, lossGan, lossL1] = kept.map((t) => t.dataSync()[0] ?? NaN);
    tf.dispose([value, mask, ...Object.values(grads), ...kept]);
    disposeAll(frozenD);
    return { D: lossD ?? NaN, G_gan: lossGan ?? NaN, G_l1: lossL1 ?? NaN };
  }

  /** The generator's raw output for images and their masks (1 = hole). */
  generate(image: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => runGraph(this.generator, this.G, [image, mask], { training: false }));
  }

  /** The images with their holes filled by the generator (clipped to [-1, 1]) and the rest untouched. */
  fill(image: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => composite(image, tf.clipByValue(this.generate(image, mask), -1, 1), mask));
  }

  /** Sets both optimizers' learning rate (the trainer's schedule). */
  setLearningRate(lr: number): void {
    this.optG.learningRate = lr;
    this.optD.learningRate = lr;
  }

  /** Parameters, spectral-norm vectors and optimizer state, for a checkpoint (owned by the model). */
  state(): NamedTensor[] {
    const named = (group: string, params: Params): NamedTensor[] =>
      [...params].map(([name, tensor]) => ({ name: `${group}/${name}`, tensor }));
    return [
      ...named('G', this.G),
      ...named('D', this.D),
      ...this.sn.state(),
      ...this.optG.state('optG'),
      ...this.optD.state('optD'),
    ];
  }

  /** Restores what `state()` returned; shapes must match this model. */
  restore(state: NamedTensor[]): void {
    const byName = new Map(state.map((s) => [s.name, s.tensor]));
    for (const [group, params] of [
      ['G', this.G],
      ['D', this.D],
    ] as const) {
      for (const [name, variable] of params) {
        const value = byName.get(`${group}/${name}`);
        if (!value) throw new Error(`the checkpoint has no ${group}/${name}`);
        if (value.shape.join() !== variable.shape.join()) {
          throw new Error(
            `${group}/${name} has shape [${value.shape}] in the checkpoint, [${variable.shape}] here`,
          );
        }
        variable.assign(value);
      }
    }
    this.sn.restore(byName);
    this.optG.restore('optG', byName);
    this.optD.restore('optD', byName);
  }

  /** Frees every variable, spectral-norm vector and optimizer slot. */
  dispose(): void {
    disposeAll(this.G);
    disposeAll(this.D);
    this.sn.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
