import type { Engine } from '../../engine/engine';
import { startWebHost } from '../../web-host/web-host';
import type { Output } from '../output';
import { UsageError } from '../output';

/** Options of `ganstudio serve`; without a port, the default is tried first, then any free one. */
export interface ServeOptions {
  host: string;
  port: number | null;
  rendererDir: string;
}

/** The port `ganstudio serve` tries first when none is given. */
export const DEFAULT_PORT = 4780;

/** `ganstudio serve`: the studio in a browser, until SIGINT or SIGTERM. */
export async function serve(engine: Engine, options: ServeOptions, out: Output): Promise<void> {
  const start = (port: number): ReturnType<typeof startWebHost> =>
    startWebHost({ engine, rendererDir: options.rendererDir, host: options.host, port });
  let host;
  try {
    host = await start(options.port ?? DEFAULT_PORT).catch((error: NodeJS.ErrnoException) => {
      if (options.port === null && error.code === 'EADDRINUSE') return start(0);
      throw error;
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `Port ${options.port} on ${options.host} is already in use: pick another with --port.`,
        1,
      );
    if (code === 'EADDRNOTAVAIL')
      throw new UsageError(`Cannot listen on ${options.host}: no such address on this machine.`, 1);
    throw error;
  }
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(options.host);
  out.event(
    { event: 'listening', url: host.url, port: host.port, dataDir: engine.dataDir },
    `GAN Studio is served at ${host.url}\n(data: ${engine.dataDir}${loopback ? '' : '; WARNING: reachable from the network, protected only by the token'}; Ctrl+C stops it)`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  if (engine.training.active().length)
    out.event({ event: 'stopping-runs' }, 'Stopping training runs (each writes a checkpoint first)…');
  await engine.training.stopAll(60_000);
  await host.close();
  out.result({ event: 'stopped' }, 'Stopped.');
}
