import { describe, expect, it } from 'vitest';
import { percentile, StrokeLatency } from './stroke-latency';

describe('StrokeLatency', () => {
  it('times a stroke to the first result that includes it', () => {
    const latency = new StrokeLatency();
    latency.strokeEnded(3, 100);
    expect(latency.resultDrawn(2, 150)).toBeNull();
    expect(latency.resultDrawn(4, 230)).toBe(130);
    expect(latency.resultDrawn(5, 300)).toBeNull();
    expect(latency.all).toEqual([130]);
  });

  it('times every stroke a result includes and keeps only the newest figures', () => {
    const latency = new StrokeLatency(3);
    latency.strokeEnded(1, 0);
    latency.strokeEnded(2, 10);
    expect(latency.resultDrawn(2, 50)).toBe(40);
    latency.strokeEnded(3, 60);
    latency.strokeEnded(4, 70);
    latency.resultDrawn(4, 100);
    expect(latency.all).toEqual([40, 40, 30]);
  });

  it('forgets waiting strokes when dropped', () => {
    const latency = new StrokeLatency();
    latency.strokeEnded(1, 0);
    latency.drop();
    expect(latency.resultDrawn(1, 10)).toBeNull();
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(values, 0.95)).toBe(19);
    expect(percentile(values, 0.5)).toBe(10);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBeNull();
  });
});
