import type { LatentSample } from '../../../preload/contract';
import { messageOf, type LatentContext } from './latent-context';
import { interpolateCode, sameCode, stripFractions, type Interpolation } from './latent-math';
import { LiveScheduler } from './live-scheduler';

/** One image between the two ends: the fraction of the way, its code and its image. */
export interface StripImage extends LatentSample {
  t: number;
}

/** Images generated for a request, and the generation (model) they belong to. */
interface Generated {
  generation: number;
  images: StripImage[];
}

interface Request {
  modelId: string;
  fractions: number[];
  codes: number[][];
  generation: number;
}

/**
 * Interpolation between two codes: A (the current code when B was picked, or when asked again)
 * and B (a random sample, candidate or projection). A strip of in-between images, and a slider
 * `t` whose image follows it live, latest-wins. The codes are computed here; the engine only
 * generates their images.
 */
export class InterpolationState {
  a = $state.raw<LatentSample | null>(null);
  b = $state.raw<LatentSample | null>(null);
  mode = $state<Interpolation>('spherical');
  t = $state(0.5);
  strip = $state.raw<StripImage[]>([]);
  /** The image at `t`, once generated. */
  preview = $state.raw<StripImage | null>(null);
  stripError = $state<string | null>(null);
  previewError = $state<string | null>(null);
  private generation = 0;
  private readonly stripScheduler: LiveScheduler<Request, Generated>;
  private readonly previewScheduler: LiveScheduler<Request, Generated>;

  constructor(private readonly context: LatentContext) {
    this.stripScheduler = new LiveScheduler({
      capture: () => this.request(stripFractions()),
      run: (request) => this.generate(request),
      onResult: ({ generation, images }) => {
        if (generation !== this.generation) return;
        this.strip = images;
        this.stripError = null;
      },
      onError: (error) => {
        if (this.a && this.b) this.stripError = messageOf(error);
      },
    });
    this.previewScheduler = new LiveScheduler({
      capture: () => this.request([this.t]),
      run: (request) => this.generate(request),
      onResult: ({ generation, images }) => {
        if (generation !== this.generation) return;
        this.preview = images[0] ?? null;
        this.previewError = null;
      },
      onError: (error) => {
        if (this.a && this.b) this.previewError = messageOf(error);
      },
    });
  }

  /** Sets B and takes the current code as A; the strip and the image at `t` follow. */
  setB(sample: LatentSample): void {
    const current = this.context.current();
    if (!current) return;
    this.a = { code: current.code, dataUrl: current.dataUrl ?? '' };
    this.b = sample;
    this.refresh();
  }

  /** Takes the current code as A again (after editing it). */
  useCurrentAsA(): void {
    const current = this.context.current();
    if (!current || !this.b) return;
    this.a = { code: current.code, dataUrl: current.dataUrl ?? '' };
    this.refresh();
  }

  /** Walks linearly or along the great circle; the images follow. */
  setMode(mode: Interpolation): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.refresh();
  }

  /** Moves the slider to `t` (0 = A, 1 = B); its image follows live. */
  setT(t: number): void {
    this.t = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
    if (this.a && this.b) this.previewScheduler.changed();
  }

  /** The code a fraction `t` of the way from A to B, or null without both ends. */
  codeAt(t: number): number[] | null {
    if (!this.a || !this.b) return null;
    return interpolateCode(this.a.code, this.b.code, t, this.mode);
  }

  /** Continues editing from the code at `t` (one undoable step), with its image when on show. */
  continueAt(t: number): void {
    const code = this.codeAt(t);
    if (!code) return;
    const shown = [this.preview, ...this.strip].find((image) => image?.t === t && sameCode(image.code, code));
    this.context.continueFrom({ code, dataUrl: shown?.dataUrl ?? '' }, false);
  }

  /** Forgets both ends (another model); answers on their way are dropped. */
  reset(): void {
    this.generation += 1;
    this.a = null;
    this.b = null;
    this.strip = [];
    this.preview = null;
    this.stripError = null;
    this.previewError = null;
  }

  /** Stops live updates for good. */
  dispose(): void {
    this.stripScheduler.dispose();
    this.previewScheduler.dispose();
  }

  private refresh(): void {
    this.strip = [];
    this.preview = null;
    this.stripScheduler.invalidate();
    this.previewScheduler.invalidate();
  }

  private request(fractions: number[]): Request {
    const modelId = this.context.modelId();
    if (!modelId || !this.a || !this.b) throw new Error('Pick B, the code to walk to, first.');
    const codes = fractions.map((t) => this.codeAt(t)!);
    return { modelId, fractions, codes, generation: this.generation };
  }

  private async generate(request: Request): Promise<Generated> {
    const { images } = await window.studio.sampleLatent({ modelId: request.modelId, codes: request.codes });
    return {
      generation: request.generation,
      images: request.fractions.map((t, i) => ({ t, code: request.codes[i]!, dataUrl: images[i] ?? '' })),
    };
  }
}
