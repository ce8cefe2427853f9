import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

// The details panel's Contact tab and history: link/unlink, contact edits, typed attributes,
// conversation history and merge, session history, folding sections, live changes.

const unique = () => `${Date.now() % 10_000_000}${Math.floor(Math.random() * 90 + 10)}`;

async function open(page: Page, name: string) {
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: name }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await expect(panel).toBeVisible();
  return panel;
}

test('link the conversation to another contact, edit it, then unlink it', async ({ page, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  const inbound = await api.createInboundToken();
  const stamp = unique();
  const source = `Linker ${stamp}`;
  const target = `Target ${stamp}`;
  await api.postInbound(inbound, { channel: 'telegram', from: `tg-${stamp}`, name: source, body: 'Hello from Telegram' });
  await api.postInbound(inbound, { channel: 'whatsapp', from: `+1555${stamp}`, name: target, body: 'Hello from WhatsApp' });

  await signIn(page);
  const panel = await open(page, source);
  await panel.getByRole('tab', { name: 'Contact' }).click();
  const info = panel.getByRole('region', { name: 'Contact information' });
  await expect(info).toContainText(source);

  await info.getByRole('button', { name: 'Link to a contact' }).click();
  await info.getByRole('searchbox', { name: 'Find a contact' }).fill(target);
  await info.getByRole('list', { name: 'Matching contacts' }).getByRole('button', { name: new RegExp(`Link to ${target}`) }).click();
  await expect(info.getByRole('definition').first()).toHaveText(target);
  // The linked contact now has both conversations.
  const history = panel.getByRole('region', { name: 'Conversation history' });
  await expect(history.getByRole('list', { name: 'Conversations of this contact' }).getByRole('listitem')).toHaveCount(2);

  // Edit the contact's fields and labels.
  await info.getByRole('button', { name: 'Edit contact' }).click();
  await info.getByRole('textbox', { name: 'Email' }).fill(`target-${stamp}@example.com`);
  await info.getByRole('textbox', { name: 'City' }).fill('Lisbon');
  await info.getByRole('button', { name: 'Save contact' }).click();
  await expect(info).toContainText(`target-${stamp}@example.com`);
  await info.getByRole('textbox', { name: 'Add contact label' }).fill('wholesale');
  await info.getByRole('button', { name: 'Add contact label' }).click();
  await expect(info.getByRole('list', { name: 'Contact labels' }).getByRole('listitem')).toHaveText([/wholesale/]);
  await page.reload();
  await expect(info).toContainText('Lisbon');
  await expect(info.getByRole('list', { name: 'Contact labels' }).getByRole('listitem')).toHaveText([/wholesale/]);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'details-contact');

  // Unlinking asks first, and can be undone without leaving a stray unknown contact behind.
  await info.getByRole('button', { name: 'Unlink contact' }).click();
  await expect(info.getByRole('alert')).toContainText(`Unlink this conversation from ${target}?`);
  await info.getByRole('button', { name: 'Keep linked' }).click();
  await expect(info.getByRole('definition').first()).toHaveText(target);
  await info.getByRole('button', { name: 'Unlink contact' }).click();
  await info.getByRole('button', { name: 'Yes, unlink' }).click();
  await expect(info).toContainText('Unknown customer');
  await expect(info.getByRole('definition').first()).toHaveText(`tg-${stamp}`);
  await expect(info.getByRole('status')).toContainText(`Unlinked from ${target}.`);
  await info.getByRole('button', { name: 'Undo' }).click();
  await expect(info.getByRole('definition').first()).toHaveText(target);
  await expect(info.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  const token = await api.signIn();
  const found = await (await page.request.get(`/api/v1/contacts?q=${encodeURIComponent(`tg-${stamp}`)}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const contacts = (found.items ?? found) as Array<{ name: string; known: boolean }>;
  expect(contacts.filter((c) => !c.known)).toEqual([]);
});

test('typed attributes: an invalid value is refused inline, a valid one is kept', async ({ page, signIn, api }) => {
  const inbound = await api.createInboundToken();
  const name = `Attributes ${unique()}`;
  await api.postInbound(inbound, { channel: 'sms', from: `+1666${unique()}`, name, body: 'Question about my plan' });
  await signIn(page);
  const panel = await open(page, name);
  await panel.getByRole('tab', { name: 'Contact' }).click();
  const attributes = panel.getByRole('region', { name: 'Contact attributes' });
  await attributes.getByRole('combobox', { name: 'Add contact attributes' }).selectOption({ label: 'Lifetime value' });
  const value = attributes.getByRole('textbox', { name: 'Lifetime value' });
  await value.fill('lots');
  await attributes.getByRole('button', { name: 'Save' }).click();
  await expect(attributes.getByRole('alert')).toHaveText('"lots" is not a number');
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await value.fill('1250.5');
  const contactSaved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/contacts/'));
  await attributes.getByRole('button', { name: 'Save' }).click();
  expect((await contactSaved).ok()).toBeTruthy();
  await expect(attributes.getByRole('definition')).toContainText(['1250.5']);

  // A conversation attribute from a list.
  await panel.getByRole('tab', { name: 'Conversation' }).click();
  const conversationAttributes = panel.getByRole('region', { name: 'Conversation attributes' });
  await conversationAttributes.getByRole('combobox', { name: 'Add conversation attributes' }).selectOption({ label: 'Order number' });
  await conversationAttributes.getByRole('textbox', { name: 'Order number' }).fill('#4411');
  // Shown at once (optimistic); reload only once the server has it.
  const conversationSaved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/conversations/'));
  await conversationAttributes.getByRole('button', { name: 'Save' }).click();
  await expect(conversationAttributes.getByRole('definition')).toContainText(['#4411']);
  expect((await conversationSaved).ok()).toBeTruthy();
  await page.reload();
  await expect(conversationAttributes.getByRole('definition')).toContainText(['#4411']);
  await panel.getByRole('tab', { name: 'Contact' }).click();
  await expect(attributes.getByRole('definition')).toContainText(['1250.5']);
});

test('merge two conversations of a contact after a confirmation; history filters by channel', async ({ page, signIn, api }) => {
  const inbound = await api.createInboundToken();
  const stamp = unique();
  const name = `Merger ${stamp}`;
  await api.postInbound(inbound, { channel: 'email', from: `merger-${stamp}@example.com`, name, body: 'First, by email' });
  await api.postInbound(inbound, { channel: 'instagram', from: `merger_${stamp}`, name: `Merger IG ${stamp}`, body: 'Second, on Instagram' });
  await signIn(page);
  // Put the Instagram conversation under the email contact, so the contact has two.
  const panel = await open(page, `Merger IG ${stamp}`);
  await panel.getByRole('tab', { name: 'Contact' }).click();
  const info = panel.getByRole('region', { name: 'Contact information' });
  await info.getByRole('button', { name: 'Link to a contact' }).click();
  await info.getByRole('searchbox', { name: 'Find a contact' }).fill(name);
  await info.getByRole('button', { name: new RegExp(`Link to ${name}`) }).click();

  const history = panel.getByRole('region', { name: 'Conversation history' });
  const items = history.getByRole('list', { name: 'Conversations of this contact' }).getByRole('listitem');
  await expect(items).toHaveCount(2);
  await history.getByRole('combobox', { name: 'Filter history by channel' }).selectOption({ label: 'Email' });
  await expect(items).toHaveCount(1);
  await history.getByRole('button', { name: /^View conversation/ }).click();
  const dialog = page.getByRole('dialog', { name: /read-only/ });
  await expect(dialog.getByRole('log')).toContainText('First, by email');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await history.getByRole('button', { name: /^Merge conversation/ }).click();
  await expect(history.getByRole('alertdialog')).toContainText('cannot be undone');
  await history.getByRole('button', { name: 'Yes, merge' }).click();
  await expect(history).toContainText('No conversation history');
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('First, by email');
});

test('sections fold and stay folded; sessions are listed and found in the chat', async ({ page, signIn, api, request }) => {
  const inbound = await api.createInboundToken();
  const stamp = unique();
  const name = `Sessions ${stamp}`;
  const from = `+1777${stamp}`;
  const first = await api.postInbound(inbound, { channel: 'whatsapp', from, name, body: 'My first question' });
  const token = await api.signIn();
  const resolved = await request.post(`/api/v1/conversations/${first.conversation_id}/resolve`, { headers: { Authorization: `Bearer ${token}` }, data: {} });
  expect(resolved.ok()).toBeTruthy();
  await api.postInbound(inbound, { channel: 'whatsapp', from, name, body: 'Back again with another question' });

  await signIn(page);
  const panel = await open(page, name);
  const sessions = panel.getByRole('region', { name: 'Session history' });
  await expect(sessions.getByRole('list', { name: 'Sessions' }).getByRole('listitem')).toHaveCount(2);
  await expect(sessions.getByRole('listitem').last()).toContainText(/Resolved .* by Maya Patel/);
  await sessions.getByRole('button', { name: 'Show session 1 in chat' }).click();
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('My first question')).toBeInViewport();

  const notesToggle = panel.getByRole('button', { name: 'Notes', exact: true });
  await expect(notesToggle).toHaveAttribute('aria-expanded', 'true');
  await notesToggle.click();
  await expect(panel.getByRole('textbox', { name: 'New note' })).toBeHidden();
  await page.reload();
  await expect(notesToggle).toHaveAttribute('aria-expanded', 'false');
  await notesToggle.click();
  await expect(panel.getByRole('textbox', { name: 'New note' })).toBeVisible();
});

test('a change made by another agent through the API appears live', async ({ page, signIn, api, request }) => {
  const inbound = await api.createInboundToken();
  const name = `Live details ${unique()}`;
  const accepted = await api.postInbound(inbound, { channel: 'live_chat', from: `visitor-${unique()}`, name, body: 'Anyone there?' });
  const id = accepted.conversation_id as string;
  await signIn(page);
  const panel = await open(page, name);

  // Maya hands it to Jonas; Jonas, in his own session, labels it and takes notes.
  const maya = await api.signIn();
  const jonas = await api.signIn('jonas@example.com');
  const assigned = await request.put(`/api/v1/conversations/${id}/assignee`, { headers: { Authorization: `Bearer ${maya}` }, data: { assignee_id: '2' } });
  expect(assigned.ok()).toBeTruthy();
  const labelled = await request.post(`/api/v1/conversations/${id}/labels`, { headers: { Authorization: `Bearer ${jonas}` }, data: { label: 'vip' } });
  expect(labelled.ok()).toBeTruthy();

  await expect(panel.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveText([/vip/]);
  await expect(panel.getByRole('combobox', { name: 'Handled by' })).toHaveValue('2');
  await expect(panel.getByRole('region', { name: 'Conversation details' })).toContainText('Maya Patel assigned it to Jonas Weber');
});

test('sections can be rearranged and keep their order', async ({ page, signIn, api }) => {
  const inbound = await api.createInboundToken();
  const name = `Arrange ${unique()}`;
  await api.postInbound(inbound, { channel: 'messenger', from: `psid-${unique()}`, name, body: 'Hi' });
  await signIn(page);
  const panel = await open(page, name);
  const headings = panel.getByRole('tabpanel', { name: 'Conversation' }).getByRole('heading', { level: 3 });
  await expect(headings.first()).toHaveText('Handled by');
  await panel.getByRole('button', { name: 'Arrange sections' }).click();
  await panel.getByRole('button', { name: 'Move Notes up' }).click();
  await panel.getByRole('button', { name: 'Move Notes up' }).click();
  await panel.getByRole('button', { name: 'Done arranging' }).click();
  await expect(panel.getByRole('button', { name: 'Move Notes up' })).toHaveCount(0);
  await expect(headings.first()).toHaveText('Notes');
  await page.reload();
  await expect(headings.first()).toHaveText('Notes');
  await expect(headings.nth(1)).toHaveText('Handled by');
});
