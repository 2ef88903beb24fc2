/**
 * tfjs's random ops treat a seed of 0 as no seed at all and draw from Math.random, so a run
 * seeded with 0 (the default) would not repeat. Every seeded draw that can be given 0 passes its
 * seed through here: 0 becomes a value no integer seed takes, other seeds stay as they are.
 */
export function tfSeed(seed: number): number {
  return seed === 0 ? 0.5 : seed;
}
