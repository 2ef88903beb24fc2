import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_DESIGN, freeFormMask, holeFraction, maskDesignError, type MaskDesign } from './masks';

describe('free-form training masks', () => {
  it('are reproducible from their seed and differ between seeds', () => {
    const a = freeFormMask(64, DEFAULT_MASK_DESIGN, 7);
    expect(freeFormMask(64, DEFAULT_MASK_DESIGN, 7)).toEqual(a);
    expect(freeFormMask(64, DEFAULT_MASK_DESIGN, 8)).not.toEqual(a);
    expect([...new Set(a)].sort()).toEqual([0, 1]);
  });

  it('are never empty and cover a sensible share of the image on average', () => {
    const fractions = Array.from({ length: 60 }, (_, seed) =>
      holeFraction(freeFormMask(128, DEFAULT_MASK_DESIGN, seed)),
    );
    expect(Math.min(...fractions)).toBeGreaterThan(0);
    const mean = fractions.reduce((s, f) => s + f, 0) / fractions.length;
    expect(mean).toBeGreaterThan(0.05);
    expect(mean).toBeLessThan(0.5);
  });

  it('follow the design: wider brushes cover more, a boxes-only design draws one rectangle', () => {
    const thin: MaskDesign = { ...DEFAULT_MASK_DESIGN, boxes: [0, 0], width: [0.02, 0.02] };
    const thick: MaskDesign = { ...thin, width: [0.1, 0.1] };
    const cover = (design: MaskDesign): number =>
      Array.from({ length: 20 }, (_, s) => holeFraction(freeFormMask(64, design, s))).reduce((a, b) => a + b);
    expect(cover(thick)).toBeGreaterThan(2 * cover(thin));

    const boxOnly: MaskDesign = {
      ...DEFAULT_MASK_DESIGN,
      strokes: [0, 0],
      boxes: [1, 1],
      boxSize: [0.25, 0.25],
    };
    const mask = freeFormMask(64, boxOnly, 3);
    const rows = new Set<number>();
    const cols = new Set<number>();
    mask.forEach((v, i) => {
      if (v) {
        rows.add(Math.floor(i / 64));
        cols.add(i % 64);
      }
    });
    expect(rows.size).toBe(16);
    expect(cols.size).toBe(16);
    expect(holeFraction(mask)).toBeCloseTo(256 / 4096, 6);
  });

  it('refuses impossible designs with the reason', () => {
    expect(maskDesignError(DEFAULT_MASK_DESIGN)).toBeUndefined();
    expect(maskDesignError({ ...DEFAULT_MASK_DESIGN, strokes: [3, 1] })).toMatch(/strokes must be a range/);
    expect(maskDesignError({ ...DEFAULT_MASK_DESIGN, strokes: [0, 0], boxes: [0, 0] })).toMatch(
      /needs strokes or boxes/,
    );
    expect(() => freeFormMask(64, { ...DEFAULT_MASK_DESIGN, width: [0, 2] }, 1)).toThrow(/width/);
  });
});
