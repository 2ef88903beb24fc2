import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name; Electron derives its userData folder from it. */
export const APP_NAME = 'GAN Studio';

/**
 * Where Electron puts userData for this app on each platform, so the CLI, the web host and the
 * desktop app share one catalog unless GANSTUDIO_HOME says otherwise.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

/** The data directory in force: GANSTUDIO_HOME when set, else the given fallback or the default. */
export function resolveDataDir(fallback?: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.GANSTUDIO_HOME?.trim();
  if (override) return override;
  return fallback ?? defaultDataDir(env);
}
