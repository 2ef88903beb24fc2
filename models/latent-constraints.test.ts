import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { edgeStrength } from './edge-map';
import { useBackend } from './kernels/test-backends';
import { sampleCodes } from './latent';
import { CONSTRAINT_DEFAULTS, fitConstraints, type Candidate } from './latent-constraints';
import { tinyLatentGan } from './tiny-latent-gan';

beforeAll(async () => {
  await useBackend('wasm');
});

/** A [1, 16, 16, 1] mask of ones on rows/columns [from, to). */
function square(from: number, to: number): tf.Tensor4D {
  return tf.tidy(() =>
    tf.pad(tf.ones([1, to - from, to - from, 1]), [
      [0, 0],
      [from, 16 - to],
      [from, 16 - to],
      [0, 0],
    ]),
  ) as tf.Tensor4D;
}

function solid(rgb: [number, number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.ones([1, 16, 16, 3]), tf.tensor1d(rgb))) as tf.Tensor4D;
}

/** Mean of |values| under a mask's weights (averaged over channels). */
function maskedMeanAbs(values: tf.Tensor4D, mask: tf.Tensor): number {
  return tf.tidy(
    () =>
      tf
        .sum(tf.mul(tf.abs(values), mask))
        .div(tf.sum(mask).mul(values.shape[3]))
        .dataSync()[0] ?? NaN,
  );
}

function disposeCandidates(candidates: Candidate[]): void {
  tf.dispose(candidates.flatMap((c) => [c.code, c.image]));
}

describe('fitConstraints', () => {
  it('moves the pixels under a colour stroke towards its colour, the others far less', () => {
    const model = tinyLatentGan(1, 'color');
    const start = sampleCodes(1, 16, 3);
    const mask = square(4, 9);
    const target = solid([1, -1, -1]);
    const before = tf.memory().numTensors;
    const candidates = fitConstraints(model, start, { color: { target, mask } }, { starts: 1, steps: 30 });
    expect(candidates).toHaveLength(1);
    const [best] = candidates as [Candidate];
    expect(best.origin).toBe('start');
    const [was, now] = tf.tidy(() => [model.sample(start), model.sample(best.code)]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(now, best.image))).dataSync()[0])).toBeLessThan(1e-5);
    const distanceBefore = tf.tidy(() => maskedMeanAbs(tf.sub(was, target), mask));
    const distanceAfter = tf.tidy(() => maskedMeanAbs(tf.sub(now, target), mask));
    expect(distanceAfter).toBeLessThan(0.9 * distanceBefore);
    const towards = (weights: tf.Tensor): number =>
      maskedMeanAbs(tf.sub(was, target), weights) - maskedMeanAbs(tf.sub(now, target), weights);
    const [under, elsewhere] = tf.tidy(() => [towards(mask), towards(tf.sub(1, mask))]);
    expect(under).toBeGreaterThan(0.05);
    expect(under).toBeGreaterThan(2 * elsewhere);
    expect(best.terms.sketch).toBeUndefined();
    expect(best.terms.color).toBeCloseTo(
      tf.tidy(
        () =>
          tf
            .sum(tf.mul(tf.square(tf.sub(now, target)), mask))
            .div(tf.sum(mask).mul(3))
            .dataSync()[0] ?? NaN,
      ),
      4,
    );
    tf.dispose([was, now]);
    disposeCandidates(candidates);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([start, mask, target]);
    model.dispose();
  });

  it('one update with the defaults already brings the best candidate closer to the stroke colour', () => {
    const model = tinyLatentGan(7, 'color-default');
    const start = sampleCodes(1, 16, 8);
    const mask = square(6, 11);
    const target = solid([-0.8, -0.8, 1]);
    const candidates = fitConstraints(model, start, { color: { target, mask } });
    expect(candidates).toHaveLength(CONSTRAINT_DEFAULTS.starts);
    const [best] = candidates as [Candidate];
    const was = tf.tidy(() => model.sample(start));
    const distance = (image: tf.Tensor4D): number =>
      tf.tidy(() => maskedMeanAbs(tf.sub(image, target), mask));
    expect(distance(best.image)).toBeLessThan(0.95 * distance(was));
    tf.dispose([was, start, mask, target]);
    disposeCandidates(candidates);
    model.dispose();
  });

  it('optimises several starts in one batch, sorted best first, the same for the same seed', () => {
    const model = tinyLatentGan(2, 'starts');
    const start = sampleCodes(1, 16, 4);
    const mask = square(2, 8);
    const target = solid([-1, 1, -1]);
    const options = { starts: 5, steps: 10, seed: 7 };
    const losses: Float32Array[] = [];
    const first = fitConstraints(
      model,
      start,
      { color: { target, mask } },
      { ...options, onStep: (_, l) => losses.push(l) },
    );
    const second = fitConstraints(model, start, { color: { target, mask } }, options);
    expect(first.map((c) => c.origin).sort()).toEqual(['perturbed', 'perturbed', 'prior', 'prior', 'start']);
    expect(first.map((c) => c.loss)).toEqual([...first.map((c) => c.loss)].sort((a, b) => a - b));
    expect(losses).toHaveLength(11);
    expect(Math.min(...(losses[10] ?? []))).toBeCloseTo(first[0]?.loss ?? NaN, 5);
    expect(second.map((c) => c.loss)).toEqual(first.map((c) => c.loss));
    expect(second[0]?.code.dataSync()).toEqual(first[0]?.code.dataSync());
    const codes = new Set(first.map((c) => c.code.dataSync().join()));
    expect(codes.size).toBe(5);
    for (const c of first)
      expect(c.loss).toBeCloseTo((c.terms.color ?? NaN) + CONSTRAINT_DEFAULTS.priorWeight * c.terms.prior, 5);
    disposeCandidates([...first, ...second]);
    tf.dispose([start, mask, target]);
    model.dispose();
  });

  it('raises the edge strength under a sketch stroke', () => {
    const model = tinyLatentGan(3, 'sketch');
    const start = sampleCodes(1, 16, 5);
    const mask = tf.tidy(() => tf.sub(square(3, 13), square(4, 12))) as tf.Tensor4D;
    const candidates = fitConstraints(model, start, { sketch: { mask } }, { starts: 1, steps: 30 });
    const [best] = candidates as [Candidate];
    const [was, now] = tf.tidy(() => [
      edgeStrength(model.sample(start)),
      edgeStrength(model.sample(best.code)),
    ]);
    expect(maskedMeanAbs(now, mask)).toBeGreaterThan(maskedMeanAbs(was, mask) + 0.05);
    expect(best.terms.sketch).toBeCloseTo(1 - maskedMeanAbs(now, mask), 4);
    expect(best.terms.color).toBeUndefined();
    tf.dispose([was, now, start, mask]);
    disposeCandidates(candidates);
    model.dispose();
  });

  it('sums colour, sketch and prior terms when both strokes are given', () => {
    const model = tinyLatentGan(4, 'both');
    const start = sampleCodes(1, 16, 6);
    const mask = square(5, 10);
    const target = solid([1, 1, 1]);
    const candidates = fitConstraints(
      model,
      start,
      { color: { target, mask }, sketch: { mask } },
      { starts: 2, steps: 3, priorWeight: 0.2 },
    );
    for (const c of candidates) {
      expect(c.terms.color).toBeGreaterThan(0);
      expect(c.terms.sketch).toBeGreaterThan(0);
      expect(c.loss).toBeCloseTo((c.terms.color ?? NaN) + (c.terms.sketch ?? NaN) + 0.2 * c.terms.prior, 5);
    }
    disposeCandidates(candidates);
    tf.dispose([start, mask, target]);
    model.dispose();
  });

  it('refuses no constraint, masks and targets of the wrong size, empty or out-of-range masks, a wrong code', () => {
    const model = tinyLatentGan(5, 'bad');
    const start = sampleCodes(1, 16, 1);
    const mask = square(2, 6);
    const target = solid([0, 0, 0]);
    const big = tf.zeros([1, 32, 32, 1]) as tf.Tensor4D;
    const empty = tf.zeros([1, 16, 16, 1]) as tf.Tensor4D;
    const loud = tf.mul(mask, 2) as tf.Tensor4D;
    const wrongCode = sampleCodes(2, 16, 1);
    const fit =
      (c: Parameters<typeof fitConstraints>[2], z = start) =>
      () =>
        fitConstraints(model, z, c, { steps: 1 });
    const before = tf.memory().numTensors;
    expect(fit({})).toThrow(/no constraint/);
    expect(fit({ sketch: { mask: big } })).toThrow(/sketch mask must be \[1, 16, 16, 1\].*\[1,32,32,1\]/);
    expect(fit({ color: { target, mask: big } })).toThrow(/colour mask must be \[1, 16, 16, 1\]/);
    expect(fit({ color: { target: big, mask } })).toThrow(/colour target must be \[1, 16, 16, 3\]/);
    expect(fit({ sketch: { mask: empty } })).toThrow(/sketch mask has no painted pixel/);
    expect(fit({ color: { target, mask: loud } })).toThrow(/\[0, 1\].*0 to 2/);
    expect(fit({ sketch: { mask } }, wrongCode)).toThrow(/start code must be \[1, 1, 1, 16\]/);
    expect(() => fitConstraints(model, start, { sketch: { mask } }, { starts: 0 })).toThrow(/starts/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([start, mask, target, big, empty, loud, wrongCode]);
    model.dispose();
  });

  it('takes gradients with respect to the codes only, never the generator weights', async () => {
    const model = tinyLatentGan(6, 'lean');
    const start = sampleCodes(1, 16, 2);
    const mask = square(4, 12);
    let candidates: Candidate[] = [];
    const profile = await tf.profile(() => {
      candidates = fitConstraints(model, start, { sketch: { mask } }, { starts: 2, steps: 1 });
    });
    const kernels = new Set(profile.kernels.map((k) => k.name));
    expect(kernels).toContain('Conv2DBackpropInput');
    expect(kernels).toContain('Conv2D');
    expect(kernels).not.toContain('Conv2DBackpropFilter');
    disposeCandidates(candidates);
    tf.dispose([start, mask]);
    model.dispose();
  });
});

describe('edgeStrength', () => {
  it('is high on a luminance step, near zero on flat regions, in [0, 1)', () => {
    const edges = tf.tidy(() => {
      const left = tf.fill([1, 16, 8, 3], -1);
      const right = tf.fill([1, 16, 8, 3], 1);
      return edgeStrength(tf.concat([left, right], 2) as tf.Tensor4D);
    });
    const values = edges.dataSync();
    expect(edges.shape).toEqual([1, 16, 16, 1]);
    expect(values[8 * 16 + 8]).toBeGreaterThan(0.99);
    expect(values[8 * 16 + 7]).toBeGreaterThan(0.99);
    expect(values[8 * 16 + 2]).toBeLessThan(0.01);
    expect(values[8 * 16 + 13]).toBeLessThan(0.01);
    expect(Math.max(...values)).toBeLessThan(1.0001);
    edges.dispose();
  });
});
