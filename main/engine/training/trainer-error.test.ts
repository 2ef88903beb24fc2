import { describe, expect, it } from 'vitest';
import { trainerErrorMessage } from './trainer-error';

describe('trainerErrorMessage', () => {
  it('explains a wasm abort as running out of memory, with what to change', () => {
    const abort = new Error('Aborted(). Build with -sASSERTIONS for more info.');
    expect(trainerErrorMessage(abort)).toMatch(/ran out of memory .* smaller size/);
  });

  it('keeps every other message as it is', () => {
    expect(trainerErrorMessage(new Error('The dataset folder /x does not exist.'))).toBe(
      'The dataset folder /x does not exist.',
    );
  });
});
