import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CycleGan,
  CYCLEGAN_DEFAULTS,
  cycleGanBlocks,
  cycleGanGraphs,
  type CycleGanConfig,
  type CycleGanNetwork,
} from './cyclegan';
import { paramSpecs, type Graph } from './graph';
import { useBackend } from './kernels/test-backends';
import type { NormKind } from './unet';
import { runGraph } from './run-graph';

// The wasm backend with the project's conv gradient kernels: tfjs's plain-JS filter gradient
// makes even these tiny ResNets take seconds a step.
beforeAll(async () => {
  await useBackend('wasm');
});

const tiny = (over: Partial<CycleGanConfig> = {}): CycleGanConfig => ({
  ...CYCLEGAN_DEFAULTS,
  size: 32,
  ngf: 4,
  ndf: 4,
  blocks: 2,
  ...over,
});

function images(seed: number, n = 1): { a: tf.Tensor4D; b: tf.Tensor4D } {
  const a = tf.randomUniform([n, 32, 32, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
  const b = tf.randomUniform([n, 32, 32, 3], -1, 1, 'float32', seed + 100) as tf.Tensor4D;
  return { a, b };
}

function values(model: CycleGan, net: CycleGanNetwork): Float32Array[] {
  return [...model.params[net].values()].map((v) => Float32Array.from(v.dataSync()));
}

function maxDiff(x: Float32Array[], y: Float32Array[]): number {
  let diff = 0;
  x.forEach((xs, i) => xs.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - (y[i]?.[j] ?? NaN))))));
  return diff;
}

/** Biases of convolutions an instance norm follows: the norm removes them, so their gradient is 0. */
function cancelledBiases(graph: Graph): Set<string> {
  const normed = new Set(
    graph.nodes.flatMap((n) => (n.op === 'norm' && n.kind === 'instance' ? [n.input] : [])),
  );
  return new Set([...normed].map((id) => `${id}.bias`));
}

const mse = (x: tf.Tensor, target: number): tf.Scalar => tf.mean(tf.square(tf.sub(x, target)));
const l1 = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.mean(tf.abs(tf.sub(x, y)));

/**
 * The gradients as the reference computes them: six separate generator passes and one backward
 * for both generators through the unchanged discriminators, then each discriminator's own
 * backward on real and (pooled, here still the newest) fake images, each image on its own.
 */
function referenceGradients(model: CycleGan, a: tf.Tensor4D, b: tf.Tensor4D): Map<string, tf.Tensor> {
  const { graphs, params, config: c } = model;
  const run = (net: CycleGanNetwork, x: tf.Tensor4D) =>
    runGraph(graphs[net], params[net], [x], { training: true });
  const varsOf = (nets: CycleGanNetwork[]) => nets.flatMap((net) => [...params[net].values()]);
  const g = tf.variableGrads(
    () => {
      const fakeB = run('G_A', a);
      const recA = run('G_B', fakeB);
      const fakeA = run('G_B', b);
      const recB = run('G_A', fakeA);
      const idtA = run('G_A', b);
      const idtB = run('G_B', a);
      const idt = c.lambdaIdentity;
      return tf.addN([
        mse(run('D_A', fakeB), 1),
        mse(run('D_B', fakeA), 1),
        tf.mul(l1(recA, a), c.lambdaA),
        tf.mul(l1(recB, b), c.lambdaB),
        tf.mul(l1(idtA, b), c.lambdaB * idt),
        tf.mul(l1(idtB, a), c.lambdaA * idt),
      ]) as tf.Scalar;
    },
    varsOf(['G_A', 'G_B']),
  );
  const fakeB = tf.tidy(() => run('G_A', a));
  const fakeA = tf.tidy(() => run('G_B', b));
  const dLoss = (net: CycleGanNetwork, real: tf.Tensor4D, fake: tf.Tensor4D) =>
    tf.variableGrads(
      () => tf.mul(tf.add(mse(run(net, real), 1), mse(run(net, fake), 0)), 0.5) as tf.Scalar,
      varsOf([net]),
    );
  const dA = dLoss('D_A', b, fakeB);
  const dB = dLoss('D_B', a, fakeA);
  tf.dispose([g.value, dA.value, dB.value, fakeA, fakeB]);
  const all = { ...g.grads, ...dA.grads, ...dB.grads };
  const out = new Map<string, tf.Tensor>();
  for (const net of ['G_A', 'G_B', 'D_A', 'D_B'] as const) {
    for (const [name, variable] of params[net]) out.set(`${net}/${name}`, all[variable.name] as tf.Tensor);
  }
  return out;
}

describe('CycleGAN configuration', () => {
  it('uses 6 residual blocks below 256 px and 9 from 256 px unless told', () => {
    expect(cycleGanBlocks({ ...CYCLEGAN_DEFAULTS, size: 128 })).toBe(6);
    expect(cycleGanBlocks({ ...CYCLEGAN_DEFAULTS, size: 256 })).toBe(9);
    expect(cycleGanBlocks({ ...CYCLEGAN_DEFAULTS, size: 256, blocks: 3 })).toBe(3);
  });

  it('builds G_A for A→B, G_B for B→A, D_A for B images and D_B for A images', () => {
    const model = new CycleGan(tiny({ inChannels: 1, outChannels: 3, lambdaIdentity: 0 }), 1, 'shapes');
    const input = (graph: Graph) => graph.nodes.find((n) => n.op === 'input');
    expect(input(model.generators().AtoB)).toMatchObject({ channels: 1 });
    expect(input(model.generators().BtoA)).toMatchObject({ channels: 3 });
    expect(input(model.graphs.D_A)).toMatchObject({ channels: 3 });
    expect(input(model.graphs.D_B)).toMatchObject({ channels: 1 });
    const a = tf.zeros([2, 32, 32, 1]) as tf.Tensor4D;
    const fakeB = model.translateAtoB(a);
    const back = model.translateBtoA(fakeB);
    expect(fakeB.shape).toEqual([2, 32, 32, 3]);
    expect(back.shape).toEqual([2, 32, 32, 1]);
    expect(model.generatorParams().AtoB).toBe(model.params.G_A);
    tf.dispose([a, fakeB, back]);
    model.dispose();
    expect(() => new CycleGan(tiny({ inChannels: 1 }), 1, 'refused')).toThrow(/identity/);
  });

  it('has the reference parameter counts at 128 px (resnet_6blocks, 70×70 PatchGAN, width 64)', () => {
    const graphs = cycleGanGraphs({ ...CYCLEGAN_DEFAULTS, size: 128 });
    const count = (graph: Graph) =>
      paramSpecs(graph).reduce((sum, s) => sum + s.shape.reduce((p, d) => p * d, 1), 0);
    // What the PyTorch peer's resnet_gen(3, 3, 64, 6) and patchgan(3, 64, InstanceNorm2d) hold.
    expect(count(graphs.G_A)).toBe(7_837_699);
    expect(count(graphs.G_B)).toBe(7_837_699);
    expect(count(graphs.D_A)).toBe(2_764_737);
    expect(count(graphs.D_B)).toBe(2_764_737);
  });
});

describe('CycleGAN step', () => {
  it('gives finite losses and changes all four networks', () => {
    const model = new CycleGan(tiny(), 3, 'moves');
    const { a, b } = images(1);
    const before = (['G_A', 'G_B', 'D_A', 'D_B'] as const).map((net) => values(model, net));
    const losses = model.trainStep(a, b);
    expect(Object.keys(losses).sort()).toEqual(
      ['D_A', 'D_B', 'G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B'].sort(),
    );
    for (const value of Object.values(losses)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    (['G_A', 'G_B', 'D_A', 'D_B'] as const).forEach((net, i) => {
      expect(maxDiff(values(model, net), before[i] ?? []), net).toBeGreaterThan(1e-5);
    });
    model.dispose();
    tf.dispose([a, b]);
  });

  it.each([
    ['instance', 0.5],
    ['instance', 0],
    ['batch', 0.5],
  ] as [NormKind, number][])(
    'yields the gradients of separate passes per loss (norm %s, identity %s)',
    (norm, lambdaIdentity) => {
      const model = new CycleGan(tiny({ norm, lambdaIdentity }), 5, `grads-${norm}-${lambdaIdentity}`);
      const { a, b } = images(2);
      const { grads, losses } = model.gradients(a, b);
      const expected = referenceGradients(model, a, b);
      expect(grads.size).toBe(expected.size);
      if (lambdaIdentity === 0) expect([losses.idt_A, losses.idt_B]).toEqual([0, 0]);
      for (const net of ['G_A', 'G_B', 'D_A', 'D_B'] as const) {
        const cancelled = cancelledBiases(model.graphs[net]);
        const scale = Math.max(
          ...[...expected]
            .filter(([n]) => n.startsWith(net))
            .map(([, t]) => tf.max(tf.abs(t)).dataSync()[0] ?? 0),
        );
        for (const name of model.params[net].keys()) {
          const want = expected.get(`${net}/${name}`) as tf.Tensor;
          const got = grads.get(`${net}/${name}`);
          expect(got, name).toBeDefined();
          const diff = tf.max(tf.abs(tf.sub(want, got as tf.Tensor))).dataSync()[0] ?? Infinity;
          const size = tf.max(tf.abs(want)).dataSync()[0] ?? 0;
          if (cancelled.has(name)) {
            expect(Math.max(size, diff) / scale, `${net}/${name}`).toBeLessThan(1e-4);
          } else {
            expect(diff / Math.max(size, 1e-12), `${net}/${name}`).toBeLessThan(1e-4);
          }
        }
      }
      tf.dispose([a, b, ...grads.values(), ...expected.values()]);
      model.dispose();
    },
  );

  it('changes the generators’ update when the identity loss is off', () => {
    const { a, b } = images(3);
    const step = (lambdaIdentity: number) => {
      const model = new CycleGan(tiny({ lambdaIdentity }), 7, `idt-${lambdaIdentity}`);
      const losses = model.trainStep(a, b);
      const out = { losses, G_A: values(model, 'G_A'), G_B: values(model, 'G_B'), D_A: values(model, 'D_A') };
      model.dispose();
      return out;
    };
    const on = step(0.5);
    const off = step(0);
    expect(on.losses.idt_A).toBeGreaterThan(0);
    expect(on.losses.idt_B).toBeGreaterThan(0);
    expect([off.losses.idt_A, off.losses.idt_B]).toEqual([0, 0]);
    expect(off.losses.cycle_A).toBeCloseTo(on.losses.cycle_A, 5);
    expect(maxDiff(on.G_A, off.G_A)).toBeGreaterThan(1e-5);
    expect(maxDiff(on.G_B, off.G_B)).toBeGreaterThan(1e-5);
    tf.dispose([a, b]);
  });

  it('leaks no tensors from step to step once the pools are full, and frees everything', () => {
    const start = tf.memory().numTensors;
    const model = new CycleGan(tiny({ poolSize: 2 }), 9, 'leaks');
    const { a, b } = images(4);
    for (let i = 0; i < 2; i += 1) model.trainStep(a, b);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i += 1) {
      model.trainStep(a, b);
      expect(tf.memory().numTensors).toBe(before);
    }
    const { tensors } = model.poolState();
    tf.dispose(tensors.map((t) => t.tensor));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('resumes bit for bit from its state and its pools (with dropout)', () => {
    const config = tiny({ poolSize: 2, dropout: true });
    const original = new CycleGan(config, 21, 'orig');
    const batches = [1, 2, 3, 4, 5, 6].map((seed) => images(10 + seed));
    for (const { a, b } of batches.slice(0, 4)) original.trainStep(a, b);

    const saved = original.state().map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
    const pools = original.poolState();
    const meta = JSON.parse(JSON.stringify(pools.meta));
    const resumed = new CycleGan(config, 999, 'resumed');
    resumed.restore(saved);
    resumed.restorePools(meta, pools.tensors);
    tf.dispose([...saved, ...pools.tensors].map((t) => t.tensor));

    for (const { a, b } of batches.slice(4)) {
      expect(resumed.trainStep(a, b)).toEqual(original.trainStep(a, b));
    }
    for (const net of ['G_A', 'G_B', 'D_A', 'D_B'] as const) {
      expect(maxDiff(values(resumed, net), values(original, net)), net).toBe(0);
    }
    expect(resumed.poolState().meta).toEqual(original.poolState().meta);
    const names = original.state().map((s) => s.name);
    expect(names).toContain('G_A/conv2.weight');
    expect(names.some((n) => n.startsWith('optD/m/D_B/'))).toBe(true);
    original.dispose();
    resumed.dispose();
    for (const { a, b } of batches) tf.dispose([a, b]);
  });

  it('sets the learning rate of both optimizers', () => {
    const run = (lr: number) => {
      const model = new CycleGan(tiny(), 2, `lr-${lr}`);
      model.setLearningRate(lr);
      const { a, b } = images(6);
      const before = [values(model, 'G_A'), values(model, 'D_B')];
      model.trainStep(a, b);
      const moved = [
        maxDiff(values(model, 'G_A'), before[0] ?? []),
        maxDiff(values(model, 'D_B'), before[1] ?? []),
      ];
      tf.dispose([a, b]);
      model.dispose();
      return moved;
    };
    expect(run(0)).toEqual([0, 0]);
    expect(run(1e-3).every((d) => d > 1e-4)).toBe(true);
  });
});
