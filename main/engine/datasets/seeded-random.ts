import { StudioError } from '../errors';

/** The four 32-bit words of a `SeededRandom`; plain numbers so it can be saved as JSON. */
export type RandomState = [number, number, number, number];

const TWO_POW_32 = 4294967296;

/**
 * A small, fast, seedable generator (sfc32) whose state can be saved and restored exactly, so a
 * trainer that checkpoints it resumes with the same crops, flips and shuffles.
 */
export class SeededRandom {
  private constructor(
    private a: number,
    private b: number,
    private c: number,
    private d: number,
  ) {}

  /** A generator seeded from one or more integers; the same parts always give the same stream. */
  static fromSeed(seed: number, ...streams: number[]): SeededRandom {
    let h = 0x9e3779b9;
    for (const part of [seed, ...streams]) {
      if (!Number.isSafeInteger(part)) {
        throw new StudioError('invalid-payload', `A random seed must be an integer, not ${part}.`);
      }
      h = mix32(h ^ (part >>> 0));
      h = mix32(h ^ (Math.floor(part / TWO_POW_32) >>> 0));
    }
    const words: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      h = (h + 0x9e3779b9) >>> 0;
      words.push(mix32(h));
    }
    const random = new SeededRandom(words[0]!, words[1]!, words[2]!, words[3]!);
    for (let i = 0; i < 12; i += 1) random.nextUint32();
    return random;
  }

  /** A generator that continues exactly where the one that produced `state` was. */
  static fromState(state: RandomState): SeededRandom {
    const valid =
      Array.isArray(state) &&
      state.length === 4 &&
      state.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32);
    if (!valid) {
      throw new StudioError(
        'invalid-payload',
        `A saved random state must be four 32-bit unsigned integers, got ${JSON.stringify(state)}.`,
      );
    }
    return new SeededRandom(state[0], state[1], state[2], state[3]);
  }

  /** The current state; `fromState` of it continues the same stream. */
  state(): RandomState {
    return [this.a, this.b, this.c, this.d];
  }

  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** A float in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** True with probability `p`. */
  chance(p = 0.5): boolean {
    return this.next() < p;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const swap = items[i]!;
      items[i] = items[j]!;
      items[j] = swap;
    }
    return items;
  }
}

function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}
