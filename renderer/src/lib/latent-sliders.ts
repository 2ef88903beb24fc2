import type { LatentDirection } from '../../../preload/contract';
import { addScaled } from './latent-math';

/** How far a slider reaches each way, in spreads (standard deviations) of its direction. */
export const SLIDER_SPREADS = 3;

/** How many slider steps make one spread. */
export const STEPS_PER_SPREAD = 20;

/** How far along each direction the sliders stand, in latent units, by direction id (absent = 0). */
export type SliderAmounts = Readonly<Record<string, number>>;

/** The slider's range for a direction: ±3 spreads, in latent units. */
export function sliderRange(direction: Pick<LatentDirection, 'spread'>): {
  min: number;
  max: number;
  step: number;
} {
  const spread = direction.spread > 0 && Number.isFinite(direction.spread) ? direction.spread : 1;
  return { min: -SLIDER_SPREADS * spread, max: SLIDER_SPREADS * spread, step: spread / STEPS_PER_SPREAD };
}

/** The slider's reach each way in whole steps: its positions run from −SLIDER_LIMIT to SLIDER_LIMIT. */
export const SLIDER_LIMIT = SLIDER_SPREADS * STEPS_PER_SPREAD;

/** The amount (latent units) at a slider position (whole steps). */
export function amountAt(direction: Pick<LatentDirection, 'spread'>, position: number): number {
  return clampAmount(direction, position * sliderRange(direction).step);
}

/** The slider position (whole steps) nearest an amount. */
export function positionOf(direction: Pick<LatentDirection, 'spread'>, amount: number): number {
  return Math.round(clampAmount(direction, amount) / sliderRange(direction).step);
}

/** An amount kept within the direction's slider range (0 when it is not a number). */
export function clampAmount(direction: Pick<LatentDirection, 'spread'>, amount: number): number {
  const { min, max } = sliderRange(direction);
  return Number.isFinite(amount) ? Math.min(max, Math.max(min, amount)) : 0;
}

/** The sum of the directions scaled by their slider amounts: what the sliders add to a code. */
export function sliderOffset(
  directions: readonly Pick<LatentDirection, 'id' | 'vector'>[],
  amounts: SliderAmounts,
  nz: number,
): number[] {
  let offset = new Array<number>(nz).fill(0);
  for (const direction of directions) {
    const amount = amounts[direction.id] ?? 0;
    if (amount !== 0) offset = addScaled(offset, direction.vector, amount);
  }
  return offset;
}

/** The code the sliders make of `base`: base plus every direction times its amount. */
export function applySliders(
  base: readonly number[],
  directions: readonly Pick<LatentDirection, 'id' | 'vector'>[],
  amounts: SliderAmounts,
): number[] {
  return addScaled(base, sliderOffset(directions, amounts, base.length), 1);
}

/** A slider amount as spreads of its direction, as the readout shows it: `+1.25σ`, `0σ`. */
export function formatSpreads(direction: Pick<LatentDirection, 'spread'>, amount: number): string {
  const spreads = amount / (direction.spread > 0 ? direction.spread : 1);
  const rounded = Math.round(spreads * 100) / 100;
  return `${rounded > 0 ? '+' : ''}${rounded === 0 ? 0 : rounded}σ`;
}
