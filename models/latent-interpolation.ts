import * as tf from '@tensorflow/tfjs';

/** How codes between two ends are spaced: along the straight line, or along the great circle. */
export type InterpolationKind = 'linear' | 'spherical';

/** The weights (wa, wb) of the two ends at t ∈ [0, 1]; exactly (1, 0) and (0, 1) at the ends. */
function weights(kind: InterpolationKind, t: number, angle: number): [number, number] {
  if (t === 0) return [1, 0];
  if (t === 1) return [0, 1];
  if (kind === 'linear' || Math.sin(angle) < 1e-6) return [1 - t, t];
  return [Math.sin((1 - t) * angle) / Math.sin(angle), Math.sin(t * angle) / Math.sin(angle)];
}

/**
 * `count` codes from `a` to `b` (both [1, 1, 1, nz]), ends included exactly, as [count, 1, 1, nz].
 * Spherical interpolation follows White 2016 ("Sampling Generative Networks"): the angle between
 * the codes is measured on their directions, which keeps the in-between codes at the norms the
 * Gaussian prior makes typical, where a straight line passes nearer the origin. Parallel codes
 * fall back to the straight line.
 */
export function interpolateCodes(
  a: tf.Tensor4D,
  b: tf.Tensor4D,
  count: number,
  kind: InterpolationKind = 'spherical',
): tf.Tensor4D {
  if (a.shape.length !== 4 || a.shape[0] !== 1 || a.shape.join() !== b.shape.join()) {
    throw new Error(
      `interpolation takes two codes of the same shape [1, 1, 1, nz], got [${a.shape}] and [${b.shape}]`,
    );
  }
  if (!Number.isInteger(count) || count < 2)
    throw new Error(`interpolation needs at least 2 codes, asked for ${count}`);
  const angle =
    kind === 'linear'
      ? 0
      : tf.tidy(() => {
          const cosine = tf.div(tf.sum(tf.mul(a, b)), tf.mul(tf.norm(a), tf.norm(b))).dataSync()[0] ?? 1;
          return Math.acos(Math.min(1, Math.max(-1, Number.isFinite(cosine) ? cosine : 1)));
        });
  return tf.tidy(() => {
    const ts = Array.from({ length: count }, (_, i) => (i === count - 1 ? 1 : i / (count - 1)));
    const pairs = ts.map((t) => weights(kind, t, angle));
    const wa = tf.tensor4d(
      pairs.map(([x]) => x),
      [count, 1, 1, 1],
    );
    const wb = tf.tensor4d(
      pairs.map(([, y]) => y),
      [count, 1, 1, 1],
    );
    return tf.add(tf.mul(a, wa), tf.mul(b, wb)) as tf.Tensor4D;
  });
}
