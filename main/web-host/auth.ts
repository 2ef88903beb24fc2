import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A random per-start access token, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The cookie that carries the token after the tokened URL was opened; one per port. */
export function cookieName(port: number): string {
  return `ganstudio_${port}`;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** How a request proved it holds the token, or null when it did not. */
export function authenticate(
  req: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): 'query' | 'header' | 'cookie' | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery && sameToken(fromQuery, token)) return 'query';
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer && sameToken(bearer, token)) return 'header';
  const fromCookie = readCookie(req.headers.cookie, cookieName(port));
  if (fromCookie && sameToken(fromCookie, token)) return 'cookie';
  return null;
}

/**
 * Whether the Host header names this server on loopback (or the host it was bound to), which
 * stops DNS-rebinding pages from reaching the API through a name they control.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number, boundHost: string): boolean {
  if (!hostHeader) return false;
  const allowed = new Set([
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
    `${boundHost}:${port}`,
  ]);
  return allowed.has(hostHeader.toLowerCase());
}
