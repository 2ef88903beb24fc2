import type { Point } from './mask-bitmap';

/** How the image sits on the stage: screen = image × scale + (x, y). */
export interface View {
  scale: number;
  x: number;
  y: number;
}

/** The closest and farthest zoom, as screen pixels per image pixel. */
export const MIN_SCALE = 0.05;
export const MAX_SCALE = 32;

/** The zoom factor of one +/- step. */
export const ZOOM_STEP = 1.25;

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The view that shows the whole image centred in a `viewWidth`×`viewHeight` stage, `margin` px clear. */
export function fitView(
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
  margin = 16,
): View {
  const scale = clampScale(
    Math.min(
      Math.max(1, viewWidth - 2 * margin) / imageWidth,
      Math.max(1, viewHeight - 2 * margin) / imageHeight,
    ),
  );
  return {
    scale,
    x: (viewWidth - imageWidth * scale) / 2,
    y: (viewHeight - imageHeight * scale) / 2,
  };
}

/** The view zoomed by `factor` about `anchor` (a screen point, which stays over the same image pixel). */
export function zoomAt(view: View, anchor: Point, factor: number): View {
  const scale = clampScale(view.scale * factor);
  const ratio = scale / view.scale;
  return {
    scale,
    x: anchor.x - (anchor.x - view.x) * ratio,
    y: anchor.y - (anchor.y - view.y) * ratio,
  };
}

/** The view moved by a screen distance. */
export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** The image point under a screen point. */
export function toImagePoint(view: View, screen: Point): Point {
  return { x: (screen.x - view.x) / view.scale, y: (screen.y - view.y) / view.scale };
}
