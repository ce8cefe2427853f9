import { test, expect } from './fixtures';

// The composer's counters (issue #23): an SMS reply says what it costs in messages, and that
// one emoji makes the whole text Unicode (70 characters per SMS).

test('an SMS reply counts its characters and messages', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const inbound = await api.createInboundToken();
  const from = `+1560${Date.now() % 10_000_000}`;
  const accepted = await api.postInbound(inbound, { channel: 'sms', from, name: `Counter ${from}`, body: 'How long can a reply be?', team_id: '1' });
  await signIn(page);
  await page.goto(`/conversations/${accepted.conversation_id as string}`);
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('a'.repeat(150));
  await expect(box).toHaveAccessibleDescription('10 characters left · 1 SMS');
  await box.fill('a'.repeat(161));
  await expect(box).toHaveAccessibleDescription('2 SMS · 145 characters left in the last');
  await box.fill('Thanks 🙂');
  await expect(box).toHaveAccessibleDescription('61 characters left · 1 SMS (Unicode: 70 characters per SMS)');
  await expectNoAxeViolations(page);

  // A note is not an SMS: no counter.
  await page.getByRole('button', { name: 'Internal note' }).click();
  await expect(page.getByText(/characters left · 1 SMS/)).toHaveCount(0);
});
