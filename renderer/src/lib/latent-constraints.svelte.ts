import type { LatentCandidate, LatentConstraintResult } from '../../../preload/contract';
import {
  ConstraintLayers,
  outsideImage,
  type ConstraintKind,
  type LayersSnapshot,
} from './constraint-layers';
import { rasterToPng } from './constraint-png';
import type { ConstraintRaster } from './constraint-layers';
import { messageOf } from './latent-context';
import { LiveScheduler } from './live-scheduler';
import type { Point } from './mask-bitmap';
import { SlowFlag } from './slow-flag';
import { LATENCY_KEEP, percentile } from './stroke-latency';

/** What a drag over the current image does. */
export type ConstraintTool = 'color' | 'sketch' | 'eraser' | 'hand';

/** Stroke widths the constraint tools allow, in image pixels. */
export const STROKE_MIN = 1;
export const STROKE_MAX = 32;

/** What the constraint painting reads from the editor and tells it. */
export interface ConstraintContext {
  modelId(): string | null;
  /** The code the fit starts from. */
  code(): number[] | null;
  /** Whether the generator can fit constraints (it came with its encoder and weights). */
  canEdit(): boolean;
  /** An edit of the layers is about to happen: the editor records its state for undo. */
  beforeEdit(): void;
}

/** A constraint update as it goes to the engine. */
export interface ConstraintRequest {
  modelId: string;
  code: number[];
  color?: string;
  sketch?: string;
}

/** What is said when part of a finished stroke lay outside the image. */
export const CLIPPED_NOTE = 'Part of the stroke lay outside the image: only the part over the image counts.';
/** What is said when a finished stroke lay wholly outside the image. */
export const MISSED_NOTE = 'The stroke lay wholly outside the image, so nothing was painted.';

/**
 * iGAN-style constraints on the current image: colour and sketch strokes on their own layers,
 * an eraser, and the fits they ask for. A finished stroke (or Update) sends both layers with the
 * current code, latest-wins; the candidates come back best first, with the time each update took.
 */
export class ConstraintState {
  layers = $state.raw<ConstraintLayers | null>(null);
  tool = $state<ConstraintTool>('color');
  color = $state('#d03030');
  width = $state(4);
  /** Bumped on every change of the layers so the stage redraws them. */
  revision = $state(0);
  candidates = $state.raw<LatentCandidate[]>([]);
  /** What the engine said about the last fit. */
  notes = $state<string[]>([]);
  /** A finished stroke that lay partly or wholly outside the image. */
  clipNote = $state<string | null>(null);
  /** Updates have been in flight for a while (`SlowFlag`): the tools say so. */
  updating = $state(false);
  error = $state<string | null>(null);
  /** The engine's time for the newest update, the 95th percentile of the kept ones, and how many. */
  lastMs = $state<number | null>(null);
  p95Ms = $state<number | null>(null);
  updateCount = $state(0);
  /** Bumped whenever candidates arrive (even the same ones), for the view and the tests. */
  resultRevision = $state(0);
  private stroke: { kind: ConstraintKind | null; last: Point; touched: boolean; outside: boolean } | null =
    null;
  private readonly figures: number[] = [];
  private readonly slow = new SlowFlag((slow) => (this.updating = slow));
  private readonly scheduler: LiveScheduler<ConstraintRequest | null, LatentConstraintResult | null>;

  constructor(
    private readonly context: ConstraintContext,
    private readonly encode: (raster: ConstraintRaster) => string = rasterToPng,
  ) {
    this.scheduler = new LiveScheduler({
      capture: () => this.capture(),
      run: (request) => {
        if (!request) return Promise.resolve(null);
        return this.slow.track(window.studio.constrainLatent(request));
      },
      onResult: (result) => this.show(result),
      onError: (error) => (this.error = messageOf(error)),
    });
  }

  /** Fresh empty layers over an image of `size` pixels (another model), or none. */
  reset(size: number | null): void {
    this.scheduler.invalidate();
    this.layers = size ? new ConstraintLayers(size) : null;
    this.stroke = null;
    this.candidates = [];
    this.notes = [];
    this.clipNote = null;
    this.error = null;
    this.lastMs = null;
    this.p95Ms = null;
    this.updateCount = 0;
    this.figures.length = 0;
    this.width = size ? Math.max(STROKE_MIN, Math.round(size / 16)) : 4;
    this.revision += 1;
  }

  /** Whether anything is painted on either layer. */
  get painted(): boolean {
    void this.revision;
    const layers = this.layers;
    return !!layers && !(layers.blank('color') && layers.blank('sketch'));
  }

  /** A left-button press at an image point with the current tool; returns whether a drag follows. */
  press(point: Point): boolean {
    const layers = this.layers;
    if (!layers || this.tool === 'hand' || !this.context.canEdit()) return false;
    const kind = this.tool === 'eraser' ? null : this.tool;
    this.stroke = { kind, last: point, touched: false, outside: false };
    this.paint(point);
    return true;
  }

  /** The drag goes on to an image point. */
  drag(point: Point): void {
    if (this.stroke) this.paint(point);
  }

  /** The drag ended: says whether the stroke was clipped, and fits the constraints as they now stand. */
  release(): void {
    const stroke = this.stroke;
    if (!stroke) return;
    this.stroke = null;
    this.clipNote = !stroke.touched ? MISSED_NOTE : stroke.outside ? CLIPPED_NOTE : null;
    if (stroke.touched) this.scheduler.flush();
  }

  /** Fits the constraints now (the Update button). */
  update(): void {
    if (!this.painted) {
      this.error = 'Paint a colour or a sketch stroke on the image first.';
      return;
    }
    this.error = null;
    this.scheduler.flush();
  }

  /** Takes every stroke away (one undoable edit); the candidates go with them. */
  clear(): void {
    if (!this.layers || !this.painted || this.stroke) return;
    this.context.beforeEdit();
    this.layers.clear();
    this.clipNote = null;
    this.changed();
  }

  /** The layers' pixels, for the editor's undo history. */
  snapshot(): LayersSnapshot | null {
    return this.layers?.snapshot() ?? null;
  }

  /** Puts back layers from the undo history, and fits them again when they differ. */
  restore(snapshot: LayersSnapshot | null): void {
    const layers = this.layers;
    if (!layers || !snapshot || this.stroke) return;
    const same =
      snapshot.color.every((v, i) => v === layers.color.data[i]) &&
      snapshot.sketch.every((v, i) => v === layers.sketch.data[i]);
    if (same) return;
    layers.restore(snapshot);
    this.changed();
  }

  /** Whether a stroke is being painted (undo waits for its end). */
  get stroking(): boolean {
    return this.stroke !== null;
  }

  /** Sets the stroke width in image pixels, kept within its limits. */
  setWidth(width: number): void {
    const whole = Number.isFinite(width) ? Math.round(width) : STROKE_MIN;
    this.width = Math.min(STROKE_MAX, Math.max(STROKE_MIN, whole));
  }

  /** Makes the stroke a step wider (1) or thinner (-1). */
  stepWidth(direction: 1 | -1): void {
    const next = direction > 0 ? Math.max(this.width + 1, this.width * 1.25) : this.width / 1.25;
    this.setWidth(direction > 0 ? next : Math.min(this.width - 1, next));
  }

  /** Stops updates for good. */
  dispose(): void {
    this.scheduler.dispose();
  }

  private paint(point: Point): void {
    const stroke = this.stroke!;
    const layers = this.layers!;
    // The undo step is recorded when the stroke first reaches the image, so one wholly outside leaves none.
    if (!stroke.touched && layers.touches(stroke.last, point, this.width)) this.context.beforeEdit();
    if (layers.segment(stroke.kind, stroke.last, point, this.width, this.color)) stroke.touched = true;
    if (outsideImage(point, layers.imageSize)) stroke.outside = true;
    stroke.last = point;
    this.revision += 1;
  }

  private changed(): void {
    this.revision += 1;
    this.scheduler.flush();
  }

  private capture(): ConstraintRequest | null {
    const modelId = this.context.modelId();
    const code = this.context.code();
    const layers = this.layers;
    if (!modelId || !code || !layers || !this.painted) return null;
    return {
      modelId,
      code,
      ...(layers.blank('color') ? {} : { color: this.encode(layers.color) }),
      ...(layers.blank('sketch') ? {} : { sketch: this.encode(layers.sketch) }),
    };
  }

  private show(result: LatentConstraintResult | null): void {
    this.error = null;
    this.resultRevision += 1;
    if (!result) {
      this.candidates = [];
      this.notes = [];
      return;
    }
    this.candidates = [...result.candidates].sort((a, b) => a.loss - b.loss);
    this.notes = result.notes;
    this.figures.push(result.ms);
    if (this.figures.length > LATENCY_KEEP) this.figures.splice(0, this.figures.length - LATENCY_KEEP);
    this.lastMs = result.ms;
    this.p95Ms = percentile(this.figures, 0.95);
    this.updateCount += 1;
  }
}
