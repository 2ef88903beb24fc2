import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The bridge script that defines `window.studio` over HTTP; built beside the renderer. */
export const BRIDGE_PATH = 'assets/web-bridge.js';

/** A file of the built renderer, ready to send. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Reads `urlPath` from the built renderer in `root`, refusing anything outside it. With
 * `injectBridge`, `index.html` gets the web bridge first in <head> so `window.studio` exists
 * before the app runs (the web host); Electron's preload provides it instead.
 */
export async function readStaticFile(
  root: string,
  urlPath: string,
  { injectBridge }: { injectBridge: boolean },
): Promise<StaticFile | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath).replace(/^\/+/, '') || 'index.html';
  } catch {
    return null;
  }
  const full = normalize(join(root, relative));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  let body: Buffer;
  try {
    body = await readFile(full);
  } catch {
    return null;
  }
  const extension = extname(full).toLowerCase();
  if (injectBridge && relative === 'index.html') {
    const html = body
      .toString('utf8')
      .replace('<head>', `<head>\n    <script type="module" src="./${BRIDGE_PATH}"></script>`);
    body = Buffer.from(html);
  }
  return { body, contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' };
}
