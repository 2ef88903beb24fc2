import { Sfc32 } from './sfc32';

/**
 * How training holes are drawn: free-form brush strokes as in DeepFill v2 (Yu et al., "Free-Form
 * Image Inpainting with Gated Convolution", ICCV 2019) — a random walk of vertices joined by thick
 * lines with round joints — plus random boxes. Lengths and widths are fractions of the image side,
 * so one design serves every size.
 */
export interface MaskDesign {
  /** Brush strokes per mask: a count drawn uniformly in [min, max]. */
  strokes: [number, number];
  /** Vertices per stroke, in [min, max]. */
  vertices: [number, number];
  /** Brush width as a fraction of the side, in [min, max]. */
  width: [number, number];
  /** Largest length of one stroke segment, as a fraction of the side. */
  maxLength: number;
  /** Largest turn between segments, in radians. */
  maxAngle: number;
  /** Boxes per mask, in [min, max]. */
  boxes: [number, number];
  /** Box side as a fraction of the image side, in [min, max]. */
  boxSize: [number, number];
}

/** Holes that look like quick brush work over an object: a few strokes and sometimes a box. */
export const DEFAULT_MASK_DESIGN: MaskDesign = {
  strokes: [1, 4],
  vertices: [4, 10],
  width: [0.03, 0.09],
  maxLength: 0.16,
  maxAngle: 4,
  boxes: [0, 1],
  boxSize: [0.15, 0.4],
};

/** Why a design cannot be drawn, or undefined when it can. */
export function maskDesignError(design: MaskDesign): string | undefined {
  const ranges: [string, [number, number], number, number][] = [
    ['strokes', design.strokes, 0, 20],
    ['vertices', design.vertices, 1, 30],
    ['width', design.width, 0.001, 0.5],
    ['boxes', design.boxes, 0, 10],
    ['boxSize', design.boxSize, 0.01, 1],
  ];
  for (const [name, [lo, hi], min, max] of ranges) {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo >= min && hi <= max && lo <= hi)) {
      return `${name} must be a range [min, max] with ${min} ≤ min ≤ max ≤ ${max}, got [${lo}, ${hi}].`;
    }
  }
  if (!(design.maxLength > 0 && design.maxLength <= 1))
    return `maxLength must be in (0, 1], got ${design.maxLength}.`;
  if (!(design.maxAngle >= 0 && design.maxAngle <= 2 * Math.PI))
    return `maxAngle must be in [0, 2π], got ${design.maxAngle}.`;
  if (design.strokes[1] === 0 && design.boxes[1] === 0) return 'A design needs strokes or boxes.';
  return undefined;
}

function between(random: Sfc32, [lo, hi]: [number, number]): number {
  return lo + random.next() * (hi - lo);
}

function countBetween(random: Sfc32, [lo, hi]: [number, number]): number {
  return lo + random.int(hi - lo + 1);
}

/** Sets every pixel within `radius` of the segment (ax, ay)–(bx, by). */
function drawSegment(
  mask: Uint8Array,
  size: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  radius: number,
): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
  const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
  const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + radius));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const r2 = radius * radius;
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      const px = x + 0.5 - ax;
      const py = y + 0.5 - ay;
      const t = lengthSq > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSq)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey <= r2) mask[y * size + x] = 1;
    }
  }
}

function drawStroke(mask: Uint8Array, size: number, design: MaskDesign, random: Sfc32): void {
  const vertices = countBetween(random, design.vertices);
  const radius = Math.max(0.5, (between(random, design.width) * size) / 2);
  let x = random.next() * size;
  let y = random.next() * size;
  let heading = random.next() * 2 * Math.PI;
  drawSegment(mask, size, x, y, x, y, radius);
  for (let v = 0; v < vertices; v += 1) {
    heading += (random.next() - 0.5) * design.maxAngle;
    const length = (0.25 + 0.75 * random.next()) * design.maxLength * size;
    const nx = Math.min(size - 1, Math.max(0, x + length * Math.cos(heading)));
    const ny = Math.min(size - 1, Math.max(0, y + length * Math.sin(heading)));
    drawSegment(mask, size, x, y, nx, ny, radius);
    x = nx;
    y = ny;
  }
}

function drawBox(mask: Uint8Array, size: number, design: MaskDesign, random: Sfc32): void {
  const w = Math.max(1, Math.round(between(random, design.boxSize) * size));
  const h = Math.max(1, Math.round(between(random, design.boxSize) * size));
  const left = random.int(Math.max(1, size - w + 1));
  const top = random.int(Math.max(1, size - h + 1));
  for (let y = top; y < Math.min(size, top + h); y += 1)
    mask.fill(1, y * size + left, y * size + Math.min(size, left + w));
}

/**
 * A free-form training hole of `size`², 1 inside the hole and 0 elsewhere. The same seed and
 * design always give the same mask; a mask is never empty (at least one stroke or box).
 */
export function freeFormMask(size: number, design: MaskDesign, seed: number): Uint8Array {
  const problem = maskDesignError(design);
  if (problem) throw new RangeError(problem);
  if (!Number.isInteger(size) || size < 4)
    throw new RangeError(`a mask needs a size of at least 4, got ${size}`);
  const random = Sfc32.fromSeed(seed);
  const mask = new Uint8Array(size * size);
  let strokes = countBetween(random, design.strokes);
  let boxes = countBetween(random, design.boxes);
  if (strokes + boxes === 0) {
    if (design.strokes[1] > 0) strokes = 1;
    else boxes = 1;
  }
  for (let s = 0; s < strokes; s += 1) drawStroke(mask, size, design, random);
  for (let b = 0; b < boxes; b += 1) drawBox(mask, size, design, random);
  return mask;
}

/** The fraction of pixels a mask covers. */
export function holeFraction(mask: ArrayLike<number>): number {
  let covered = 0;
  for (let i = 0; i < mask.length; i += 1) if (mask[i]! > 0) covered += 1;
  return mask.length > 0 ? covered / mask.length : 0;
}
