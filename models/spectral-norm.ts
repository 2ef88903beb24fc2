import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './adam';
import type { ParamValues, Params } from './params';
import { stopGradient } from './stop-gradient';

/**
 * Spectral normalisation (Miyato et al., ICLR 2018) of every conv weight of a network: the weight
 * seen as a matrix [k·k·in, out] is divided by σ, an estimate of its largest singular value kept
 * current by one step of power iteration per training step. As in PyTorch's `spectral_norm`,
 * the iteration vectors are constants to the gradient; σ itself is differentiated through, so
 * the update sees the normalised weight. The vectors `u` are state: a checkpoint saves them.
 */
export class SpectralNorm {
  private readonly u = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Tensor>();

  constructor(params: Params, seed: number) {
    let index = 0;
    for (const [name, weight] of params) {
      if (!name.endsWith('.weight')) continue;
      index += 1;
      const out = weight.shape[weight.shape.length - 1] ?? 1;
      this.u.set(
        name,
        tf.tidy(() => tf.variable(unit(tf.randomNormal([out], 0, 1, 'float32', seed * 7919 + index)), false)),
      );
    }
  }

  /** One power-iteration step for every weight, from the current values of `params`. */
  update(params: ParamValues): void {
    for (const [name, u] of this.u) {
      const weight = params.get(name);
      if (!weight) throw new Error(`spectral norm: missing parameter ${name}`);
      const { nextU, v } = tf.tidy(() => {
        const w = asMatrix(weight);
        const v = unit(tf.reshape(tf.matMul(w, tf.reshape(u, [-1, 1])), [-1]));
        return { v, nextU: unit(tf.reshape(tf.matMul(w, tf.reshape(v, [-1, 1]), true), [-1])) };
      });
      u.assign(nextU);
      nextU.dispose();
      this.v.get(name)?.dispose();
      this.v.set(name, v);
    }
  }

  /**
   * The parameters with each weight divided by its σ = uᵀ W v. Call inside a gradient function
   * (or `tf.tidy`); `update` must have run since the weights last changed shape. Non-weights
   * (biases) pass through unchanged.
   */
  normalized(params: ParamValues): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, value] of params)
      out.set(name, this.u.has(name) ? tf.div(value, this.sigma(name, value)) : value);
    return out;
  }

  /**
   * Normalised copies made outside any gradient function, so the gradient treats them as
   * constants (the generator's view of the discriminator). The caller disposes them.
   */
  detachedNormalized(params: ParamValues): Map<string, tf.Tensor> {
    return new Map(
      [...params].map(([name, value]) => [
        name,
        tf.tidy(() => (this.u.has(name) ? tf.div(value, this.sigma(name, value)) : tf.clone(value))),
      ]),
    );
  }

  /** σ of each weight as the last update left it, for tests and diagnostics. */
  sigmas(params: ParamValues): Map<string, number> {
    const result = new Map<string, number>();
    for (const name of this.u.keys()) {
      const value = params.get(name);
      if (value)
        result.set(
          name,
          tf.tidy(() => this.sigma(name, value).dataSync()[0] ?? NaN),
        );
    }
    return result;
  }

  /** The iteration vectors, named `sn/<weight name>`, for a checkpoint; they stay owned here. */
  state(): NamedTensor[] {
    return [...this.u].map(([name, tensor]) => ({ name: `sn/${name}`, tensor }));
  }

  /** Restores `state()` output; the next `update` recomputes the v vectors from them. */
  restore(byName: ReadonlyMap<string, tf.Tensor>): void {
    for (const [name, u] of this.u) {
      const value = byName.get(`sn/${name}`);
      if (!value) throw new Error(`the checkpoint has no sn/${name}`);
      if (value.shape.join() !== u.shape.join())
        throw new Error(`sn/${name} has shape [${value.shape}] in the checkpoint, [${u.shape}] here`);
      u.assign(value as tf.Tensor1D);
    }
    for (const v of this.v.values()) v.dispose();
    this.v.clear();
  }

  dispose(): void {
    for (const u of this.u.values()) u.dispose();
    for (const v of this.v.values()) v.dispose();
    this.u.clear();
    this.v.clear();
  }

  /** uᵀ W v, with u and v constants (v from the last update, or from u when none has run). */
  private sigma(name: string, value: tf.Tensor): tf.Scalar {
    const u = this.u.get(name)!;
    const w = asMatrix(value);
    const v = this.v.get(name) ?? stopGradient(unit(tf.reshape(tf.matMul(w, tf.reshape(u, [-1, 1])), [-1])));
    return tf.sum(tf.mul(tf.reshape(tf.matMul(w, tf.reshape(v, [-1, 1]), true), [-1]), u));
  }
}

/** A conv weight [k, k, in, out] as the matrix [k·k·in, out]. */
function asMatrix(weight: tf.Tensor): tf.Tensor2D {
  const out = weight.shape[weight.shape.length - 1] ?? 1;
  return tf.reshape(weight, [-1, out]);
}

function unit(x: tf.Tensor): tf.Tensor1D {
  return tf.div(x, tf.add(tf.norm(x), 1e-12)) as tf.Tensor1D;
}
