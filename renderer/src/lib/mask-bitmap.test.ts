import { describe, expect, it } from 'vitest';
import {
  emptyMask,
  invertMask,
  maskArea,
  maskFromRgba,
  maskToRgba,
  packMask,
  paintOverlay,
  paintSegment,
  unionRect,
  unpackInto,
} from './mask-bitmap';

describe('mask bitmaps', () => {
  it('paint a round brush along a segment and report the pixels touched', () => {
    const mask = emptyMask(40, 20);
    const rect = paintSegment(mask, { x: 10, y: 10 }, { x: 30, y: 10 }, 6, 1);
    expect(rect).toEqual({ x: 7, y: 7, width: 27, height: 7 });
    expect(mask.data[10 * 40 + 20]).toBe(1);
    expect(mask.data[10 * 40 + 5]).toBe(0);
    expect(mask.data[3 * 40 + 20]).toBe(0);
    // A capsule 20 long and 6 wide: about 20·6 + π·3².
    expect(maskArea(mask)).toBeGreaterThan(130);
    expect(maskArea(mask)).toBeLessThan(160);
  });

  it('erase with value 0, and a 1-pixel brush still marks the pixel under the pointer', () => {
    const mask = emptyMask(8, 8);
    paintSegment(mask, { x: 3.5, y: 3.5 }, { x: 3.5, y: 3.5 }, 1, 1);
    expect(maskArea(mask)).toBeGreaterThanOrEqual(1);
    expect(mask.data[3 * 8 + 3]).toBe(1);
    paintSegment(mask, { x: 0, y: 0 }, { x: 8, y: 8 }, 4, 0);
    expect(maskArea(mask)).toBe(0);
  });

  it('clip strokes to the image and report nothing for one wholly outside', () => {
    const mask = emptyMask(10, 10);
    expect(paintSegment(mask, { x: -50, y: -50 }, { x: -40, y: -40 }, 4, 1)).toBeNull();
    const rect = paintSegment(mask, { x: -2, y: 5 }, { x: 3, y: 5 }, 4, 1);
    expect(rect?.x).toBe(0);
    expect(maskArea(mask)).toBeGreaterThan(0);
  });

  it('invert, pack and unpack exactly', () => {
    const mask = emptyMask(13, 7);
    paintSegment(mask, { x: 2, y: 2 }, { x: 9, y: 5 }, 3, 1);
    const area = maskArea(mask);
    const packed = packMask(mask);
    expect(packed.length).toBe(Math.ceil((13 * 7) / 8));
    invertMask(mask);
    expect(maskArea(mask)).toBe(13 * 7 - area);
    unpackInto(packed, mask);
    expect(maskArea(mask)).toBe(area);
  });

  it('write white-on-black RGBA for the engine and read masks back from bright, opaque pixels', () => {
    const mask = emptyMask(3, 1);
    mask.data.set([1, 0, 1]);
    const rgba = new Uint8ClampedArray(12);
    maskToRgba(mask, rgba);
    expect([...rgba]).toEqual([255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
    const back = maskFromRgba([255, 255, 255, 255, 200, 200, 200, 0, 10, 10, 10, 255], 3, 1);
    expect([...back.data]).toEqual([1, 0, 0]);
  });

  it('paint the overlay only inside the dirty rectangle', () => {
    const mask = emptyMask(4, 4);
    mask.data.fill(1);
    const rgba = new Uint8ClampedArray(64);
    paintOverlay(mask, rgba, { x: 1, y: 1, width: 2, height: 1 }, [10, 20, 30, 40]);
    expect([...rgba.slice(4 * 5, 4 * 6)]).toEqual([10, 20, 30, 40]);
    expect([...rgba.slice(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...rgba.slice(4 * 7, 4 * 8)]).toEqual([0, 0, 0, 0]);
  });

  it('join dirty rectangles', () => {
    expect(unionRect(null, null)).toBeNull();
    expect(unionRect({ x: 1, y: 2, width: 3, height: 4 }, { x: 5, y: 0, width: 1, height: 1 })).toEqual({
      x: 1,
      y: 0,
      width: 5,
      height: 6,
    });
  });
});
