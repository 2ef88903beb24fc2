import * as tf from '@tensorflow/tfjs';
import { Sfc32, type Sfc32State } from './sfc32';

/** One stored image as plain data: its [1, H, W, C] shape and its values. */
export interface PooledImage {
  shape: number[];
  data: Float32Array;
}

/** Everything an `ImagePool` holds, as plain data; `restore` of it continues bit for bit. */
export interface ImagePoolState {
  size: number;
  random: Sfc32State;
  images: PooledImage[];
}

/**
 * The reference's history of generated images (Shrivastava et al. 2017, CycleGAN's `ImagePool`):
 * the discriminator sees, per image, either the newest fake or, once the pool is full and with
 * probability 0.5, an older one, which the newest then replaces. The pool owns its stored tensors;
 * its random stream is seeded, so a restored pool answers exactly as the original would have.
 */
export class ImagePool {
  private images: tf.Tensor4D[] = [];
  private random: Sfc32;

  constructor(
    readonly size = 50,
    seed = 0,
  ) {
    if (!Number.isInteger(size) || size < 0)
      throw new RangeError(`a pool size is a whole number, got ${size}`);
    this.random = Sfc32.fromSeed(seed);
  }

  /** How many images the pool holds now. */
  get count(): number {
    return this.images.length;
  }

  /**
   * The batch the discriminator should see for these fakes (NHWC), as a new tensor the caller
   * owns. Call it outside any gradient tape: the answer is meant to be a detached copy.
   */
  query(fakes: tf.Tensor4D): tf.Tensor4D {
    if (this.size === 0) return tf.clone(fakes);
    const stored = this.images[0];
    if (stored && stored.shape.slice(1).join() !== fakes.shape.slice(1).join()) {
      throw new Error(`the pool holds images of shape [${stored.shape}], got a batch of [${fakes.shape}]`);
    }
    const retired: tf.Tensor[] = [];
    const answer = tf.tidy(() => {
      const picked: tf.Tensor4D[] = [];
      for (let i = 0; i < fakes.shape[0]; i += 1) {
        const image = tf.slice(fakes, [i, 0, 0, 0], [1, -1, -1, -1]);
        if (this.images.length < this.size) {
          this.images.push(tf.keep(image));
          picked.push(image);
        } else if (this.random.next() > 0.5) {
          const index = this.random.int(this.size);
          const old = this.images[index] as tf.Tensor4D;
          picked.push(old);
          retired.push(old);
          this.images[index] = tf.keep(image);
        } else {
          picked.push(image);
        }
      }
      return tf.concat(picked, 0);
    });
    tf.dispose(retired);
    return answer;
  }

  /** The stored images and the random stream's position, as copies. */
  state(): ImagePoolState {
    return {
      size: this.size,
      random: this.random.state(),
      images: this.images.map((image) => ({
        shape: [...image.shape],
        data: new Float32Array(image.dataSync()),
      })),
    };
  }

  /** Continues from a `state()` of a pool of the same size, replacing what this one holds. */
  restore(state: ImagePoolState): void {
    if (state.size !== this.size)
      throw new Error(`a pool of ${state.size} cannot restore into one of ${this.size}`);
    if (state.images.length > this.size)
      throw new Error(`a pool of ${this.size} cannot hold ${state.images.length} images`);
    const random = Sfc32.fromState(state.random);
    const images = state.images.map(({ shape, data }) => {
      if (shape.length !== 4 || shape[0] !== 1)
        throw new Error(`a pooled image has shape [1, H, W, C], not [${shape}]`);
      return tf.tensor4d(new Float32Array(data), shape as [number, number, number, number]);
    });
    tf.dispose(this.images);
    this.images = images;
    this.random = random;
  }

  /** Frees the stored images. */
  dispose(): void {
    tf.dispose(this.images);
    this.images = [];
  }
}
