import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam';

/** A generator as the latent editing functions use it: frozen, differentiable in its codes [n, 1, 1, nz]. */
export interface CodeGenerator {
  readonly config: { readonly size: number; readonly nz: number };
  sample(z: tf.Tensor4D): tf.Tensor4D;
}

/** One objective evaluation: each batch member's total and its named parts, all of shape [n], and the generated images. */
export interface CodeObjective {
  total: tf.Tensor1D;
  terms: Record<string, tf.Tensor1D>;
  images: tf.Tensor4D;
}

/** Each batch member's objective parts as numbers, by term name (plus `total`). */
export type TermValues = Record<string, Float32Array>;

/** Where a descent ended: the codes, the images they generate (both owned by the caller) and their objective parts. */
export interface DescentResult {
  codes: tf.Tensor4D;
  images: tf.Tensor4D;
  values: TermValues;
}

function readTerms(objective: CodeObjective): TermValues {
  const values: TermValues = { total: objective.total.dataSync() as Float32Array };
  for (const [name, term] of Object.entries(objective.terms)) values[name] = term.dataSync() as Float32Array;
  return values;
}

/**
 * Adam steps on a batch of codes through a frozen generator, minimising the sum of the members'
 * objectives. Only the codes' gradients are taken (no weight gradients), and since Adam is
 * element-wise and the objective a sum, every member descends on its own objective alone.
 * `onStep(k, values)` sees the objective after k updates, k = 0 … steps.
 */
export function descendCodes(
  start: tf.Tensor4D,
  objective: (z: tf.Tensor4D) => CodeObjective,
  o: { steps: number; learningRate: number; onStep?: (step: number, values: TermValues) => void },
): DescentResult {
  const z = tf.variable(start, true);
  const adam = new Adam(new Map([['z', z]]), o.learningRate);
  try {
    for (let step = 0; step < o.steps; step += 1) {
      let values: TermValues = {};
      const { value, grads } = tf.variableGrads(() => {
        const current = objective(z as tf.Tensor as tf.Tensor4D);
        values = readTerms(current);
        return tf.sum(current.total) as tf.Scalar;
      }, [z]);
      o.onStep?.(step, values);
      adam.apply(() => grads[z.name]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const codes = tf.clone(z) as tf.Tensor4D;
    const final = objective(codes);
    const values = readTerms(final);
    tf.dispose([final.total, ...Object.values(final.terms)]);
    o.onStep?.(o.steps, values);
    return { codes, images: final.images, values };
  } finally {
    adam.dispose();
    z.dispose();
  }
}
