import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installLeanGradients } from '../lean-gradients';
import { registerWasmTrainingKernels } from './index';

/**
 * Test support: makes `name` the active tfjs backend, with the project's wasm kernels and lean gradients installed.
 * Unbundled, the wasm package finds its `.wasm` files next to its own Node entry point, in
 * Vitest as in a plain `node` process; the app sets the path explicitly (main/engine/training).
 */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  registerWasmTrainingKernels();
  installLeanGradients();
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) {
    throw new Error(`tfjs backend '${name}' failed to initialise`);
  }
  await tf.ready();
}

/** Test support: runs `fn` on `backend` and returns every output's values, disposing the tensors. */
export async function valuesOn(
  backend: 'wasm' | 'cpu',
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await useBackend(backend);
  const outputs = tf.tidy(fn);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** Test support: max |a − b| over max |b|, the agreement figure the kernel tests hold to 1e-4. */
export function relativeDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / (scale || 1);
}

/** Test support: deterministic pseudo-random normal values, the same on every backend. */
export function randomValues(shape: number[], seed: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 1) / 4294967297;
  };
  for (let i = 0; i < size; i++) {
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}
