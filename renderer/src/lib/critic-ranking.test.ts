import { describe, expect, it } from 'vitest';
import { formatScore, leastTypicalFirst, rankingSummary } from './critic-ranking';

const image = (name: string, score: number, outlier = false) => ({
  path: `/f/${name}`,
  name,
  score,
  outlier,
});

describe('critic ranking', () => {
  it('lists the least typical first, ties by name', () => {
    const sorted = leastTypicalFirst([image('b', 2), image('c', -5, true), image('a', 2), image('d', 0.5)]);
    expect(sorted.map((i) => i.name)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('sums a ranking up in a line', () => {
    const summary = rankingSummary({
      images: [image('a', -9, true), image('b', 1), image('c', 1.5)],
      median: 1,
      failures: [{ path: '/f/x.png', message: 'not an image' }],
      notes: [],
    });
    expect(summary).toBe(
      '3 images ranked · 1 flagged as an outlier · median score 1.00 · 1 could not be read',
    );
    expect(rankingSummary({ images: [image('a', 0)], median: 0, failures: [], notes: [] })).toBe(
      '1 image ranked · 0 flagged as outliers · median score 0.00',
    );
  });

  it('formats scores to three significant digits', () => {
    expect(formatScore(-0.012345)).toBe('-0.0123');
    expect(formatScore(1234.5)).toBe('1235');
    expect(formatScore(Number.NaN)).toBe('NaN');
  });
});
