import { describe, expect, it } from 'vitest';
import { floodRegion } from './flood-fill';

/** A white 5×5 RGBA image with a black ring of pixels at distance 1 from the centre. */
function ring(): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(5 * 5 * 4).fill(255);
  for (let y = 1; y <= 3; y += 1) {
    for (let x = 1; x <= 3; x += 1) {
      if (x === 2 && y === 2) continue;
      rgba.fill(0, (y * 5 + x) * 4, (y * 5 + x) * 4 + 3);
    }
  }
  return rgba;
}

describe('floodRegion', () => {
  it('fills the enclosed pixel only, inside a ring', () => {
    const filled = floodRegion(ring(), 5, 5, 2.5, 2.5)!;
    expect([...filled.region].reduce((a, b) => a + b, 0)).toBe(1);
    expect(filled.rect).toEqual({ x: 2, y: 2, width: 1, height: 1 });
  });

  it('fills the outside around the ring, not through it', () => {
    const filled = floodRegion(ring(), 5, 5, 0, 0)!;
    expect([...filled.region].reduce((a, b) => a + b, 0)).toBe(16);
    expect(filled.rect).toEqual({ x: 0, y: 0, width: 5, height: 5 });
    expect(filled.region[2 * 5 + 2]).toBe(0);
  });

  it('treats near colours as the same within the tolerance', () => {
    const rgba = ring();
    rgba[0] = 240;
    expect([...floodRegion(rgba, 5, 5, 4, 4, 32)!.region].reduce((a, b) => a + b, 0)).toBe(16);
    expect([...floodRegion(rgba, 5, 5, 4, 4, 8)!.region].reduce((a, b) => a + b, 0)).toBe(15);
  });

  it('gives null outside the image', () => {
    expect(floodRegion(ring(), 5, 5, -1, 2)).toBeNull();
    expect(floodRegion(ring(), 5, 5, 2, 5)).toBeNull();
  });
});
