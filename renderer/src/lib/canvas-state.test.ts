import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanvasState } from './canvas-state.svelte';
import { HISTORY_LIMIT } from './edit-history';
import { maskArea } from './mask-bitmap';

const IMAGE = {
  path: '/p/canvas/a.png',
  source: '/data/a.jpg',
  width: 40,
  height: 30,
  dataUrl: 'data:a',
  notes: [],
};

async function opened(): Promise<CanvasState> {
  const canvas = new CanvasState();
  canvas.load('p1');
  await canvas.open('/data/a.jpg');
  return canvas;
}

function area(canvas: CanvasState): number {
  return canvas.mask ? maskArea(canvas.mask) : -1;
}

function stroke(canvas: CanvasState, from: number, to: number): void {
  canvas.beginStroke({ x: from, y: 15 });
  canvas.strokeTo({ x: (from + to) / 2, y: 15 });
  canvas.strokeTo({ x: to, y: 15 });
  canvas.endStroke();
}

describe('the canvas state', () => {
  beforeEach(() => {
    vi.stubGlobal('window', { studio: { openCanvasImage: vi.fn(async () => IMAGE) } });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('opens an image with an empty mask of its size and a brush that suits it', async () => {
    const canvas = await opened();
    expect(canvas.picture).toMatchObject({ path: IMAGE.path, width: 40, height: 30, name: 'a.jpg' });
    expect(canvas.mask?.data.length).toBe(40 * 30);
    expect(area(canvas)).toBe(0);
    expect(canvas.brushSize).toBe(3);
    expect(canvas.canUndo).toBe(false);
  });

  it('undoes and redoes strokes one at a time, the eraser included', async () => {
    const canvas = await opened();
    canvas.setBrush(6);
    stroke(canvas, 5, 15);
    const one = area(canvas);
    expect(one).toBeGreaterThan(40);
    stroke(canvas, 25, 35);
    const two = area(canvas);
    expect(two).toBeGreaterThan(one);
    canvas.tool = 'eraser';
    stroke(canvas, 0, 40);
    expect(area(canvas)).toBe(0);
    canvas.undo();
    expect(area(canvas)).toBe(two);
    canvas.undo();
    expect(area(canvas)).toBe(one);
    expect(canvas.canRedo).toBe(true);
    canvas.redo();
    expect(area(canvas)).toBe(two);
    canvas.undo();
    canvas.undo();
    expect(area(canvas)).toBe(0);
    expect(canvas.canUndo).toBe(false);
  });

  it('inverts and clears as undoable edits; the hand tool paints nothing', async () => {
    const canvas = await opened();
    stroke(canvas, 5, 15);
    const painted = area(canvas);
    canvas.invertMask();
    expect(area(canvas)).toBe(40 * 30 - painted);
    canvas.clearMask();
    expect(area(canvas)).toBe(0);
    canvas.undo();
    expect(area(canvas)).toBe(40 * 30 - painted);
    canvas.undo();
    expect(area(canvas)).toBe(painted);
    canvas.tool = 'hand';
    stroke(canvas, 20, 30);
    expect(area(canvas)).toBe(painted);
  });

  it('keeps a bounded history', async () => {
    const canvas = await opened();
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) stroke(canvas, i % 40, (i % 40) + 1);
    let undone = 0;
    while (canvas.canUndo) {
      canvas.undo();
      undone += 1;
    }
    expect(undone).toBe(HISTORY_LIMIT);
    expect(area(canvas)).toBeGreaterThan(0);
  });

  it('clamps the brush and the feather', async () => {
    const canvas = await opened();
    canvas.setBrush(0);
    expect(canvas.brushSize).toBe(1);
    canvas.stepBrush(-1);
    expect(canvas.brushSize).toBe(1);
    canvas.setBrush(9999);
    expect(canvas.brushSize).toBe(512);
    canvas.setFeather(40);
    expect(canvas.feather).toBe(16);
    canvas.setFeather(-2);
    expect(canvas.feather).toBe(0);
  });

  it('accepts a fill as the new image with an empty mask, undoably; revert drops it', async () => {
    const canvas = await opened();
    stroke(canvas, 5, 15);
    const painted = area(canvas);
    const fill = {
      modelId: 'm1',
      outputPath: '/p/canvas/a-filled.png',
      dataUrl: 'data:filled',
      width: 40,
      height: 30,
      modelMs: 5,
      totalMs: 9,
      provider: 'cpu',
      holeFraction: 0.1,
      notes: [],
      clickedAt: 0,
    };
    canvas.result = fill;
    canvas.revert();
    expect(canvas.result).toBeNull();
    expect(area(canvas)).toBe(painted);
    canvas.result = fill;
    expect(canvas.download?.name).toBe('a-filled.png');
    canvas.accept();
    expect(canvas.result).toBeNull();
    expect(canvas.picture?.path).toBe(fill.outputPath);
    expect(canvas.download).toEqual({ url: 'data:filled', name: 'a-filled.png' });
    expect(area(canvas)).toBe(0);
    canvas.undo();
    expect(canvas.picture?.path).toBe(IMAGE.path);
    expect(area(canvas)).toBe(painted);
    expect(canvas.download?.name).toBe('a.png');
    canvas.redo();
    expect(canvas.picture?.path).toBe(fill.outputPath);
  });

  it('refuses to fill without a model', async () => {
    const canvas = await opened();
    await canvas.fill();
    expect(canvas.error).toMatch(/inpainting model/);
    expect(canvas.fillingSince).toBeNull();
  });
});
