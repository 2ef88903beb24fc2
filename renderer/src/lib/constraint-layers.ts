import { parseHexColor } from './color';
import { forEachSegmentPixel, type Point } from './mask-bitmap';

/** What a constraint stroke asks of the generated image: its colour there, or an edge there. */
export type ConstraintKind = 'color' | 'sketch';

/** The finest a constraint layer is painted, in pixels a side: finer than the image, so strokes keep their shape. */
export const LAYER_MIN_SIDE = 256;

/** The colour sketch strokes are painted in; the engine reads only where they are, not their colour. */
export const SKETCH_COLOR = '#00e5ff';

/** A square RGBA raster of painted strokes over the generated image (transparent where nothing is painted). */
export interface ConstraintRaster {
  side: number;
  data: Uint8ClampedArray;
}

/** The side of the layers over an image of `imageSize`: a whole multiple of it, at least LAYER_MIN_SIDE. */
export function layerSide(imageSize: number): number {
  return imageSize * Math.max(1, Math.ceil(LAYER_MIN_SIDE / imageSize));
}

/** Whether a point of the stroke's path lies outside the image (that part is clipped away). */
export function outsideImage(point: Point, imageSize: number): boolean {
  return point.x < 0 || point.y < 0 || point.x >= imageSize || point.y >= imageSize;
}

/** Whether nothing is painted on the raster. */
export function isBlank(raster: ConstraintRaster): boolean {
  for (let o = 3; o < raster.data.length; o += 4) if (raster.data[o] !== 0) return false;
  return true;
}

/** The layers' pixels as they stand, for undo. */
export interface LayersSnapshot {
  color: Uint8ClampedArray;
  sketch: Uint8ClampedArray;
}

/**
 * The colour and sketch layers painted over a generated image of `imageSize` pixels. Strokes
 * come in image pixels and are painted at the layers' finer resolution; what falls outside the
 * image is clipped, since a layer covers exactly the image.
 */
export class ConstraintLayers {
  readonly color: ConstraintRaster;
  readonly sketch: ConstraintRaster;
  /** Layer pixels per image pixel. */
  readonly scale: number;

  constructor(readonly imageSize: number) {
    const side = layerSide(imageSize);
    this.scale = side / imageSize;
    this.color = { side, data: new Uint8ClampedArray(side * side * 4) };
    this.sketch = { side, data: new Uint8ClampedArray(side * side * 4) };
  }

  /**
   * Paints a round-ended segment `width` image pixels wide on the `kind` layer in `color` (sketch
   * strokes in SKETCH_COLOR), or with `kind` null erases it from both layers. Returns whether it
   * touched the image at all.
   */
  segment(kind: ConstraintKind | null, from: Point, to: Point, width: number, color: string): boolean {
    const scale = this.scale;
    const a = { x: from.x * scale, y: from.y * scale };
    const b = { x: to.x * scale, y: to.y * scale };
    const side = this.color.side;
    const targets = kind === null ? [this.color, this.sketch] : [this[kind]];
    const [r, g, bl] = parseHexColor(kind === 'sketch' ? SKETCH_COLOR : color);
    const value = kind === null ? [0, 0, 0, 0] : [r, g, bl, 255];
    let touched = false;
    for (const raster of targets) {
      const data = raster.data;
      const rect = forEachSegmentPixel(side, side, a, b, width * scale, (i) => {
        data.set(value, i * 4);
        touched = true;
      });
      if (!rect) return false;
    }
    return touched;
  }

  /** Whether a segment `width` image pixels wide from `from` to `to` would touch the image at all. */
  touches(from: Point, to: Point, width: number): boolean {
    const scale = this.scale;
    const side = this.color.side;
    let touched = false;
    forEachSegmentPixel(
      side,
      side,
      { x: from.x * scale, y: from.y * scale },
      { x: to.x * scale, y: to.y * scale },
      width * scale,
      () => (touched = true),
    );
    return touched;
  }

  /** Whether the `kind` layer has nothing painted. */
  blank(kind: ConstraintKind): boolean {
    return isBlank(this[kind]);
  }

  /** Takes every stroke away; returns whether there was any. */
  clear(): boolean {
    if (this.blank('color') && this.blank('sketch')) return false;
    this.color.data.fill(0);
    this.sketch.data.fill(0);
    return true;
  }

  /** Copies of both layers' pixels. */
  snapshot(): LayersSnapshot {
    return { color: this.color.data.slice(), sketch: this.sketch.data.slice() };
  }

  /** Puts back pixels taken by `snapshot`. */
  restore(snapshot: LayersSnapshot): void {
    this.color.data.set(snapshot.color);
    this.sketch.data.set(snapshot.sketch);
  }
}
