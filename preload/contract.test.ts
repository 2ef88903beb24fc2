import { describe, expect, it, vi } from 'vitest';
import { createStudioApi, StudioCallError, type Transport } from './contract';

function transport(overrides: Partial<Transport> = {}): Transport {
  return {
    call: vi.fn(async () => ({ ok: true as const, value: [] })),
    subscribe: vi.fn(() => () => undefined),
    getPathForFile: () => null,
    ...overrides,
  };
}

describe('createStudioApi', () => {
  it('sends each method on its channel and unwraps the value', async () => {
    const t = transport();
    const api = createStudioApi(t);
    expect(await api.listProjects()).toEqual([]);
    await api.renameProject({ id: 'x', name: 'y' });
    expect(t.call).toHaveBeenNthCalledWith(1, 'projects:list', undefined);
    expect(t.call).toHaveBeenNthCalledWith(2, 'projects:rename', { id: 'x', name: 'y' });
  });

  it('rejects with the error code and message main sent', async () => {
    const api = createStudioApi(
      transport({
        call: async () => ({
          ok: false,
          error: { code: 'conflict', message: 'A project named "x" already exists.' },
        }),
      }),
    );
    const error = await api.createProject({ name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioCallError);
    expect(error).toMatchObject({ code: 'conflict', message: 'A project named "x" already exists.' });
  });

  it('subscribes to events and hands back the unsubscribe function', () => {
    const unsubscribe = vi.fn();
    let deliver: ((payload: unknown) => void) | undefined;
    const api = createStudioApi(
      transport({
        subscribe: (event, cb) => {
          expect(event).toBe('projects:changed');
          deliver = cb;
          return unsubscribe;
        },
      }),
    );
    const cb = vi.fn();
    const off = api.onProjectsChanged(cb);
    deliver?.([{ id: '1' }]);
    expect(cb).toHaveBeenCalledWith([{ id: '1' }]);
    off();
    expect(unsubscribe).toHaveBeenCalled();
  });
});
