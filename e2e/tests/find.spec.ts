import { test, expect } from './fixtures';

// Search inside a conversation (issue #23): the find bar searches the whole history, not only
// the pages loaded; Enter steps to older matches (loading pages until the match is there),
// Shift+Enter to newer ones; matches are marked in the log; Escape closes it.

test('an agent finds text anywhere in a long conversation and steps through the matches', async ({ page, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  test.setTimeout(120_000);
  const inbound = await api.createInboundToken();
  const from = `+1561${Date.now() % 10_000_000}`;
  let id = '';
  for (let i = 1; i <= 130; i++) {
    const body = i === 3 ? 'My parcel P-4411 never arrived' : i === 120 ? 'Any news on p-4411?' : `Message number ${i}`;
    const accepted = await api.postInbound(inbound, { channel: 'sms', from, name: `Finder ${from}`, body, team_id: '1' });
    id = accepted.conversation_id as string;
  }
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByText('Message number 130', { exact: true })).toBeVisible();
  // The first match is on a page not loaded yet.
  await expect(log.getByText('My parcel', { exact: false })).toHaveCount(0);

  // "f" opens it (the header's magnifier does too).
  await log.focus();
  await page.keyboard.press('f');
  const find = page.getByRole('searchbox', { name: 'Find in conversation' });
  await expect(find).toBeFocused();
  await find.fill('P-4411');
  const bar = page.getByRole('search', { name: 'Find in conversation' });
  await expect(bar.getByRole('status')).toHaveText('1 of 2');
  await expect(log.locator('mark', { hasText: 'p-4411' })).toBeVisible();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'find-newest');

  // Older: the page holding message 3 loads and it is shown, marked.
  await find.press('Enter');
  await expect(bar.getByRole('status')).toHaveText('2 of 2');
  await expect(log.locator('mark', { hasText: 'P-4411' })).toBeInViewport();
  await expect(log.getByText('never arrived', { exact: false })).toBeVisible();
  await find.press('Shift+Enter');
  await expect(bar.getByRole('status')).toHaveText('1 of 2');
  await expect(log.locator('mark', { hasText: 'p-4411' })).toBeInViewport();

  await find.fill('nothing like this');
  await expect(bar.getByRole('status')).toHaveText('No matches');
  await expect(bar.getByRole('button', { name: 'Older match' })).toBeDisabled();

  await find.press('Escape');
  await expect(bar).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(log.locator('mark')).toHaveCount(0);
});
