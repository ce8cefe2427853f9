import { test, expect, type Api } from './fixtures';
import type { Page } from '@playwright/test';

// What a support team hit in its first week (issue #22): each test fails on the build before
// the fix.

async function freshConversation(api: Api, page: Page, who: string) {
  const inbound = await api.createInboundToken();
  const from = `+1555${Date.now() % 10_000_000}`;
  const name = `${who} ${from}`;
  const accepted = await api.postInbound(inbound, { channel: 'whatsapp', from, name, body: 'Hello, I have a question' });
  return { id: accepted.conversation_id as string, name, from };
}

test('a search finds a customer whose conversations are all resolved', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const { id, name } = await freshConversation(api, page, 'Resolved Searcher');
  const token = await api.signIn();
  const resolved = await page.request.post(`/api/v1/conversations/${id}/resolve`, { headers: { Authorization: `Bearer ${token}` }, data: {} });
  expect(resolved.ok()).toBeTruthy();

  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill(name);
  await expect(list.getByRole('option').filter({ hasText: name })).toContainText('Resolved');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('any');
  await expect(page).not.toHaveURL(/status=/);

  // Narrowed to open conversations on purpose: the list says so and offers the way back.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('open');
  await expect(page.getByText(`No open conversations match “${name}”`)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Search every status' }).click();
  await expect(list.getByRole('option').filter({ hasText: name })).toBeVisible();

  // Clearing the search returns to open conversations.
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('open');
});

test('an internal note being written comes back as a note after a reload', async ({ page, signIn, api }) => {
  const { id } = await freshConversation(api, page, 'Draft Keeper');
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  await page.getByRole('button', { name: 'Internal note' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Customer prefers a call after 5pm');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Internal note' })).toHaveAttribute('aria-pressed', 'true');
  await expect(box).toHaveValue('Customer prefers a call after 5pm');
  await page.getByRole('button', { name: 'Reply', exact: true }).click();
  await expect(box).toHaveValue('');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Reply', exact: true })).toHaveAttribute('aria-pressed', 'true');
});

test('an internal note is one thing: written in the composer or the panel, edited or deleted, both places agree', async ({ page, signIn, api }) => {
  const { id } = await freshConversation(api, page, 'Note Agreer');
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const log = page.getByRole('log', { name: 'Messages' });
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  const notes = panel.getByRole('list', { name: 'Notes' });

  // Composer → Notes section.
  await page.getByRole('button', { name: 'Internal note' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Refund approved by billing');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(log.getByRole('article', { name: 'Internal note' }).filter({ hasText: 'Refund approved by billing' })).toBeVisible();
  await expect(notes.getByRole('listitem').filter({ hasText: 'Refund approved by billing' })).toBeVisible();

  // Notes section → thread.
  await panel.getByRole('textbox', { name: 'New note' }).fill('Customer prefers email');
  await panel.getByRole('button', { name: 'Save note' }).click();
  const inThread = log.getByRole('article', { name: 'Internal note' }).filter({ hasText: 'Customer prefers email' });
  await expect(inThread).toBeVisible();

  // An edit in the panel is the thread's text too, marked edited; a reload agrees.
  const item = notes.getByRole('listitem').filter({ hasText: 'Customer prefers email' });
  await item.getByRole('button', { name: 'Edit' }).click();
  // While edited, the text is in the box (not the item's text): one note is being edited.
  await notes.getByRole('textbox', { name: 'Edit note' }).fill('Customer prefers email, never calls');
  await notes.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = log.getByRole('article', { name: 'Internal note' }).filter({ hasText: 'Customer prefers email, never calls' });
  await expect(edited).toContainText('edited');
  await page.reload();
  await expect(edited).toContainText('edited');
  await expect(notes.getByRole('listitem')).toHaveCount(2);

  // Deleted in the panel: gone from the thread.
  const composed = notes.getByRole('listitem').filter({ hasText: 'Refund approved by billing' });
  await composed.getByRole('button', { name: 'Delete' }).click();
  await composed.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(log.getByText('Refund approved by billing')).toHaveCount(0);
  await expect(notes.getByRole('listitem')).toHaveCount(1);
});

test('spam and blocked are different states, each said in its own words', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const { id, name } = await freshConversation(api, page, 'Spam Tester');
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  const header = page.getByRole('region', { name: 'Conversation', exact: true }).getByRole('heading', { level: 2 }).locator('..');
  const row = page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: name });

  await panel.getByRole('button', { name: 'Mark as spam' }).click();
  await panel.getByRole('button', { name: 'Yes, mark as spam' }).click();
  await expect(header.getByText('Spam', { exact: true })).toBeVisible();
  await expect(header.getByText('Blocked', { exact: true })).toHaveCount(0);
  await expect(page.getByText('This conversation is marked as spam, so replies are off.')).toBeVisible();
  await expect(page.getByText('This contact is blocked')).toHaveCount(0);
  // Blocking is still on offer: it is a different thing.
  await expect(panel.getByRole('button', { name: 'Block contact' })).toBeVisible();
  await expect(row.getByText('Spam', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);

  await panel.getByRole('button', { name: 'Block contact' }).click();
  await panel.getByRole('button', { name: 'Yes, block' }).click();
  await expect(header.getByText('Blocked', { exact: true })).toBeVisible();
  await expect(header.getByText('Spam', { exact: true })).toBeVisible();
  await expect(page.getByText('This contact is blocked: their messages are dropped and replies are off.')).toBeVisible();
});

test('turning AI off says what it changes and shows where', async ({ page, signIn, api }) => {
  const { id, name } = await freshConversation(api, page, 'AI Off Tester');
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  const ai = panel.getByRole('switch', { name: 'AI automation for this conversation' });
  await ai.click();
  await expect(ai).toHaveAttribute('aria-checked', 'false');
  await expect(ai).toHaveAccessibleDescription(/no AI summary or quality score, and the automatic review leaves this conversation out/);
  await expect(page.getByRole('region', { name: 'Conversation', exact: true }).getByText('AI off', { exact: true })).toBeVisible();
  const row = page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: name });
  await expect(row.getByText('AI off', { exact: true })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'AI summary' })).toContainText('AI access is off for this conversation');
});

test('contact fields and notes are checked in the app’s own words before anything is sent', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const { id } = await freshConversation(api, page, 'Input Checker');
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await panel.getByRole('tab', { name: 'Contact' }).click();
  await panel.getByRole('button', { name: 'Edit contact' }).click();
  const form = panel.getByRole('form', { name: 'Edit contact' });
  let patches = 0;
  page.on('request', (r) => { if (r.method() === 'PATCH' && r.url().includes('/contacts/')) patches++; });
  await form.getByRole('textbox', { name: 'Phone' }).fill('call me maybe');
  await form.getByRole('textbox', { name: 'Email' }).fill('ana@example');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(form.getByText('“call me maybe” isn\'t a phone number.')).toBeVisible();
  await expect(form.getByText('“ana@example” isn\'t an email address.')).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Phone' })).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  expect(patches).toBe(0);
  await form.getByRole('textbox', { name: 'Phone' }).fill('+34 600 123 456');
  await form.getByRole('textbox', { name: 'Email' }).fill('ana@example.com');
  await form.getByRole('button', { name: 'Save contact' }).click();
  await expect(panel.getByText('+34600123456')).toBeVisible();

  // An attribute that forbids negative values says so before saving; the server agrees.
  const attributes = panel.getByRole('region', { name: 'Contact attributes' });
  await attributes.getByRole('combobox', { name: 'Add contact attributes' }).selectOption({ label: 'Lifetime value' });
  await attributes.getByRole('textbox', { name: 'Lifetime value' }).fill('-5');
  await attributes.getByRole('button', { name: 'Save' }).click();
  await expect(attributes.getByRole('alert')).toHaveText("Lifetime value can't be less than 0");
  const token = await api.signIn();
  const conversation = await (await page.request.get(`/api/v1/conversations/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const contactUrl = `/api/v1/contacts/${conversation.contact.id}`;
  const contact = await (await page.request.get(contactUrl, { headers: { Authorization: `Bearer ${token}` } })).json();
  const refused = await page.request.patch(contactUrl, {
    headers: { Authorization: `Bearer ${token}`, 'If-Match': String(contact.version) },
    data: { phone: 'call me maybe', attributes: { lifetime_value: { type: 'number', value: -5 } } },
  });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toContain('isn\'t a phone number');

  // A note over the limit is refused while typing; a long one reads folded.
  await panel.getByRole('tab', { name: 'Conversation' }).click();
  const notes = panel.getByRole('region', { name: 'Notes' });
  const box = notes.getByRole('textbox', { name: 'New note' });
  await box.fill('x'.repeat(5_001));
  await expect(notes.getByText('5001 / 5000 characters: 1 too many')).toBeVisible();
  await expect(notes.getByRole('button', { name: 'Save note' })).toBeDisabled();
  const long = Array.from({ length: 12 }, (_, i) => `Line ${i + 1} of a long handover note.`).join('\n');
  await box.fill(long);
  await notes.getByRole('button', { name: 'Save note' }).click();
  const more = notes.getByRole('button', { name: 'Show more' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.click();
  await expect(notes.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
});

test('the AI summary quotes numbers and versions whole', async ({ page, signIn, api }) => {
  const inbound = await api.createInboundToken();
  const from = `+1556${Date.now() % 10_000_000}`;
  const accepted = await api.postInbound(inbound, { channel: 'whatsapp', from, name: `Firmware ${from}`, body: "It's on firmware 2.3, is there an update?" });
  await signIn(page);
  await page.goto(`/conversations/${accepted.conversation_id as string}`);
  const summary = page.getByRole('complementary', { name: 'Conversation details' }).getByRole('region', { name: 'AI summary' });
  await summary.getByRole('button', { name: 'Regenerate' }).click();
  await expect(summary).toContainText("Customer: It's on firmware 2.3, is there an update?");
});

test('list rows and history items are real links: Ctrl-click opens another tab, a click or Enter opens in place', async ({ page, context, signIn, api }) => {
  const inbound = await api.createInboundToken();
  const from = `+1557${Date.now() % 10_000_000}`;
  const name = `Tabbed ${from}`;
  const first = await api.postInbound(inbound, { channel: 'whatsapp', from, name, body: 'First conversation' });
  const token = await api.signIn();
  const contactId = ((await api.get(`/api/v1/conversations/${first.conversation_id as string}`, token)) as { contact: { id: string } }).contact.id;
  // The same customer by SMS: a second conversation, newer, so it heads the list.
  const started = await page.request.post('/api/v1/conversations', {
    headers: { Authorization: `Bearer ${token}` },
    data: { contact_id: contactId, channel: 'sms', body: 'Second conversation' },
  });
  expect(started.ok(), await started.text()).toBeTruthy();
  const second = { conversation_id: ((await started.json()) as { id: string }).id };
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  const row = list.getByRole('option').filter({ hasText: name }).filter({ hasText: 'Second conversation' });
  await expect(row).toHaveAttribute('href', `/conversations/${second.conversation_id as string}`);

  const [tab] = await Promise.all([context.waitForEvent('page'), row.click({ modifiers: ['Control'] })]);
  await tab.waitForLoadState();
  await expect(tab).toHaveURL(new RegExp(`/conversations/${second.conversation_id as string}$`));
  await expect(tab.getByRole('log', { name: 'Messages' }).getByText('Second conversation')).toBeVisible();
  await tab.close();
  await expect(page).not.toHaveURL(/\/conversations\/\d+/);

  // Keyboard: the list is one tab stop; Enter on the highlighted row opens it here.
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/conversations\/\d+/);

  await row.click();
  await expect(page).toHaveURL(new RegExp(`/conversations/${second.conversation_id as string}`));
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await panel.getByRole('tab', { name: 'Contact' }).click();
  const history = panel.getByRole('region', { name: 'Conversation history' });
  const older = history.getByRole('link', { name: `WhatsApp · #${first.conversation_id as string}` });
  const [other] = await Promise.all([context.waitForEvent('page'), older.click({ modifiers: ['Control'] })]);
  await other.waitForLoadState();
  await expect(other).toHaveURL(new RegExp(`/conversations/${first.conversation_id as string}$`));
  await other.close();
  await older.click();
  await expect(page).toHaveURL(new RegExp(`/conversations/${first.conversation_id as string}$`));
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('First conversation')).toBeVisible();
});

test('a merged conversation’s address opens the conversation it was merged into, saying so', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const first = await freshConversation(api, page, 'Merged Away');
  const second = await freshConversation(api, page, 'Merged Into');
  const third = await freshConversation(api, page, 'Merged Live');
  const token = await api.signIn();
  const merge = (from: string, into: string) =>
    page.request.post(`/api/v1/conversations/${from}/merge`, { headers: { Authorization: `Bearer ${token}` }, data: { into_conversation_id: into } });
  expect((await merge(first.id, second.id)).ok()).toBeTruthy();

  // An old link (a bookmark, a colleague's message) leads to where the thread went.
  await signIn(page);
  await page.goto(`/conversations/${first.id}`);
  await expect(page).toHaveURL(new RegExp(`/conversations/${second.id}$`));
  await expect(page.getByRole('status').filter({ hasText: `Conversation #${first.id} was merged into this one.` })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Messages' }).getByText(`Conversation ${first.id} merged into this one`)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText(`Conversation #${first.id} was merged into this one.`)).toHaveCount(0);

  // Merged by someone else while open here: the page follows.
  await page.goto(`/conversations/${third.id}`);
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  expect((await merge(third.id, second.id)).ok()).toBeTruthy();
  await expect(page).toHaveURL(new RegExp(`/conversations/${second.id}$`));
  await expect(page.getByRole('status').filter({ hasText: `Conversation #${third.id} was merged into this one.` })).toBeVisible();
});

test('the ownership timeline starts with the assignment the thread announces', async ({ page, signIn, api }) => {
  // A seeded conversation (the seed's ids come first; other tests add newer ones).
  const token = await api.signIn();
  let assigned: { id: string } | undefined;
  for (let id = 1; !assigned && id <= 40; id++) {
    // Another test may have merged one away: skip what is gone.
    const reply = await page.request.get(`/api/v1/conversations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    const c = reply.ok() ? ((await reply.json()) as { id: string; assignee_id?: string }) : undefined;
    if (c?.assignee_id) assigned = c;
  }
  expect(assigned).toBeTruthy();
  await signIn(page);
  await page.goto(`/conversations/${assigned!.id}`);
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  const timeline = panel.getByRole('list', { name: 'Ownership over time' });
  await expect(timeline.getByRole('listitem').first()).toContainText(/Assigned to \S+/);
  await expect(panel.getByText('No ownership changes yet.')).toHaveCount(0);
});

test('a new conversation with a number nobody has yet creates the contact, on a channel that reaches it', async ({ page, signIn, expectNoAxeViolations }) => {
  const phone = `+44 7700 ${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const compact = phone.replace(/\s/g, '');
  await signIn(page);
  await page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  const search = dialog.getByRole('searchbox', { name: 'Contact' });

  // Not a phone or an email: the dialog says what it needs.
  await search.fill('someone new');
  await expect(dialog.getByText('No contact matches. To write to someone new, type their phone number')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Start conversation' })).toBeDisabled();

  await search.fill(phone);
  const fresh = dialog.getByRole('radio', { name: `New contact: ${compact}` });
  await fresh.check();
  await expect(dialog.getByRole('combobox', { name: 'Channel' })).toHaveValue('whatsapp');
  // Email cannot reach a phone number: refused before anything is sent.
  await dialog.getByRole('combobox', { name: 'Channel' }).selectOption('email');
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(dialog.getByRole('alert')).toHaveText("Email can't reach a phone number: choose WhatsApp, SMS or Voice call.");
  await dialog.getByRole('combobox', { name: 'Channel' }).selectOption('sms');
  await dialog.getByRole('textbox', { name: 'First message (optional)' }).fill('Hello from the support team');
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('Hello from the support team')).toBeVisible();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await panel.getByRole('tab', { name: 'Contact' }).click();
  await expect(panel.getByRole('region', { name: 'Contact information' })).toContainText(compact);
});

test('a view’s Contact column starts a new conversation with that contact', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const { id, name, from } = await freshConversation(api, page, 'View Starter');
  const token = await api.signIn();
  const created = await page.request.post('/api/v1/views', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: `Contacts ${from}`, filter: { q: name }, columns: ['conversation_id', 'customer_name', 'contact', 'channel'] },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const view = (await created.json()) as { id: string };
  await signIn(page);
  await page.goto(`/views/${view.id}`);
  const table = page.getByRole('table', { name: `Contacts ${from}` });
  const row = table.getByRole('row').filter({ hasText: `#${id}` });
  await row.hover();
  const start = row.getByRole('button', { name: `Start conversation with ${from}` });
  await expect(start).toBeVisible();
  await expectNoAxeViolations(page);
  await start.click();
  await expect(page).toHaveURL(/\/conversations\/\d+$/);
  expect(page.url()).not.toMatch(new RegExp(`/conversations/${id}$`));
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await panel.getByRole('tab', { name: 'Contact' }).click();
  await expect(panel.getByRole('region', { name: 'Contact information' })).toContainText(from);
});

test('a view’s conversation ID stays visible while the table scrolls sideways', async ({ page, signIn }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto('/views');
  await page.getByRole('link', { name: 'Call log' }).click();
  const table = page.getByRole('table', { name: 'Call log' });
  const firstId = table.getByRole('rowheader').first();
  await expect(firstId).toBeVisible();
  const before = (await firstId.boundingBox())!;
  // The table is wider than the window: scroll its viewport to the far right.
  const scrolled = await table.evaluate((t) => {
    const viewport = t.parentElement!;
    viewport.scrollLeft = viewport.scrollWidth;
    return viewport.scrollLeft;
  });
  expect(scrolled).toBeGreaterThan(100);
  await expect.poll(async () => (await firstId.boundingBox())!.x).toBe(before.x);
  await expect(firstId).toBeInViewport();
});
