import * as tf from '@tensorflow/tfjs';
import { Sfc32 } from './sfc32';
import { symmetricEigen } from './symmetric-eigen';

/** The leading principal components of N samples, described by the samples' coordinates on them. */
export interface PrincipalComponents {
  /** `coordinates[j][i]`: sample i's (centred) projection on component j. */
  coordinates: Float64Array[];
  /** The variance along each component (its eigenvalue over N). */
  variances: number[];
  /** Each component's share of the samples' total variance. */
  explainedVarianceRatio: number[];
}

function normals(count: number, seed: number): Float64Array {
  const random = Sfc32.fromSeed(seed);
  return Float64Array.from({ length: count }, () => {
    const u = 1 - random.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  });
}

/** Modified Gram–Schmidt on the columns of a row-major n×m matrix, in place. */
function orthonormalizeColumns(q: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j += 1) {
    for (let p = 0; p < j; p += 1) {
      let dot = 0;
      for (let i = 0; i < n; i += 1) dot += (q[i * m + j] as number) * (q[i * m + p] as number);
      for (let i = 0; i < n; i += 1) q[i * m + j] = (q[i * m + j] as number) - dot * (q[i * m + p] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i += 1) norm += (q[i * m + j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i += 1) q[i * m + j] = (q[i * m + j] as number) / norm;
  }
}

function times(gram: tf.Tensor2D, q: Float64Array, n: number, m: number): Float64Array {
  const product = tf.tidy(() => tf.matMul(gram, tf.tensor2d(Float32Array.from(q), [n, m])));
  const values = Float64Array.from(product.dataSync());
  product.dispose();
  return values;
}

/**
 * PCA of the rows of `features` [N, D] without a D×D covariance: the N×N Gram matrix of the
 * centred rows, its top eigenvectors by subspace iteration with Rayleigh–Ritz (Halko, Martinsson
 * & Tropp 2011, Alg. 4.3/5.3) on tfjs matmuls, and the coordinates √λ·u they give each sample.
 * Deterministic for a seed.
 */
export function principalComponents(
  features: tf.Tensor2D,
  count: number,
  seed: number,
  iterations = 30,
): PrincipalComponents {
  const [n] = features.shape;
  if (!Number.isInteger(count) || count < 1 || count > n - 1) {
    throw new Error(`PCA of ${n} samples gives 1 to ${n - 1} components, asked for ${count}`);
  }
  const [gram, sumOfSquares] = tf.tidy(() => {
    const centred = tf.sub(features, tf.mean(features, 0, true));
    return [tf.matMul(centred, centred, false, true) as tf.Tensor2D, tf.sum(tf.square(centred))];
  });
  try {
    const total = sumOfSquares.dataSync()[0] ?? 0;
    const m = Math.min(n, count + 8);
    let q = normals(n * m, seed);
    orthonormalizeColumns(q, n, m);
    for (let i = 0; i < iterations; i += 1) {
      q = times(gram, q, n, m);
      orthonormalizeColumns(q, n, m);
    }
    const kq = times(gram, q, n, m);
    const small = new Float64Array(m * m);
    for (let a = 0; a < m; a += 1) {
      for (let b = 0; b < m; b += 1) {
        let dot = 0;
        for (let i = 0; i < n; i += 1) dot += (q[i * m + a] as number) * (kq[i * m + b] as number);
        small[a * m + b] = dot;
      }
    }
    for (let a = 0; a < m; a += 1) {
      for (let b = a + 1; b < m; b += 1) {
        const mean = ((small[a * m + b] as number) + (small[b * m + a] as number)) / 2;
        small[a * m + b] = mean;
        small[b * m + a] = mean;
      }
    }
    const { values, vectors } = symmetricEigen(small, m);
    const lambdas = values.slice(0, count).map((value) => Math.max(value, 0));
    const coordinates = vectors.slice(0, count).map((w, j) => {
      const scale = Math.sqrt(lambdas[j] as number);
      return Float64Array.from({ length: n }, (_, i) => {
        let u = 0;
        for (let a = 0; a < m; a += 1) u += (q[i * m + a] as number) * (w[a] as number);
        return scale * u;
      });
    });
    return {
      coordinates,
      variances: lambdas.map((lambda) => lambda / n),
      explainedVarianceRatio: lambdas.map((lambda) => (total > 0 ? lambda / total : 0)),
    };
  } finally {
    tf.dispose([gram, sumOfSquares]);
  }
}
