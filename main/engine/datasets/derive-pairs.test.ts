import { describe, expect, it } from 'vitest';
import { derivePair } from './derive-pairs';
import { detectEdges } from './edges';

describe('derivePair', () => {
  it('gray2color gives the luma in all three channels', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 200, 200]);
    const a = derivePair('gray2color', rgb, 2, 2);
    expect([...a]).toEqual([76, 76, 76, 150, 150, 150, 29, 29, 29, 200, 200, 200]);
  });

  it('edges2photo gives the sketch of the photo', () => {
    const rgb = new Uint8Array(16 * 16 * 3).fill(255);
    for (let y = 4; y < 12; y += 1) rgb.fill(0, (y * 16 + 4) * 3, (y * 16 + 12) * 3);
    const a = derivePair('edges2photo', rgb, 16, 16);
    expect(a).toEqual(detectEdges(rgb, 16, 16));
    expect(a.some((v) => v < 128)).toBe(true);
  });
});
