import * as tf from '@tensorflow/tfjs';
import { reflectPad } from '../ops';

/** Constructor options of `ReflectionPadding2D`. */
export interface ReflectionPadding2DArgs {
  padding: number;
  name?: string;
}

/**
 * Reflection padding of height and width (PyTorch's ReflectionPad2d) as a tfjs-layers layer,
 * which tfjs does not ship. Serializable like any built-in layer.
 */
export class ReflectionPadding2D extends tf.layers.Layer {
  static className = 'ReflectionPadding2D';
  private readonly padding: number;

  constructor(args: ReflectionPadding2DArgs) {
    super({ name: args.name });
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const grow = (d: number | null | undefined): number | null =>
      typeof d === 'number' ? d + 2 * this.padding : null;
    return [n ?? null, grow(h), grow(w), c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return reflectPad(x, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}

tf.serialization.registerClass(ReflectionPadding2D);
