import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './adam';
import type { ImagePoolState } from './image-pool';
import type { Sfc32State } from './sfc32';

/** The JSON half of a pool's state in a checkpoint; its images travel as one tensor. */
export interface PoolMeta {
  size: number;
  random: Sfc32State;
  count: number;
}

/**
 * Splits a pool's state the way a checkpoint stores it: plain JSON meta, and the images stacked
 * into one [count, H, W, C] tensor named `name` (none while the pool is empty). The caller owns
 * the tensor.
 */
export function poolToCheckpoint(
  name: string,
  state: ImagePoolState,
): { meta: PoolMeta; tensors: NamedTensor[] } {
  const meta: PoolMeta = { size: state.size, random: state.random, count: state.images.length };
  const first = state.images[0];
  if (!first) return { meta, tensors: [] };
  const perImage = first.data.length;
  const data = new Float32Array(perImage * state.images.length);
  state.images.forEach((image, i) => {
    if (image.data.length !== perImage) throw new Error(`pool ${name} holds images of different sizes`);
    data.set(image.data, i * perImage);
  });
  const [, height, width, channels] = first.shape as [number, number, number, number];
  const tensor = tf.tensor4d(data, [state.images.length, height, width, channels]);
  return { meta, tensors: [{ name, tensor }] };
}

/** Joins what `poolToCheckpoint` split back into a pool state. */
export function poolFromCheckpoint(
  name: string,
  meta: PoolMeta,
  byName: ReadonlyMap<string, tf.Tensor>,
): ImagePoolState {
  if (meta.count === 0) return { size: meta.size, random: meta.random, images: [] };
  const tensor = byName.get(name);
  if (!tensor || tensor.rank !== 4 || tensor.shape[0] !== meta.count) {
    throw new Error(`the checkpoint has no ${name} of ${meta.count} images`);
  }
  const [count, height, width, channels] = tensor.shape as [number, number, number, number];
  const values = tensor.dataSync() as Float32Array;
  const perImage = height * width * channels;
  const images = Array.from({ length: count }, (_, i) => ({
    shape: [1, height, width, channels],
    data: values.slice(i * perImage, (i + 1) * perImage),
  }));
  return { size: meta.size, random: meta.random, images };
}
