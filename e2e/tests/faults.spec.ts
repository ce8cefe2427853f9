import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

// What the agent sees when the API misbehaves: a 500, a timeout, malformed or unexpected JSON.
// The failures are injected between the browser and the real server (Playwright routes), the
// app must say what happened, never panic, and carry on once the API is back.

function watchPanics(page: Page): string[] {
  const panics: string[] = [];
  page.on('console', (message) => {
    if (/panicked|RuntimeError|unreachable/.test(message.text())) panics.push(message.text());
  });
  page.on('pageerror', (error) => panics.push(error.message));
  return panics;
}

test('a 500, malformed JSON, unexpected JSON and a timeout each get a clear message, then recover', async ({ page, signIn }) => {
  const panics = watchPanics(page);
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await expect(list.getByRole('option').first()).toBeVisible();
  const status = page.getByRole('status').filter({ hasText: "Couldn't load conversations" });

  // The list: a 500 with the contract's error body.
  await page.route(/\/api\/v1\/conversations\?/, (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'The database is unavailable.' } }) }));
  await page.reload();
  await expect(status).toContainText('The database is unavailable.');
  await page.unroute(/\/api\/v1\/conversations\?/);
  await status.getByRole('button', { name: 'Try again' }).click();
  await expect(list.getByRole('option').first()).toBeVisible();

  // The list: valid JSON of the wrong shape.
  await page.route(/\/api\/v1\/conversations\?/, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"items": "not a list", "counts": 7}' }));
  await page.reload();
  await expect(status).toContainText("doesn't understand");
  await page.unroute(/\/api\/v1\/conversations\?/);
  await status.getByRole('button', { name: 'Try again' }).click();
  const first = list.getByRole('option').first();
  await expect(first).toBeVisible();

  // Opening a conversation: malformed JSON.
  const id = (await first.getAttribute('id'))!.replace('conversation-option-', '');
  await page.route(new RegExp(`/api/v1/conversations/${id}$`), (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"id": "1", "contact": ' }));
  await first.click();
  const opening = page.getByRole('alert').filter({ hasText: "Couldn't open this conversation" });
  await expect(opening).toContainText("doesn't understand");
  await page.unroute(new RegExp(`/api/v1/conversations/${id}$`));
  await opening.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();

  // Its messages: the request times out.
  await page.route(new RegExp(`/api/v1/conversations/${id}/messages`), (route) => route.abort('timedout'));
  await page.reload();
  const messages = page.getByRole('alert').filter({ hasText: "Couldn't load messages" });
  await expect(messages).toContainText("Can't reach Convoroom");
  await expect(messages).not.toContainText('TypeError');
  await page.unroute(new RegExp(`/api/v1/conversations/${id}/messages`));
  await messages.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('log', { name: 'Messages' }).locator('article').first()).toBeVisible();

  // Still usable: search works.
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('zzzz-no-such-thing');
  await expect(list.getByRole('option')).toHaveCount(0);
  expect(panics).toEqual([]);
});
