import { test, expect, signIn } from './fixtures';

// Who else is replying (issue #23): while Jonas types a reply in a conversation Maya has open,
// she reads "Jonas Weber is typing a reply…" above her composer; it goes when he sends. Notes
// are not announced. The customer never sees any of it (nothing is sent to a channel).

test('an agent sees who else is typing a reply in the same conversation', async ({ page, browser, api, expectNoAxeViolations, saveScreenshot }) => {
  const inbound = await api.createInboundToken();
  const from = `+1559${Date.now() % 10_000_000}`;
  const accepted = await api.postInbound(inbound, { channel: 'sms', from, name: `Two Agents ${from}`, body: 'Is anyone there?', team_id: '1' });
  const id = accepted.conversation_id as string;

  const jonasContext = await browser.newContext();
  const jonas = await jonasContext.newPage();
  try {
    await signIn(page);
    await page.goto(`/conversations/${id}`);
    await signIn(jonas, 'jonas@example.com');
    await jonas.goto(`/conversations/${id}`);
    const typing = page.getByRole('status').filter({ hasText: 'typing' });

    // A note is not announced.
    await jonas.getByRole('button', { name: 'Internal note' }).click();
    await jonas.getByRole('textbox', { name: 'Message' }).pressSequentially('Checking the order first');
    await jonas.getByRole('button', { name: 'Add note' }).click();
    await expect(page.getByRole('log', { name: 'Messages' }).getByText('Checking the order first')).toBeVisible();
    await expect(typing).toHaveCount(0);

    await jonas.getByRole('button', { name: 'Reply', exact: true }).click();
    await jonas.getByRole('textbox', { name: 'Message' }).pressSequentially('Hi! I am looking into it');
    await expect(page.getByText('Jonas Weber is typing a reply…')).toBeVisible();
    // Not to himself.
    await expect(jonas.getByText(/is typing a reply/)).toHaveCount(0);
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'typing');

    await jonas.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expect(page.getByRole('log', { name: 'Messages' }).getByText('Hi! I am looking into it')).toBeVisible();
    await expect(page.getByText('Jonas Weber is typing a reply…')).toBeHidden();
  } finally {
    await jonasContext.close();
  }
});
