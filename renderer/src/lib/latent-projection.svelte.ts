import type { LatentProjection } from '../../../preload/contract';
import { baseName } from './format';
import { messageOf, type LatentContext } from './latent-context';

/** Projection of a real image into the latent space: the target, the encoder's guess and the refined code. */
export class ProjectionState {
  result = $state.raw<LatentProjection | null>(null);
  /** The file projected (or being projected). */
  source = $state<string | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  private generation = 0;

  constructor(private readonly context: LatentContext) {}

  /** Projects the image file at `path`; the engine's refusal shows as `error`. */
  async project(path: string): Promise<void> {
    const modelId = this.context.modelId();
    if (!modelId || this.busy) return;
    const generation = this.generation;
    this.busy = true;
    this.error = null;
    this.source = path;
    try {
      const result = await window.studio.projectLatent({ modelId, path });
      if (generation === this.generation) this.result = result;
    } catch (error) {
      if (generation === this.generation) this.error = messageOf(error);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  /** The projected file's name. */
  get name(): string {
    return this.source ? baseName(this.source) : '';
  }

  /** Continues editing from the refined code (or the encoder's guess): a new line of editing starts there. */
  continueFrom(which: 'refined' | 'encoder'): void {
    const result = this.result;
    if (result) this.context.continueFrom(result[which], true);
  }

  /** Forgets the projection (another model). */
  reset(): void {
    this.generation += 1;
    this.result = null;
    this.source = null;
    this.busy = false;
    this.error = null;
  }
}
