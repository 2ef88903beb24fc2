import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlowFlag } from './slow-flag';

function deferred(): { promise: Promise<string>; resolve: () => void; reject: () => void } {
  let resolve!: () => void;
  let reject!: () => void;
  const promise = new Promise<string>((yes, no) => {
    resolve = () => yes('done');
    reject = () => no(new Error('failed'));
  });
  return { promise, resolve, reject };
}

describe('SlowFlag', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays down for requests that answer within the delay', async () => {
    const shown: boolean[] = [];
    const flag = new SlowFlag((slow) => shown.push(slow), 400);
    const quick = deferred();
    const result = flag.track(quick.promise);
    await vi.advanceTimersByTimeAsync(399);
    quick.resolve();
    expect(await result).toBe('done');
    await vi.advanceTimersByTimeAsync(1000);
    expect(shown).toEqual([false]);
  });

  it('rises after the delay while requests overlap, and falls once the last one settles, failed or not', async () => {
    const shown: boolean[] = [];
    const flag = new SlowFlag((slow) => shown.push(slow), 400);
    const first = deferred();
    const second = deferred();
    const a = flag.track(first.promise);
    await vi.advanceTimersByTimeAsync(300);
    const b = flag.track(second.promise).catch(() => 'caught');
    await vi.advanceTimersByTimeAsync(100);
    expect(shown).toEqual([true]);
    first.resolve();
    await a;
    expect(shown).toEqual([true]);
    second.reject();
    expect(await b).toBe('caught');
    expect(shown).toEqual([true, false]);
  });
});
