import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runSessionsInBackground, sessionOptions } from './ort-session';

describe('sessionOptions', () => {
  it('uses a thread per core, then one thread that does not spin once the process runs in the background', () => {
    expect(sessionOptions('cpu')).toMatchObject({ intraOpNumThreads: availableParallelism() });
    expect(sessionOptions('cpu').extra).toBeUndefined();
    runSessionsInBackground();
    expect(sessionOptions('cpu')).toMatchObject({
      intraOpNumThreads: 1,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    expect(sessionOptions('cpu', 3).intraOpNumThreads).toBe(3);
  });
});
