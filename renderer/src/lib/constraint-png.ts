import type { ConstraintRaster } from './constraint-layers';
import { offscreen } from './mask-image';

/** Draws a constraint raster onto `canvas` (made its size), for the stage or for a PNG. */
export function drawRaster(raster: ConstraintRaster, canvas: HTMLCanvasElement): void {
  if (canvas.width !== raster.side || canvas.height !== raster.side) {
    canvas.width = raster.side;
    canvas.height = raster.side;
  }
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser gives no 2D canvas.');
  context.putImageData(new ImageData(raster.data.slice(), raster.side, raster.side), 0, 0);
}

/** A constraint layer as the engine reads it: a square PNG data URL, transparent where nothing is painted. */
export function rasterToPng(raster: ConstraintRaster): string {
  const [canvas] = offscreen(raster.side, raster.side);
  drawRaster(raster, canvas);
  return canvas.toDataURL('image/png');
}
