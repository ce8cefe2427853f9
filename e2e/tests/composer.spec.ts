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

// Emoji (issue #23): the picker behind the Emoji button (search, arrows, Enter inserts at the
// cursor, Esc returns to the box), `:` and a name offering matches, and a shortcode typed out
// becoming its emoji.
test('emoji from the picker, from :shortcode completion and typed out', async ({ page, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  const inbound = await api.createInboundToken();
  const from = `emoji${Date.now() % 10_000_000}@example.com`;
  const accepted = await api.postInbound(inbound, { channel: 'email', from, name: `Emoji ${from}`, body: 'Any news?', team_id: '1' });
  await signIn(page);
  await page.goto(`/conversations/${accepted.conversation_id as string}`);
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('Shipped today');
  await box.press('End');
  await page.getByRole('button', { name: 'Emoji' }).click();
  const picker = page.getByRole('dialog', { name: 'Emoji' });
  const search = picker.getByRole('combobox', { name: 'Search emoji' });
  await expect(search).toBeFocused();
  await expect(picker.getByRole('group', { name: 'Smileys' })).toBeVisible();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'emoji-picker');
  await search.fill('parcel');
  await expect(picker.getByRole('option', { name: 'package :package:' })).toHaveAttribute('aria-selected', 'true');
  await search.press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('Shipped today📦');

  // Arrows move through the grid: Down is the next row.
  await page.getByRole('button', { name: 'Emoji' }).click();
  await search.press('ArrowDown');
  await expect(picker.getByRole('option', { selected: true })).toHaveAccessibleName(/^heart eyes/);
  await search.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('Shipped today📦');

  // `:` and a name: the list under the box; Enter inserts the emoji.
  await box.pressSequentially(' :thu');
  const list = page.getByRole('listbox', { name: 'Emoji' });
  await expect(list.getByRole('option', { name: ':+1: thumbs up' })).toBeVisible();
  await expect(box).toHaveAttribute('aria-activedescendant', 'emoji-list-0');
  await expectNoAxeViolations(page);
  await box.press('Enter');
  await expect(list).toHaveCount(0);
  await expect(box).toHaveValue('Shipped today📦 👍');

  // Typed out in full, a known shortcode becomes its emoji; "10:30" stays as it is.
  await box.pressSequentially(' at 10:30 :tada:');
  await expect(box).toHaveValue('Shipped today📦 👍 at 10:30 🎉');
  await box.press('Enter');
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('Shipped today📦 👍 at 10:30 🎉')).toBeVisible();
});
