import type { LatentDirection, LatentModelInfo, LatentSample, ModelView } from '../../../preload/contract';
import { BusyState } from './busy-state.svelte';
import type { ConstraintRaster, LayersSnapshot } from './constraint-layers';
import { CriticRankingState } from './critic-ranking-state.svelte';
import { EditHistory } from './edit-history';
import { ConstraintState } from './latent-constraints.svelte';
import { messageOf, type LatentContext } from './latent-context';
import { InterpolationState } from './latent-interpolation.svelte';
import { addScaled, isZero, subtract } from './latent-math';
import { ProjectionState } from './latent-projection.svelte';
import { RandomSamples } from './latent-random.svelte';
import { applySliders, clampAmount, sliderOffset, type SliderAmounts } from './latent-sliders';
import { LiveScheduler } from './live-scheduler';
import { StageView } from './stage-view.svelte';

/** Where a saved direction comes from: the edit since the start, or the sliders as they stand. */
export type DirectionSource = 'edit' | 'sliders';

/** What one undo step puts back: the code, how the sliders made it, and the painted constraints. */
export interface LatentEdit {
  code: number[];
  /** The code the sliders move from, and how far each stands. */
  base: number[];
  amounts: SliderAmounts;
  /** Where this line of editing started (a random sample, a projection). */
  origin: number[];
  /** The image of `code`, when it was on show. */
  image: string | null;
  layers: LayersSnapshot | null;
}

interface SampleRequest {
  modelId: string;
  code: number[];
  epoch: number;
}

interface SampleReply {
  code: number[];
  image: string;
  ms: number;
  epoch: number;
}

/** What is said when a generator cannot project, fit constraints or rank, if its notes give no reason. */
export const NO_EDIT_REASON =
  'This generator came without its encoder and training weights: export it from its run in GAN Studio.';

/**
 * The latent editor's state: the open generator, the current code and its image, undo/redo over
 * code changes (and painted constraints), the sliders along its directions (re-sampled live,
 * latest-wins), saved directions, and the parts that feed new codes in: random samples,
 * interpolation, projection, constraint fitting and critic ranking. Lives outside the components
 * so it survives switching panels; the components only render it.
 */
export class LatentState extends BusyState {
  projectId = $state<string | null>(null);
  model = $state.raw<ModelView | null>(null);
  info = $state.raw<LatentModelInfo | null>(null);
  code = $state.raw<number[] | null>(null);
  base = $state.raw<number[] | null>(null);
  origin = $state.raw<number[] | null>(null);
  amounts = $state.raw<SliderAmounts>({});
  /** The image on show and the code it was generated from (an older code while a newer one is on its way). */
  shown = $state.raw<LatentSample | null>(null);
  sampleMs = $state<number | null>(null);
  sampling = $state(false);
  sampleError = $state<string | null>(null);
  directionBusy = $state(false);
  directionError = $state<string | null>(null);
  canUndo = $state(false);
  canRedo = $state(false);
  readonly stageView = new StageView();
  readonly random: RandomSamples;
  readonly interpolation: InterpolationState;
  readonly projection: ProjectionState;
  readonly ranking: CriticRankingState;
  readonly constraints: ConstraintState;

  private history = new EditHistory<LatentEdit>();
  private sliding = false;
  /** Bumped when the code is set directly: live samples of earlier codes are dropped. */
  private epoch = 0;
  /** Bumped when another model is picked: answers about the earlier one are dropped. */
  private generation = 0;
  private readonly scheduler: LiveScheduler<SampleRequest, SampleReply>;

  /** `encode` turns a constraint layer into the PNG data URL sent to the engine (a canvas in the browser). */
  constructor(encode?: (raster: ConstraintRaster) => string) {
    super();
    const context: LatentContext = {
      modelId: () => this.info?.modelId ?? null,
      current: () => (this.code ? { code: this.code, dataUrl: this.imageOfCode } : null),
      continueFrom: (sample, fresh) => this.continueFrom(sample, fresh),
    };
    this.random = new RandomSamples(context);
    this.interpolation = new InterpolationState(context);
    this.projection = new ProjectionState(context);
    this.ranking = new CriticRankingState(context);
    this.constraints = new ConstraintState(
      {
        modelId: context.modelId,
        code: () => this.code,
        canEdit: () => this.canEdit,
        beforeEdit: () => this.record(),
      },
      encode,
    );
    this.scheduler = new LiveScheduler({
      capture: () => {
        const modelId = this.info?.modelId;
        if (!modelId || !this.code) throw new Error('There is no code to generate yet.');
        return { modelId, code: this.code, epoch: this.epoch };
      },
      run: async (request) => {
        this.sampling = true;
        try {
          const { images, ms } = await window.studio.sampleLatent({
            modelId: request.modelId,
            codes: [request.code],
          });
          const image = images[0];
          if (!image) throw new Error('The generator returned no image.');
          return { code: request.code, image, ms, epoch: request.epoch };
        } finally {
          this.sampling = false;
        }
      },
      onResult: (reply) => {
        if (reply.epoch !== this.epoch) return;
        this.shown = { code: reply.code, dataUrl: reply.image };
        this.sampleMs = reply.ms;
        this.sampleError = null;
      },
      onError: (error) => (this.sampleError = messageOf(error)),
    });
  }

  /** Clears the editor when the project changes. */
  load(projectId: string | null): void {
    if (projectId === this.projectId) return;
    this.projectId = projectId;
    this.pick(null);
  }

  /** Opens a latent generator (or closes the one open): its directions, and a first random code. */
  pick(model: ModelView | null): void {
    if (model?.id === this.model?.id) return;
    this.model = model;
    this.generation += 1;
    this.epoch += 1;
    this.info = null;
    this.code = null;
    this.base = null;
    this.origin = null;
    this.amounts = {};
    this.shown = null;
    this.sampleMs = null;
    this.sampleError = null;
    this.directionError = null;
    this.error = null;
    this.history = new EditHistory();
    this.syncHistory();
    this.random.reset();
    this.interpolation.reset();
    this.projection.reset();
    this.ranking.reset();
    this.constraints.reset(null);
    if (model) void this.open(model);
  }

  /** Opens the picked model again after a refusal. */
  retry(): void {
    const model = this.model;
    if (!model || this.info) return;
    this.model = null;
    this.pick(model);
  }

  /** The directions the sliders offer: principal ones first, then saved ones. */
  get directions(): LatentDirection[] {
    return this.info?.directions ?? [];
  }

  /** The side of the generated images, or 0 while none is open. */
  get size(): number {
    return this.info?.size ?? 0;
  }

  /** Whether projection, constraints and ranking can run on the open generator. */
  get canEdit(): boolean {
    return !!this.info?.canEdit;
  }

  /** Why projection, constraints and ranking are off, or null when they are on. */
  get editReason(): string | null {
    if (!this.info || this.info.canEdit) return null;
    return this.info.notes.length ? this.info.notes.join(' ') : NO_EDIT_REASON;
  }

  /** The image of the current code when it is on show, else null (a newer one is on its way). */
  get imageOfCode(): string | null {
    return this.shown && this.shown.code === this.code ? this.shown.dataUrl : null;
  }

  /** Moves the slider of direction `id` to `amount` (latent units); the image follows live. */
  slide(id: string, amount: number): void {
    const direction = this.directions.find((d) => d.id === id);
    if (!direction || !this.base || !this.code) return;
    if (!this.sliding) {
      this.record();
      this.sliding = true;
    }
    this.amounts = { ...this.amounts, [id]: clampAmount(direction, amount) };
    this.code = applySliders(this.base, this.directions, this.amounts);
    this.scheduler.changed();
  }

  /** A slider was let go: the next move is a new undo step. */
  endSlide(): void {
    this.sliding = false;
  }

  /** Puts every slider back to zero (one undoable step). */
  resetSliders(): void {
    if (!this.base || Object.values(this.amounts).every((amount) => amount === 0)) return;
    this.record();
    this.amounts = {};
    this.code = this.base;
    this.scheduler.flush();
  }

  /** Makes the current code the start that "Save direction" measures the edit from. */
  markStart(): void {
    if (this.code) this.origin = this.code;
  }

  /** Makes `sample` the current code (one undoable step); `fresh` starts a new line of editing there. */
  continueFrom(sample: LatentSample, fresh: boolean): void {
    if (!this.info || sample.code.length !== this.info.nz) return;
    this.record();
    this.setCode(sample.code, sample.dataUrl || null);
    if (fresh || !this.origin) this.origin = sample.code;
  }

  /**
   * Saves a direction under `name`: the edit since the start (current − start) or the sliders'
   * combination. Returns whether it was saved; a refusal shows as `directionError`.
   */
  async saveDirection(name: string, source: DirectionSource): Promise<boolean> {
    const info = this.info;
    if (!info || !this.code || !this.origin || this.directionBusy) return false;
    const vector =
      source === 'edit'
        ? subtract(this.code, this.origin)
        : sliderOffset(this.directions, this.amounts, info.nz);
    if (isZero(vector)) {
      this.directionError =
        source === 'edit'
          ? 'The current code is still the start: edit it (sliders, candidates, interpolation) before saving the change as a direction.'
          : 'Every slider is at zero: move one before saving their combination as a direction.';
      return false;
    }
    return this.directionCall(async () => {
      const saved = await window.studio.saveLatentDirection({
        modelId: info.modelId,
        name: name.trim(),
        vector,
      });
      this.info = { ...info, directions: [...info.directions, saved] };
    });
  }

  /** Deletes a saved direction; what its slider added stays in the code. */
  async deleteDirection(id: string): Promise<boolean> {
    const info = this.info;
    const direction = info?.directions.find((d) => d.id === id);
    if (!info || !direction || this.directionBusy) return false;
    return this.directionCall(async () => {
      await window.studio.deleteLatentDirection({ modelId: info.modelId, directionId: id });
      const amount = this.amounts[id] ?? 0;
      if (this.base && amount !== 0) this.base = addScaled(this.base, direction.vector, amount);
      const { [id]: _gone, ...rest } = this.amounts;
      this.amounts = rest;
      this.info = { ...info, directions: info.directions.filter((d) => d.id !== id) };
    });
  }

  /** Goes back one edit. */
  undo(): void {
    this.step((current) => this.history.undo(current));
  }

  /** Goes forward one undone edit. */
  redo(): void {
    this.step((current) => this.history.redo(current));
  }

  /** Shows the image whole, centred. */
  fit(): void {
    if (this.size) this.stageView.fit(this.size, this.size);
  }

  /** Stops live updates for good. */
  dispose(): void {
    this.scheduler.dispose();
    this.interpolation.dispose();
    this.constraints.dispose();
  }

  private async open(model: ModelView): Promise<void> {
    const generation = this.generation;
    await this.attempt(async () => {
      const info = await window.studio.openLatent({ modelId: model.id });
      if (generation !== this.generation) return;
      this.info = info;
      this.constraints.reset(info.size);
      if (!info.canEdit) this.constraints.tool = 'hand';
      this.fit();
      const first = (await this.random.more())?.[0];
      if (first && generation === this.generation && !this.code) {
        this.setCode(first.code, first.dataUrl);
        this.origin = first.code;
      }
    }, `Opening ${model.name}…`);
  }

  private async directionCall(work: () => Promise<void>): Promise<boolean> {
    const generation = this.generation;
    this.directionBusy = true;
    this.directionError = null;
    try {
      await work();
      return true;
    } catch (error) {
      if (generation === this.generation) this.directionError = messageOf(error);
      return false;
    } finally {
      this.directionBusy = false;
    }
  }

  /** Sets the code directly (sliders back to zero around it); generates its image unless given. */
  private setCode(code: number[], image: string | null): void {
    this.epoch += 1;
    this.code = code;
    this.base = code;
    this.amounts = {};
    this.sliding = false;
    if (image) {
      this.shown = { code, dataUrl: image };
      this.sampleError = null;
    } else {
      this.scheduler.flush();
    }
  }

  private snapshot(): LatentEdit | null {
    if (!this.code || !this.base || !this.origin) return null;
    return {
      code: this.code,
      base: this.base,
      amounts: this.amounts,
      origin: this.origin,
      image: this.imageOfCode,
      layers: this.constraints.snapshot(),
    };
  }

  private record(): void {
    const before = this.snapshot();
    if (!before) return;
    this.history.record(before);
    this.syncHistory();
  }

  private step(move: (current: LatentEdit) => LatentEdit | null): void {
    const current = this.snapshot();
    if (!current || this.constraints.stroking) return;
    const target = move(current);
    if (target) this.restore(target);
    this.syncHistory();
  }

  private restore(edit: LatentEdit): void {
    this.epoch += 1;
    this.sliding = false;
    this.code = edit.code;
    this.origin = edit.origin;
    // A direction deleted since keeps its share in the base, so the sliders still make the code.
    const ids = Object.keys(edit.amounts);
    const known = ids.every((id) => this.directions.some((d) => d.id === id));
    this.amounts = known
      ? edit.amounts
      : Object.fromEntries(
          ids.filter((id) => this.directions.some((d) => d.id === id)).map((id) => [id, edit.amounts[id]!]),
        );
    this.base = known
      ? edit.base
      : subtract(edit.code, sliderOffset(this.directions, this.amounts, edit.code.length));
    if (edit.image) {
      this.shown = { code: edit.code, dataUrl: edit.image };
      this.sampleError = null;
    } else {
      this.scheduler.flush();
    }
    this.constraints.restore(edit.layers);
  }

  private syncHistory(): void {
    this.canUndo = this.history.undoCount > 0;
    this.canRedo = this.history.redoCount > 0;
  }
}
