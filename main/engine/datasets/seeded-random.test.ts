import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random';

const take = (rng: SeededRandom, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and different streams otherwise', () => {
    expect(take(SeededRandom.fromSeed(42), 8)).toEqual(take(SeededRandom.fromSeed(42), 8));
    expect(take(SeededRandom.fromSeed(42), 8)).not.toEqual(take(SeededRandom.fromSeed(43), 8));
    expect(take(SeededRandom.fromSeed(42, 1), 8)).not.toEqual(take(SeededRandom.fromSeed(42, 2), 8));
    expect(take(SeededRandom.fromSeed(2 ** 40), 8)).not.toEqual(take(SeededRandom.fromSeed(0), 8));
  });

  it('resumes exactly from a saved state, also after a JSON round trip', () => {
    const rng = SeededRandom.fromSeed(7);
    take(rng, 100);
    const saved = JSON.parse(JSON.stringify(rng.state()));
    const expected = take(rng, 50);
    expect(take(SeededRandom.fromState(saved), 50)).toEqual(expected);
  });

  it('refuses a malformed state', () => {
    expect(() => SeededRandom.fromState([1, 2, 3] as never)).toThrow(/four 32-bit/);
    expect(() => SeededRandom.fromState([1, 2, 3, -1])).toThrow(/four 32-bit/);
    expect(() => SeededRandom.fromSeed(1.5)).toThrow(/integer/);
  });

  it('draws floats in [0, 1) and integers in [0, n) with a roughly even spread', () => {
    const rng = SeededRandom.fromSeed(1);
    const floats = Array.from({ length: 10000 }, () => rng.next());
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10000; i += 1) counts[rng.int(10)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(() => rng.int(0)).toThrow(RangeError);
  });

  it('shuffles into a permutation, deterministically', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = SeededRandom.fromSeed(3).shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(SeededRandom.fromSeed(3).shuffle([...items])).toEqual(shuffled);
  });
});
