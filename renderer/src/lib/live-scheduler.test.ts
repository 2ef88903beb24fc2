import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveScheduler } from './live-scheduler';

/** A request the test settles by hand. */
interface Pending {
  input: number;
  resolve: (output: string) => void;
  reject: (error: Error) => void;
}

function harness(options: { debounceMs?: number; maxWaitMs?: number } = {}) {
  let drawing = 0;
  const requests: Pending[] = [];
  const results: [string, number][] = [];
  const errors: [string, number][] = [];
  const scheduler = new LiveScheduler<number, string>({
    capture: () => drawing,
    run: (input) =>
      new Promise<string>((resolve, reject) => {
        requests.push({ input, resolve, reject });
      }),
    onResult: (output, revision) => results.push([output, revision]),
    onError: (error, revision) => errors.push([(error as Error).message, revision]),
    debounceMs: options.debounceMs ?? 70,
    maxWaitMs: options.maxWaitMs ?? 150,
    now: () => Date.now(),
  });
  const draw = (value: number): number => {
    drawing = value;
    return scheduler.changed();
  };
  return { scheduler, requests, results, errors, draw };
}

describe('LiveScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for a quiet spell after the last change, then sends the newest input once', async () => {
    const { requests, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(50);
    draw(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(requests.map((r) => r.input)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(500);
    expect(requests).toHaveLength(1);
  });

  it('sends during a long stream of changes at least every max wait', async () => {
    const { requests, draw } = harness();
    for (let i = 1; i <= 20; i += 1) {
      draw(i);
      await vi.advanceTimersByTimeAsync(16);
      requests.at(-1)?.resolve(`r${i}`);
    }
    // 320 ms of changes 16 ms apart never go quiet for 70 ms, yet two requests went out.
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests[0]!.input).toBeLessThanOrEqual(10);
  });

  it('keeps one request in flight and sends only the newest drawing when it returns', async () => {
    const { requests, results, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    expect(requests).toHaveLength(1);
    for (let i = 2; i <= 5; i += 1) {
      draw(i);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(requests).toHaveLength(1);
    requests[0]!.resolve('one');
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => r.input)).toEqual([1, 5]);
    requests[1]!.resolve('five');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([
      ['one', 1],
      ['five', 5],
    ]);
  });

  it('waits out the quiet spell of a change made while a request was in flight', async () => {
    const { requests, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    draw(2);
    requests[0]!.resolve('one');
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(requests.map((r) => r.input)).toEqual([1, 2]);
  });

  it('drops the results of requests made before invalidate, and sends again', async () => {
    const { scheduler, requests, results, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    scheduler.invalidate();
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toHaveLength(1);
    requests[0]!.resolve('stale');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([]);
    expect(requests).toHaveLength(2);
    requests[1]!.resolve('fresh');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([['fresh', 2]]);
  });

  it('reports an error with its revision and keeps working', async () => {
    const { requests, results, errors, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    requests[0]!.reject(new Error('model refused'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([['model refused', 1]]);
    draw(2);
    await vi.advanceTimersByTimeAsync(70);
    requests[1]!.resolve('two');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([['two', 2]]);
  });

  it('reports a capture that throws as an error of that revision', async () => {
    const errors: unknown[] = [];
    const scheduler = new LiveScheduler<number, string>({
      capture: () => {
        throw new Error('no drawing');
      },
      run: () => Promise.resolve('never'),
      onResult: () => undefined,
      onError: (error) => errors.push((error as Error).message),
    });
    scheduler.changed();
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual(['no drawing']);
    expect(scheduler.busy).toBe(false);
  });

  it('sends nothing when nothing changed since the last request', async () => {
    const { scheduler, requests, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    requests[0]!.resolve('one');
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(1);
    expect(scheduler.busy).toBe(false);
  });

  it('stops its timers and drops what is in flight once disposed', async () => {
    const { scheduler, requests, results, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    draw(2);
    scheduler.dispose();
    expect(vi.getTimerCount()).toBe(0);
    requests[0]!.resolve('late');
    await vi.advanceTimersByTimeAsync(1000);
    expect(results).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(scheduler.changed()).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('at a stroke end sends the newest drawing at once beside the request in flight, and drops the older outcome', async () => {
    const { scheduler, requests, results, errors, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    expect(requests).toHaveLength(1);
    draw(2);
    expect(scheduler.preempt()).toBe(3);
    expect(requests.map((r) => r.input)).toEqual([1, 2]);
    expect(scheduler.busy).toBe(true);
    requests[0]!.reject(new Error('replaced by a newer drawing'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([]);
    expect(scheduler.busy).toBe(true);
    requests[1]!.resolve('two');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([['two', 3]]);
    expect(scheduler.busy).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(2);
  });

  it('shows the newer result even when the replaced request answers after it, and never the older one', async () => {
    const { scheduler, requests, results, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    draw(2);
    scheduler.preempt();
    requests[1]!.resolve('two');
    await vi.advanceTimersByTimeAsync(0);
    requests[0]!.resolve('one, late');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([['two', 3]]);
  });

  it('drops the result of the request in flight at a stroke end even when it answers first', async () => {
    const { scheduler, requests, results, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    draw(2);
    scheduler.preempt();
    expect(requests.map((r) => r.input)).toEqual([1, 2]);
    requests[0]!.resolve('half a stroke');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([]);
    requests[1]!.resolve('whole stroke');
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([['whole stroke', 3]]);
  });

  it('reports the failure of the newest request, not of the one it replaced', async () => {
    const { scheduler, requests, errors, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    draw(2);
    scheduler.preempt();
    requests[0]!.reject(new Error('replaced'));
    requests[1]!.reject(new Error('the model broke'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([['the model broke', 3]]);
  });

  it('sends a change made while two requests are in flight once both have settled', async () => {
    const { scheduler, requests, draw } = harness();
    draw(1);
    await vi.advanceTimersByTimeAsync(70);
    draw(2);
    scheduler.preempt();
    draw(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(requests).toHaveLength(2);
    requests[1]!.resolve('two');
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    requests[0]!.resolve('one');
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map((r) => r.input)).toEqual([1, 2, 3]);
  });
});
