/** Eigenvalues (largest first) and unit eigenvectors (`vectors[j]` belongs to `values[j]`) of a symmetric matrix. */
export interface EigenDecomposition {
  values: number[];
  vectors: Float64Array[];
}

/**
 * The eigen-decomposition of a small symmetric matrix (row-major, n×n) by the cyclic Jacobi
 * method (Golub & Van Loan, Matrix Computations §8.5): plane rotations zero the off-diagonal
 * entries until they vanish against the diagonal. O(n³) per sweep, for the n ≲ 100 this is for.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): EigenDecomposition {
  if (matrix.length !== n * n)
    throw new Error(`a ${n}×${n} matrix has ${n * n} entries, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) v[i * n + i] = 1;
  const at = (i: number, j: number): number => a[i * n + j] as number;
  for (let sweep = 0; sweep < 100; sweep += 1) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i += 1) {
      scale += at(i, i) ** 2;
      for (let j = i + 1; j < n; j += 1) off += at(i, j) ** 2;
    }
    if (off <= 1e-30 * Math.max(scale, 1e-300)) break;
    for (let p = 0; p < n; p += 1) {
      for (let q = p + 1; q < n; q += 1) {
        const apq = at(p, q);
        if (apq === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k += 1) {
          const akp = at(k, p);
          const akq = at(k, q);
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k += 1) {
          const apk = at(p, k);
          const aqk = at(q, k);
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k += 1) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => at(j, j) - at(i, i));
  return {
    values: order.map((i) => at(i, i)),
    vectors: order.map((j) => Float64Array.from({ length: n }, (_, k) => v[k * n + j] as number)),
  };
}
