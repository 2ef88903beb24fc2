import { describe, expect, it } from 'vitest';
import { flagOutliers, OUTLIER_THRESHOLD } from './outliers';

describe('flagOutliers', () => {
  const typical = [0.1, -0.3, 0.4, 0.0, -0.1, 0.2, 0.3, -0.2, 0.05, -0.05];

  it('flags scores far below the rest, least typical first, and not those far above', () => {
    const result = flagOutliers([...typical, -9, 9, -1]);
    expect(result.map((r) => r.index)).toEqual([10, 12, 1, 7, 4, 9, 3, 8, 0, 5, 6, 2, 11]);
    expect(result.filter((r) => r.outlier).map((r) => r.index)).toEqual([10]);
    expect(result[0]?.score).toBe(-9);
    expect(result.at(-1)?.robustZ).toBeGreaterThan(-OUTLIER_THRESHOLD);
    expect(result.at(-1)?.outlier).toBe(false);
  });

  it('computes modified z-scores 0.6745 (x − median) / MAD', () => {
    const result = flagOutliers([1, 2, 3, 4, 100]);
    const byIndex = new Map(result.map((r) => [r.index, r.robustZ]));
    // median 3, absolute deviations 2 1 0 1 97, MAD 1
    expect(byIndex.get(0)).toBeCloseTo(-2 * 0.6745, 10);
    expect(byIndex.get(4)).toBeCloseTo(97 * 0.6745, 10);
    expect(byIndex.get(2)).toBe(0);
  });

  it('takes a threshold, falls back to the mean deviation when MAD is 0, and handles no spread', () => {
    expect(
      flagOutliers([...typical, -1], -2)
        .filter((r) => r.outlier)
        .map((r) => r.index),
    ).toEqual([10]);
    const tied = flagOutliers([5, 5, 5, 5, 1]);
    expect(tied[0]?.index).toBe(4);
    expect(tied[0]?.robustZ).toBeCloseTo(-4 / (0.8 * 1.2533), 6);
    expect(tied[0]?.outlier).toBe(true);
    expect(flagOutliers([2, 2, 2]).every((r) => r.robustZ === 0 && !r.outlier)).toBe(true);
    expect(flagOutliers([])).toEqual([]);
  });

  it('refuses a non-finite score, naming it', () => {
    expect(() => flagOutliers([1, NaN, 2])).toThrow(/score 1 is NaN/);
    expect(() => flagOutliers([1, -Infinity])).toThrow(/score 1 is -Infinity/);
  });
});
