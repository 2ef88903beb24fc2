/**
 * The web host's stand-in for Electron's preload: defines `window.studio` over HTTP calls and a
 * WebSocket for events. Authentication rides on the cookie the host set when the tokened URL was
 * opened, so this script never sees the token.
 */
import { createStudioApi, type Envelope, type EventName } from './contract';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let retryMs = 500;

function connectEvents(): void {
  const url = new URL('events', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    retryMs = 500;
  });
  socket.addEventListener('message', (message) => {
    const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
    listeners.get(event)?.forEach((cb) => cb(payload));
  });
  socket.addEventListener('close', () => {
    setTimeout(connectEvents, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  });
}

async function call(channel: string, payload: unknown): Promise<Envelope<unknown>> {
  let response: Response;
  try {
    response = await fetch(new URL(`api/${channel}`, location.href), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: payload ?? null }),
    });
  } catch (error) {
    return {
      ok: false,
      error: { code: 'unreachable', message: `The studio server cannot be reached (${String(error)}).` },
    };
  }
  if (response.status === 401) {
    return {
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'This page has no valid access token: open the URL that `ganstudio serve` printed.',
      },
    };
  }
  return (await response.json()) as Envelope<unknown>;
}

connectEvents();

window.studio = createStudioApi({
  call,
  subscribe: (event, cb) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(cb);
    return () => {
      set.delete(cb);
    };
  },
  getPathForFile: () => null,
});
