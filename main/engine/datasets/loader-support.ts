import { StudioError } from '../errors';
import type { Sample } from './preprocess';

/** Samples stacked into one NHWC batch per side. */
export function concat(samples: Sample[]): { a: Float32Array; b: Float32Array } {
  const size = samples[0]!.a.length;
  const a = new Float32Array(size * samples.length);
  const b = new Float32Array(size * samples.length);
  samples.forEach((sample, i) => {
    a.set(sample.a, i * size);
    b.set(sample.b, i * size);
  });
  return { a, b };
}

/** Indices spread evenly over `n` first (`count` of them), then every other index in order. */
export function spreadOrder(n: number, count: number): number[] {
  const picked = new Set<number>();
  for (let i = 0; i < Math.min(n, count); i += 1) picked.add(Math.floor((i * n) / Math.min(n, count)));
  const rest = Array.from({ length: n }, (_, i) => i).filter((i) => !picked.has(i));
  return [...picked, ...rest];
}

/** `value` when it is a positive whole number; otherwise a clear error naming `what`. */
export function positiveInteger(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new StudioError('invalid-payload', `The ${what} must be a positive whole number, got ${value}.`);
  }
  return value;
}
