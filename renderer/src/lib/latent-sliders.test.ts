import { describe, expect, it } from 'vitest';
import {
  amountAt,
  applySliders,
  clampAmount,
  formatSpreads,
  positionOf,
  SLIDER_LIMIT,
  sliderOffset,
  sliderRange,
} from './latent-sliders';

const across = { id: 'pc-1', vector: [1, 0, 0], spread: 2 };
const up = { id: 'saved-1', vector: [0, 1, 0], spread: 1 };

describe('latent sliders', () => {
  it('span three spreads each way in twentieths of a spread', () => {
    expect(sliderRange(across)).toEqual({ min: -6, max: 6, step: 0.1 });
    expect(sliderRange({ spread: 0 })).toEqual({ min: -3, max: 3, step: 0.05 });
    expect(clampAmount(across, 9)).toBe(6);
    expect(clampAmount(across, -9)).toBe(-6);
    expect(clampAmount(across, Number.NaN)).toBe(0);
  });

  it('move in whole steps, so the ends are reached exactly whatever the spread', () => {
    const odd = { spread: 1.2 - 0.2 };
    expect(SLIDER_LIMIT).toBe(60);
    expect(amountAt(odd, SLIDER_LIMIT)).toBe(sliderRange(odd).max);
    expect(amountAt(across, -20)).toBeCloseTo(-2, 12);
    expect(positionOf(across, 2.04)).toBe(20);
    expect(positionOf(across, 99)).toBe(SLIDER_LIMIT);
  });

  it('add each direction times its amount to the base code', () => {
    const base = [0.5, 0.5, 0.5];
    expect(sliderOffset([across, up], { 'pc-1': 2, 'saved-1': -1 }, 3)).toEqual([2, -1, 0]);
    expect(applySliders(base, [across, up], { 'pc-1': 2, 'saved-1': -1 })).toEqual([2.5, -0.5, 0.5]);
    expect(applySliders(base, [across, up], {})).toEqual(base);
    expect(applySliders(base, [across], { gone: 3 })).toEqual(base);
  });

  it('read out amounts in spreads', () => {
    expect(formatSpreads(across, 3)).toBe('+1.5σ');
    expect(formatSpreads(across, -1)).toBe('-0.5σ');
    expect(formatSpreads(across, 0)).toBe('0σ');
  });
});
