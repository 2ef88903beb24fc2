import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LatentModelInfo, ModelView } from '../../../preload/contract';
import { CLIPPED_NOTE, MISSED_NOTE } from './latent-constraints.svelte';
import { LatentState } from './latent-state.svelte';

const MODEL = { id: 'm1', name: 'faces', kind: 'latent' } as ModelView;
const DIRECTIONS = [
  { id: 'pc-1', name: 'Principal 1', kind: 'principal' as const, vector: [1, 0, 0], spread: 2 },
  { id: 'pc-2', name: 'Principal 2', kind: 'principal' as const, vector: [0, 1, 0], spread: 1 },
];
const image = (code: number[]): string => `img:${code.map((v) => v.toFixed(3)).join(',')}`;

function engine(info: Partial<LatentModelInfo> = {}) {
  let drawn = 0;
  return {
    openLatent: vi.fn(async () => ({
      modelId: 'm1',
      size: 16,
      nz: 3,
      canEdit: true,
      directions: DIRECTIONS,
      notes: [],
      ...info,
    })),
    randomLatent: vi.fn(async ({ count }: { count: number }) => ({
      samples: Array.from({ length: count }, () => {
        drawn += 1;
        const code = [drawn, 0, 0];
        return { code, dataUrl: image(code) };
      }),
      ms: 3,
    })),
    sampleLatent: vi.fn(async ({ codes }: { codes: number[][] }) => ({ images: codes.map(image), ms: 2 })),
    saveLatentDirection: vi.fn(async ({ name, vector }: { name: string; vector: number[] }) => ({
      id: 'saved-1',
      name,
      kind: 'saved' as const,
      vector,
      spread: 1,
    })),
    deleteLatentDirection: vi.fn(async ({ directionId }: { directionId: string }) => ({ id: directionId })),
    constrainLatent: vi.fn(async ({ code }: { code: number[] }) => ({
      candidates: [
        { code: [9, 9, 9], dataUrl: 'img:worse', loss: 0.5 },
        { code: [code[0]!, 5, 5], dataUrl: 'img:best', loss: 0.1 },
      ],
      ms: 400,
      notes: [],
    })),
  };
}

let studio: ReturnType<typeof engine>;

async function opened(info: Partial<LatentModelInfo> = {}): Promise<LatentState> {
  studio = engine(info);
  vi.stubGlobal('window', { studio });
  const latent = new LatentState((raster) => `png:${raster.side}`);
  latent.load('p1');
  latent.pick(MODEL);
  await vi.waitFor(() => expect(latent.code).not.toBeNull());
  return latent;
}

/** Lets the live scheduler's debounce pass and its request settle. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(500);
}

describe('the latent editor state', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('opens a generator on a random code with its image, and fills the random grid', async () => {
    const latent = await opened();
    expect(latent.info?.nz).toBe(3);
    expect(latent.code).toEqual([1, 0, 0]);
    expect(latent.imageOfCode).toBe(image([1, 0, 0]));
    expect(latent.random.samples).toHaveLength(8);
    expect(latent.canUndo).toBe(false);
    expect(latent.editReason).toBeNull();
  });

  it('moves the code along a slider, re-samples it live, and undoes the move with its image', async () => {
    const latent = await opened();
    latent.slide('pc-1', 3);
    latent.slide('pc-1', 4);
    latent.endSlide();
    expect(latent.code).toEqual([5, 0, 0]);
    expect(latent.imageOfCode).toBeNull();
    await settle();
    expect(studio.sampleLatent).toHaveBeenCalledTimes(1);
    expect(latent.imageOfCode).toBe(image([5, 0, 0]));
    latent.slide('pc-2', 99);
    latent.endSlide();
    expect(latent.code).toEqual([5, 3, 0]);
    await settle();
    latent.undo();
    expect(latent.code).toEqual([5, 0, 0]);
    expect(latent.amounts).toEqual({ 'pc-1': 4 });
    expect(latent.imageOfCode).toBe(image([5, 0, 0]));
    latent.undo();
    expect(latent.code).toEqual([1, 0, 0]);
    expect(latent.canUndo).toBe(false);
    latent.redo();
    latent.redo();
    expect(latent.code).toEqual([5, 3, 0]);
    await settle();
    expect(studio.sampleLatent).toHaveBeenCalledTimes(2);
  });

  it('drops a live sample that arrives after the code was set directly', async () => {
    const latent = await opened();
    studio.sampleLatent.mockImplementationOnce(async ({ codes }) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { images: codes.map(image), ms: 2 };
    });
    latent.slide('pc-1', 2);
    latent.endSlide();
    await vi.advanceTimersByTimeAsync(100);
    expect(studio.sampleLatent).toHaveBeenCalledTimes(1);
    latent.continueFrom({ code: [7, 7, 7], dataUrl: 'img:picked' }, true);
    await settle();
    expect(latent.code).toEqual([7, 7, 7]);
    expect(latent.imageOfCode).toBe('img:picked');
    expect(latent.origin).toEqual([7, 7, 7]);
    latent.undo();
    expect(latent.code).toEqual([3, 0, 0]);
  });

  it('saves the edit since the start or the sliders as a direction, and refuses a zero one', async () => {
    const latent = await opened();
    expect(await latent.saveDirection('nothing', 'edit')).toBe(false);
    expect(latent.directionError).toContain('still the start');
    expect(await latent.saveDirection('nothing', 'sliders')).toBe(false);
    expect(latent.directionError).toContain('Every slider is at zero');
    expect(studio.saveLatentDirection).not.toHaveBeenCalled();
    latent.slide('pc-2', 1);
    latent.endSlide();
    latent.continueFrom({ code: [1, 1, 2], dataUrl: 'img:x' }, false);
    expect(await latent.saveDirection('  smile ', 'edit')).toBe(true);
    expect(studio.saveLatentDirection).toHaveBeenLastCalledWith({
      modelId: 'm1',
      name: 'smile',
      vector: [0, 1, 2],
    });
    expect(latent.directions.map((d) => d.id)).toEqual(['pc-1', 'pc-2', 'saved-1']);
    expect(latent.directionError).toBeNull();
  });

  it('keeps what a deleted direction added in the code, and shows a refusal beside the control', async () => {
    const latent = await opened();
    latent.slide('pc-1', 1);
    latent.endSlide();
    latent.slide('pc-2', 1);
    latent.endSlide();
    studio.deleteLatentDirection.mockRejectedValueOnce(
      new Error('Principal directions belong to the model and cannot be deleted.'),
    );
    expect(await latent.deleteDirection('pc-1')).toBe(false);
    expect(latent.directionError).toContain('cannot be deleted');
    expect(await latent.deleteDirection('pc-1')).toBe(true);
    expect(latent.directions.map((d) => d.id)).toEqual(['pc-2']);
    expect(latent.code).toEqual([2, 1, 0]);
    latent.slide('pc-2', 0);
    expect(latent.code).toEqual([2, 0, 0]);
    latent.undo();
    latent.slide('pc-2', 0.5);
    expect(latent.code).toEqual([2, 0.5, 0]);
  });

  it('shows why a generator without its encoder cannot project, fit or rank, and paints nothing', async () => {
    const latent = await opened({ canEdit: false, notes: ['No encoder beside faces.onnx.'] });
    expect(latent.editReason).toBe('No encoder beside faces.onnx.');
    expect(latent.constraints.tool).toBe('hand');
    latent.constraints.tool = 'color';
    expect(latent.constraints.press({ x: 4, y: 4 })).toBe(false);
    expect(latent.constraints.painted).toBe(false);
  });

  it('fits painted strokes when a stroke ends, shows candidates best first, and continues from one undoably', async () => {
    const latent = await opened();
    const constraints = latent.constraints;
    expect(constraints.press({ x: 4, y: 4 })).toBe(true);
    constraints.drag({ x: 10, y: 4 });
    constraints.release();
    expect(constraints.clipNote).toBeNull();
    await settle();
    expect(studio.constrainLatent).toHaveBeenCalledWith({ modelId: 'm1', code: [1, 0, 0], color: 'png:256' });
    expect(constraints.candidates.map((c) => c.loss)).toEqual([0.1, 0.5]);
    expect(constraints.lastMs).toBe(400);
    expect(constraints.p95Ms).toBe(400);
    expect(constraints.updateCount).toBe(1);

    latent.continueFrom(constraints.candidates[0]!, false);
    expect(latent.code).toEqual([1, 5, 5]);
    expect(latent.imageOfCode).toBe('img:best');
    latent.undo();
    expect(latent.code).toEqual([1, 0, 0]);
    expect(constraints.painted).toBe(true);
    latent.undo();
    expect(constraints.painted).toBe(false);
    await settle();
    expect(constraints.candidates).toEqual([]);
    expect(studio.constrainLatent).toHaveBeenCalledTimes(1);
  });

  it('sends sketch strokes on their own layer, says when a stroke left the image, and refuses an empty update', async () => {
    const latent = await opened();
    const constraints = latent.constraints;
    constraints.update();
    expect(constraints.error).toContain('Paint a colour or a sketch stroke');
    constraints.tool = 'sketch';
    constraints.press({ x: 8, y: 8 });
    constraints.drag({ x: 30, y: 8 });
    constraints.release();
    expect(constraints.clipNote).toBe(CLIPPED_NOTE);
    await settle();
    expect(studio.constrainLatent).toHaveBeenLastCalledWith({
      modelId: 'm1',
      code: [1, 0, 0],
      sketch: 'png:256',
    });
    expect(latent.canUndo).toBe(true);
    latent.undo();
    expect(constraints.painted).toBe(false);
    latent.redo();
    expect(constraints.painted).toBe(true);
    await settle();
    // Undo then redo at once: the layers end as they were, and are fitted once more (latest wins).
    expect(studio.constrainLatent).toHaveBeenCalledTimes(2);
    constraints.press({ x: -20, y: -20 });
    constraints.drag({ x: -30, y: 40 });
    constraints.release();
    expect(constraints.clipNote).toBe(MISSED_NOTE);
    await settle();
    expect(studio.constrainLatent).toHaveBeenCalledTimes(2);
    // The stroke that missed the image left no undo step: undo takes the sketch stroke away.
    latent.undo();
    expect(constraints.painted).toBe(false);
    latent.redo();
    studio.constrainLatent.mockRejectedValueOnce(new Error('The sketch is 10×12; it must be square.'));
    constraints.update();
    await settle();
    expect(constraints.error).toBe('The sketch is 10×12; it must be square.');
  });

  it('shows a refused opening and opens again on retry', async () => {
    studio = engine();
    studio.openLatent.mockRejectedValueOnce(new Error('faces.onnx is not a latent generator.'));
    vi.stubGlobal('window', { studio });
    const latent = new LatentState(() => 'png');
    latent.load('p1');
    latent.pick(MODEL);
    await vi.waitFor(() => expect(latent.error).toBe('faces.onnx is not a latent generator.'));
    latent.retry();
    await vi.waitFor(() => expect(latent.code).toEqual([1, 0, 0]));
    expect(latent.error).toBeNull();
  });
});
