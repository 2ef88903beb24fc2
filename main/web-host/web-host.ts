import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { dispatch } from '../engine/dispatch';
import type { Engine } from '../engine/engine';
import { authenticate, cookieName, isAllowedHost, newToken } from './auth';
import { readStaticFile } from '../engine/static-files';
import {
  decodeFrame,
  encodeFrame,
  frameId,
  fromJsonWire,
  MAX_FRAME_BYTES,
  toJsonWire,
} from '../../preload/wire';

/** Where and how to serve the studio over HTTP. */
export interface WebHostOptions {
  engine: Engine;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
}

/** A running web host; `url` carries the token and is what the user opens. */
export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The largest HTTP call body (JSON; the page's own calls go over the socket). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Serves the built renderer and the engine's handlers over HTTP + WebSocket: `/api/<channel>`
 * takes JSON calls, and the `/events` socket carries the engine's events out and binary-framed
 * calls both ways (`preload/wire`). Every request must carry the per-start token (query, bearer
 * header, or the cookie set when the tokened URL was opened) and name this server in its Host header.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = resolve(options.rendererDir);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = 0;

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      console.error('web host request failed:', error);
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
      else res.end();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (!isAllowedHost(req.headers.host, port, host)) return sendText(res, 403, 'Forbidden host');
    const via = authenticate(req, url, token, port);
    if (!via) return sendText(res, 401, 'Unauthorized: open the URL that ganstudio serve printed.');
    if (via === 'query' && req.method === 'GET') {
      res.writeHead(302, {
        'set-cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendText(res, 405, 'Use POST');
      return handleApi(req, res, url.pathname.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    const file = await readStaticFile(rendererDir, url.pathname, { injectBridge: true });
    if (!file) return sendText(res, 404, 'Not found');
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-security-policy': contentSecurityPolicy(host, port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      res.setHeader('connection', 'close');
      res.once('finish', () => req.destroy());
      return sendJson(res, 413, {
        ok: false,
        error: { code: 'invalid-payload', message: (error as Error).message },
      });
    }
    let body: unknown;
    try {
      body = fromJsonWire(raw.toString('utf8'));
    } catch (error) {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'invalid-payload', message: (error as Error).message },
      });
    }
    if (typeof body !== 'object' || body === null || !('payload' in body)) {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'invalid-payload', message: 'The request body must be a JSON object {"payload": …}.' },
      });
    }
    const payload = (body as { payload: unknown }).payload;
    const envelope = await dispatch(
      options.engine.handlers,
      decodeURIComponent(channel),
      payload ?? undefined,
    );
    // The envelope carries handler outcomes, refusals included; only transport faults use HTTP errors.
    sendJson(res, !envelope.ok && envelope.error.code === 'unknown-channel' ? 404 : 200, envelope);
  }

  /** Runs a call that came as a socket frame and answers with the envelope under the call's id. */
  async function answerFrame(ws: WebSocket, data: RawData): Promise<void> {
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    const answer = (id: unknown, envelope: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ id, envelope }));
    };
    let call: { id?: unknown; channel?: unknown; payload?: unknown };
    try {
      call = (decodeFrame(bytes) ?? {}) as typeof call;
    } catch (error) {
      const message = `The call frame is malformed: ${(error as Error).message}`;
      return answer(frameId(bytes), { ok: false, error: { code: 'invalid-payload', message } });
    }
    const { id, channel, payload } = call;
    try {
      answer(
        id,
        typeof channel === 'string'
          ? await dispatch(options.engine.handlers, channel, payload ?? undefined)
          : { ok: false, error: { code: 'invalid-payload', message: 'The call names no channel.' } },
      );
    } catch (error) {
      console.error('web host socket call failed:', error);
      answer(id, { ok: false, error: { code: 'internal', message: 'Internal error' } });
    }
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    const origin = req.headers.origin;
    const originOk = !origin || isAllowedHost(origin.replace(/^https?:\/\//, ''), port, host);
    if (
      url.pathname !== '/events' ||
      !isAllowedHost(req.headers.host, port, host) ||
      !originOk ||
      !authenticate(req, url, token, port)
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A frame over the limit closes the socket (1009) with this error; the page reconnects.
      ws.on('error', (error) => console.error(`web host socket closed: ${error.message}`));
      ws.on('message', (data, isBinary) => {
        if (isBinary)
          answerFrame(ws, data).catch((error: unknown) => console.error('web host socket:', error));
      });
    });
  });

  const unsubscribe = options.engine.bus.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of sockets) ws.send(message);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function contentSecurityPolicy(host: string, port: number): string {
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${shownHost}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        reject(new Error(`The request body is larger than ${MAX_BODY_BYTES} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(toJsonWire(value));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
