import { listen } from './listen';
import type { Point } from './mask-bitmap';

/** What pointer and wheel input on a canvas stage does, in stage (screen) points. */
export interface StageGestures {
  /** Whether a left-button drag pans rather than draws (the hand tool, or Space held). */
  pans: () => boolean;
  pan: (dx: number, dy: number) => void;
  zoom: (factor: number, at: Point) => void;
  /** A left-button press that draws; returns whether a drag follows. */
  press: (at: Point) => boolean;
  drag: (at: Point) => void;
  /** The drawing drag ended (button up, or the pointer was taken away). */
  release: (at: Point) => void;
  /** Where the pointer hovers, null once it leaves; for the brush outline. */
  hover: (at: Point | null) => void;
  /** A pan drag began (true) or ended (false); for the grabbing cursor. */
  grabbing?: (on: boolean) => void;
}

/**
 * Wires a stage element's pointer and wheel events to `gestures`: the middle button (or the
 * hand) pans, the left button draws, the wheel zooms about the pointer. Returns the function
 * that unwires them.
 */
export function attachStageGestures(element: HTMLElement, gestures: StageGestures): () => void {
  let drag: { kind: 'pan'; last: Point } | { kind: 'draw' } | null = null;
  const local = (event: MouseEvent): Point => {
    const rect = element.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const end = (event: PointerEvent): void => {
    if (drag?.kind === 'draw') gestures.release(local(event));
    if (drag?.kind === 'pan') gestures.grabbing?.(false);
    drag = null;
  };
  // Registered by hand: the stage is one widget (role application) that takes the pointer
  // whole, and wheel zoom must cancel the page's scroll, so it cannot be passive.
  const offs = [
    listen(element, 'pointerdown', (event) => {
      element.focus({ preventScroll: true });
      const at = local(event);
      if (event.button === 1 || (event.button === 0 && gestures.pans())) {
        event.preventDefault();
        drag = { kind: 'pan', last: at };
        gestures.grabbing?.(true);
      } else if (event.button === 0 && gestures.press(at)) {
        drag = { kind: 'draw' };
      } else {
        return;
      }
      element.setPointerCapture(event.pointerId);
    }),
    listen(element, 'pointermove', (event) => {
      const at = local(event);
      gestures.hover(at);
      if (drag?.kind === 'pan') {
        gestures.pan(at.x - drag.last.x, at.y - drag.last.y);
        drag.last = at;
      } else if (drag?.kind === 'draw') {
        gestures.drag(at);
      }
    }),
    listen(element, 'pointerup', end),
    listen(element, 'pointercancel', end),
    listen(element, 'pointerleave', () => gestures.hover(null)),
    // The middle button pans; keep the browser's autoscroll out of it.
    listen(element, 'mousedown', (event) => {
      if (event.button === 1) event.preventDefault();
    }),
    listen(element, 'wheel', (event) => {
      event.preventDefault();
      gestures.zoom(Math.exp(-event.deltaY * 0.0015), local(event));
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
