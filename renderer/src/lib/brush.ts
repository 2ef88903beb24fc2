/** What a pointer drag on the canvas does. */
export type Tool = 'brush' | 'eraser' | 'hand';

/** Brush diameters the canvas allows, in image pixels. */
export const BRUSH_MIN = 1;
export const BRUSH_MAX = 512;

/** Feather the fill allows, in pixels, and where it starts. */
export const FEATHER_MAX = 16;
export const FEATHER_DEFAULT = 4;

/** A brush diameter made whole and kept within [BRUSH_MIN, BRUSH_MAX]. */
export function clampBrush(size: number): number {
  if (!Number.isFinite(size)) return BRUSH_MIN;
  return Math.min(BRUSH_MAX, Math.max(BRUSH_MIN, Math.round(size)));
}

/** The next brush size for `]` (larger) or `[` (smaller): a quarter more or less, at least one pixel. */
export function stepBrush(size: number, direction: 1 | -1): number {
  const scaled = direction > 0 ? size * 1.25 : size / 1.25;
  const next = direction > 0 ? Math.max(size + 1, scaled) : Math.min(size - 1, scaled);
  return clampBrush(next);
}

/** A brush that suits an image: about a twelfth of its shorter side. */
export function defaultBrush(width: number, height: number): number {
  return clampBrush(Math.min(width, height) / 12);
}

/** A feather made whole and kept within [0, FEATHER_MAX]. */
export function clampFeather(feather: number): number {
  if (!Number.isFinite(feather)) return FEATHER_DEFAULT;
  return Math.min(FEATHER_MAX, Math.max(0, Math.round(feather)));
}
