import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './data-dir';

describe('data directory', () => {
  it('matches Electron userData per platform', () => {
    expect(defaultDataDir({}, 'linux', '/home/ada')).toBe(join('/home/ada', '.config', 'GAN Studio'));
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ada')).toBe(
      join('/cfg', 'GAN Studio'),
    );
    expect(defaultDataDir({}, 'darwin', '/Users/ada')).toBe(
      join('/Users/ada', 'Library', 'Application Support', 'GAN Studio'),
    );
    expect(defaultDataDir({ APPDATA: 'C:\\AppData' }, 'win32', 'C:\\Users\\ada')).toBe(
      join('C:\\AppData', 'GAN Studio'),
    );
  });

  it('lets GANSTUDIO_HOME override everything', () => {
    expect(resolveDataDir('/electron/userData', { GANSTUDIO_HOME: '/tmp/studio' })).toBe('/tmp/studio');
    expect(resolveDataDir('/electron/userData', { GANSTUDIO_HOME: '  ' })).toBe('/electron/userData');
  });
});
