import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installLeanGradients } from './lean-gradients';
import { normalize } from './ops';
import { initParams } from './params';
import { resnetGenerator } from './resnet';
import { runGraph } from './run-graph';

const graph = resnetGenerator({
  inChannels: 3,
  outChannels: 3,
  ngf: 4,
  norm: 'batch',
  blocks: 2,
  dropout: true,
});

/** A step-like loss: a ResNet with affine norm and dropout, an input used twice, and an unconnected variable. */
function loss(params: Map<string, tf.Variable>, x: tf.Tensor4D): tf.Scalar {
  const y = runGraph(graph, params, [x], { training: true, seed: 3 });
  const z = normalize(tf.concat([y, x], 3) as tf.Tensor4D, [1, 2]);
  return tf.add(tf.mean(tf.abs(tf.sub(y, x))), tf.mean(tf.square(z))) as tf.Scalar;
}

/** The gradient-penalty shape of computation: a gradient taken inside the function being differentiated. */
function secondOrder(w: tf.Variable, x: tf.Tensor): tf.Scalar {
  const inner = tf.grad((a: tf.Tensor) => tf.sum(tf.tanh(tf.mul(a, w))))(x);
  return tf.sum(tf.square(inner));
}

interface Results {
  grads: Float32Array[];
  names: string[];
  penalty: Float32Array;
  peakBytes: number;
  leaked: number;
}

async function run(): Promise<Results> {
  const params = initParams(graph, 'lean', 1);
  const unconnected = tf.variable(tf.ones([2]), true, 'lean/unconnected');
  const w = tf.variable(tf.fill([4], 0.7), true, 'lean/w');
  const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  let answer: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
  const profile = await tf.profile(() => {
    answer = tf.variableGrads(() => loss(params, x), [...params.values(), unconnected]);
  });
  const { value, grads } = answer as NonNullable<typeof answer>;
  const leaked = tf.memory().numTensors - before - 1 - Object.keys(grads).length;
  const names = Object.keys(grads).sort();
  const values = names.map((n) => grads[n]?.dataSync() as Float32Array);
  const penalty = tf.variableGrads(() => secondOrder(w, tf.linspace(-1, 1, 4)), [w]);
  const result = {
    grads: values,
    names,
    penalty: penalty.grads['lean/w']?.dataSync() as Float32Array,
    peakBytes: profile.peakBytes,
    leaked,
  };
  tf.dispose([value, penalty.value, ...Object.values(grads), ...Object.values(penalty.grads)]);
  tf.dispose([...params.values(), unconnected, w, x]);
  return result;
}

describe('lean gradients', () => {
  let reference: Results;
  let lean: Results;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    reference = await run();
    installLeanGradients();
    installLeanGradients();
    lean = await run();
  });

  it('give the same gradients as tfjs, bit for bit, leaving out unconnected variables', () => {
    expect(lean.names).toEqual(reference.names);
    expect(lean.names).not.toContain('lean/unconnected');
    expect(lean.grads.length).toBeGreaterThan(10);
    lean.grads.forEach((g, i) =>
      expect(Array.from(g)).toEqual(Array.from(reference.grads[i] as Float32Array)),
    );
  });

  it('leave nested (second-order) gradients to tfjs and get the same answer', () => {
    expect(Array.from(lean.penalty)).toEqual(Array.from(reference.penalty));
    expect(Math.max(...lean.penalty.map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('leak no tensor and hold less at the peak', () => {
    expect(reference.leaked).toBe(0);
    expect(lean.leaked).toBe(0);
    expect(lean.peakBytes).toBeLessThan(reference.peakBytes * 0.75);
  });
});
