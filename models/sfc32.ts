/** The four 32-bit words of an `Sfc32` generator; plain numbers, so it saves as JSON. */
export type Sfc32State = [number, number, number, number];

const TWO_POW_32 = 4294967296;

function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A small seedable generator (sfc32) whose state saves and restores exactly. */
export class Sfc32 {
  private constructor(private words: Sfc32State) {}

  /** A generator seeded from an integer; the same seed always gives the same stream. */
  static fromSeed(seed: number): Sfc32 {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`a seed must be an integer, got ${seed}`);
    let h = mix32(0x9e3779b9 ^ (seed >>> 0));
    h = mix32(h ^ (Math.floor(seed / TWO_POW_32) >>> 0));
    const words: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      h = (h + 0x9e3779b9) >>> 0;
      words.push(mix32(h));
    }
    const random = new Sfc32(words as Sfc32State);
    for (let i = 0; i < 12; i += 1) random.nextUint32();
    return random;
  }

  /** A generator that continues exactly where the one that produced `state` was. */
  static fromState(state: Sfc32State): Sfc32 {
    const valid =
      Array.isArray(state) &&
      state.length === 4 &&
      state.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32);
    if (!valid)
      throw new RangeError(`an sfc32 state is four 32-bit unsigned integers, got ${JSON.stringify(state)}`);
    return new Sfc32([...state]);
  }

  /** The current state (a copy). */
  state(): Sfc32State {
    return [...this.words];
  }

  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number {
    let [a, b, c, d] = this.words;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.words = [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
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
}
