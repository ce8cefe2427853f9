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

test('the Content-Security-Policy is enforced: an injected inline script does not run', async ({ page, signIn, cspViolations }) => {
  await signIn(page);
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
  expect(cspViolations[0]).toContain('script-src');
  // Expected here; every other test must end with none.
  cspViolations.length = 0;
});
