import type { CriticRanking } from '../../../preload/contract';

/** One ranked image. */
export type RankedImage = CriticRanking['images'][number];

/** The images least typical first (lowest critic score), ties by name, as the list shows them. */
export function leastTypicalFirst(images: readonly RankedImage[]): RankedImage[] {
  return [...images].sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
}

/** A one-line summary of a ranking: how many were ranked, flagged and unreadable, and the median. */
export function rankingSummary(ranking: CriticRanking): string {
  const outliers = ranking.images.filter((image) => image.outlier).length;
  const parts = [
    `${ranking.images.length} ${ranking.images.length === 1 ? 'image' : 'images'} ranked`,
    `${outliers} flagged as ${outliers === 1 ? 'an outlier' : 'outliers'}`,
    `median score ${formatScore(ranking.median)}`,
  ];
  if (ranking.failures.length) parts.push(`${ranking.failures.length} could not be read`);
  return parts.join(' · ');
}

/** A critic score with three significant digits. */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  return Math.abs(score) >= 100 ? score.toFixed(0) : score.toPrecision(3);
}
