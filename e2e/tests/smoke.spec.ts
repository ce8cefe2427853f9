import { test, expect } from './fixtures';

// The plumbing check: the server serves the release build and the API answers.
// Feature specs live beside this file.

test('the app loads and the API is healthy', async ({ page, api, request }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Convoroom/);

  const health = await request.get('/api/v1/health');
  expect(health.ok()).toBeTruthy();
  await api.health();
});
