import { describe, expect, it } from 'vitest';
import {
  addScaled,
  interpolateCode,
  isZero,
  lerpCode,
  norm,
  slerpCode,
  stripFractions,
  subtract,
} from './latent-math';

function close(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
}

describe('latent code arithmetic', () => {
  it('walks the straight line from a to b', () => {
    const a = [0, 2, -4];
    const b = [4, 2, 0];
    close(lerpCode(a, b, 0), a);
    close(lerpCode(a, b, 1), b);
    close(lerpCode(a, b, 0.25), [1, 2, -3]);
  });

  it('walks the great circle: the ends, the length kept between codes of one length, the angle split evenly', () => {
    const a = [1, 0];
    const b = [0, 1];
    close(slerpCode(a, b, 0), a);
    close(slerpCode(a, b, 1), b);
    const middle = slerpCode(a, b, 0.5);
    close(middle, [Math.SQRT1_2, Math.SQRT1_2]);
    expect(norm(middle)).toBeCloseTo(1, 9);
    expect(norm(lerpCode(a, b, 0.5))).toBeCloseTo(Math.SQRT1_2, 9);
    const third = slerpCode([3, 0], [0, 3], 1 / 3);
    expect(Math.atan2(third[1]!, third[0]!)).toBeCloseTo(Math.PI / 6, 9);
    expect(norm(third)).toBeCloseTo(3, 9);
  });

  it('falls back to the straight line for parallel or zero codes', () => {
    close(slerpCode([1, 1], [2, 2], 0.5), [1.5, 1.5]);
    close(slerpCode([0, 0], [2, 4], 0.5), [1, 2]);
    close(interpolateCode([0, 0], [2, 4], 0.5, 'linear'), [1, 2]);
    close(interpolateCode([1, 0], [0, 1], 0.5, 'spherical'), [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it('refuses codes of different lengths with a message', () => {
    expect(() => lerpCode([1, 2], [1, 2, 3], 0.5)).toThrow('2 and 3 numbers');
    expect(() => slerpCode([1, 2], [1], 0.5)).toThrow('one generator');
  });

  it('adds and subtracts vectors, and knows a zero one', () => {
    close(addScaled([1, 1], [1, -1], 2), [3, -1]);
    close(subtract([3, 1], [1, 1]), [2, 0]);
    expect(isZero(subtract([3, 1], [3, 1]))).toBe(true);
    expect(isZero([0, 1e-9])).toBe(false);
  });

  it('spreads strip fractions evenly, both ends included', () => {
    expect(stripFractions(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(stripFractions(1)).toEqual([0]);
    expect(stripFractions()).toHaveLength(8);
  });
});
