import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A `ganstudio serve` process started for a test. */
export interface ServedStudio {
  url: string;
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts `ganstudio serve --port 0 --json` on `home` and waits for its listening line. */
export async function serveStudio(home: string): Promise<ServedStudio> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/ganstudio.js', 'serve', '--port', '0', '--json'],
    {
      env: { ...process.env, GANSTUDIO_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`ganstudio serve did not start in 30 s:\n${stderr}`)),
      30_000,
    );
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { event?: string; url: string; port: number };
      if (message.event === 'listening') {
        clearTimeout(timer);
        resolve(message);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ganstudio serve exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url: listening.url,
    port: listening.port,
    origin: new URL(listening.url).origin,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
