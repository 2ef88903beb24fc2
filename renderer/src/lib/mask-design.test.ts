import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_DESIGN, type MaskDesign } from '../../../models/masks';
import { designProblem, maskPixels, PREVIEW_COUNT, previewDesign, toPercent, toPixels } from './mask-design';

describe('the mask designer', () => {
  it('previews eight masks per seed base with their mean coverage', () => {
    const preview = previewDesign(DEFAULT_MASK_DESIGN, 64, 0);
    expect(preview?.masks).toHaveLength(PREVIEW_COUNT);
    expect(preview?.masks[0]).toHaveLength(64 * 64);
    expect(preview?.meanCoverage).toBeGreaterThan(0);
    expect(preview?.meanCoverage).toBeLessThan(1);
    expect(previewDesign(DEFAULT_MASK_DESIGN, 64, 0)?.masks).toEqual(preview?.masks);
    expect(previewDesign(DEFAULT_MASK_DESIGN, 64, 1)?.masks[0]).not.toEqual(preview?.masks[0]);
  });

  it('refuses fractional counts and whatever the engine refuses', () => {
    const fractional: MaskDesign = { ...DEFAULT_MASK_DESIGN, strokes: [1, 2.5] };
    expect(designProblem(fractional)).toMatch(/strokes must be whole numbers/);
    expect(previewDesign(fractional, 64, 0)).toBeNull();
    const backwards: MaskDesign = { ...DEFAULT_MASK_DESIGN, width: [0.2, 0.1] };
    expect(designProblem(backwards)).toMatch(/^width must be a range/);
    const nothing: MaskDesign = { ...DEFAULT_MASK_DESIGN, strokes: [0, 0], boxes: [0, 0] };
    expect(designProblem(nothing)).toBe('A design needs strokes or boxes.');
    expect(designProblem({ ...DEFAULT_MASK_DESIGN, width: [Number.NaN, 0.1] })).not.toBeNull();
    expect(designProblem(DEFAULT_MASK_DESIGN)).toBeNull();
  });

  it('shows fractions as percent and pixels', () => {
    expect(toPercent(0.03)).toBe(3);
    expect(toPercent(0.155)).toBe(15.5);
    expect(toPixels(0.09, 128)).toBe(12);
    const rgba = maskPixels(new Uint8Array([1, 0]));
    expect(rgba[0]).toBeGreaterThan(rgba[4]!);
    expect(rgba[3]).toBe(255);
  });
});
