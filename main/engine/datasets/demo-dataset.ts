import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../errors';
import type { SplitName } from './dataset-report';
import { writePng } from './image-io';
import { mapLimit } from './map-limit';
import { SeededRandom } from './seeded-random';

/** Options for `writeDemoDataset`. */
export interface DemoDatasetOptions {
  /** Number of pairs; 200 unless told. */
  count?: number;
  /** Side of each half in pixels; 128 unless told. */
  size?: number;
  seed?: number;
}

/** Where the demo dataset went and how many pairs each split got. */
export interface DemoDataset {
  root: string;
  counts: Record<SplitName, number>;
}

/** One demo pair as 8-bit RGB, `size`×`size` each. */
export interface DemoPair {
  a: Uint8Array;
  b: Uint8Array;
}

interface Shape {
  distance: (x: number, y: number) => number;
  box: [number, number, number, number];
  color: [number, number, number];
}

type Point = [number, number];

const WRITE_CONCURRENCY = 4;

/**
 * Writes a synthetic paired dataset in the aligned layout (train/, val/, test/, about 80/10/10):
 * A is black outlines of a few circles, rectangles and triangles on white; B is the same shapes
 * filled on a light background, each kind in its own saturated hue (circles red, rectangles
 * blue, triangles green). The same seed gives the same files.
 */
export async function writeDemoDataset(dir: string, options: DemoDatasetOptions = {}): Promise<DemoDataset> {
  const { count = 200, size = 128, seed = 0 } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new StudioError(
      'invalid-payload',
      `The demo dataset needs a positive number of pairs, got ${count}.`,
    );
  }
  if (!Number.isInteger(size) || size < 16) {
    throw new StudioError('invalid-payload', `The demo images must be at least 16 px, got ${size}.`);
  }
  const test = Math.round(count * 0.1);
  const val = Math.round(count * 0.1);
  const counts = { train: count - val - test, val, test };
  for (const split of ['train', 'val', 'test']) await mkdir(join(dir, split), { recursive: true });
  const digits = Math.max(4, String(count).length);
  const indices = Array.from({ length: count }, (_, i) => i);
  await mapLimit(indices, WRITE_CONCURRENCY, async (i) => {
    const split = i < counts.train ? 'train' : i < counts.train + val ? 'val' : 'test';
    const { a, b } = renderDemoPair(size, seed, i);
    const name = `${String(i + 1).padStart(digits, '0')}.png`;
    await writePng(join(dir, split, name), sideBySide(a, b, size), 2 * size, size);
  });
  return { root: dir, counts };
}

/** Renders the demo pair number `index` of `seed`, independently of every other pair. */
export function renderDemoPair(size: number, seed: number, index: number): DemoPair {
  const rng = SeededRandom.fromSeed(seed, index);
  const shapes = Array.from({ length: 2 + rng.int(3) }, () => randomShape(size, rng));
  const line = Math.max(1, size / 64);
  const ink = new Float32Array(size * size).fill(1);
  const light = rng.range(226, 246);
  const background = [0, 1, 2].map(() => light + rng.range(-6, 6));
  const paint = new Float32Array(size * size * 3);
  for (let p = 0; p < size * size; p += 1) {
    for (let c = 0; c < 3; c += 1) paint[p * 3 + c] = background[c]!;
  }
  for (const shape of shapes) {
    const [x0, y0, x1, y1] = shape.box.map((v) => Math.min(size, Math.max(0, Math.round(v))));
    for (let y = y0!; y < y1!; y += 1) {
      for (let x = x0!; x < x1!; x += 1) {
        const d = shape.distance(x + 0.5, y + 0.5);
        const fill = clamp01(0.5 - d);
        const stroke = clamp01(line / 2 + 0.5 - Math.abs(d));
        const p = y * size + x;
        // Later shapes hide the outlines of earlier ones, so A shows only visible edges, like B.
        ink[p] = (ink[p]! * (1 - fill) + fill) * (1 - stroke);
        for (let c = 0; c < 3; c += 1)
          paint[p * 3 + c] = paint[p * 3 + c]! * (1 - fill) + shape.color[c]! * fill;
      }
    }
  }
  const a = new Uint8Array(size * size * 3);
  const b = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p += 1) {
    const v = Math.round(ink[p]! * 255);
    for (let c = 0; c < 3; c += 1) {
      a[p * 3 + c] = v;
      b[p * 3 + c] = Math.round(paint[p * 3 + c]!);
    }
  }
  return { a, b };
}

function randomShape(size: number, rng: SeededRandom): Shape {
  const cx = rng.range(0.2, 0.8) * size;
  const cy = rng.range(0.2, 0.8) * size;
  const r = rng.range(0.12, 0.28) * size;
  const angle = rng.range(0, 2 * Math.PI);
  const kind = rng.int(3);
  const color = saturatedColor(rng, KIND_HUES[kind]!);
  const pad = r * 1.5 + 2;
  const box: Shape['box'] = [cx - pad, cy - pad, cx + pad, cy + pad];
  if (kind === 0) return { distance: (x, y) => Math.hypot(x - cx, y - cy) - r, box, color };
  if (kind === 1) {
    const [hw, hh] = [r * rng.range(0.6, 1), r * rng.range(0.6, 1)];
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    return {
      distance: (x, y) => {
        const [dx, dy] = [x - cx, y - cy];
        const qx = Math.abs(cos * dx + sin * dy) - hw;
        const qy = Math.abs(-sin * dx + cos * dy) - hh;
        return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
      },
      box,
      color,
    };
  }
  const corners = [0, 1, 2].map((k): Point => {
    const theta = angle + (k * 2 * Math.PI) / 3 + rng.range(-0.3, 0.3);
    const radius = r * rng.range(0.85, 1.1);
    return [cx + radius * Math.cos(theta), cy + radius * Math.sin(theta)];
  });
  return { distance: (x, y) => triangleDistance([x, y], corners[0]!, corners[1]!, corners[2]!), box, color };
}

/** Signed distance to a triangle, negative inside (Inigo Quilez's formulation). */
function triangleDistance(p: Point, p0: Point, p1: Point, p2: Point): number {
  const edges: Point[] = [sub(p1, p0), sub(p2, p1), sub(p0, p2)];
  const starts = [p0, p1, p2];
  const orientation = Math.sign(edges[0]![0] * edges[2]![1] - edges[0]![1] * edges[2]![0]);
  let best = Infinity;
  let side = Infinity;
  for (let i = 0; i < 3; i += 1) {
    const e = edges[i]!;
    const v = sub(p, starts[i]!);
    const t = clamp01(dot(v, e) / dot(e, e));
    const q = sub(v, [e[0] * t, e[1] * t]);
    best = Math.min(best, dot(q, q));
    side = Math.min(side, orientation * (v[0] * e[1] - v[1] * e[0]));
  }
  return -Math.sqrt(best) * Math.sign(side);
}

// Each kind of shape has its own hue (circles red, rectangles blue, triangles green, on the 0–6
// hue wheel), so the translation is learnable: the model must tell the shapes apart to colour them.
const KIND_HUES = [0.1, 4.0, 2.0];

function saturatedColor(rng: SeededRandom, hue: number): [number, number, number] {
  const h = (hue + rng.range(-0.35, 0.35) + 6) % 6;
  const s = rng.range(0.7, 1);
  const v = rng.range(0.75, 1) * 255;
  const f = h - Math.floor(h);
  const [p, q, t] = [v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))];
  const sector: [number, number, number][] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return sector[Math.floor(h) % 6]!;
}

function sideBySide(a: Uint8Array, b: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 6);
  for (let y = 0; y < size; y += 1) {
    out.set(a.subarray(y * size * 3, (y + 1) * size * 3), y * size * 6);
    out.set(b.subarray(y * size * 3, (y + 1) * size * 3), y * size * 6 + size * 3);
  }
  return out;
}

function sub(p: Point, q: Point): Point {
  return [p[0] - q[0], p[1] - q[1]];
}

function dot(p: Point, q: Point): number {
  return p[0] * q[0] + p[1] * q[1];
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
