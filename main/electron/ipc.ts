import { BrowserWindow, type IpcMain, type IpcMainInvokeEvent } from 'electron';
import { EVENT_PREFIX, type Envelope } from '../../preload/contract';
import { dispatch } from '../engine/dispatch';
import type { Engine } from '../engine/engine';
import { PAYLOAD_SCHEMAS } from '../engine/schemas';
import { APP_ORIGIN } from './app-protocol';

/** Decides whether an IPC call comes from one of the studio's own windows and pages. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Trusts a call only from a frame on app://studio inside a window the studio created. */
export const isStudioSender: SenderCheck = (event) => {
  const frameUrl = event.senderFrame?.url;
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  // Node's URL gives custom schemes an opaque origin ('null'), so compare scheme and host.
  return (
    `${url.protocol}//${url.host}` === APP_ORIGIN && BrowserWindow.fromWebContents(event.sender) !== null
  );
};

const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from a GAN Studio window.' },
};

/** Registers one handler per channel (sender checked, payload validated) and forwards engine events. */
export function setupIpc(
  ipcMain: IpcMain,
  engine: Engine,
  isTrusted: SenderCheck = isStudioSender,
): () => void {
  const channels = Object.keys(PAYLOAD_SCHEMAS);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      isTrusted(event) ? dispatch(engine.handlers, channel, payload) : FORBIDDEN,
    );
  }
  const unsubscribe = engine.bus.subscribe((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_PREFIX + event, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
