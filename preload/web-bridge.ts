/**
 * The web host's stand-in for Electron's preload: defines `window.studio` over one WebSocket that
 * carries the engine's events and, once open, the calls (binary frames, so the live canvas's
 * pixels travel as bytes); HTTP calls stand in while the socket is not open. Authentication rides
 * on the cookie the host set when the tokened URL was opened, so this script never sees the token.
 */
import { createStudioApi, type Envelope, type EventName } from './contract';
import { decodeFrame, encodeFrame, fromJsonWire, MAX_CALL_BYTES, toJsonWire } from './wire';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
/** Calls sent over the socket and not yet answered, by id. */
const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
let socket: WebSocket | null = null;
let nextId = 1;
let retryMs = 500;

const UNREACHABLE = (detail: string): Envelope<unknown> => ({
  ok: false,
  error: { code: 'unreachable', message: `The studio server cannot be reached (${detail}).` },
});

function connect(): void {
  const url = new URL('events', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.addEventListener('open', () => {
    retryMs = 500;
    socket = ws;
  });
  ws.addEventListener('message', (message) => {
    if (typeof message.data === 'string') {
      const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: unknown };
      listeners.get(event)?.forEach((cb) => cb(payload));
      return;
    }
    const { id, envelope } = decodeFrame(new Uint8Array(message.data as ArrayBuffer)) as {
      id: number;
      envelope: Envelope<unknown>;
    };
    pending.get(id)?.(envelope);
    pending.delete(id);
  });
  ws.addEventListener('close', () => {
    if (socket === ws) socket = null;
    // The host may or may not have run these calls; say so rather than guess.
    for (const settle of pending.values()) settle(UNREACHABLE('the connection closed during the call'));
    pending.clear();
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  });
}

async function call(channel: string, payload: unknown): Promise<Envelope<unknown>> {
  const ws = socket;
  if (!ws) return callOverHttp(channel, payload);
  const id = nextId++;
  const frame = encodeFrame({ id, channel, payload: payload ?? null });
  if (frame.length > MAX_CALL_BYTES) {
    return {
      ok: false,
      error: {
        code: 'invalid-payload',
        message: `The request is ${frame.length} bytes, more than the ${MAX_CALL_BYTES} the studio server takes.`,
      },
    };
  }
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ws.send(frame);
  });
}

async function callOverHttp(channel: string, payload: unknown): Promise<Envelope<unknown>> {
  let response: Response;
  try {
    response = await fetch(new URL(`api/${channel}`, location.href), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: toJsonWire({ payload: payload ?? null }),
    });
  } catch (error) {
    return UNREACHABLE(String(error));
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
  return fromJsonWire(await response.text()) as Envelope<unknown>;
}

connect();

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
