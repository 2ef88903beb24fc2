import type { ModelView, Payloads, RawPixels, TranslateResult } from '../../../preload/contract';
import { BusyState } from './busy-state.svelte';
import { modeFit, type DrawingChannels } from './canvas-mode';
import type { View } from './canvas-view';
import { DrawingSurface } from './drawing-surface';
import { EditHistory, historyLimitForBytes } from './edit-history';
import { baseName } from './format';
import { hintPixels, type HintPoint } from './hint-points';
import { LiveScheduler } from './live-scheduler';
import type { Point } from './mask-bitmap';
import { loadImage, offscreen, pixelsCanvas } from './mask-image';
import { rgbaToRaw } from './raw-pixels';
import { SlowFlag } from './slow-flag';
import { StageView } from './stage-view.svelte';
import { percentile, StrokeLatency } from './stroke-latency';

/** What a drag on the translation canvas does. */
export type DrawTool = 'pen' | 'eraser' | 'line' | 'bucket' | 'hint' | 'hand';

/** How drawing and result share the stage: beside each other, or the result over the drawing. */
export type ResultView = 'side' | 'overlay';

/** Pen widths the canvas allows, in image pixels. */
export const PEN_MIN = 1;
export const PEN_MAX = 64;

/** The gap between drawing and result side by side, as a fraction of the page's width. */
export const SIDE_GAP = 0.06;

/** The page the person draws on: its size and where it came from. */
export interface DrawingPage {
  width: number;
  height: number;
  /** The opened file's name, or `drawing` for a blank page. */
  name: string;
  surface: DrawingSurface;
}

/** A translation on show: the result of the drawing as it stood at `revision`, drawn on a canvas. */
export interface ShownTranslation extends TranslateResult {
  revision: number;
  canvas: HTMLCanvasElement;
}

/** A request as it goes to the engine. */
type Drawing = Payloads['canvas:translate'];

/** What one undo step puts back: the ink and the colour hints. */
interface EditState {
  ink: ImageData;
  hints: readonly HintPoint[];
}

/**
 * The translation canvas's state: the page and its drawing, tools, undo history, the live
 * result (sent latest-wins as the drawing changes) and the stroke-end → result figures. Lives
 * outside the components so it survives switching panels; the stage only renders it.
 */
export class TranslateState extends BusyState {
  projectId = $state<string | null>(null);
  model = $state.raw<ModelView | null>(null);
  page = $state.raw<DrawingPage | null>(null);
  tool = $state<DrawTool>('pen');
  color = $state('#000000');
  penWidth = $state(3);
  resultView = $state<ResultView>('side');
  opacity = $state(0.6);
  /** The colour hints placed on the page, in the order placed (sent only to models that take hints). */
  hints = $state.raw<readonly HintPoint[]>([]);
  /** The straight line being dragged out, in image points. */
  linePreview = $state.raw<{ from: Point; to: Point } | null>(null);
  result = $state.raw<ShownTranslation | null>(null);
  /** Updates have been in flight for a while (`SlowFlag`): the status line says so. */
  updating = $state(false);
  /** The newest stroke-end → result-drawn figure, and the 95th percentile of the kept ones. */
  liveMs = $state<number | null>(null);
  liveP95 = $state<number | null>(null);
  liveCount = $state(0);
  /** What the engine did to the drawing (resized, …) for the result on show. */
  notes = $state<string[]>([]);
  /** What the engine did to the opened image (scaled down, …). */
  openNotes = $state<string[]>([]);
  canUndo = $state(false);
  canRedo = $state(false);
  readonly stageView = new StageView();

  private history = new EditHistory<EditState>();
  private stroke: { last: Point; erase: boolean } | null = null;
  private lineStart: Point | null = null;
  /** An edit under way changed the drawing, so its end is timed. */
  private edited = false;
  private readonly latency = new StrokeLatency();
  private readonly slow = new SlowFlag((slow) => (this.updating = slow));
  private readonly scheduler = new LiveScheduler<Drawing, TranslateResult>({
    capture: () => this.capture(),
    run: (drawing) => this.slow.track(window.studio.translateDrawing(drawing)),
    onResult: (result, revision) => {
      try {
        this.result = { ...result, revision, canvas: pixelsCanvas(result.pixels) };
        this.notes = result.notes;
        this.error = null;
      } catch (error) {
        this.error = (error as Error).message;
      }
    },
    onError: (error) => {
      this.error = (error as Error).message;
    },
  });

  /** Clears the canvas when the project changes. */
  load(projectId: string | null): void {
    if (projectId === this.projectId) return;
    this.projectId = projectId;
    this.page = null;
    this.model = null;
    this.dropResult();
    this.error = null;
  }

  /** Whether the picked model takes colour hints, so the Hint tool is offered. */
  get takesHints(): boolean {
    return !!this.model?.takesHints;
  }

  /** How the drawing goes to the picked model (colour or gray), or null when it cannot go. */
  get channels(): DrawingChannels | null {
    const model = this.model;
    if (!model) return null;
    const fit = modeFit(model, 'translate');
    return fit.fits ? fit.channels : null;
  }

  /** Picks the translator; a blank page of its size starts when none is open. */
  pick(model: ModelView | null): void {
    if (model?.id === this.model?.id && model?.inChannels === this.model?.inChannels) return;
    this.model = model;
    if (this.tool === 'hint' && !model?.takesHints) this.tool = 'pen';
    this.dropResult();
    if (!model) return;
    if (!this.page) this.newPage();
    else if (this.channels) this.scheduler.invalidate();
  }

  /** Starts a blank white page of the model's size (a new undo history). */
  newPage(): void {
    const model = this.model;
    if (!model) return;
    this.start({
      width: model.width,
      height: model.height,
      name: 'drawing',
      surface: new DrawingSurface(model.width, model.height),
    });
  }

  /** Opens an image file on this machine as the page: drawing goes on over it. */
  async open(path: string): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    await this.attempt(
      async () => {
        const opened = await window.studio.openCanvasImage({ projectId, path });
        const image = await loadImage(opened.dataUrl);
        if (this.projectId !== projectId) return;
        this.start({
          width: opened.width,
          height: opened.height,
          name: baseName(opened.source),
          surface: new DrawingSurface(opened.width, opened.height, image),
        });
        this.openNotes = opened.notes;
      },
      `Opening ${baseName(path)}…`,
    );
  }

  /** A left-button press at an image point with the current tool; returns whether a drag follows. */
  press(point: Point): boolean {
    const page = this.page;
    if (!page || this.tool === 'hand') return false;
    this.edited = false;
    if (this.tool === 'hint') {
      const at = { x: Math.floor(point.x), y: Math.floor(point.y) };
      if (!this.takesHints || at.x < 0 || at.y < 0 || at.x >= page.width || at.y >= page.height) return true;
      this.record(this.snapshot());
      this.hints = [...this.hints, { ...at, color: this.color }];
      this.changed();
      return true;
    }
    if (this.tool === 'bucket') {
      const before = this.snapshot();
      if (page.surface.bucket(point, this.color)) {
        this.record(before);
        this.changed();
      }
      return true;
    }
    if (this.tool === 'line') {
      this.lineStart = point;
      this.linePreview = { from: point, to: point };
      return true;
    }
    this.record(this.snapshot());
    this.stroke = { last: point, erase: this.tool === 'eraser' };
    page.surface.segment(point, point, this.color, this.penWidth, this.stroke.erase);
    this.changed();
    return true;
  }

  /** The drag goes on to an image point. */
  drag(point: Point): void {
    const page = this.page;
    if (!page) return;
    if (this.lineStart) {
      this.linePreview = { from: this.lineStart, to: point };
    } else if (this.stroke) {
      page.surface.segment(this.stroke.last, point, this.color, this.penWidth, this.stroke.erase);
      this.stroke.last = point;
      this.changed();
    }
  }

  /** The drag ended at an image point (`at`, performance.now()): a line is drawn, the stroke timed. */
  release(point: Point, at: number): void {
    const page = this.page;
    if (page && this.lineStart) {
      this.record(this.snapshot());
      page.surface.segment(this.lineStart, point, this.color, this.penWidth, false);
      this.changed();
    }
    this.lineStart = null;
    this.linePreview = null;
    this.stroke = null;
    // A finished stroke goes out at once, at normal priority, beside any update sent during it
    // (whose result is then dropped): the debounce is for the changes during a stroke. The first
    // result of the drawing as it now stands times the stroke.
    const drawn = this.scheduler.latest;
    if (this.edited && this.channels) this.scheduler.preempt();
    if (this.edited) this.latency.strokeEnded(drawn, at);
    this.edited = false;
  }

  /** Takes every colour hint away (one undoable edit), and updates the result. */
  clearHints(): void {
    if (!this.page || !this.hints.length || this.stroke || this.lineStart) return;
    this.record(this.snapshot());
    this.hints = [];
    this.changed();
    this.edited = false;
    if (this.channels) this.scheduler.flush();
  }

  /** Goes back one edit. */
  undo(): void {
    this.step((current) => this.history.undo(current));
  }

  /** Goes forward one undone edit. */
  redo(): void {
    this.step((current) => this.history.redo(current));
  }

  /** Sets the pen width in image pixels, kept within its limits. */
  setPenWidth(width: number): void {
    const whole = Number.isFinite(width) ? Math.round(width) : PEN_MIN;
    this.penWidth = Math.min(PEN_MAX, Math.max(PEN_MIN, whole));
  }

  /** Makes the pen a step wider (1) or thinner (-1). */
  stepPen(direction: 1 | -1): void {
    const next = direction > 0 ? Math.max(this.penWidth + 1, this.penWidth * 1.25) : this.penWidth / 1.25;
    this.setPenWidth(direction > 0 ? next : Math.min(this.penWidth - 1, next));
  }

  /** Shows the result beside the drawing or over it; the view fits the new layout. */
  setResultView(view: ResultView): void {
    this.resultView = view;
    this.fit();
  }

  /** The stage drew the result of `revision` at `at` (performance.now()): times the strokes it includes. */
  resultDrawn(revision: number, at: number): void {
    const figure = this.latency.resultDrawn(revision, at);
    if (figure === null) return;
    this.liveMs = figure;
    this.liveP95 = percentile(this.latency.all, 0.95);
    this.liveCount = this.latency.all.length;
  }

  /** The result on show as a PNG data URL, as Save result writes it. */
  resultPng(): string | null {
    return this.result?.canvas.toDataURL('image/png') ?? null;
  }

  /** The drawing as a PNG data URL, as Save PNG writes it. */
  drawingPng(): string | null {
    return this.page?.surface.toPng() ?? null;
  }

  /** Where the result sits on the stage, in image pixels of the page. */
  get resultOffset(): Point {
    const page = this.page;
    if (!page || this.resultView === 'overlay') return { x: 0, y: 0 };
    return { x: page.width + Math.max(4, Math.round(page.width * SIDE_GAP)), y: 0 };
  }

  /** How the page sits on the stage: screen = image × scale + (x, y). */
  get view(): View {
    return this.stageView.view;
  }

  /** Shows the drawing (and the result beside it) whole, centred. */
  fit(): void {
    const page = this.page;
    if (!page) return;
    this.stageView.fit(this.resultOffset.x + page.width, page.height);
  }

  /** Stops live updates for good. */
  dispose(): void {
    this.scheduler.dispose();
  }

  private start(page: DrawingPage): void {
    this.page = page;
    this.history = new EditHistory(historyLimitForBytes(page.width * page.height * 4));
    this.stroke = null;
    this.lineStart = null;
    this.linePreview = null;
    this.hints = [];
    this.error = null;
    this.notes = [];
    this.openNotes = [];
    this.dropResult();
    this.syncHistory();
    this.fit();
    if (this.channels) this.scheduler.invalidate();
  }

  /**
   * The drawing as the engine takes it: raw pixels at the page's size, or scaled down to the
   * model's size when the page is larger (the engine would scale it anyway; this keeps the
   * request small), with the page's size for the note: RGB (the page is opaque), or one gray
   * channel for gray models.
   */
  private capture(): Drawing {
    const model = this.model;
    const page = this.page;
    const channels = this.channels;
    if (!model || !page || !channels) throw new Error('Pick a translator that fits Translate mode.');
    const scaled = page.width * page.height > model.width * model.height;
    const size = scaled ? { width: model.width, height: model.height } : page;
    const image = rgbaToRaw(
      page.surface.pixels(size).data,
      size.width,
      size.height,
      channels === 'gray' ? 1 : 3,
    );
    const drawing: Drawing = { modelId: model.id, image };
    if (this.stroke) drawing.preview = true;
    if (scaled) drawing.pageSize = { width: page.width, height: page.height };
    if (model.takesHints && this.hints.length) drawing.hints = this.hintsRaw(page, size);
    return drawing;
  }

  /** The hints as RGBA at `size`: opaque squares of their colours on transparency, drawn at the page's size. */
  private hintsRaw(page: DrawingPage, size: { width: number; height: number }): RawPixels {
    const rgba = hintPixels(this.hints, page.width, page.height);
    if (size.width === page.width && size.height === page.height)
      return rgbaToRaw(rgba, size.width, size.height, 4);
    const [canvas, context] = offscreen(page.width, page.height);
    context.putImageData(new ImageData(rgba, page.width, page.height), 0, 0);
    const [, scaled] = offscreen(size.width, size.height);
    scaled.imageSmoothingEnabled = false;
    scaled.drawImage(canvas, 0, 0, size.width, size.height);
    return rgbaToRaw(scaled.getImageData(0, 0, size.width, size.height).data, size.width, size.height, 4);
  }

  private snapshot(): EditState {
    return { ink: this.page!.surface.snapshot(), hints: this.hints };
  }

  private record(before: EditState): void {
    this.history.record(before);
    this.syncHistory();
  }

  private step(move: (current: EditState) => EditState | null): void {
    const page = this.page;
    if (!page || this.stroke || this.lineStart) return;
    const target = move(this.snapshot());
    if (target) {
      page.surface.restore(target.ink);
      this.hints = target.hints;
      this.changed();
    }
    this.syncHistory();
  }

  private changed(): void {
    this.edited = true;
    if (this.channels) this.scheduler.changed();
  }

  private dropResult(): void {
    this.result = null;
    this.latency.drop();
  }

  private syncHistory(): void {
    this.canUndo = this.history.undoCount > 0;
    this.canRedo = this.history.redoCount > 0;
  }
}
