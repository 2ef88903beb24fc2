import type { LatentSample } from '../../../preload/contract';
import { messageOf, type LatentContext } from './latent-context';

/** How many random samples one press of More draws. */
export const RANDOM_COUNT = 8;

/** The most random samples the grid keeps (the oldest go first). */
export const RANDOM_KEEP = 48;

/** Random exploration: a grid of codes drawn from the prior, grown by More. */
export class RandomSamples {
  samples = $state.raw<LatentSample[]>([]);
  busy = $state(false);
  error = $state<string | null>(null);
  /** How long the engine took for the last batch. */
  ms = $state<number | null>(null);
  private generation = 0;

  constructor(private readonly context: LatentContext) {}

  /** Draws RANDOM_COUNT more samples and adds them to the grid; returns them, or null when refused. */
  async more(): Promise<LatentSample[] | null> {
    const modelId = this.context.modelId();
    if (!modelId || this.busy) return null;
    const generation = this.generation;
    this.busy = true;
    this.error = null;
    try {
      const drawn = await window.studio.randomLatent({ modelId, count: RANDOM_COUNT });
      if (generation !== this.generation) return null;
      this.samples = [...this.samples, ...drawn.samples].slice(-RANDOM_KEEP);
      this.ms = drawn.ms;
      return drawn.samples;
    } catch (error) {
      if (generation === this.generation) this.error = messageOf(error);
      return null;
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  /** Forgets the grid (another model); answers still on their way are dropped. */
  reset(): void {
    this.generation += 1;
    this.samples = [];
    this.busy = false;
    this.error = null;
    this.ms = null;
  }
}
