import { describe, expect, it } from 'vitest';
import { hintPixels, hintSide } from './hint-points';

/** The RGBA of one pixel. */
function pixel(data: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const o = (y * width + x) * 4;
  return Array.from(data.slice(o, o + 4));
}

describe('hint points', () => {
  it('sizes a hint at about 1/32 of the page side, at least 1 px', () => {
    expect(hintSide(64, 64)).toBe(2);
    expect(hintSide(256, 128)).toBe(4);
    expect(hintSide(512, 512)).toBe(16);
    expect(hintSide(16, 16)).toBe(1);
  });

  it('is all transparent without hints', () => {
    const data = hintPixels([], 8, 4);
    expect(data.length).toBe(8 * 4 * 4);
    expect(data.every((v) => v === 0)).toBe(true);
  });

  it('paints an opaque square of the colour centred on the point', () => {
    const width = 128;
    const data = hintPixels([{ x: 10.7, y: 20.2, color: '#ff8000' }], width, 128);
    let opaque = 0;
    for (let o = 3; o < data.length; o += 4) if (data[o] === 255) opaque += 1;
    expect(opaque).toBe(16);
    for (const [x, y] of [
      [9, 19],
      [12, 22],
    ])
      expect(pixel(data, width, x!, y!)).toEqual([255, 128, 0, 255]);
    expect(pixel(data, width, 8, 20)).toEqual([0, 0, 0, 0]);
    expect(pixel(data, width, 13, 20)).toEqual([0, 0, 0, 0]);
  });

  it('clips at the edges, and a later hint covers an earlier one', () => {
    const data = hintPixels(
      [
        { x: 0, y: 0, color: '#112233' },
        { x: 0, y: 0, color: '#00ff00' },
        { x: 63, y: 63, color: '#0000ff' },
      ],
      64,
      64,
    );
    expect(pixel(data, 64, 0, 0)).toEqual([0, 255, 0, 255]);
    expect(pixel(data, 64, 63, 63)).toEqual([0, 0, 255, 255]);
    expect(pixel(data, 64, 62, 63)).toEqual([0, 0, 0, 0]);
    expect(pixel(data, 64, 1, 1)).toEqual([0, 255, 0, 255]);
    expect(pixel(data, 64, 2, 0)).toEqual([0, 0, 0, 0]);
  });

  it('fills a single pixel on a tiny page', () => {
    const data = hintPixels([{ x: 2, y: 1, color: '#ffffff' }], 4, 4);
    expect(pixel(data, 4, 2, 1)).toEqual([255, 255, 255, 255]);
    expect(data.filter((v) => v !== 0).length).toBe(4);
  });
});
