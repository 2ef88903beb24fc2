import { fitView, panBy, zoomAt, ZOOM_STEP, type View } from './canvas-view';
import type { Point } from './mask-bitmap';

/**
 * Zoom and pan of a canvas stage: how its content sits on the stage and the stage's size in
 * screen pixels. Content asked to fit before the stage has a size fits once it has one.
 */
export class StageView {
  view = $state<View>({ scale: 1, x: 0, y: 0 });
  viewport = $state({ width: 0, height: 0 });
  private pending: { width: number; height: number } | null = null;

  /** Zooms by `factor` about a stage point (its centre unless told), or by a step in or out. */
  zoom(factor: number | 'in' | 'out', anchor?: Point): void {
    const by = factor === 'in' ? ZOOM_STEP : factor === 'out' ? 1 / ZOOM_STEP : factor;
    const at = anchor ?? { x: this.viewport.width / 2, y: this.viewport.height / 2 };
    this.view = zoomAt(this.view, at, by);
  }

  /** Shows content of `width`×`height` whole and centred, now or once the stage has a size. */
  fit(width: number, height: number): void {
    const viewport = this.viewport;
    if (viewport.width === 0 || viewport.height === 0) {
      this.pending = { width, height };
      return;
    }
    this.view = fitView(width, height, viewport.width, viewport.height);
    this.pending = null;
  }

  /** Moves the content by a screen distance. */
  pan(dx: number, dy: number): void {
    this.view = panBy(this.view, dx, dy);
  }

  /** The stage's new size; content waiting to fit fits it. */
  resize(width: number, height: number): void {
    this.viewport = { width, height };
    if (this.pending) this.fit(this.pending.width, this.pending.height);
  }
}
