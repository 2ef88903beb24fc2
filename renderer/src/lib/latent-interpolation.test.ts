import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LatentSample } from '../../../preload/contract';
import { InterpolationState } from './latent-interpolation.svelte';
import { slerpCode } from './latent-math';

const image = (code: number[]): string => `img:${code.map((v) => v.toFixed(3)).join(',')}`;

function harness() {
  const sampleLatent = vi.fn(async ({ codes }: { codes: number[][] }) => ({
    images: codes.map(image),
    ms: 1,
  }));
  vi.stubGlobal('window', { studio: { sampleLatent } });
  let current: LatentSample = { code: [1, 0], dataUrl: 'img:a' };
  const continued: [LatentSample, boolean][] = [];
  const state = new InterpolationState({
    modelId: () => 'm1',
    current: () => current,
    continueFrom: (sample, fresh) => continued.push([sample, fresh]),
  });
  return { state, sampleLatent, continued, setCurrent: (sample: LatentSample) => (current = sample) };
}

describe('the interpolation state', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('walks from the current code to B in one batch of eight codes, spherically unless told', async () => {
    const { state, sampleLatent } = harness();
    state.setB({ code: [0, 1], dataUrl: 'img:b' });
    await vi.advanceTimersByTimeAsync(50);
    const stripCall = sampleLatent.mock.calls.find(([payload]) => payload.codes.length === 8)!;
    expect(stripCall[0].codes[0]).toEqual([1, 0]);
    expect(stripCall[0].codes[7]![0]).toBeCloseTo(0, 12);
    expect(stripCall[0].codes[7]![1]).toBeCloseTo(1, 12);
    expect(state.strip.map((s) => s.t)).toEqual([0, 1 / 7, 2 / 7, 3 / 7, 4 / 7, 5 / 7, 6 / 7, 1]);
    expect(state.strip[3]!.code).toEqual(slerpCode([1, 0], [0, 1], 3 / 7));
    expect(state.preview?.code).toEqual(slerpCode([1, 0], [0, 1], 0.5));

    state.setMode('linear');
    await vi.advanceTimersByTimeAsync(50);
    expect(state.preview?.code).toEqual([0.5, 0.5]);
    expect(state.strip[7]!.code).toEqual([0, 1]);
  });

  it('follows the slider t live and continues from the code at t with its image', async () => {
    const { state, continued, sampleLatent } = harness();
    state.setMode('linear');
    state.setB({ code: [0, 2], dataUrl: 'img:b' });
    await vi.advanceTimersByTimeAsync(50);
    const calls = sampleLatent.mock.calls.length;
    state.setT(0.25);
    state.setT(0.75);
    await vi.advanceTimersByTimeAsync(200);
    expect(sampleLatent.mock.calls.length).toBe(calls + 1);
    expect(state.preview?.code).toEqual([0.25, 1.5]);
    state.continueAt(0.75);
    expect(continued).toEqual([[{ code: [0.25, 1.5], dataUrl: image([0.25, 1.5]) }, false]]);
    state.setT(7);
    expect(state.t).toBe(1);
  });

  it('takes the current code as A again when asked, and shows a refused request', async () => {
    const { state, setCurrent, sampleLatent } = harness();
    state.setMode('linear');
    state.setB({ code: [0, 2], dataUrl: 'img:b' });
    await vi.advanceTimersByTimeAsync(50);
    setCurrent({ code: [4, 4], dataUrl: 'img:c' });
    state.useCurrentAsA();
    await vi.advanceTimersByTimeAsync(50);
    expect(state.strip[0]!.code).toEqual([4, 4]);
    sampleLatent.mockRejectedValue(new Error('Code 1 has 2 numbers; this generator has 100.'));
    state.setT(0.1);
    await vi.advanceTimersByTimeAsync(200);
    expect(state.previewError).toBe('Code 1 has 2 numbers; this generator has 100.');
  });
});
