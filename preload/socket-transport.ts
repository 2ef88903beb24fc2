import type { Envelope, EventName, Transport } from './contract';
import { decodeFrame, encodeFrame, fromJsonWire, MAX_FRAME_BYTES, toJsonWire } from './wire';

/** The browser APIs the transport uses, given so tests can stand in for them. */
export interface SocketTransportOptions {
  /** The page's address: the socket is `events` beside it, the calls `api/<channel>`. */
  base: URL;
  openSocket: (url: URL) => WebSocket;
  fetch: typeof fetch;
  /** Schedules a reconnect. */
  later: (run: () => void, ms: number) => void;
  /** Where a reply that cannot be read is reported. */
  warn?: (message: string) => void;
}

const unreachable = (detail: string): Envelope<unknown> => ({
  ok: false,
  error: { code: 'unreachable', message: `The studio server cannot be reached (${detail}).` },
});

/**
 * The web host's transport: one WebSocket carries the engine's events (text) and, while open,
 * the calls and their replies (binary frames, `./wire`), so the live canvas's pixels travel as
 * bytes; calls made while it is not open go over HTTP. A call in flight when the socket closes
 * is answered `unreachable` (the host may or may not have run it), and the socket reconnects.
 */
export function createSocketTransport(options: SocketTransportOptions): Omit<Transport, 'getPathForFile'> {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 500;

  const settle = (id: unknown, envelope: Envelope<unknown>): void => {
    const resolve = typeof id === 'number' ? pending.get(id) : undefined;
    if (!resolve) return warn(`A reply for no call in flight was dropped: ${JSON.stringify(envelope)}`);
    pending.delete(id as number);
    resolve(envelope);
  };

  const connect = (): void => {
    const url = new URL('events', options.base);
    url.protocol = options.base.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = options.openSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => {
      retryMs = 500;
      socket = ws;
    });
    ws.addEventListener('message', (message: MessageEvent) => {
      if (typeof message.data === 'string') {
        const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: unknown };
        listeners.get(event)?.forEach((cb) => cb(payload));
        return;
      }
      let reply: { id: unknown; envelope: Envelope<unknown> };
      try {
        reply = decodeFrame(new Uint8Array(message.data as ArrayBuffer)) as typeof reply;
      } catch (error) {
        return warn(`A reply from the studio server could not be read: ${(error as Error).message}`);
      }
      settle(reply.id, reply.envelope);
    });
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      for (const resolve of pending.values()) resolve(unreachable('the connection closed during the call'));
      pending.clear();
      options.later(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    });
  };

  const callOverHttp = async (channel: string, payload: unknown): Promise<Envelope<unknown>> => {
    let response: Response;
    try {
      response = await options.fetch(new URL(`api/${channel}`, options.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: toJsonWire({ payload: payload ?? null }),
      });
    } catch (error) {
      return unreachable(String(error));
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
    try {
      return fromJsonWire(await response.text()) as Envelope<unknown>;
    } catch (error) {
      return unreachable(`its answer could not be read: ${(error as Error).message}`);
    }
  };

  connect();

  return {
    call: (channel, payload) => {
      const ws = socket;
      if (!ws) return callOverHttp(channel, payload);
      const id = nextId++;
      const frame = encodeFrame({ id, channel, payload: payload ?? null });
      if (frame.length > MAX_FRAME_BYTES) {
        return Promise.resolve({
          ok: false,
          error: {
            code: 'invalid-payload',
            message: `The request is ${frame.length} bytes, more than the ${MAX_FRAME_BYTES} the studio server takes.`,
          },
        });
      }
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(frame);
      });
    },
    subscribe: (event, cb) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },
  };
}
