import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CHROMIUM } from '../../playwright.config';

/**
 * A Chromium the bench starts itself, with DevTools on a port of its own. Playwright connects to
 * it only to set a page up and to read figures back; in between nothing is attached, so no
 * automation domain (network events carrying every request's body, console, page events) costs
 * the browser anything, as in the browser a person uses.
 */
export interface BareChromium {
  /** The browser's DevTools WebSocket address, for `chromium.connectOverCDP`. */
  wsEndpoint: string;
  /** The titles of the open pages, read over DevTools' HTTP listing: no session is opened. */
  titles(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts headless Chromium (the e2e suite's binary and switches) with a window of `size`. */
export async function launchBareChromium(size: { width: number; height: number }): Promise<BareChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'ganstudio-bench-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      `--window-size=${size.width},${size.height}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start in 30 s:\n${stderr}`)), 30_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += `${line}\n`;
      const endpoint = /DevTools listening on (ws:\/\/\S+)/.exec(line)?.[1];
      if (!endpoint) return;
      clearTimeout(timer);
      resolve(endpoint);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${stderr}`));
    });
  });
  const listing = wsEndpoint.replace(/^ws:\/\/([^/]+)\/.*$/, 'http://$1/json/list');
  return {
    wsEndpoint,
    titles: async () => {
      const targets = (await (await fetch(listing)).json()) as { type: string; title: string }[];
      return targets.filter((t) => t.type === 'page').map((t) => t.title);
    },
    close: async () => {
      child.kill('SIGTERM');
      await stopped;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
