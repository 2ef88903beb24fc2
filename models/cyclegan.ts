import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedTensor } from './adam';
import type { Graph } from './graph';
import { ImagePool } from './image-pool';
import { discriminatorLoss, generatorLoss, l1Loss, type GanLossKind } from './losses';
import { disposeAll, initParams, type Params } from './params';
import { patchGan } from './patchgan';
import { poolFromCheckpoint, poolToCheckpoint, type PoolMeta } from './pool-checkpoint';
import { resnetGenerator, resnetSizeError } from './resnet';
import { runGraph } from './run-graph';
import type { NormKind } from './unet';

/** The adversarial objectives CycleGAN trains with (no gradient penalty here). */
export type CycleGanLossKind = Exclude<GanLossKind, 'wgangp'>;

/** Everything that defines a CycleGAN model and its optimisation. */
export interface CycleGanConfig {
  size: number;
  inChannels: number;
  outChannels: number;
  ngf: number;
  ndf: number;
  nLayers: number;
  /** Residual blocks per generator; 6 below 256 px and 9 from 256 px when not given. */
  blocks?: number;
  norm: NormKind;
  dropout: boolean;
  gan: CycleGanLossKind;
  lambdaA: number;
  lambdaB: number;
  /** The identity loss weight, relative to lambdaA / lambdaB; 0 turns the identity terms off. */
  lambdaIdentity: number;
  poolSize: number;
  lr: number;
  beta1: number;
  beta2: number;
}

/** The reference's defaults (cycle_gan_model.py): ResNet generators, 70×70 PatchGANs, instance norm, LSGAN. */
export const CYCLEGAN_DEFAULTS: CycleGanConfig = {
  size: 128,
  inChannels: 3,
  outChannels: 3,
  ngf: 64,
  ndf: 64,
  nLayers: 3,
  norm: 'instance',
  dropout: false,
  gan: 'lsgan',
  lambdaA: 10,
  lambdaB: 10,
  lambdaIdentity: 0.5,
  poolSize: 50,
  lr: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
};

/** The four networks: G_A maps A→B, G_B maps B→A, D_A judges B-domain images, D_B A-domain ones. */
export type CycleGanNetwork = 'G_A' | 'G_B' | 'D_A' | 'D_B';

/** The losses of one training step, as numbers, named as the reference logs them. */
export interface CycleGanLosses {
  D_A: number;
  D_B: number;
  G_A: number;
  G_B: number;
  cycle_A: number;
  cycle_B: number;
  idt_A: number;
  idt_B: number;
}

/** The image pools as a checkpoint stores them: JSON meta plus one tensor per non-empty pool. */
export interface CycleGanPoolsMeta {
  fake_A: PoolMeta;
  fake_B: PoolMeta;
}

/** The residual block count a configuration resolves to. */
export function cycleGanBlocks(config: CycleGanConfig): number {
  return config.blocks ?? (config.size < 256 ? 6 : 9);
}

/** The four architectures of a configuration, without any weights (for export and inspection). */
export function cycleGanGraphs(config: CycleGanConfig): Record<CycleGanNetwork, Graph> {
  const generator = (inChannels: number, outChannels: number): Graph =>
    resnetGenerator({
      inChannels,
      outChannels,
      ngf: config.ngf,
      norm: config.norm,
      blocks: cycleGanBlocks(config),
      dropout: config.dropout,
    });
  const discriminator = (inChannels: number): Graph =>
    patchGan({ inChannels, ndf: config.ndf, nLayers: config.nLayers, norm: config.norm });
  return {
    G_A: generator(config.inChannels, config.outChannels),
    G_B: generator(config.outChannels, config.inChannels),
    D_A: discriminator(config.outChannels),
    D_B: discriminator(config.inChannels),
  };
}

const NETWORKS: CycleGanNetwork[] = ['G_A', 'G_B', 'D_A', 'D_B'];
const POOLS = { fake_A: 'pool/fake_A', fake_B: 'pool/fake_B' } as const;

/** Stacks two batches along the batch axis. */
function stack(first: tf.Tensor4D, second: tf.Tensor4D): tf.Tensor4D {
  return tf.concat([first, second], 0);
}

/** Splits a stacked batch back into its first `n` images and the rest. */
function unstack(x: tf.Tensor4D, n: number): [tf.Tensor4D, tf.Tensor4D] {
  return [tf.slice(x, [0, 0, 0, 0], [n, -1, -1, -1]), tf.slice(x, [n, 0, 0, 0], [-1, -1, -1, -1])];
}

/**
 * A CycleGAN (Zhu et al. 2017) as the reference trains it: two ResNet generators, two PatchGAN
 * discriminators, one Adam over both generators and one over both discriminators, fake pools.
 */
export class CycleGan {
  readonly graphs: Record<CycleGanNetwork, Graph>;
  readonly params: Record<CycleGanNetwork, Params>;
  private readonly optG: Adam;
  private readonly optD: Adam;
  private readonly pools: { fake_A: ImagePool; fake_B: ImagePool };
  private stepsTaken = 0;

  constructor(
    readonly config: CycleGanConfig,
    seed: number,
    prefix = 'cyclegan',
  ) {
    const sizeError = resnetSizeError(config.size);
    if (sizeError) throw new Error(sizeError);
    if (config.lambdaIdentity > 0 && config.inChannels !== config.outChannels) {
      throw new Error('the identity loss needs as many input as output channels');
    }
    this.graphs = cycleGanGraphs(config);
    const params = NETWORKS.map((net, i) => initParams(this.graphs[net], `${prefix}/${net}`, seed + i));
    this.params = { G_A: params[0]!, G_B: params[1]!, D_A: params[2]!, D_B: params[3]! };
    this.optG = new Adam(this.merged(['G_A', 'G_B']), config.lr, config.beta1, config.beta2);
    this.optD = new Adam(this.merged(['D_A', 'D_B']), config.lr, config.beta1, config.beta2);
    this.pools = {
      fake_A: new ImagePool(config.poolSize, seed * 2 + 1),
      fake_B: new ImagePool(config.poolSize, seed * 2 + 2),
    };
  }

  /**
   * The gradients of one step by state name (`G_A/…`, `D_B/…`) and its losses, without applying
   * them; the pools take this step's fakes. The caller disposes the gradients. One gradient pass
   * covers both generators (the discriminators held as constants, as the reference's
   * `set_requires_grad(False)` does); a second covers both discriminators on pooled, detached fakes.
   */
  gradients(
    realA: tf.Tensor4D,
    realB: tf.Tensor4D,
    seed = this.stepsTaken,
  ): { grads: Map<string, tf.Tensor>; losses: CycleGanLosses } {
    const g = this.generatorGradients(realA, realB, seed);
    const pooledB = this.pools.fake_B.query(g.fakeB);
    const pooledA = this.pools.fake_A.query(g.fakeA);
    tf.dispose([g.fakeA, g.fakeB]);
    const d = this.discriminatorGradients(realA, realB, pooledA, pooledB);
    tf.dispose([pooledA, pooledB]);
    return { grads: new Map([...g.grads, ...d.grads]), losses: { ...g.losses, ...d.losses } };
  }

  /** One optimisation step on a pair of unaligned batches (NHWC in [-1, 1]); `seed` fixes dropout. */
  trainStep(realA: tf.Tensor4D, realB: tf.Tensor4D, seed = this.stepsTaken): CycleGanLosses {
    const { grads, losses } = this.gradients(realA, realB, seed);
    this.optG.apply((name) => grads.get(name));
    this.optD.apply((name) => grads.get(name));
    tf.dispose([...grads.values()]);
    this.stepsTaken += 1;
    return losses;
  }

  /** G_A's output for a batch of A-domain images, without dropout. */
  translateAtoB(a: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => runGraph(this.graphs.G_A, this.params.G_A, [a], { training: false }));
  }

  /** G_B's output for a batch of B-domain images, without dropout. */
  translateBtoA(b: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => runGraph(this.graphs.G_B, this.params.G_B, [b], { training: false }));
  }

  /** Both generators' architectures, by the direction they translate. */
  generators(): { AtoB: Graph; BtoA: Graph } {
    return { AtoB: this.graphs.G_A, BtoA: this.graphs.G_B };
  }

  /** Both generators' parameters, by the direction they translate (owned by the model). */
  generatorParams(): { AtoB: Params; BtoA: Params } {
    return { AtoB: this.params.G_A, BtoA: this.params.G_B };
  }

  /** Sets both optimizers' learning rate (the trainer's schedule). */
  setLearningRate(lr: number): void {
    this.optG.learningRate = lr;
    this.optD.learningRate = lr;
  }

  /** Parameters and optimizer state, for a checkpoint. The tensors stay owned by the model. */
  state(): NamedTensor[] {
    return [
      ...[...this.merged(NETWORKS)].map(([name, tensor]) => ({ name, tensor })),
      ...this.optG.state('optG'),
      ...this.optD.state('optD'),
    ];
  }

  /** Restores what `state()` returned (from a checkpoint); shapes must match this model. */
  restore(state: NamedTensor[]): void {
    const byName = new Map(state.map((s) => [s.name, s.tensor]));
    for (const [name, variable] of this.merged(NETWORKS)) {
      const value = byName.get(name);
      if (!value) throw new Error(`the checkpoint has no ${name}`);
      if (value.shape.join() !== variable.shape.join()) {
        throw new Error(`${name} has shape [${value.shape}] in the checkpoint, [${variable.shape}] here`);
      }
    }
    for (const [name, variable] of this.merged(NETWORKS)) variable.assign(byName.get(name) as tf.Tensor);
    this.optG.restore('optG', byName);
    this.optD.restore('optD', byName);
    this.stepsTaken = byName.get('optG/steps')?.dataSync()[0] ?? 0;
  }

  /**
   * The fake pools for a checkpoint: JSON-able meta, and their images as tensors the caller
   * owns (written beside `state()`, disposed after).
   */
  poolState(): { meta: CycleGanPoolsMeta; tensors: NamedTensor[] } {
    const a = poolToCheckpoint(POOLS.fake_A, this.pools.fake_A.state());
    const b = poolToCheckpoint(POOLS.fake_B, this.pools.fake_B.state());
    return { meta: { fake_A: a.meta, fake_B: b.meta }, tensors: [...a.tensors, ...b.tensors] };
  }

  /** Restores what `poolState()` returned; the tensors stay the caller's. */
  restorePools(meta: CycleGanPoolsMeta, tensors: NamedTensor[]): void {
    const byName = new Map(tensors.map((t) => [t.name, t.tensor]));
    const a = poolFromCheckpoint(POOLS.fake_A, meta.fake_A, byName);
    const b = poolFromCheckpoint(POOLS.fake_B, meta.fake_B, byName);
    this.pools.fake_A.restore(a);
    this.pools.fake_B.restore(b);
  }

  /** Frees every variable, optimizer slot and pooled image. */
  dispose(): void {
    for (const net of NETWORKS) disposeAll(this.params[net]);
    this.optG.dispose();
    this.optD.dispose();
    this.pools.fake_A.dispose();
    this.pools.fake_B.dispose();
  }

  /** The parameters of some networks under their state names (`G_A/conv1.weight`). */
  private merged(networks: CycleGanNetwork[]): Params {
    return new Map(
      networks.flatMap((net) => [...this.params[net]].map(([name, v]) => [`${net}/${name}`, v])),
    );
  }

  /** Gradients by state name for the variables of `networks`, from variableGrads' answer. */
  private byStateName(networks: CycleGanNetwork[], grads: tf.NamedTensorMap): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, variable] of this.merged(networks)) {
      const grad = grads[variable.name];
      if (grad) out.set(name, grad);
    }
    return out;
  }

  /**
   * Whether images may share one forward pass as a stacked batch: every norm but batch norm
   * treats each image on its own, so stacking changes nothing but the number of kernel calls.
   */
  private get stackable(): boolean {
    return this.config.norm !== 'batch';
  }

  private generate(net: 'G_A' | 'G_B', x: tf.Tensor4D, seed: number): tf.Tensor4D {
    return runGraph(this.graphs[net], this.params[net], [x], { training: true, seed });
  }

  /** `net` on `first` (the translation) and `second` (the identity mapping), stacked when allowed. */
  private generatePair(
    net: 'G_A' | 'G_B',
    first: tf.Tensor4D,
    second: tf.Tensor4D,
    seed: number,
  ): [tf.Tensor4D, tf.Tensor4D] {
    if (!this.stackable) return [this.generate(net, first, seed), this.generate(net, second, seed + 1)];
    return unstack(this.generate(net, stack(first, second), seed), first.shape[0]);
  }

  /**
   * Both generators' gradients, as two passes whose sum is the reference's one objective: the A
   * side (G_A on A, its cycle back through G_B, D_A's verdict, G_A's identity on B) and the B side
   * mirrored. Each pass keeps only its own activations for backward, half of what one pass over
   * the whole objective held, at the same number of kernel calls.
   */
  private generatorGradients(
    realA: tf.Tensor4D,
    realB: tf.Tensor4D,
    stepSeed: number,
  ): {
    grads: Map<string, tf.Tensor>;
    losses: Pick<CycleGanLosses, 'G_A' | 'G_B' | 'cycle_A' | 'cycle_B' | 'idt_A' | 'idt_B'>;
    fakeA: tf.Tensor4D;
    fakeB: tf.Tensor4D;
  } {
    const seed = stepSeed * 8;
    const a = this.cycleHalf('A', realA, realB, seed, seed + 4);
    const b = this.cycleHalf('B', realB, realA, seed + 2, seed + 5);
    const grads = new Map(a.grads);
    for (const [name, grad] of b.grads) {
      const sum = grads.get(name);
      grads.set(name, sum ? tf.add(sum, grad) : grad);
      if (sum) tf.dispose([sum, grad]);
    }
    return {
      grads,
      losses: {
        G_A: a.adversarial,
        G_B: b.adversarial,
        cycle_A: a.cycle,
        cycle_B: b.cycle,
        idt_A: a.identity,
        idt_B: b.identity,
      },
      fakeA: b.fake,
      fakeB: a.fake,
    };
  }

  /**
   * One side of the generator objective. Side A: fake B = G_A(A), rec A = G_B(fake B), the
   * adversarial term D_A(fake B), the cycle term λ_A·|rec A − A| and the identity term
   * λ_B·λ_idt·|G_A(B) − B|. Side B mirrors it. Returns both generators' gradients, the terms and
   * the fake (kept for the pools).
   */
  private cycleHalf(
    side: 'A' | 'B',
    real: tf.Tensor4D,
    other: tf.Tensor4D,
    seed: number,
    recSeed: number,
  ): {
    grads: Map<string, tf.Tensor>;
    adversarial: number;
    cycle: number;
    identity: number;
    fake: tf.Tensor4D;
  } {
    const c = this.config;
    const [forward, backward, judge] =
      side === 'A' ? (['G_A', 'G_B', 'D_A'] as const) : (['G_B', 'G_A', 'D_B'] as const);
    const [lambda, lambdaOther] = side === 'A' ? [c.lambdaA, c.lambdaB] : [c.lambdaB, c.lambdaA];
    let kept: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      let fake: tf.Tensor4D;
      let identity: tf.Scalar = tf.scalar(0);
      if (c.lambdaIdentity > 0) {
        const [translated, same] = this.generatePair(forward, real, other, seed);
        fake = translated;
        identity = tf.mul(l1Loss(same, other), lambdaOther * c.lambdaIdentity);
      } else {
        fake = this.generate(forward, real, seed);
      }
      const reconstructed = this.generate(backward, fake, recSeed);
      const verdict = runGraph(this.graphs[judge], this.params[judge], [fake], { training: true });
      const adversarial = generatorLoss(c.gan, verdict);
      const cycle = tf.mul(l1Loss(reconstructed, real), lambda);
      const terms = [adversarial, cycle, identity] as tf.Scalar[];
      kept = [...terms, fake].map((t) => tf.keep(t));
      return tf.addN(terms) as tf.Scalar;
    }, [...this.merged(['G_A', 'G_B']).values()]);
    value.dispose();
    const [adversarial, cycle, identity] = kept.slice(0, 3).map((t) => t.dataSync()[0] ?? NaN);
    tf.dispose(kept.slice(0, 3));
    return {
      grads: this.byStateName(['G_A', 'G_B'], grads),
      adversarial: adversarial ?? NaN,
      cycle: cycle ?? NaN,
      identity: identity ?? NaN,
      fake: kept[3] as tf.Tensor4D,
    };
  }

  private discriminatorGradients(
    realA: tf.Tensor4D,
    realB: tf.Tensor4D,
    pooledA: tf.Tensor4D,
    pooledB: tf.Tensor4D,
  ): { grads: Map<string, tf.Tensor>; losses: Pick<CycleGanLosses, 'D_A' | 'D_B'> } {
    const c = this.config;
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const judge = (net: 'D_A' | 'D_B', real: tf.Tensor4D, fake: tf.Tensor4D): tf.Scalar => {
        const run = (x: tf.Tensor4D) => runGraph(this.graphs[net], this.params[net], [x], { training: true });
        const [predReal, predFake] = this.stackable
          ? unstack(run(stack(real, fake)), real.shape[0])
          : [run(real), run(fake)];
        return discriminatorLoss(c.gan, predReal, predFake);
      };
      const lossDA = judge('D_A', realB, pooledB);
      const lossDB = judge('D_B', realA, pooledA);
      kept = [tf.keep(lossDA), tf.keep(lossDB)];
      return tf.add(lossDA, lossDB) as tf.Scalar;
    }, [...this.merged(['D_A', 'D_B']).values()]);
    value.dispose();
    const [da, db] = kept.map((t) => t.dataSync()[0] ?? NaN);
    tf.dispose(kept);
    return { grads: this.byStateName(['D_A', 'D_B'], grads), losses: { D_A: da ?? NaN, D_B: db ?? NaN } };
  }
}
