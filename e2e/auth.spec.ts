import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from './support/fixtures';

test('a request without the token gets 401 and no data', async ({ served, studio }) => {
  await studio.createProject('Secret project');
  const anonymous = await playwrightRequest.newContext();
  for (const path of ['/', '/index.html', '/assets/web-bridge.js']) {
    const response = await anonymous.get(served.origin + path);
    expect(response.status(), path).toBe(401);
    expect(await response.text()).not.toContain('Secret project');
  }
  const api = await anonymous.post(`${served.origin}/api/projects:list`, { data: { payload: null } });
  expect(api.status()).toBe(401);
  expect(await api.text()).not.toContain('Secret project');
  const wrong = await anonymous.post(`${served.origin}/api/projects:list`, {
    data: { payload: null },
    headers: { authorization: 'Bearer not-the-token' },
  });
  expect(wrong.status()).toBe(401);
  await anonymous.dispose();
});

test('a browser without the token sees only the 401 message', async ({ served, browser }) => {
  const page = await browser.newPage();
  const response = await page.goto(served.origin + '/');
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Unauthorized');
  await page.close();
});
