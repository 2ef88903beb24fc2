import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedTensor } from './adam';
import { GraphBuilder, type Graph } from './graph';
import { gradientPenalty, l1Loss } from './losses';
import { disposeAll, initParams, type ParamValues, type Params } from './params';
import { runGraph } from './run-graph';
import { SpectralNorm } from './spectral-norm';
import { tfSeed } from './tf-seed';

/** Everything that defines an unconditional GAN with its encoder, and their optimisation. */
export interface LatentConfig {
  /** Side of the square images: a power of two from 16 to 256 (64 and 128 are the usual). */
  size: number;
  /** Length of the latent code z ~ N(0, I). */
  nz: number;
  /** Width of the generator's last hidden layer (DCGAN's ngf). */
  ngf: number;
  /** Width of the critic's and the encoder's first layer (DCGAN's ndf). */
  ndf: number;
  /** Weight of the WGAN-GP gradient penalty. */
  lambdaGp: number;
  /** Critic updates per generator update. */
  nCritic: number;
  /** Spectral normalisation of the critic's weights, on top of the penalty. */
  spectralNorm: boolean;
  /** Weight of the encoder's image reconstruction (L1 of G(E(x)) against x) beside its code error. */
  lambdaImage: number;
  lr: number;
  beta1: number;
  beta2: number;
}

/**
 * WGAN-GP's published settings (Gulrajani et al. 2017: λ 10, five critic steps per generator
 * step, Adam 1e-4 with β 0/0.9) on DCGAN's shapes with nz 100, at widths of 32: runs here
 * train on a CPU, where DCGAN's 64 costs four times as much per step.
 */
export const LATENT_DEFAULTS: LatentConfig = {
  size: 64,
  nz: 100,
  ngf: 32,
  ndf: 32,
  lambdaGp: 10,
  nCritic: 5,
  spectralNorm: false,
  lambdaImage: 1,
  lr: 1e-4,
  beta1: 0,
  beta2: 0.9,
};

/** The sizes the DCGAN shapes reach from a 4×4 start: powers of two from 16 to 256. */
export function latentSizeError(size: number): string | undefined {
  if (!Number.isInteger(Math.log2(size)) || size < 16 || size > 256) {
    return `The latent GAN needs a power-of-two size from 16 to 256 (64 or 128 are usual), got ${size}.`;
  }
  return undefined;
}

/** How many doublings take a 4×4 map to the image size. */
function levels(size: number): number {
  const error = latentSizeError(size);
  if (error) throw new Error(error);
  return Math.log2(size) - 2;
}

/**
 * DCGAN's generator (Radford et al. 2016): z as a 1×1 map, a 4×4 transposed convolution to
 * ngf·2^(L−1) channels, then stride-2 4×4 transposed convolutions halving the width up to the
 * image, ReLU between and tanh at the end. PixelNorm (Karras et al. 2018) takes batch norm's
 * place, because the editor optimises several codes in one batch and batch statistics would
 * make each result depend on the others; it also makes one sample the same alone or in a batch.
 */
export function dcganGenerator(o: { size: number; nz: number; ngf: number }): Graph {
  const g = new GraphBuilder('dcgan-generator');
  const steps = levels(o.size);
  let width = o.ngf * 2 ** (steps - 1);
  let x = g.input('z', o.nz);
  x = g.relu(g.pixelNorm(g.convTranspose(x, width, { kernel: 4, stride: 1, pad: 0, bias: true })));
  for (let i = 1; i < steps; i += 1) {
    width /= 2;
    x = g.relu(g.pixelNorm(g.convTranspose(x, width, { kernel: 4, stride: 2, pad: 1, bias: true })));
  }
  return g.build(g.tanh(g.convTranspose(x, 3, { kernel: 4, stride: 2, pad: 1, bias: true })));
}

/**
 * DCGAN's discriminator shapes down to 4×4, then a 4×4 convolution to `outputs` channels at 1×1.
 * The critic has no normalisation (WGAN-GP's penalty is per sample, which batch norm would
 * break); the encoder normalises each image's features (instance norm) after its first layer.
 */
function downsampler(name: string, o: { size: number; ndf: number }, outputs: number, norm: boolean): Graph {
  const g = new GraphBuilder(name);
  const steps = levels(o.size);
  let x = g.input('input', 3);
  let width = o.ndf;
  for (let i = 0; i < steps; i += 1) {
    const conv = g.conv(x, width, { kernel: 4, stride: 2, pad: 1, bias: true });
    x = g.leakyRelu(norm && i > 0 ? g.norm(conv, 'instance', true) : conv);
    width *= 2;
  }
  return g.build(g.conv(x, outputs, { kernel: 4, stride: 1, pad: 0, bias: true }));
}

/** The WGAN critic: one unbounded realism score per image (higher = more like the training set). */
export function dcganCritic(o: { size: number; ndf: number }): Graph {
  return downsampler('dcgan-critic', o, 1, false);
}

/** The encoder that inverts the generator: an image to its latent code (a 1×1 map of nz channels). */
export function dcganEncoder(o: { size: number; nz: number; ndf: number }): Graph {
  return downsampler('dcgan-encoder', o, o.nz, true);
}

/** Codes from the prior N(0, I), shaped as the generator reads them: [n, 1, 1, nz]. */
export function sampleCodes(count: number, nz: number, seed: number): tf.Tensor4D {
  return tf.randomNormal([count, 1, 1, nz], 0, 1, 'float32', tfSeed(seed)) as tf.Tensor4D;
}

/** The losses of one training step, as numbers (generator figures only on steps that update it). */
export interface LatentLosses {
  /** The critic's estimate of the Wasserstein distance: mean score of real minus generated images. */
  W: number;
  /** The gradient penalty. */
  gp: number;
  /** The generator's loss, −mean critic score of its images (NaN on critic-only steps). */
  G: number;
  /** The encoder's code error on generated images, mean (E(G(z)) − z)². */
  E_z: number;
  /** The encoder's image reconstruction error on real images, L1 of G(E(x)) against x. */
  E_x: number;
}

/**
 * An unconditional DCGAN trained with WGAN-GP, and an encoder trained alongside to invert it
 * (on generated images, where the true code is known, and on real images through the frozen
 * generator). The critic also scores images by how much they look like the training set.
 */
export class LatentGan {
  readonly generator: Graph;
  readonly critic: Graph;
  readonly encoder: Graph;
  readonly G: Params;
  readonly D: Params;
  readonly E: Params;
  private readonly sn?: SpectralNorm;
  private readonly optG: Adam;
  private readonly optD: Adam;
  private readonly optE: Adam;

  constructor(
    readonly config: LatentConfig,
    seed: number,
    prefix = 'latent',
  ) {
    this.generator = dcganGenerator(config);
    this.critic = dcganCritic(config);
    this.encoder = dcganEncoder(config);
    this.G = initParams(this.generator, `${prefix}/G`, seed);
    this.D = initParams(this.critic, `${prefix}/D`, seed + 1);
    this.E = initParams(this.encoder, `${prefix}/E`, seed + 2);
    if (config.spectralNorm) this.sn = new SpectralNorm(this.D, seed + 3);
    this.optG = new Adam(this.G, config.lr, config.beta1, config.beta2);
    this.optD = new Adam(this.D, config.lr, config.beta1, config.beta2);
    this.optE = new Adam(this.E, config.lr, 0.5, 0.999);
  }

  /**
   * One training step on a batch of real images (NHWC in [-1, 1]): a critic update with the
   * gradient penalty, a generator update every `nCritic`-th step (counted by `step`), and an
   * encoder update. Everything random in it comes from `seed`.
   */
  step(real: tf.Tensor4D, seed: number, step: number): LatentLosses {
    const n = real.shape[0];
    const critic = this.criticStep(real, seed);
    const G = step % this.config.nCritic === 0 ? this.generatorStep(n, seed + 1) : NaN;
    const encoder = this.encoderStep(real, seed + 2);
    return { ...critic, G, ...encoder };
  }

  private criticStep(real: tf.Tensor4D, seed: number): { W: number; gp: number } {
    const fake = tf.tidy(() => this.sample(sampleCodes(real.shape[0], this.config.nz, seed)));
    this.sn?.update(this.D);
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const weights = this.sn ? this.sn.normalized(this.D) : this.D;
      const score = (x: tf.Tensor): tf.Tensor =>
        runGraph(this.critic, weights, [x as tf.Tensor4D], { training: true });
      const distance = tf.sub(tf.mean(score(real)), tf.mean(score(fake))) as tf.Scalar;
      const gp = gradientPenalty(score, real, fake, this.config.lambdaGp, seed);
      kept = [tf.keep(distance), tf.keep(gp)];
      return tf.add(tf.neg(distance), gp) as tf.Scalar;
    }, [...this.D.values()]);
    this.optD.apply((name) => grads[this.D.get(name)?.name ?? '']);
    const [W, gp] = kept.map((t) => t.dataSync()[0] ?? NaN);
    tf.dispose([value, fake, ...Object.values(grads), ...kept]);
    return { W: W ?? NaN, gp: gp ?? NaN };
  }

  private generatorStep(count: number, seed: number): number {
    const z = sampleCodes(count, this.config.nz, seed);
    const weights = this.sn ? this.sn.detachedNormalized(this.D) : this.D;
    const { value, grads } = tf.variableGrads(() => {
      const generated = runGraph(this.generator, this.G, [z], { training: true });
      return tf.neg(tf.mean(runGraph(this.critic, weights, [generated], { training: true }))) as tf.Scalar;
    }, [...this.G.values()]);
    this.optG.apply((name) => grads[this.G.get(name)?.name ?? '']);
    const loss = value.dataSync()[0] ?? NaN;
    tf.dispose([value, z, ...Object.values(grads)]);
    if (this.sn) disposeAll(weights);
    return loss;
  }

  private encoderStep(real: tf.Tensor4D, seed: number): { E_z: number; E_x: number } {
    const z = sampleCodes(real.shape[0], this.config.nz, seed);
    const generated = tf.tidy(() => this.sample(z));
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const codeError = tf.mean(tf.square(tf.sub(this.runEncoder(generated, true), z))) as tf.Scalar;
      const reconstructed = runGraph(this.generator, this.G, [this.runEncoder(real, true)], {
        training: true,
      });
      const imageError = l1Loss(reconstructed, real);
      kept = [tf.keep(codeError), tf.keep(imageError)];
      return tf.add(codeError, tf.mul(imageError, this.config.lambdaImage)) as tf.Scalar;
    }, [...this.E.values()]);
    this.optE.apply((name) => grads[this.E.get(name)?.name ?? '']);
    const [E_z, E_x] = kept.map((t) => t.dataSync()[0] ?? NaN);
    tf.dispose([value, z, generated, ...Object.values(grads), ...kept]);
    return { E_z: E_z ?? NaN, E_x: E_x ?? NaN };
  }

  private runEncoder(image: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return runGraph(this.encoder, this.E, [image], { training });
  }

  /** Generated images (NHWC in [-1, 1]) for codes [n, 1, 1, nz]; differentiable with respect to the codes. */
  sample(z: tf.Tensor4D): tf.Tensor4D {
    return runGraph(this.generator, this.G, [z], { training: false });
  }

  /** The encoder's guess of each image's code, [n, 1, 1, nz]. */
  encode(image: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.runEncoder(image, false));
  }

  /** The critic's score of each image (higher = more like the training set), [n]. */
  score(image: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const weights: ParamValues = this.sn ? this.sn.detachedNormalized(this.D) : this.D;
      const scores = tf.reshape(runGraph(this.critic, weights, [image], { training: false }), [-1]);
      if (this.sn) disposeAll(weights);
      return scores as tf.Tensor1D;
    });
  }

  /** The critic's weights as the export and the scorer use them (spectrally normalised where trained so); owned by the caller. */
  criticWeights(): Map<string, tf.Tensor> {
    return this.sn
      ? this.sn.detachedNormalized(this.D)
      : new Map([...this.D].map(([k, v]) => [k, tf.clone(v)]));
  }

  /** Sets every optimizer's learning rate (the trainer's schedule). */
  setLearningRate(lr: number): void {
    this.optG.learningRate = lr;
    this.optD.learningRate = lr;
    this.optE.learningRate = lr;
  }

  /** Parameters, spectral-norm vectors and optimizer state, for a checkpoint (owned by the model). */
  state(): NamedTensor[] {
    const named = (group: string, params: Params): NamedTensor[] =>
      [...params].map(([name, tensor]) => ({ name: `${group}/${name}`, tensor }));
    return [
      ...named('G', this.G),
      ...named('D', this.D),
      ...named('E', this.E),
      ...(this.sn?.state() ?? []),
      ...this.optG.state('optG'),
      ...this.optD.state('optD'),
      ...this.optE.state('optE'),
    ];
  }

  /**
   * Restores what `state()` returned; shapes must match this model. Without optimizer state
   * (`weightsOnly`, as an editor loads a model) only the networks are read.
   */
  restore(state: NamedTensor[], weightsOnly = false): void {
    const byName = new Map(state.map((s) => [s.name, s.tensor]));
    for (const [group, params] of [
      ['G', this.G],
      ['D', this.D],
      ['E', this.E],
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
    this.sn?.restore(byName);
    if (weightsOnly) return;
    this.optG.restore('optG', byName);
    this.optD.restore('optD', byName);
    this.optE.restore('optE', byName);
  }

  /** Frees every variable, spectral-norm vector and optimizer slot. */
  dispose(): void {
    disposeAll(this.G);
    disposeAll(this.D);
    disposeAll(this.E);
    this.sn?.dispose();
    this.optG.dispose();
    this.optD.dispose();
    this.optE.dispose();
  }
}
