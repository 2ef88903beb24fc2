import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImagePool } from './image-pool';
import { poolFromCheckpoint, poolToCheckpoint } from './pool-checkpoint';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A batch of `n` 2×2×1 images whose pixels all hold their id: image i of `first` holds first + i. */
function ids(first: number, n = 1): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.ones([n, 2, 2, 1]), tf.reshape(tf.range(first, first + n), [n, 1, 1, 1])));
}

/** The id of each image in a batch answered by the pool. */
function idsOf(batch: tf.Tensor4D): number[] {
  const values = batch.dataSync();
  return Array.from({ length: batch.shape[0] }, (_, i) => values[i * 4] ?? NaN);
}

/** Feeds fakes 0, 1, 2, … one batch at a time and returns the ids answered. */
function feed(pool: ImagePool, batches: number, batchSize = 1, start = 0): number[] {
  const answered: number[] = [];
  for (let i = 0; i < batches; i += 1) {
    const fakes = ids(start + i * batchSize, batchSize);
    const out = pool.query(fakes);
    answered.push(...idsOf(out));
    tf.dispose([fakes, out]);
  }
  return answered;
}

describe('ImagePool', () => {
  it('returns each fake while it fills, then swaps in a stored one about half the time', () => {
    const pool = new ImagePool(5, 3);
    expect(feed(pool, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(pool.count).toBe(5);
    const later = feed(pool, 400, 1, 5);
    const fresh = later.filter((id, i) => id === i + 5).length;
    expect(fresh).toBeGreaterThan(160);
    expect(fresh).toBeLessThan(240);
    // A swapped answer is an older fake, which leaves the pool as it is answered: never twice.
    const swapped = later.filter((id, i) => id !== i + 5);
    later.forEach((id, i) => expect(id).toBeLessThanOrEqual(i + 5));
    expect(new Set(swapped).size).toBe(swapped.length);
    expect(pool.count).toBe(5);
    pool.dispose();
  });

  it('answers per image within a batch, filling before it swaps', () => {
    const pool = new ImagePool(3, 1);
    const answered = feed(pool, 1, 4);
    expect(answered.slice(0, 3)).toEqual([0, 1, 2]);
    expect(pool.count).toBe(3);
    pool.dispose();
  });

  it('passes every fake through with a pool size of 0', () => {
    const pool = new ImagePool(0, 1);
    expect(feed(pool, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pool.count).toBe(0);
    pool.dispose();
  });

  it('gives the same answers for the same seed and others for another seed', () => {
    const run = (seed: number): number[] => {
      const pool = new ImagePool(4, seed);
      const answered = feed(pool, 60);
      pool.dispose();
      return answered;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('restores its state exactly, directly and through a checkpoint split', () => {
    const original = new ImagePool(4, 11);
    feed(original, 9);
    const saved = original.state();
    expect(saved.images).toHaveLength(4);
    expect(saved.images[0]?.data).toBeInstanceOf(Float32Array);
    expect(saved.images[0]?.shape).toEqual([1, 2, 2, 1]);

    const direct = new ImagePool(4, 99);
    direct.restore(saved);
    const { meta, tensors } = poolToCheckpoint('pool/x', saved);
    const throughJson = JSON.parse(JSON.stringify(meta));
    const viaCheckpoint = new ImagePool(4, 5);
    viaCheckpoint.restore(
      poolFromCheckpoint('pool/x', throughJson, new Map(tensors.map((t) => [t.name, t.tensor]))),
    );
    tf.dispose(tensors.map((t) => t.tensor));

    const expected = feed(original, 40, 1, 100);
    expect(feed(direct, 40, 1, 100)).toEqual(expected);
    expect(feed(viaCheckpoint, 40, 1, 100)).toEqual(expected);
    expect(direct.state()).toEqual(original.state());
    for (const pool of [original, direct, viaCheckpoint]) pool.dispose();
  });

  it('round-trips an empty pool and refuses a state of another size', () => {
    const empty = new ImagePool(3, 2);
    const { meta, tensors } = poolToCheckpoint('pool/y', empty.state());
    expect(tensors).toHaveLength(0);
    const restored = poolFromCheckpoint('pool/y', meta, new Map());
    expect(restored.images).toHaveLength(0);
    expect(() => new ImagePool(4, 2).restore(restored)).toThrow(/cannot restore/);
    empty.dispose();
  });

  it('owns its images: no tensors leak once it is full, and dispose frees them', () => {
    const before = tf.memory().numTensors;
    const pool = new ImagePool(3, 4);
    feed(pool, 3);
    expect(tf.memory().numTensors).toBe(before + 3);
    feed(pool, 30, 2, 3);
    expect(tf.memory().numTensors).toBe(before + 3);
    pool.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
