import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from './contract';
import { createSocketTransport } from './socket-transport';
import { decodeFrame, encodeFrame, fromJsonWire, MAX_FRAME_BYTES, toJsonWire } from './wire';

/** A WebSocket the test drives: opens, answers and closes when told. */
class FakeSocket extends EventTarget {
  binaryType = 'blob';
  readonly sent: Uint8Array[] = [];
  constructor(readonly url: URL) {
    super();
  }
  send(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  open(): void {
    this.dispatchEvent(new Event('open'));
  }
  receive(data: string | Uint8Array): void {
    const payload = typeof data === 'string' ? data : data.slice().buffer;
    this.dispatchEvent(new MessageEvent('message', { data: payload }));
  }
  close(): void {
    this.dispatchEvent(new Event('close'));
  }
  /** The calls sent so far, decoded. */
  calls(): { id: number; channel: string; payload: unknown }[] {
    return this.sent.map((frame) => decodeFrame(frame) as { id: number; channel: string; payload: unknown });
  }
}

function setup(
  reply: (url: string, body: string) => Response = () => new Response('{"ok":true,"value":"http"}'),
) {
  const sockets: FakeSocket[] = [];
  const reconnects: (() => void)[] = [];
  const warnings: string[] = [];
  const fetch = vi.fn(async (input: URL | string, init?: RequestInit) =>
    reply(String(input), String(init?.body)),
  );
  const transport = createSocketTransport({
    base: new URL('http://127.0.0.1:4780/'),
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    fetch: fetch as unknown as typeof globalThis.fetch,
    later: (run) => reconnects.push(run),
    warn: (message) => warnings.push(message),
  });
  return { transport, sockets, reconnects, warnings, fetch, socket: () => sockets.at(-1)! };
}

describe('socket transport', () => {
  it('calls over HTTP (bytes as base64) until the socket opens, then over the socket as binary frames', async () => {
    const { transport, socket, fetch } = setup((url, body) => {
      expect(url).toBe('http://127.0.0.1:4780/api/canvas:translate');
      expect(fromJsonWire(body)).toEqual({ payload: { data: Uint8Array.from([1, 2]) } });
      return new Response(toJsonWire({ ok: true, value: { data: Uint8Array.from([3]) } }));
    });
    expect(socket().url.href).toBe('ws://127.0.0.1:4780/events');
    const early = await transport.call('canvas:translate', { data: Uint8Array.from([1, 2]) });
    expect(early).toEqual({ ok: true, value: { data: Uint8Array.from([3]) } });
    expect(fetch).toHaveBeenCalledTimes(1);

    socket().open();
    const first = transport.call('canvas:translate', { data: Uint8Array.from([4, 5]) });
    const second = transport.call('projects:list', undefined);
    const [a, b] = socket().calls();
    expect(a).toMatchObject({ channel: 'canvas:translate' });
    expect([...(a!.payload as { data: Uint8Array }).data]).toEqual([4, 5]);
    expect(b).toMatchObject({ channel: 'projects:list', payload: null });
    // Replies come back in any order; each settles its own call.
    socket().receive(encodeFrame({ id: b!.id, envelope: { ok: true, value: [] } }));
    socket().receive(
      encodeFrame({ id: a!.id, envelope: { ok: true, value: { data: Uint8Array.from([9]) } } }),
    );
    expect(await second).toEqual({ ok: true, value: [] });
    const firstReply = (await first) as Envelope<{ data: Uint8Array }>;
    expect(firstReply.ok && [...firstReply.value.data]).toEqual([9]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('hands events to their subscribers until they unsubscribe', () => {
    const { transport, socket } = setup();
    const seen: unknown[] = [];
    const stop = transport.subscribe('projects:changed', (payload) => seen.push(payload));
    socket().receive(JSON.stringify({ event: 'projects:changed', payload: ['A'] }));
    socket().receive(JSON.stringify({ event: 'app:notice', payload: 'other' }));
    stop();
    socket().receive(JSON.stringify({ event: 'projects:changed', payload: ['B'] }));
    expect(seen).toEqual([['A']]);
  });

  it('answers calls in flight unreachable when the socket closes, then reconnects and calls over HTTP meanwhile', async () => {
    const { transport, sockets, socket, reconnects, fetch } = setup();
    socket().open();
    const inFlight = transport.call('projects:list', undefined);
    socket().close();
    expect(await inFlight).toMatchObject({
      ok: false,
      error: { code: 'unreachable', message: /closed during the call/ },
    });
    expect(await transport.call('projects:list', undefined)).toEqual({ ok: true, value: 'http' });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(reconnects).toHaveLength(1);
    reconnects[0]!();
    expect(sockets).toHaveLength(2);
    socket().open();
    void transport.call('projects:list', undefined);
    expect(socket().sent).toHaveLength(1);
  });

  it('refuses a call larger than the server takes without sending it', async () => {
    const { transport, socket } = setup();
    socket().open();
    const reply = await transport.call('canvas:translate', { data: new Uint8Array(MAX_FRAME_BYTES) });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: /more than the/ } });
    expect(socket().sent).toHaveLength(0);
  });

  it('reports replies it cannot read or place, and keeps the calls in flight waiting for their own', async () => {
    const { transport, socket, warnings } = setup();
    socket().open();
    const call = transport.call('projects:list', undefined);
    socket().receive(Uint8Array.from([1, 2]));
    socket().receive(encodeFrame({ id: null, envelope: { ok: false, error: { code: 'invalid-payload' } } }));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/could not be read: The frame is shorter/);
    expect(warnings[1]).toMatch(/reply for no call in flight/);
    socket().receive(encodeFrame({ id: socket().calls()[0]!.id, envelope: { ok: true, value: 'mine' } }));
    expect(await call).toEqual({ ok: true, value: 'mine' });
  });

  it('says so when the page has no valid token, or the server cannot be reached or read', async () => {
    const unauthorized = setup(() => new Response('Unauthorized', { status: 401 }));
    expect(await unauthorized.transport.call('projects:list', undefined)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: /open the URL that `ganstudio serve` printed/ },
    });
    const down = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await down.transport.call('projects:list', undefined)).toMatchObject({
      ok: false,
      error: { code: 'unreachable', message: /Failed to fetch/ },
    });
    const garbled = setup(() => new Response('<html>proxy error</html>'));
    expect(await garbled.transport.call('projects:list', undefined)).toMatchObject({
      ok: false,
      error: { code: 'unreachable', message: /answer could not be read/ },
    });
  });
});
