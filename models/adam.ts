import * as tf from '@tensorflow/tfjs';
import type { Params } from './params';

/** A named tensor of a model's state (parameters, optimizer moments). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** A non-trainable variable holding `initial()`, without leaving the initial tensor behind. */
function slot(initial: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(initial(), false));
}

/**
 * Adam (Kingma & Ba 2015) in PyTorch's formulation. Its whole state is the step count and the
 * two moments per parameter, so a checkpoint restores it bit for bit.
 */
export class Adam {
  learningRate: number;
  private steps = 0;
  private readonly stepCount = slot(() => tf.scalar(0, 'int32'));
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Params,
    learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.learningRate = learningRate;
    for (const [name, param] of params) {
      this.m.set(
        name,
        slot(() => tf.zerosLike(param)),
      );
      this.v.set(
        name,
        slot(() => tf.zerosLike(param)),
      );
    }
  }

  /** Applies one update; `gradient(name)` gives the gradient of the parameter with that name. */
  apply(gradient: (name: string) => tf.Tensor | undefined): void {
    this.steps += 1;
    const correction1 = 1 - this.beta1 ** this.steps;
    const correction2 = Math.sqrt(1 - this.beta2 ** this.steps);
    const stepSize = this.learningRate / correction1;
    tf.tidy(() => {
      this.stepCount.assign(tf.scalar(this.steps, 'int32'));
      for (const [name, param] of this.params) {
        const g = gradient(name);
        if (!g) continue;
        const m = this.m.get(name) as tf.Variable;
        const v = this.v.get(name) as tf.Variable;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denominator = tf.add(tf.div(tf.sqrt(v), correction2), this.epsilon);
        param.assign(tf.sub(param, tf.mul(tf.div(m, denominator), stepSize)));
      }
    });
  }

  /** The step count and moments, for a checkpoint (tensors stay owned by the optimizer). */
  state(prefix: string): NamedTensor[] {
    return [
      { name: `${prefix}/steps`, tensor: this.stepCount },
      ...[...this.m].map(([name, tensor]) => ({ name: `${prefix}/m/${name}`, tensor })),
      ...[...this.v].map(([name, tensor]) => ({ name: `${prefix}/v/${name}`, tensor })),
    ];
  }

  /** Restores what `state()` saved. */
  restore(prefix: string, byName: ReadonlyMap<string, tf.Tensor>): void {
    const steps = byName.get(`${prefix}/steps`);
    if (!steps) throw new Error(`the checkpoint has no ${prefix}/steps`);
    this.steps = steps.dataSync()[0] ?? 0;
    this.stepCount.assign(tf.scalar(this.steps, 'int32'));
    for (const [kind, moments] of [
      ['m', this.m],
      ['v', this.v],
    ] as const) {
      for (const [name, variable] of moments) {
        const value = byName.get(`${prefix}/${kind}/${name}`);
        if (!value) throw new Error(`the checkpoint has no ${prefix}/${kind}/${name}`);
        variable.assign(value);
      }
    }
  }

  /** Frees the moments. */
  dispose(): void {
    for (const tensor of [this.stepCount, ...this.m.values(), ...this.v.values()]) tensor.dispose();
  }
}
