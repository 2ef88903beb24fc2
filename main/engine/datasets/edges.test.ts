import { describe, expect, it } from 'vitest';
import { detectEdges, gaussianBlur } from './edges';

const SIZE = 32;

function squareImage(): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3).fill(255);
  for (let y = 8; y < 24; y += 1) {
    for (let x = 8; x < 24; x += 1) rgb.set([30, 60, 90], (y * SIZE + x) * 3);
  }
  return rgb;
}

const value = (rgb: Uint8Array, x: number, y: number): number => rgb[(y * SIZE + x) * 3]!;

describe('detectEdges', () => {
  it('draws dark lines along a filled square and leaves flat areas white', () => {
    const edges = detectEdges(squareImage(), SIZE, SIZE);
    expect(edges.length).toBe(SIZE * SIZE * 3);
    for (let p = 0; p < SIZE * SIZE; p += 1) {
      expect(edges[p * 3]).toBe(edges[p * 3 + 1]);
      expect(edges[p * 3]).toBe(edges[p * 3 + 2]);
    }
    const darkNear = (x: number, y: number): boolean =>
      [-1, 0, 1].some((d) => value(edges, x + d, y) < 128 || value(edges, x, y + d) < 128);
    for (let t = 10; t < 22; t += 1) {
      expect(darkNear(8, t)).toBe(true);
      expect(darkNear(23, t)).toBe(true);
      expect(darkNear(t, 8)).toBe(true);
      expect(darkNear(t, 23)).toBe(true);
    }
    for (const [x, y] of [
      [2, 2],
      [29, 29],
      [2, 16],
      [16, 16],
      [14, 18],
    ] as const) {
      expect(value(edges, x, y)).toBeGreaterThan(240);
    }
  });

  it('returns white for a flat image', () => {
    const flat = new Uint8Array(SIZE * SIZE * 3).fill(90);
    expect(detectEdges(flat, SIZE, SIZE).every((v) => v === 255)).toBe(true);
  });

  it('finds fewer edges with a larger threshold below zero', () => {
    const dark = (rgb: Uint8Array): number => rgb.filter((v) => v < 128).length;
    const image = squareImage();
    expect(dark(detectEdges(image, SIZE, SIZE, { epsilon: -0.5 }))).toBe(0);
    expect(dark(detectEdges(image, SIZE, SIZE))).toBeGreaterThan(0);
  });
});

describe('gaussianBlur', () => {
  it('keeps the mean of an image and a flat image flat', () => {
    const src = new Float32Array(16 * 16);
    src[8 * 16 + 8] = 1;
    const blurred = gaussianBlur(src, 16, 16, 1.5);
    expect(blurred.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(blurred[8 * 16 + 8]!).toBeLessThan(0.2);
    const flat = gaussianBlur(new Float32Array(64).fill(0.25), 8, 8, 2);
    for (const v of flat) expect(v).toBeCloseTo(0.25, 6);
  });
});
