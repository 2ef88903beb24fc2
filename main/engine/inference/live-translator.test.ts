import { describe, expect, it } from 'vitest';
import { fakeWorkers, type FakeProcess } from '../../test-support/fake-model-worker';
import { LiveTranslator } from './live-translator';
import type { TranslateJob, TranslateOutcome } from './model-jobs';

const job = (model = 'm.onnx'): TranslateJob => ({
  kind: 'translate',
  model,
  image: { width: 1, height: 1, channels: 4, data: new Uint8Array(4) },
});

const outcome = (ms: number): TranslateOutcome => ({
  pixels: { width: 1, height: 1, channels: 3, data: new Uint8Array(3) },
  ms,
  provider: 'cpu',
  notes: [],
});

/** Lets the promise callbacks queued so far run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What each job a fake process was sent asked for: its kind and model. */
const asked = (p: FakeProcess | undefined): string[] =>
  p?.jobs().map(({ job: j }) => `${j.kind} ${(j as { model: string }).model}`) ?? [];

/** Answers the newest job of a process. */
function finishLast(p: FakeProcess, result: unknown): void {
  p.finish(p.jobs().at(-1)!.id, result);
}

/** A translator whose normal worker translated once and whose preview worker then opened the model. */
async function warmedUp() {
  const fake = fakeWorkers();
  const live = new LiveTranslator(fake.spawn);
  const first = live.translate(job());
  const normal = fake.processes[0]!;
  finishLast(normal, outcome(1));
  await first;
  await settle();
  const preview = fake.processes[1]!;
  expect(asked(preview)).toEqual(['warm m.onnx']);
  finishLast(preview, { provider: 'cpu' });
  await settle();
  return { fake, live, normal, preview };
}

describe('LiveTranslator', () => {
  it('starts the preview worker at low priority and the other at normal priority', async () => {
    const { fake } = await warmedUp();
    expect(fake.options).toEqual([{}, { lowPriority: true }]);
  });

  it('runs a stroke end at once, pausing a preview still running until it is done', async () => {
    const { fake, live, normal, preview } = await warmedUp();
    const during = live.translate(job(), { preview: true });
    expect(preview.paused).toBe(false);
    const end = live.translate(job());
    expect(asked(preview)).toEqual(['warm m.onnx', 'translate m.onnx']);
    expect(asked(normal)).toEqual(['translate m.onnx', 'translate m.onnx']);
    expect(preview.paused).toBe(true);
    finishLast(normal, outcome(7));
    expect((await end).ms).toBe(7);
    expect(preview.pauses).toEqual([true, false]);
    finishLast(preview, outcome(9));
    expect((await during).ms).toBe(9);
    expect(fake.killed()).toBe(0);
    expect(fake.processes).toHaveLength(2);
  });

  it('keeps the preview worker paused until the last of several stroke ends is done, even a failed one', async () => {
    const { live, normal, preview } = await warmedUp();
    const first = live.translate(job());
    const second = live.translate(job());
    const [a, b] = normal.jobs().slice(-2);
    normal.reply({ type: 'error', id: a!.id, code: 'bad-input', message: 'broken drawing' });
    await expect(first).rejects.toThrow('broken drawing');
    expect(preview.paused).toBe(true);
    normal.finish(b!.id, outcome(3));
    await second;
    expect(preview.pauses).toEqual([true, false]);
  });

  it('opens the model in each worker once, not again while it is open', async () => {
    const { live, normal, preview } = await warmedUp();
    const again = live.translate(job(), { preview: true });
    finishLast(preview, outcome(2));
    await again;
    await settle();
    expect(asked(normal)).toEqual(['translate m.onnx']);
    expect(asked(preview)).toEqual(['warm m.onnx', 'translate m.onnx']);
  });

  it('forgets what a crashed worker had open and opens the model in its successor once idle', async () => {
    const { fake, live, normal, preview } = await warmedUp();
    const other = live.translate(job('other.onnx'));
    normal.exit(9);
    await expect(other).rejects.toThrow(/^The model worker stopped unexpectedly \(exit code 9\)/);
    await settle();
    expect(asked(fake.processes[2])).toEqual(['warm other.onnx']);
    expect(asked(preview)).toEqual(['warm m.onnx', 'warm other.onnx']);
  });

  it('refuses work once closed and kills its workers', async () => {
    const { fake, live } = await warmedUp();
    live.close();
    expect(fake.killed()).toBe(2);
    await expect(live.translate(job(), { preview: true })).rejects.toThrow(
      'Live translation has been closed.',
    );
  });
});
