/** A point of a metric series: [step, value]. */
export type Point = [number, number];

/** A numeric interval, `min` < `max` unless both came from one value. */
export interface Extent {
  min: number;
  max: number;
}

/** The extent of the finite values at `index` (0: step, 1: value) of all points, widened if flat. */
export function extentOf(series: Point[][], index: 0 | 1, pad = 0): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  for (const points of series) {
    for (const point of points) {
      const v = point[index];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) return null;
  if (min === max) {
    const spread = Math.abs(min) * 0.1 || 1;
    return index === 0 ? { min, max: min + 1 } : { min: min - spread, max: max + spread };
  }
  const margin = (max - min) * pad;
  return { min: min - margin, max: max + margin };
}

/** About `count` round tick values inside `extent` (1, 2 or 5 times a power of ten apart), at least two. */
export function niceTicks(extent: Extent, count: number): number[] {
  const raw = (extent.max - extent.min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10].map((m) => m * power);
  let index = steps.findIndex((s) => s >= raw);
  if (index < 0) index = steps.length - 1;
  let ticks = ticksAt(extent, steps[index]!);
  while (ticks.length < 2 && index > 0) ticks = ticksAt(extent, steps[--index]!);
  return ticks;
}

function ticksAt(extent: Extent, step: number): number[] {
  const ticks: number[] = [];
  for (let i = Math.ceil(extent.min / step); i * step <= extent.max + step * 1e-9; i += 1)
    ticks.push(i * step);
  return ticks.map((v) => (Math.abs(v) < step * 1e-9 ? 0 : v));
}

/** Formats the ticks of `niceTicks` with just enough decimals to tell them apart. */
export function tickFormatter(ticks: number[]): (value: number) => string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : Math.abs(ticks[0] ?? 1) || 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const large = ticks.some((t) => Math.abs(t) >= 1e5);
  return (value) => (large ? value.toExponential(1) : value.toFixed(decimals));
}

/** At most `max` points of a series, evenly spaced, always keeping the last one. */
export function decimate(points: Point[], max: number): Point[] {
  if (points.length <= max) return points;
  const stride = points.length / max;
  const out: Point[] = [];
  for (let i = 0; i < max - 1; i += 1) out.push(points[Math.floor(i * stride)]!);
  out.push(points[points.length - 1]!);
  return out;
}

/** An SVG path through the finite points, broken where a value is not finite. */
export function linePath(points: Point[], x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const [step, value] of points) {
    if (!Number.isFinite(value)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(step).toFixed(1)},${y(value).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** The point of `points` whose step is nearest to `step`, or null for an empty series. */
export function nearest(points: Point[], step: number): Point | null {
  let best: Point | null = null;
  for (const point of points) {
    if (!best || Math.abs(point[0] - step) < Math.abs(best[0] - step)) best = point;
  }
  return best;
}
