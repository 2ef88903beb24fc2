import { freeFormMask, holeFraction, maskDesignError, type MaskDesign } from '../../../models/masks';

/** How many masks the designer previews. */
export const PREVIEW_COUNT = 8;

/** The ranges of a design that count things and so take whole numbers. */
const COUNTS = ['strokes', 'vertices', 'boxes'] as const;

/** Why the form's design cannot train, or null when it can: whole counts, then the engine's own check. */
export function designProblem(design: MaskDesign): string | null {
  for (const name of COUNTS) {
    const [lo, hi] = design[name];
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) {
      return `${name} must be whole numbers, got [${lo}, ${hi}].`;
    }
  }
  return maskDesignError(design) ?? null;
}

/** A preview of a design: masks as training would draw them, and the mean share they cover. */
export interface DesignPreview {
  size: number;
  masks: Uint8Array[];
  meanCoverage: number;
}

/**
 * `PREVIEW_COUNT` masks of `size`² for seeds `seedBase * PREVIEW_COUNT` onwards, so each shuffle
 * shows new ones; null when the design cannot be drawn.
 */
export function previewDesign(design: MaskDesign, size: number, seedBase: number): DesignPreview | null {
  if (designProblem(design)) return null;
  const masks = Array.from({ length: PREVIEW_COUNT }, (_, i) =>
    freeFormMask(size, design, seedBase * PREVIEW_COUNT + i),
  );
  const meanCoverage = masks.reduce((sum, mask) => sum + holeFraction(mask), 0) / masks.length;
  return { size, masks, meanCoverage };
}

/** RGBA pixels for a mask: the hole light, the rest dark. */
export function maskPixels(mask: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(mask.length * 4);
  for (let i = 0; i < mask.length; i += 1) {
    const value = mask[i] ? 235 : 30;
    rgba[i * 4] = value;
    rgba[i * 4 + 1] = value;
    rgba[i * 4 + 2] = value;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** A fraction of the side as the percent the designer shows, to one decimal. */
export function toPercent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/** A fraction of the side in whole pixels at `size`. */
export function toPixels(fraction: number, size: number): number {
  return Math.round(fraction * size);
}
