import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InstanceNormalization } from './instance-normalization';
import { ReflectionPadding2D } from './reflection-padding';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function model(affine: boolean): tf.LayersModel {
  const input = tf.input({ shape: [6, 5, 3] });
  const padded = new ReflectionPadding2D({ padding: 2 }).apply(input) as tf.SymbolicTensor;
  const normed = new InstanceNormalization({ affine }).apply(padded) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: normed });
}

describe('custom layers', () => {
  it('reflect without repeating the edge, as PyTorch does', () => {
    const x = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]);
    const layer = new ReflectionPadding2D({ padding: 2 });
    const y = layer.apply(tf.tile(x, [1, 3, 1, 1])) as tf.Tensor;
    expect(y.shape).toEqual([1, 7, 7, 1]);
    expect((y.arraySync() as number[][][][])[0]?.[0]?.map((v) => v[0])).toEqual([3, 2, 1, 2, 3, 2, 1]);
  });

  it('normalise each sample and channel to mean 0 and variance 1', () => {
    const x = tf.randomNormal([2, 8, 8, 4], 3, 2, 'float32', 1);
    const y = new InstanceNormalization().apply(x) as tf.Tensor;
    const { mean, variance } = tf.moments(y, [1, 2]);
    expect(Math.max(...Array.from(tf.abs(mean).dataSync()))).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(tf.abs(tf.sub(variance, 1)).dataSync()))).toBeLessThan(1e-3);
  });

  it.each([false, true])(
    'survive a save/load round trip (affine %s) with the same outputs',
    async (affine) => {
      const original = model(affine);
      const x = tf.randomNormal([1, 6, 5, 3], 0, 1, 'float32', 2);
      const saved: tf.io.ModelArtifacts[] = [];
      await original.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved.push(artifacts);
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved[0] as tf.io.ModelArtifacts));
      const a = original.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(b.shape).toEqual([1, 10, 9, 3]);
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
      expect(loaded.layers.map((l) => l.getClassName())).toEqual([
        'InputLayer',
        'ReflectionPadding2D',
        'InstanceNormalization',
      ]);
      expect(loaded.countParams()).toBe(affine ? 6 : 0);
    },
  );
});
