/** How many stroke-end → result figures the canvas keeps. */
export const LATENCY_KEEP = 50;

/** The value below which `fraction` of `values` lie (nearest rank); null when there are none. */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Times each stroke from its end (pointer up) to the first result drawn that includes it: a
 * result of the drawing at revision R includes every stroke that ended at R or before.
 */
export class StrokeLatency {
  private waiting: { revision: number; at: number }[] = [];
  private figures: number[] = [];

  constructor(private readonly keep = LATENCY_KEEP) {}

  /** A stroke ended at `at` (ms) with the drawing at `revision`. */
  strokeEnded(revision: number, at: number): void {
    this.waiting.push({ revision, at });
  }

  /** A result of the drawing at `revision` was drawn at `at`; returns the newest figure, if any. */
  resultDrawn(revision: number, at: number): number | null {
    let newest: number | null = null;
    this.waiting = this.waiting.filter((stroke) => {
      if (stroke.revision > revision) return true;
      newest = at - stroke.at;
      this.figures.push(newest);
      return false;
    });
    if (this.figures.length > this.keep) this.figures.splice(0, this.figures.length - this.keep);
    return newest;
  }

  /** Forgets strokes still waiting (the page or model changed under them). */
  drop(): void {
    this.waiting = [];
  }

  /** The kept figures, oldest first. */
  get all(): readonly number[] {
    return this.figures;
  }
}
