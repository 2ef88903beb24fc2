import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Engine } from '../engine/engine';
import { decodeFrame, encodeFrame, MAX_FRAME_BYTES, toJsonWire } from '../../preload/wire';
import { writeUnetModel } from '../test-support/onnx-models';
import { useTempDir } from '../test-support/temp-dir';
import { testEngine } from '../test-support/test-engine';
import { startWebHost, type WebHost } from './web-host';

const tempDir = useTempDir();
const running: { host: WebHost; engine: Engine }[] = [];

afterEach(async () => {
  for (const { host, engine } of running.splice(0)) {
    await host.close();
    engine.close();
  }
});

async function start(): Promise<{ host: WebHost; engine: Engine; base: string }> {
  const rendererDir = tempDir();
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tempDir(), 'secret.txt'), 'secret');
  const engine = testEngine(tempDir());
  const host = await startWebHost({ engine, rendererDir, port: 0 });
  running.push({ host, engine });
  return { host, engine, base: `http://127.0.0.1:${host.port}` };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests control every header (Host included). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (
  base: string,
  channel: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> =>
  send(`${base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ payload }),
  });

/** An authenticated socket to the host, open. */
async function openSocket(host: WebHost): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events`, {
    headers: { authorization: `Bearer ${host.token}` },
  });
  await new Promise((resolve, reject) => {
    socket.on('open', resolve);
    socket.on('error', reject);
  });
  return socket;
}

/** The binary frames (call replies) the socket receives, decoded, in order. */
function frames(
  socket: WebSocket,
): { id: unknown; envelope: { ok: boolean; value?: unknown; error?: unknown } }[] {
  const received: ReturnType<typeof frames> = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) received.push(decodeFrame(data as Buffer) as (typeof received)[number]);
  });
  return received;
}

describe('web host', () => {
  it('answers 401 with no data to requests without the token', async () => {
    const { base, engine } = await start();
    engine.projects.create('Private');
    for (const reply of [
      await send(`${base}/`),
      await send(`${base}/assets/app.js`),
      await api(base, 'projects:list', null),
      await api(base, 'projects:list', null, { authorization: 'Bearer wrong' }),
      await send(`${base}/?token=wrong`),
      await api(base, 'projects:list', null, { cookie: `ganstudio_1=whatever` }),
    ]) {
      expect(reply.status).toBe(401);
      expect(reply.body).not.toContain('Private');
    }
  });

  it('trades the tokened URL for a cookie and serves the app with the bridge and a CSP', async () => {
    const { host, base } = await start();
    const first = await send(host.url);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await send(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="./assets/web-bridge.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(
      `connect-src 'self' ws://127.0.0.1:${host.port}`,
    );
    const list = await api(base, 'projects:list', null, { cookie });
    expect(JSON.parse(list.body)).toEqual({ ok: true, value: [] });
  });

  it('serves the same handlers with a bearer token', async () => {
    const { host, base } = await start();
    const auth = { authorization: `Bearer ${host.token}` };
    const created = JSON.parse((await api(base, 'projects:create', { name: 'Over HTTP' }, auth)).body);
    expect(created).toMatchObject({ ok: true, value: { name: 'Over HTTP' } });
    const listed = JSON.parse((await api(base, 'projects:list', null, auth)).body);
    expect(listed.value.map((p: { name: string }) => p.name)).toEqual(['Over HTTP']);
  });

  it('validates payloads with the same schemas as Electron', async () => {
    const { host, base, engine } = await start();
    const auth = { authorization: `Bearer ${host.token}` };
    const bad = await api(base, 'projects:create', { name: '' }, auth);
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload', message: /name: must not be empty/ },
    });
    const notJson = await send(`${base}/api/projects:create`, {
      method: 'POST',
      headers: auth,
      body: '{name:',
    });
    expect(notJson.status).toBe(400);
    const noEnvelope = await send(`${base}/api/projects:create`, {
      method: 'POST',
      headers: auth,
      body: '{"name":"x"}',
    });
    expect(noEnvelope.status).toBe(400);
    const unknown = await api(base, 'projects:explode', null, auth);
    expect(unknown.status).toBe(404);
    const get = await send(`${base}/api/projects:list`, { headers: auth });
    expect(get.status).toBe(405);
    expect(engine.projects.list()).toEqual([]);
  });

  it('refuses a body over 1 MiB', async () => {
    const { host, base } = await start();
    const reply = await send(`${base}/api/projects:create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: JSON.stringify({ payload: { name: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.message).toMatch(/larger than 1048576 bytes/);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const { host, base } = await start();
    const reply = await api(base, 'projects:list', null, {
      authorization: `Bearer ${host.token}`,
      host: 'evil.example:80',
    });
    expect(reply.status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const { host, base } = await start();
    const auth = { authorization: `Bearer ${host.token}` };
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../secret.txt',
      '/%E0%A4%A',
    ]) {
      const reply = await send(base + path, { headers: auth });
      expect(reply.status, path).toBe(404);
    }
  });

  it('pushes events over the WebSocket to authenticated clients only', async () => {
    const { host, base } = await start();
    const wsUrl = `ws://127.0.0.1:${host.port}/events`;
    const refused = new WebSocket(wsUrl);
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('error', (error) => resolve(error.message));
    });
    expect(refusal).toMatch(/401/);

    const socket = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${host.token}` } });
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const received = new Promise<{ event: string; payload: { name: string }[] }>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    await api(base, 'projects:create', { name: 'Live' }, { authorization: `Bearer ${host.token}` });
    const message = await received;
    expect(message.event).toBe('projects:changed');
    expect(message.payload.map((p) => p.name)).toEqual(['Live']);
    socket.close();
  });

  it('refuses a WebSocket from a foreign origin', async () => {
    const { host } = await start();
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events`, {
      headers: { authorization: `Bearer ${host.token}` },
      origin: 'https://evil.example',
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.on('open', () => resolve('open'));
      socket.on('error', (error) => resolve(error.message));
    });
    expect(outcome).not.toBe('open');
  });

  it('runs calls sent over the socket, several at once, and answers each under its id', async () => {
    const { host, engine } = await start();
    const socket = await openSocket(host);
    const replies = frames(socket);
    socket.send(encodeFrame({ id: 1, channel: 'projects:create', payload: { name: 'Over the socket' } }));
    socket.send(encodeFrame({ id: 2, channel: 'projects:create', payload: { name: '' } }));
    socket.send(encodeFrame({ id: 3, channel: 'projects:explode', payload: null }));
    await vi.waitFor(() => expect(replies).toHaveLength(3), { timeout: 15_000 });
    const byId = new Map(replies.map((r) => [r.id, r.envelope]));
    expect(byId.get(1)).toMatchObject({ ok: true, value: { name: 'Over the socket' } });
    expect(byId.get(2)).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(byId.get(3)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(engine.projects.list().map((p) => p.name)).toEqual(['Over the socket']);
    socket.close();
  });

  it('carries the live canvas pixels as bytes over the socket, and as base64 over HTTP, alike', async () => {
    const { host, base, engine } = await start();
    const project = engine.projects.create('Canvas');
    const file = join(tempDir(), 'sketch.onnx');
    writeUnetModel(file);
    const model = await engine.models.importFile(project.id, file, 'sketch');
    const drawing = {
      modelId: model.id,
      image: {
        width: 32,
        height: 32,
        channels: 3,
        data: Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => i % 251),
      },
    };
    const socket = await openSocket(host);
    const replies = frames(socket);
    socket.send(encodeFrame({ id: 'live', channel: 'canvas:translate', payload: drawing }));
    await vi.waitFor(() => expect(replies).toHaveLength(1), { timeout: 15_000 });
    const { envelope } = replies[0]!;
    expect(envelope.ok).toBe(true);
    const pixels = (envelope.value as { pixels: { width: number; channels: number; data: unknown } }).pixels;
    expect(pixels).toMatchObject({ width: 32, channels: 3 });
    expect(pixels.data).toBeInstanceOf(Uint8Array);
    expect((pixels.data as Uint8Array).length).toBe(32 * 32 * 3);

    const overHttp = await send(`${base}/api/canvas:translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: toJsonWire({ payload: drawing }),
    });
    const http = JSON.parse(overHttp.body) as { value: { pixels: { data: { $base64: string } } } };
    expect(
      Buffer.from(http.value.pixels.data.$base64, 'base64').equals(Buffer.from(pixels.data as Uint8Array)),
    ).toBe(true);
    socket.close();
  }, 60_000);

  it('answers a malformed frame with what is wrong (under its id when the header reads), and closes a socket sent a frame over 64 MiB', async () => {
    const { host } = await start();
    const socket = await openSocket(host);
    const replies = frames(socket);
    socket.send(Uint8Array.from([1, 2]));
    const truncated = encodeFrame({
      id: 5,
      channel: 'projects:create',
      payload: { data: new Uint8Array(8) },
    });
    socket.send(truncated.subarray(0, truncated.length - 3));
    await vi.waitFor(() => expect(replies).toHaveLength(2), { timeout: 15_000 });
    expect(replies[0]).toMatchObject({
      id: null,
      envelope: {
        ok: false,
        error: { code: 'invalid-payload', message: /malformed: The frame is shorter than its 4-byte header/ },
      },
    });
    expect(replies[1]).toMatchObject({
      id: 5,
      envelope: { ok: false, error: { code: 'invalid-payload', message: /Byte array 0 runs past the end/ } },
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
  });
});
