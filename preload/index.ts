import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createStudioApi, EVENT_PREFIX, type Envelope } from './contract';

contextBridge.exposeInMainWorld(
  'studio',
  createStudioApi({
    call: async (channel, payload) => (await ipcRenderer.invoke(channel, payload)) as Envelope<unknown>,
    subscribe: (event, cb) => {
      const listener = (_event: Electron.IpcRendererEvent, payload: unknown): void => cb(payload);
      ipcRenderer.on(EVENT_PREFIX + event, listener);
      return () => {
        ipcRenderer.removeListener(EVENT_PREFIX + event, listener);
      };
    },
    getPathForFile: (file) => webUtils.getPathForFile(file) || null,
  }),
);
