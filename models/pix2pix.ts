import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedTensor } from './adam';
import type { Graph } from './graph';
import { discriminatorLoss, generatorLoss, gradientPenalty, l1Loss, type GanLossKind } from './losses';
import { detachedCopies, disposeAll, initParams, type Params } from './params';
import { patchGan } from './patchgan';
import { runGraph } from './run-graph';
import { stopGradient } from './stop-gradient';
import { unetGenerator, type NormKind } from './unet';

/** Everything that defines a pix2pix model and its optimisation. */
export interface Pix2PixConfig {
  size: number;
  inChannels: number;
  outChannels: number;
  ngf: number;
  ndf: number;
  nLayers: number;
  norm: NormKind;
  dropout: boolean;
  gan: GanLossKind;
  lambdaL1: number;
  lambdaGp: number;
  lr: number;
  beta1: number;
  beta2: number;
  /** Channels of the generator's colour-hint input (`HINT_CHANNELS`), or 0 for none. */
  hintChannels: number;
}

/** The reference's defaults: U-Net, 70×70 PatchGAN, batch norm, vanilla GAN + L1×100, Adam 2e-4 / 0.5. */
export const PIX2PIX_DEFAULTS: Pix2PixConfig = {
  size: 128,
  inChannels: 3,
  outChannels: 3,
  ngf: 64,
  ndf: 64,
  nLayers: 3,
  norm: 'batch',
  dropout: true,
  gan: 'vanilla',
  lambdaL1: 100,
  lambdaGp: 10,
  lr: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  hintChannels: 0,
};

/** The losses of one training step, as numbers. */
export interface Pix2PixLosses {
  D: number;
  G_gan: number;
  G_l1: number;
  gp: number;
}

/** A pix2pix model (Isola et al. 2017): generator, discriminator and their Adam optimizers. */
export class Pix2Pix {
  readonly generator: Graph;
  readonly discriminator: Graph;
  readonly G: Params;
  readonly D: Params;
  private readonly optG: Adam;
  private readonly optD: Adam;

  constructor(
    readonly config: Pix2PixConfig,
    seed: number,
    prefix = 'pix2pix',
  ) {
    this.generator = unetGenerator({
      size: config.size,
      inChannels: config.inChannels,
      outChannels: config.outChannels,
      ngf: config.ngf,
      norm: config.norm,
      dropout: config.dropout,
      hintChannels: config.hintChannels,
    });
    this.discriminator = patchGan({
      inChannels: config.inChannels + config.outChannels,
      ndf: config.ndf,
      nLayers: config.nLayers,
      norm: config.gan === 'wgangp' && config.norm === 'batch' ? 'instance' : config.norm,
    });
    this.G = initParams(this.generator, `${prefix}/G`, seed);
    this.D = initParams(this.discriminator, `${prefix}/D`, seed + 1);
    this.optG = new Adam(this.G, config.lr, config.beta1, config.beta2);
    this.optD = new Adam(this.D, config.lr, config.beta1, config.beta2);
  }

  /**
   * One optimisation step on a batch (NHWC in [-1, 1]). The generator runs forward once; the
   * discriminator's update sees that output detached, and the generator's adversarial term reads
   * detached copies of the discriminator's weights, so one backward pass yields both updates.
   */
  step(a: tf.Tensor4D, b: tf.Tensor4D, seed: number, hints?: tf.Tensor4D): Pix2PixLosses {
    const inputs = hints ? [a, hints] : [a];
    const frozenD = detachedCopies(this.D);
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const fake = runGraph(this.generator, this.G, inputs, { training: true, seed });
      const realPair = tf.concat([a, b], 3);
      const fakePair = tf.concat([a, fake], 3);
      const fakeForD = stopGradient(fakePair);
      const predReal = runGraph(this.discriminator, this.D, [realPair], { training: true });
      const predFake = runGraph(this.discriminator, this.D, [fakeForD], { training: true });
      let lossD = discriminatorLoss(this.config.gan, predReal, predFake);
      let gp: tf.Scalar = tf.scalar(0);
      if (this.config.gan === 'wgangp') {
        const critic = (x: tf.Tensor): tf.Tensor =>
          runGraph(this.discriminator, this.D, [x as tf.Tensor4D], { training: true });
        gp = gradientPenalty(critic, realPair, fakeForD, this.config.lambdaGp, seed);
        lossD = tf.add(lossD, gp) as tf.Scalar;
      }
      const predForG = runGraph(this.discriminator, frozenD, [fakePair], { training: true });
      const lossGan = generatorLoss(this.config.gan, predForG);
      const lossL1 = tf.mul(l1Loss(fake, b), this.config.lambdaL1);
      kept = [lossD, lossGan, lossL1 as tf.Scalar, gp].map((t) => tf.keep(t));
      return tf.add(tf.add(lossD, lossGan), lossL1) as tf.Scalar;
    }, [...this.G.values(), ...this.D.values()]);
    this.optG.apply((name) => grads[this.G.get(name)?.name ?? '']);
    this.optD.apply((name) => grads[this.D.get(name)?.name ?? '']);
    const [lossD, lossGan, lossL1, gp] = kept.map((t) => t.dataSync()[0] ?? NaN);
    tf.dispose([value, ...Object.values(grads), ...kept]);
    disposeAll(frozenD);
    return { D: lossD ?? NaN, G_gan: lossGan ?? NaN, G_l1: lossL1 ?? NaN, gp: gp ?? 0 };
  }

  /** The generator's output for a batch (with its hint maps, for a hinted model), without dropout. */
  translate(a: tf.Tensor4D, hints?: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => runGraph(this.generator, this.G, hints ? [a, hints] : [a], { training: false }));
  }

  /** Sets both optimizers' learning rate (the trainer's schedule). */
  setLearningRate(lr: number): void {
    this.optG.learningRate = lr;
    this.optD.learningRate = lr;
  }

  /** Parameters and optimizer state, for a checkpoint. The tensors stay owned by the model. */
  state(): NamedTensor[] {
    const named = (group: string, params: Params): NamedTensor[] =>
      [...params].map(([name, tensor]) => ({ name: `${group}/${name}`, tensor }));
    return [
      ...named('G', this.G),
      ...named('D', this.D),
      ...this.optG.state('optG'),
      ...this.optD.state('optD'),
    ];
  }

  /** Restores what `state()` returned (from a checkpoint); shapes must match this model. */
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
    this.optG.restore('optG', byName);
    this.optD.restore('optD', byName);
  }

  /** Frees every variable and optimizer slot. */
  dispose(): void {
    disposeAll(this.G);
    disposeAll(this.D);
    this.optG.dispose();
    this.optD.dispose();
  }
}
