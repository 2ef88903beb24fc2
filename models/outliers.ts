/** One scored item's place among the rest. */
export interface OutlierScore {
  /** Its position in the scores given. */
  index: number;
  score: number;
  /** 0.6745 · (score − median) / MAD: about a standard deviation's unit when the scores are normal. */
  robustZ: number;
  /** `robustZ` below the threshold: much less typical than the rest. */
  outlier: boolean;
}

/** Iglewicz & Hoaglin's cut-off for modified z-scores, on the low side only (a low critic score is atypical). */
export const OUTLIER_THRESHOLD = -3.5;

/** The median of a list of numbers (NaN for an empty one). */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1
    ? (sorted[Math.floor(middle)] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Flags the items a critic finds least typical (higher score = more like the training set) by
 * modified z-scores (Iglewicz & Hoaglin 1993): the median and the median absolute deviation
 * (MAD) resist the outliers they look for, where a mean and standard deviation would be pulled
 * towards them. With MAD 0 (over half the scores equal) the mean absolute deviation scaled to
 * match (× 1.2533) takes its place; with that 0 too, every robust z is 0.
 * Returns every item, least typical first.
 */
export function flagOutliers(scores: readonly number[], threshold = OUTLIER_THRESHOLD): OutlierScore[] {
  const bad = scores.findIndex((s) => !Number.isFinite(s));
  if (bad >= 0) throw new Error(`score ${bad} is ${scores[bad]}: the critic gave a non-finite score`);
  if (scores.length === 0) return [];
  const centre = medianOf(scores);
  const deviations = scores.map((s) => Math.abs(s - centre));
  const mad = medianOf(deviations);
  const meanDeviation = deviations.reduce((a, b) => a + b, 0) / scores.length;
  const spread = mad > 0 ? mad / 0.6745 : meanDeviation * 1.2533;
  return scores
    .map((score, index) => {
      const robustZ = spread > 0 ? (score - centre) / spread : 0;
      return { index, score, robustZ, outlier: robustZ < threshold };
    })
    .sort((a, b) => a.robustZ - b.robustZ || a.index - b.index);
}
