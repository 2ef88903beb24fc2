import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { Graph } from '../../../models/graph';
import type { WeightValue } from '../../../models/onnx/emit-onnx';
import { runGraph } from '../../../models/run-graph';

/** The largest output difference an export may have between tfjs and ONNX Runtime. */
export const PARITY_TOLERANCE = 1e-4;

/**
 * The fixed inputs every export is checked on, NHWC in [-1, 1]: seeded uniform noise (every
 * pixel independent, the hardest case for padding and alignment) and a smooth colour ramp (a
 * natural-looking image). Generated without tfjs so they are the same on every backend.
 */
export function parityInputs(size: { height: number; width: number }, channels: number): Float32Array[] {
  const { height, width } = size;
  const noise = new Float32Array(height * width * channels);
  let state = 0x9e3779b9;
  for (let i = 0; i < noise.length; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    noise[i] = (state / 2 ** 32) * 2 - 1;
  }
  const ramp = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      for (let c = 0; c < channels; c += 1) {
        ramp[(y * width + x) * channels + c] = Math.sin((x / width) * Math.PI * (c + 1) + (y / height) * 2.3);
      }
    }
  }
  return [noise, ramp];
}

/** Height and width of each input that is not the image size (a latent code's 1×1). */
export type InputSizes = Record<string, { height: number; width: number }>;

/**
 * A tensor for each named input of the graph, built from one NHWC input of the first input's
 * size (an image, or a latent code); other inputs are masks with a centred square hole.
 */
function graphInputs(
  graph: Graph,
  first: Float32Array,
  height: number,
  width: number,
  sizes: InputSizes,
): tf.Tensor4D[] {
  return graph.inputs.map((id, index) => {
    const node = graph.nodes.find((n) => n.id === id);
    const channels = node?.op === 'input' ? node.channels : 0;
    if (index === 0) {
      const own = sizes[id] ?? { height, width };
      return tf.tensor4d(first, [1, own.height, own.width, channels]);
    }
    const mask = new Float32Array(height * width * channels);
    for (let y = Math.floor(height / 4); y < Math.floor((3 * height) / 4); y += 1) {
      for (let x = Math.floor(width / 4); x < Math.floor((3 * width) / 4); x += 1) {
        for (let c = 0; c < channels; c += 1) mask[(y * width + x) * channels + c] = 1;
      }
    }
    return tf.tensor4d(mask, [1, height, width, channels]);
  });
}

/** What the parity check measured. */
export interface ParityFigures {
  /** The largest absolute difference between the tfjs and ONNX Runtime outputs. */
  maxAbs: number;
  /** Max minus min of the tfjs outputs: near zero would make any parity figure meaningless. */
  outputSpan: number;
}

/**
 * Runs the fixed inputs through the graph in tfjs and through an ONNX Runtime session of its
 * export, and compares their outputs. `inputSizes` gives inputs of another size than `size`
 * (a generator's latent code is fed as a 1×1 map of its channels).
 */
export async function checkParity(
  graph: Graph,
  weights: ReadonlyMap<string, WeightValue>,
  session: ort.InferenceSession,
  size: { height: number; width: number },
  inputSizes: InputSizes = {},
): Promise<ParityFigures> {
  const { height, width } = size;
  const params = new Map([...weights].map(([name, w]) => [name, tf.tensor(w.values, [...w.shape])]));
  const firstInput = graph.nodes.find((n) => n.id === graph.inputs[0]);
  const channels = firstInput?.op === 'input' ? firstInput.channels : 3;
  let max = 0;
  let low = Infinity;
  let high = -Infinity;
  try {
    const firstSize = inputSizes[graph.inputs[0] ?? ''] ?? size;
    for (const first of parityInputs(firstSize, channels)) {
      const inputs = graphInputs(graph, first, height, width, inputSizes);
      const expected = tf.tidy(() =>
        tf.transpose(runGraph(graph, params, inputs, { training: false }), [0, 3, 1, 2]),
      );
      const feeds: Record<string, ort.Tensor> = {};
      for (const [index, id] of graph.inputs.entries()) {
        const input = inputs[index] as tf.Tensor4D;
        const nchw = tf.tidy(() => tf.transpose(input, [0, 3, 1, 2]));
        feeds[id] = new ort.Tensor('float32', nchw.dataSync() as Float32Array, nchw.shape);
        nchw.dispose();
      }
      const outputs = await session.run(feeds);
      const actual = Object.values(outputs)[0];
      const want = expected.dataSync();
      const got = actual?.data as Float32Array | undefined;
      if (!got || got.length !== want.length) {
        throw new Error(
          `ONNX Runtime returned ${got?.length ?? 0} values where tfjs returned ${want.length}`,
        );
      }
      for (let i = 0; i < want.length; i += 1) {
        const value = want[i] ?? 0;
        low = Math.min(low, value);
        high = Math.max(high, value);
        const diff = Math.abs(value - (got[i] ?? 0));
        if (!(diff <= max)) max = Number.isNaN(diff) ? Infinity : diff;
      }
      for (const value of Object.values(outputs)) value.dispose();
      tf.dispose([expected, ...inputs]);
    }
  } finally {
    tf.dispose([...params.values()]);
  }
  return { maxAbs: max, outputSpan: high - low };
}
