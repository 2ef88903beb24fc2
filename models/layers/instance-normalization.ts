import * as tf from '@tensorflow/tfjs';
import { normalize } from '../ops';

/** Constructor options of `InstanceNormalization`. */
export interface InstanceNormalizationArgs {
  /** Learn a per-channel scale and shift (PyTorch's `affine`); off by default, as in the reference. */
  affine?: boolean;
  name?: string;
}

/**
 * Instance normalisation (Ulyanov et al. 2016) as a tfjs-layers layer, which tfjs does not ship:
 * each sample's channels are normalised over height and width. Serializable, so models built
 * with it save and load with `model.save` / `tf.loadLayersModel`.
 */
export class InstanceNormalization extends tf.layers.Layer {
  static className = 'InstanceNormalization';
  private readonly affine: boolean;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: InstanceNormalizationArgs = {}) {
    super({ name: args.name });
    this.affine = args.affine ?? false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (this.affine && typeof channels === 'number') {
      this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
      this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => normalize(x, [1, 2], this.gamma?.read(), this.beta?.read()));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), affine: this.affine };
  }
}

tf.serialization.registerClass(InstanceNormalization);
