import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error plain-JS build script without type declarations
import { electronBinaryPath, ensureElectronSqlite } from '../scripts/electron-runtime.js';

const binary = (electronBinaryPath as () => string | null)();

test.describe('Electron window', () => {
  test.skip(
    !binary,
    'no Electron binary on this machine (its download is not possible here); the same flows run against the web host',
  );

  test('opens the studio, isolated, and creates a project through the contract', async () => {
    (ensureElectronSqlite as () => string)();
    const home = mkdtempSync(join(tmpdir(), 'ganstudio-electron-'));
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: ['.'],
      env: { ...process.env, GANSTUDIO_HOME: home },
    });
    const window = await app.firstWindow();
    expect(window.url()).toBe('app://studio/index.html');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    await window.getByTestId('projects.new-name').fill('Desktop project');
    await window.getByTestId('projects.create').click();
    await expect(window.getByTestId('project.title')).toHaveText('Desktop project');
    await expect(window.getByTestId('footer.training')).toContainText('Training:');
    await app.close();
    rmSync(home, { recursive: true, force: true });
  });
});
