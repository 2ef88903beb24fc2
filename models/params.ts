import * as tf from '@tensorflow/tfjs';
import { paramSpecs, type Graph } from './graph';

/** A network's trainable parameters by name (`<node id>.<kind>`). */
export type Params = Map<string, tf.Variable>;

/** Read-only parameter values for a forward pass (variables, or detached copies of them). */
export type ParamValues = ReadonlyMap<string, tf.Tensor>;

/**
 * Creates a graph's variables, initialised as the reference does: conv weights N(0, 0.02),
 * norm gammas N(1, 0.02), biases and betas 0. Variable names carry `prefix` so that two
 * networks never collide in the tfjs registry.
 */
export function initParams(graph: Graph, prefix: string, seed: number): Params {
  const params: Params = new Map();
  let index = 0;
  for (const spec of paramSpecs(graph)) {
    index += 1;
    const value = tf.tidy(() => {
      if (spec.init === 'zeros') return tf.zeros(spec.shape);
      const noise = tf.randomNormal(spec.shape, 0, 0.02, 'float32', seed * 1000 + index);
      return spec.init === 'gamma' ? tf.add(noise, 1) : noise;
    });
    params.set(spec.name, tf.variable(value, true, `${prefix}/${spec.name}`));
    value.dispose();
  }
  return params;
}

/** Copies of the parameters that the gradient tape does not link to the variables. */
export function detachedCopies(params: Params): Map<string, tf.Tensor> {
  return new Map([...params].map(([name, variable]) => [name, tf.clone(variable)]));
}

/** Disposes every tensor in a map. */
export function disposeAll(tensors: ReadonlyMap<string, tf.Tensor>): void {
  for (const tensor of tensors.values()) tensor.dispose();
}

/** The number of scalar weights in a parameter set. */
export function countParams(params: ReadonlyMap<string, tf.Tensor>): number {
  let total = 0;
  for (const tensor of params.values()) total += tensor.size;
  return total;
}
