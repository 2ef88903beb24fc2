import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../test-support/temp-dir';
import { testEngine } from '../test-support/test-engine';

const electron = vi.hoisted(() => ({
  windows: [] as { webContents: { send: ReturnType<typeof vi.fn> } }[],
  known: new Set<unknown>(),
}));

vi.mock('electron', () => ({
  BrowserWindow: {
    fromWebContents: (contents: unknown) => (electron.known.has(contents) ? { id: 1 } : null),
    getAllWindows: () => electron.windows,
  },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));

const { isStudioSender, setupIpc } = await import('./ipc');

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => unknown;

function fakeIpcMain(): { ipcMain: IpcMain; handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMain;
  return { ipcMain, handlers };
}

function eventFrom(url: string | null, known = true): IpcMainInvokeEvent {
  const sender = { id: Math.random() };
  if (known) electron.known.add(sender);
  return { sender, senderFrame: url === null ? null : { url } } as unknown as IpcMainInvokeEvent;
}

const tempDir = useTempDir();

beforeEach(() => {
  electron.known.clear();
  electron.windows = [];
});

describe('isStudioSender', () => {
  it('trusts app://studio pages in a studio window', () => {
    expect(isStudioSender(eventFrom('app://studio/index.html'))).toBe(true);
  });

  it.each([
    ['a remote page', 'https://example.com/'],
    ['a file:// page', 'file:///tmp/evil.html'],
    ['another app:// host', 'app://other/index.html'],
    ['a web host page', 'http://127.0.0.1:5000/'],
    ['an unparsable url', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(isStudioSender(eventFrom(url))).toBe(false);
  });

  it('refuses a frame that is gone and a sender outside any studio window', () => {
    expect(isStudioSender(eventFrom(null))).toBe(false);
    expect(isStudioSender(eventFrom('app://studio/index.html', false))).toBe(false);
  });
});

describe('setupIpc', () => {
  it('registers every channel, answers a foreign sender with forbidden and never runs the handler', async () => {
    const engine = testEngine(tempDir());
    const { ipcMain, handlers } = fakeIpcMain();
    setupIpc(ipcMain, engine);
    expect([...handlers.keys()].sort()).toEqual(Object.keys(engine.handlers).sort());
    const create = handlers.get('projects:create');
    const result = await create?.(eventFrom('https://example.com/'), { name: 'Intruder' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(engine.projects.list()).toEqual([]);
    engine.close();
  });

  it('validates payloads from a trusted sender and runs valid calls', async () => {
    const engine = testEngine(tempDir());
    const { ipcMain, handlers } = fakeIpcMain();
    setupIpc(ipcMain, engine);
    const create = handlers.get('projects:create');
    const trusted = eventFrom('app://studio/index.html');
    expect(await create?.(trusted, { name: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await create?.(trusted, { name: 'Facades' })).toMatchObject({
      ok: true,
      value: { name: 'Facades' },
    });
    engine.close();
  });

  it('forwards engine events to every window and stops after dispose', async () => {
    const engine = testEngine(tempDir());
    const win = { webContents: { send: vi.fn() } };
    electron.windows = [win];
    const { ipcMain, handlers } = fakeIpcMain();
    const dispose = setupIpc(ipcMain, engine);
    await handlers.get('projects:create')?.(eventFrom('app://studio/index.html'), { name: 'Evented' });
    expect(win.webContents.send).toHaveBeenCalledWith(
      'event:projects:changed',
      expect.arrayContaining([expect.objectContaining({ name: 'Evented' })]),
    );
    dispose();
    expect(handlers.size).toBe(0);
    engine.bus.emit('projects:changed', []);
    expect(win.webContents.send).toHaveBeenCalledTimes(1);
    engine.close();
  });
});
