import { describe, expect, it } from 'vitest';
import {
  ConstraintLayers,
  isBlank,
  layerSide,
  outsideImage,
  type ConstraintRaster,
} from './constraint-layers';

/** The RGBA of the layer pixel under image point (x, y). */
function at(layers: ConstraintLayers, raster: ConstraintRaster, x: number, y: number): number[] {
  const i = (Math.floor(y * layers.scale) * raster.side + Math.floor(x * layers.scale)) * 4;
  return [...raster.data.slice(i, i + 4)];
}

function painted(raster: ConstraintRaster): number {
  let count = 0;
  for (let o = 3; o < raster.data.length; o += 4) if (raster.data[o]) count += 1;
  return count;
}

describe('constraint layers', () => {
  it('are finer than small images, in whole multiples of them', () => {
    expect(layerSide(64)).toBe(256);
    expect(layerSide(128)).toBe(256);
    expect(layerSide(96)).toBe(288);
    expect(layerSide(512)).toBe(512);
  });

  it('paint colour strokes opaque in their colour, scaled from image pixels', () => {
    const layers = new ConstraintLayers(64);
    expect(layers.scale).toBe(4);
    expect(layers.segment('color', { x: 10, y: 20 }, { x: 30, y: 20 }, 4, '#ff8000')).toBe(true);
    expect(at(layers, layers.color, 20, 20)).toEqual([255, 128, 0, 255]);
    expect(at(layers, layers.color, 20, 25)).toEqual([0, 0, 0, 0]);
    // 20 image pixels long and 4 wide: about 80×16 layer pixels plus the round ends.
    expect(painted(layers.color)).toBeGreaterThan(80 * 16);
    expect(painted(layers.color)).toBeLessThan(88 * 16 + 16 * 16);
    expect(layers.blank('sketch')).toBe(true);
  });

  it('paint sketch strokes on their own layer, in the sketch colour', () => {
    const layers = new ConstraintLayers(64);
    layers.segment('sketch', { x: 5, y: 5 }, { x: 5, y: 40 }, 2, '#ff0000');
    expect(at(layers, layers.sketch, 5, 20)).toEqual([0, 229, 255, 255]);
    expect(layers.blank('color')).toBe(true);
    expect(layers.blank('sketch')).toBe(false);
  });

  it('clip strokes to the image and say when a stroke missed it entirely', () => {
    const layers = new ConstraintLayers(64);
    expect(outsideImage({ x: -1, y: 10 }, 64)).toBe(true);
    expect(outsideImage({ x: 64, y: 10 }, 64)).toBe(true);
    expect(outsideImage({ x: 63.9, y: 0 }, 64)).toBe(false);
    expect(layers.touches({ x: -40, y: 10 }, { x: -20, y: 10 }, 4)).toBe(false);
    expect(layers.touches({ x: -40, y: 10 }, { x: -1, y: 10 }, 4)).toBe(true);
    expect(layers.segment('color', { x: -40, y: 10 }, { x: -20, y: 10 }, 4, '#ffffff')).toBe(false);
    expect(layers.blank('color')).toBe(true);
    expect(layers.segment('color', { x: -20, y: 10 }, { x: 4, y: 10 }, 4, '#ffffff')).toBe(true);
    expect(at(layers, layers.color, 0, 10)).toEqual([255, 255, 255, 255]);
    // Only the part over the image is painted: 4 image pixels long plus half the round end.
    expect(painted(layers.color)).toBeLessThanOrEqual((4 + 2) * 4 * 16);
  });

  it('erase from both layers, clear, and restore a snapshot', () => {
    const layers = new ConstraintLayers(32);
    layers.segment('color', { x: 4, y: 16 }, { x: 28, y: 16 }, 3, '#123456');
    layers.segment('sketch', { x: 16, y: 4 }, { x: 16, y: 28 }, 3, '#000000');
    const before = layers.snapshot();
    layers.segment(null, { x: 16, y: 16 }, { x: 16, y: 16 }, 6, '#000000');
    expect(at(layers, layers.color, 16, 16)[3]).toBe(0);
    expect(at(layers, layers.sketch, 16, 16)[3]).toBe(0);
    expect(at(layers, layers.color, 5, 16)[3]).toBe(255);
    expect(layers.clear()).toBe(true);
    expect(isBlank(layers.color) && isBlank(layers.sketch)).toBe(true);
    expect(layers.clear()).toBe(false);
    layers.restore(before);
    expect(at(layers, layers.color, 16, 16)).toEqual([0x12, 0x34, 0x56, 255]);
    expect(at(layers, layers.sketch, 16, 10)[3]).toBe(255);
  });
});
