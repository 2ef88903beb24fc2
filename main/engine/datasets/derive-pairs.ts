import { detectEdges } from './edges';
import { grayToRgb, toGray } from './grayscale';

/**
 * How a single folder of photos becomes pairs: A is made from the photo, B is the photo. For
 * `inpaint` A is the photo itself; the trainer cuts the holes.
 */
export type DerivedKind = 'gray2color' | 'edges2photo' | 'inpaint';

/** Every derived-pair kind, for validation and menus. */
export const DERIVED_KINDS: readonly DerivedKind[] = ['gray2color', 'edges2photo', 'inpaint'];

/** The A image for a photo: its grayscale (in all three channels), its sketch-like edges, or itself. */
export function derivePair(kind: DerivedKind, rgb: Uint8Array, width: number, height: number): Uint8Array {
  switch (kind) {
    case 'gray2color':
      return grayToRgb(toGray(rgb, width, height));
    case 'edges2photo':
      return detectEdges(rgb, width, height);
    case 'inpaint':
      return rgb.slice();
  }
}
