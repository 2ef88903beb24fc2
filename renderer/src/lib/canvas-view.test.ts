import { describe, expect, it } from 'vitest';
import { fitView, MAX_SCALE, panBy, toImagePoint, zoomAt } from './canvas-view';

describe('canvas view', () => {
  it('fits the image centred with a margin', () => {
    const view = fitView(200, 100, 432, 432, 16);
    expect(view.scale).toBe(2);
    expect(view).toEqual({ scale: 2, x: 16, y: 116 });
    expect(toImagePoint(view, { x: 16, y: 116 })).toEqual({ x: 0, y: 0 });
  });

  it('zooms about a point that stays over the same image pixel, within the limits', () => {
    const view = { scale: 1, x: 10, y: 20 };
    const anchor = { x: 110, y: 70 };
    const before = toImagePoint(view, anchor);
    const zoomed = zoomAt(view, anchor, 2);
    expect(zoomed.scale).toBe(2);
    expect(toImagePoint(zoomed, anchor)).toEqual(before);
    expect(zoomAt(view, anchor, 1e6).scale).toBe(MAX_SCALE);
  });

  it('pans by screen pixels', () => {
    expect(panBy({ scale: 3, x: 1, y: 2 }, 5, -7)).toEqual({ scale: 3, x: 6, y: -5 });
  });
});
