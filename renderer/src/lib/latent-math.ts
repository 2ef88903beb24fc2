/** How the editor walks from one latent code to another: in a straight line, or along the great circle. */
export type Interpolation = 'linear' | 'spherical';

/** The in-between images an interpolation strip shows, the two ends included. */
export const STRIP_STEPS = 8;

function sameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) {
    throw new Error(`The codes have ${a.length} and ${b.length} numbers; both must come from one generator.`);
  }
}

/** The dot product of two codes of one length. */
export function dot(a: readonly number[], b: readonly number[]): number {
  sameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** The Euclidean length of a code. */
export function norm(code: readonly number[]): number {
  return Math.sqrt(dot(code, code));
}

/** `code + amount × vector`, a new code. */
export function addScaled(code: readonly number[], vector: readonly number[], amount: number): number[] {
  sameLength(code, vector);
  return code.map((value, i) => value + amount * vector[i]!);
}

/** `a − b`, a new vector. */
export function subtract(a: readonly number[], b: readonly number[]): number[] {
  return addScaled(a, b, -1);
}

/** The point a fraction `t` of the way from `a` to `b` along the straight line. */
export function lerpCode(a: readonly number[], b: readonly number[], t: number): number[] {
  sameLength(a, b);
  return a.map((value, i) => value + t * (b[i]! - value));
}

/**
 * The point a fraction `t` of the way from `a` to `b` along the great circle between them
 * (White, "Sampling Generative Networks", 2016): codes drawn from a Gaussian prior lie near a
 * sphere, and the straight line between two of them passes through codes of improbably small
 * length. Falls back to the straight line when either code is zero or the two are (anti)parallel.
 */
export function slerpCode(a: readonly number[], b: readonly number[], t: number): number[] {
  const lengths = norm(a) * norm(b);
  if (lengths === 0) return lerpCode(a, b, t);
  const cosine = Math.min(1, Math.max(-1, dot(a, b) / lengths));
  const omega = Math.acos(cosine);
  const sine = Math.sin(omega);
  if (sine < 1e-6) return lerpCode(a, b, t);
  const wa = Math.sin((1 - t) * omega) / sine;
  const wb = Math.sin(t * omega) / sine;
  return a.map((value, i) => wa * value + wb * b[i]!);
}

/** The point a fraction `t` of the way from `a` to `b`, linearly or spherically. */
export function interpolateCode(
  a: readonly number[],
  b: readonly number[],
  t: number,
  mode: Interpolation,
): number[] {
  return mode === 'spherical' ? slerpCode(a, b, t) : lerpCode(a, b, t);
}

/** `count` fractions spread evenly over [0, 1], both ends included (one step is just 0). */
export function stripFractions(count = STRIP_STEPS): number[] {
  if (count <= 1) return [0];
  return Array.from({ length: count }, (_, i) => i / (count - 1));
}

/** Whether every number of the vector is zero (a direction it cannot save). */
export function isZero(vector: readonly number[]): boolean {
  return vector.every((value) => value === 0);
}

/** Whether two codes hold the same numbers. */
export function sameCode(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
