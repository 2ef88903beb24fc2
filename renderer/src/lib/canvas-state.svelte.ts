import type { FillResult } from '../../../preload/contract';
import { clampBrush, clampFeather, defaultBrush, FEATHER_DEFAULT, stepBrush, type Tool } from './brush';
import { BusyState } from './busy-state.svelte';
import type { View } from './canvas-view';
import { EditHistory, historyLimitFor } from './edit-history';
import { baseName } from './format';
import {
  emptyMask,
  fullRect,
  invertMask,
  packMask,
  paintSegment,
  unionRect,
  unpackInto,
  type MaskBitmap,
  type PixelRect,
  type Point,
} from './mask-bitmap';
import { maskFromPng, maskToPng } from './mask-image';
import { StageView } from './stage-view.svelte';

/** The image the canvas edits: a PNG in the project, by path (for the engine) and data URL (to draw). */
export interface CanvasPicture {
  path: string;
  dataUrl: string;
  width: number;
  height: number;
  /** The name of the file it came from, for the saved copy's name. */
  name: string;
}

/** A fill on show, with when its Fill click happened (performance.now()). */
export interface ShownFill extends FillResult {
  clickedAt: number;
}

/** What the status line says about the newest fill. */
export interface FillReport {
  modelMs: number;
  totalMs: number;
  provider: string;
  holeFraction: number;
  notes: string[];
  /** Milliseconds from the Fill click until the result was on the stage; null until drawn. */
  drawnMs: number | null;
}

/** What undo restores: the image and its mask (packed, a bit per pixel). */
interface Snapshot {
  picture: CanvasPicture;
  mask: Uint8Array;
}

/**
 * The canvas's editing state: the image, its hole mask at the image's resolution, the tools, the
 * undo history of mask edits and accepted fills, and the fill on show. Lives outside the
 * components so it survives switching panels; the stage only renders it.
 */
export class CanvasState extends BusyState {
  projectId = $state<string | null>(null);
  modelId = $state<string | null>(null);
  picture = $state.raw<CanvasPicture | null>(null);
  tool = $state<Tool>('brush');
  brushSize = $state(24);
  feather = $state(FEATHER_DEFAULT);
  /** Bumped on every mask change so the stage redraws; `takeDirty` says which pixels. */
  maskRevision = $state(0);
  /** The mask overlay steps aside while a fill is on show, until the mask is edited again. */
  maskHidden = $state(false);
  result = $state.raw<ShownFill | null>(null);
  lastFill = $state<FillReport | null>(null);
  /** What the engine did to the image on opening (scaled down, …). */
  openNotes = $state<string[]>([]);
  /** When the fill under way was asked for (performance.now()), or null when none is. */
  fillingSince = $state<number | null>(null);
  canUndo = $state(false);
  canRedo = $state(false);
  /** How the image sits on the stage: zoom and pan. */
  readonly stageView = new StageView();

  /** The hole, 1 per pixel inside it; edited in place, announced through `maskRevision`. */
  mask: MaskBitmap | null = null;

  private dirty: PixelRect | null = null;
  /** The PNG copy the person opened, to tell it from accepted fills. */
  private openedPath: string | null = null;
  private history = new EditHistory<Snapshot>();
  private stroke: { last: Point; value: 0 | 1 } | null = null;
  /** A newly opened image fits the stage. */
  private fitPending = false;

  /** Clears the canvas when the project changes. */
  load(projectId: string | null): void {
    if (projectId === this.projectId) return;
    this.projectId = projectId;
    this.picture = null;
    this.mask = null;
    this.result = null;
    this.lastFill = null;
    this.openNotes = [];
    this.error = null;
    this.modelId = null;
    this.history.clear();
    this.syncHistory();
  }

  /** Opens an image file on this machine (copied into the project as a PNG) with an empty mask. */
  async open(path: string): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    await this.attempt(
      async () => {
        const image = await window.studio.openCanvasImage({ projectId, path });
        if (this.projectId !== projectId) return;
        this.history = new EditHistory(historyLimitFor(image.width, image.height));
        this.result = null;
        this.lastFill = null;
        this.openNotes = image.notes;
        this.brushSize = defaultBrush(image.width, image.height);
        this.openedPath = image.path;
        this.fitPending = true;
        this.show({
          path: image.path,
          dataUrl: image.dataUrl,
          width: image.width,
          height: image.height,
          name: baseName(image.source),
        });
      },
      `Opening ${baseName(path)}…`,
    );
  }

  /** Replaces the mask with a mask image file of the image's size (undoable). */
  async importMask(path: string): Promise<void> {
    const picture = this.picture;
    if (!picture) return;
    await this.attempt(
      async () => {
        const url = await window.studio.openCanvasMask({
          path,
          width: picture.width,
          height: picture.height,
        });
        const imported = await maskFromPng(url, picture.width, picture.height);
        if (this.picture !== picture || !this.mask) return;
        this.record();
        this.mask.data.set(imported.data);
        this.changed(fullRect(this.mask));
      },
      `Opening ${baseName(path)}…`,
    );
  }

  /** Starts a brush or eraser stroke at an image point (undoable as one edit). */
  beginStroke(point: Point): void {
    if (!this.mask || this.tool === 'hand') return;
    this.record();
    const value = this.tool === 'eraser' ? 0 : 1;
    this.stroke = { last: point, value };
    this.changed(paintSegment(this.mask, point, point, this.brushSize, value));
  }

  /** Drags the stroke on to an image point. */
  strokeTo(point: Point): void {
    if (!this.stroke || !this.mask) return;
    this.changed(paintSegment(this.mask, this.stroke.last, point, this.brushSize, this.stroke.value));
    this.stroke.last = point;
  }

  /** Ends the stroke. */
  endStroke(): void {
    this.stroke = null;
  }

  /** Whether a stroke is under way. */
  get stroking(): boolean {
    return this.stroke !== null;
  }

  /** Empties the mask (undoable). */
  clearMask(): void {
    if (!this.mask) return;
    this.record();
    this.mask.data.fill(0);
    this.changed(fullRect(this.mask));
  }

  /** Swaps the hole and the rest (undoable). */
  invertMask(): void {
    if (!this.mask) return;
    this.record();
    invertMask(this.mask);
    this.changed(fullRect(this.mask));
  }

  /** Goes back one edit. */
  undo(): void {
    if (this.stroke) return;
    const previous = this.history.undo(this.snapshot());
    if (previous) this.restore(previous);
    this.syncHistory();
  }

  /** Goes forward one undone edit. */
  redo(): void {
    if (this.stroke) return;
    const next = this.history.redo(this.snapshot());
    if (next) this.restore(next);
    this.syncHistory();
  }

  /** Sets the brush diameter in image pixels, kept within its limits. */
  setBrush(size: number): void {
    this.brushSize = clampBrush(size);
  }

  /** Makes the brush a step larger (1) or smaller (-1). */
  stepBrush(direction: 1 | -1): void {
    this.brushSize = stepBrush(this.brushSize, direction);
  }

  /** Sets the feather in pixels, kept within its limits. */
  setFeather(feather: number): void {
    this.feather = clampFeather(feather);
  }

  /**
   * Fills the hole with the chosen model. The mask goes at the image's resolution; painting and
   * zooming go on meanwhile, and a second call while one runs does nothing.
   */
  async fill(clickedAt: number = performance.now()): Promise<void> {
    const picture = this.picture;
    const mask = this.mask;
    const modelId = this.modelId;
    if (this.fillingSince !== null || !picture || !mask) return;
    if (!modelId) {
      this.error = 'Choose an inpainting model first.';
      return;
    }
    this.fillingSince = clickedAt;
    this.error = null;
    try {
      const result = await window.studio.fillHole({
        modelId,
        imagePath: picture.path,
        mask: maskToPng(mask),
        feather: this.feather,
      });
      // A fill of an image that is no longer on the canvas is dropped.
      if (this.picture !== picture) return;
      this.result = { ...result, clickedAt };
      this.maskHidden = true;
      this.lastFill = {
        modelMs: result.modelMs,
        totalMs: result.totalMs,
        provider: result.provider,
        holeFraction: result.holeFraction,
        notes: result.notes,
        drawnMs: null,
      };
    } catch (error) {
      if (this.picture === picture) this.error = (error as Error).message;
    } finally {
      this.fillingSince = null;
    }
  }

  /** The stage first drew the fill on show at `now` (performance.now()): the click-to-result time. */
  fillDrawn(now: number): void {
    if (this.result && this.lastFill && this.lastFill.drawnMs === null) {
      this.lastFill.drawnMs = now - this.result.clickedAt;
    }
  }

  /** Makes the fill on show the image, with an empty mask (undoable). */
  accept(): void {
    const result = this.result;
    const picture = this.picture;
    if (!result || !picture || !this.mask) return;
    this.record();
    this.result = null;
    this.show({
      path: result.outputPath,
      dataUrl: result.dataUrl,
      width: result.width,
      height: result.height,
      name: picture.name,
    });
  }

  /** Drops the fill on show; the image and mask stay as they were. */
  revert(): void {
    this.result = null;
    this.maskHidden = false;
  }

  /** How the image sits on the stage: screen = image × scale + (x, y). */
  get view(): View {
    return this.stageView.view;
  }

  /** Zooms by `factor` about a stage point (its centre unless told), or by a step in or out. */
  zoom(factor: number | 'in' | 'out', anchor?: Point): void {
    this.stageView.zoom(factor, anchor);
  }

  /** Shows the whole image, centred. */
  fit(): void {
    const picture = this.picture;
    if (!picture) return;
    this.stageView.fit(picture.width, picture.height);
    this.fitPending = false;
  }

  /** Moves the image by a screen distance. */
  pan(dx: number, dy: number): void {
    this.stageView.pan(dx, dy);
  }

  /** The stage's new size. */
  resize(width: number, height: number): void {
    this.stageView.resize(width, height);
  }

  /** The pixels changed since the last call, for the stage to redraw; null when none. */
  takeDirty(): PixelRect | null {
    const dirty = this.dirty;
    this.dirty = null;
    return dirty;
  }

  /** What Save PNG writes: the fill on show, else the image, named after the file it came from. */
  get download(): { url: string; name: string } | null {
    const picture = this.picture;
    if (!picture) return null;
    const stem = picture.name.replace(/\.[^.]+$/, '') || 'image';
    const filled = this.result !== null || picture.path !== this.openedPath;
    return {
      url: this.result?.dataUrl ?? picture.dataUrl,
      name: `${stem}${filled ? '-filled' : ''}.png`,
    };
  }

  private show(picture: CanvasPicture): void {
    const sameSize = this.mask?.width === picture.width && this.mask.height === picture.height;
    this.picture = picture;
    if (sameSize && this.mask) this.mask.data.fill(0);
    else this.mask = emptyMask(picture.width, picture.height);
    this.maskHidden = false;
    this.stroke = null;
    this.changed(fullRect(this.mask));
    this.syncHistory();
    if (this.fitPending) this.fit();
  }

  private snapshot(): Snapshot {
    return { picture: this.picture!, mask: this.mask ? packMask(this.mask) : new Uint8Array() };
  }

  private record(): void {
    if (!this.picture) return;
    this.history.record(this.snapshot());
    this.syncHistory();
  }

  private restore(snapshot: Snapshot): void {
    if (snapshot.picture !== this.picture) {
      this.result = null;
      this.show(snapshot.picture);
    }
    if (!this.mask) return;
    unpackInto(snapshot.mask, this.mask);
    this.changed(fullRect(this.mask));
  }

  private changed(rect: PixelRect | null): void {
    if (!rect) return;
    this.dirty = unionRect(this.dirty, rect);
    this.maskHidden = false;
    // A refusal (an empty mask, …) is about the mask before this edit.
    if (this.fillingSince === null) this.error = null;
    this.maskRevision += 1;
  }

  private syncHistory(): void {
    this.canUndo = this.history.undoCount > 0;
    this.canRedo = this.history.redoCount > 0;
  }
}
