import { describe, expect, it } from 'vitest';
import {
  BRUSH_MAX,
  BRUSH_MIN,
  clampBrush,
  clampFeather,
  defaultBrush,
  FEATHER_DEFAULT,
  FEATHER_MAX,
  stepBrush,
} from './brush';

describe('brush and feather sizes', () => {
  it('clamp to whole pixels within the limits', () => {
    expect(clampBrush(0)).toBe(BRUSH_MIN);
    expect(clampBrush(-5)).toBe(BRUSH_MIN);
    expect(clampBrush(10_000)).toBe(BRUSH_MAX);
    expect(clampBrush(12.4)).toBe(12);
    expect(clampBrush(Number.NaN)).toBe(BRUSH_MIN);
    expect(clampFeather(-1)).toBe(0);
    expect(clampFeather(99)).toBe(FEATHER_MAX);
    expect(clampFeather(Number.NaN)).toBe(FEATHER_DEFAULT);
  });

  it('step by a quarter, at least a pixel, and stop at the limits', () => {
    expect(stepBrush(20, 1)).toBe(25);
    expect(stepBrush(25, -1)).toBe(20);
    expect(stepBrush(2, 1)).toBe(3);
    expect(stepBrush(2, -1)).toBe(1);
    expect(stepBrush(BRUSH_MIN, -1)).toBe(BRUSH_MIN);
    expect(stepBrush(BRUSH_MAX, 1)).toBe(BRUSH_MAX);
  });

  it('start at a twelfth of the shorter side', () => {
    expect(defaultBrush(256, 128)).toBe(11);
    expect(defaultBrush(4, 4)).toBe(BRUSH_MIN);
  });
});
