import { paramSpecs, type Graph } from '../../models/graph';
import type { WeightValue } from '../../models/onnx/emit-onnx';

/**
 * Seeded weights for a graph, uniform and scaled by fan-in so activations keep about their size
 * through deep stacks, with or without normalisation: outputs then span much of tanh's range,
 * which makes parity figures meaningful.
 */
export function randomWeights(graph: Graph, seed = 1): Map<string, WeightValue> {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const weights = new Map<string, WeightValue>();
  for (const spec of paramSpecs(graph)) {
    const values = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    const [kh = 1, kw = 1, a = 1] = spec.shape;
    const fanIn = spec.shape.length === 4 ? kh * kw * a : 1;
    const scale = spec.shape.length === 4 ? Math.sqrt(3 / fanIn) : spec.init === 'gamma' ? 0.5 : 0.2;
    for (let i = 0; i < values.length; i += 1) {
      values[i] = (spec.init === 'gamma' ? 1 : 0) + (uniform() * 2 - 1) * scale;
    }
    weights.set(spec.name, { shape: spec.shape, values });
  }
  return weights;
}
