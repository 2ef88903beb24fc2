import type { LatentSample } from '../../../preload/contract';

/** What the parts of the latent editor read from, and ask of, the editor that owns the current code. */
export interface LatentContext {
  /** The open latent generator's id, or null while none is open. */
  modelId(): string | null;
  /** The current code and its image (null while it is being generated). */
  current(): { code: number[]; dataUrl: string | null } | null;
  /** Makes `sample` the current code as one undoable step; `fresh` starts a new line of editing there. */
  continueFrom(sample: LatentSample, fresh: boolean): void;
}

/** An error's message as the editor shows it beside the control that asked. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
