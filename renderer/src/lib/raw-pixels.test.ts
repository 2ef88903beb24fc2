import { describe, expect, it } from 'vitest';
import { rawToRgba, rgbaToRaw } from './raw-pixels';

describe('raw pixels', () => {
  it('sends RGBA as it is, RGB without alpha, or one BT.601 gray channel for a gray model', () => {
    const rgba = Uint8ClampedArray.from([255, 0, 0, 255, 10, 20, 30, 128]);
    const all = rgbaToRaw(rgba, 2, 1, 4);
    expect(all).toMatchObject({ width: 2, height: 1, channels: 4 });
    expect([...all.data]).toEqual([...rgba]);
    const rgb = rgbaToRaw(rgba, 2, 1, 3);
    expect(rgb).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect([...rgb.data]).toEqual([255, 0, 0, 10, 20, 30]);
    const gray = rgbaToRaw(rgba, 2, 1, 1);
    expect(gray).toMatchObject({ width: 2, height: 1, channels: 1 });
    expect([...gray.data]).toEqual([76, 18]);
  });

  it('spreads a gray or RGB result to opaque RGBA, and names a result of the wrong length', () => {
    const rgb = { width: 2, height: 1, channels: 3 as const, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect([...rawToRgba(rgb)]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    const gray = { width: 2, height: 1, channels: 1 as const, data: Uint8Array.from([9, 200]) };
    expect([...rawToRgba(gray)]).toEqual([9, 9, 9, 255, 200, 200, 200, 255]);
    expect(() => rawToRgba({ ...rgb, width: 3 })).toThrow(
      'The result holds 6 bytes, but 3×1 pixels of 3 channels need 9.',
    );
  });
});
