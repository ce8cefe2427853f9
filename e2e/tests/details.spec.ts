import { test, expect } from './fixtures';

// The details panel's everyday edits: labels, handled-by, collaborators, pipeline stage.

test('add and remove labels, assign, add a collaborator, change the stage', async ({ page, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  // A fresh conversation so the test does not depend on seed data.
  const inbound = await api.createInboundToken();
  const from = `+1444${Date.now() % 10_000_000}`;
  await api.postInbound(inbound, { channel: 'whatsapp', from, name: `Details Tester ${from}`, body: 'I need a quote' });

  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await list.getByRole('option').filter({ hasText: `Details Tester ${from}` }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await expect(panel).toBeVisible();

  // Labels: add a scoped one, then replace it within its scope, then remove.
  const labels = panel.getByRole('list', { name: 'Conversation labels' });
  await panel.getByRole('combobox', { name: 'Add label' }).fill('tier::gold');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(labels.getByRole('listitem')).toHaveText([/tier::gold/]);
  await panel.getByRole('combobox', { name: 'Add label' }).fill('tier::silver');
  // The label shows at once; the reload must wait until the server has it (a reload cancels
  // a request still in flight).
  const saved = page.waitForResponse((r) => r.url().includes('/labels') && r.request().method() === 'POST');
  await panel.getByRole('combobox', { name: 'Add label' }).press('Enter');
  await expect(labels.getByRole('listitem')).toHaveText([/tier::silver/]);
  expect((await saved).ok()).toBe(true);
  await page.reload();
  await expect(labels.getByRole('listitem')).toHaveText([/tier::silver/]);
  await panel.getByRole('button', { name: 'Remove label tier::silver' }).click();
  await expect(labels.getByRole('listitem')).toHaveCount(0);

  // Handled by: take it, then add a collaborator; the list row follows.
  await panel.getByRole('button', { name: 'Assign to me' }).click();
  await expect(panel.getByRole('combobox', { name: 'Handled by' })).toHaveValue(/\d+/);
  await expect(list.getByRole('option').filter({ hasText: `Details Tester ${from}` })).toContainText('Maya Patel');
  await panel.getByRole('combobox', { name: 'Add collaborator' }).selectOption({ label: 'Jonas Weber' });
  await expect(panel.getByRole('button', { name: 'Remove collaborator Jonas Weber' })).toBeVisible();

  // The stage is part of the contact's information; the chosen tab survives a reload.
  await panel.getByRole('tab', { name: 'Contact' }).click();
  await panel.getByRole('combobox', { name: 'Pipeline stage' }).selectOption({ label: 'Quote Request' });
  await page.reload();
  await expect(panel.getByRole('tab', { name: 'Contact' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('combobox', { name: 'Pipeline stage' })).toHaveValue('quote_request');
  await panel.getByRole('tab', { name: 'Conversation' }).click();
  await expect(panel.getByRole('button', { name: 'Remove collaborator Jonas Weber' })).toBeVisible();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'details-edited');
});

test('a refused change is rolled back with a clear message', async ({ page, signIn }) => {
  await signIn(page);
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  const labels = panel.getByRole('list', { name: 'Conversation labels' });
  const before = await labels.getByRole('listitem').count();

  await page.route('**/api/v1/conversations/*/labels', (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'The database is unavailable.' } }) }),
  );
  await panel.getByRole('combobox', { name: 'Add label' }).fill('will-fail');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(panel.getByRole('alert')).toContainText("Couldn't add the label. The database is unavailable.");
  await expect(labels.getByRole('listitem')).toHaveCount(before);
});

async function openFreshConversation(page: import('@playwright/test').Page, api: import('./fixtures').Api, signIn: (p: import('@playwright/test').Page) => Promise<void>, prefix: string) {
  const inbound = await api.createInboundToken();
  const from = `+1333${Date.now() % 10_000_000}`;
  const name = `${prefix} ${from}`;
  await api.postInbound(inbound, { channel: 'telegram', from, name, body: 'Can I change my delivery address? My order is #4411.' });
  await signIn(page);
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: name }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await expect(panel).toBeVisible();
  return { panel, name, from, inbound };
}

test('create, edit and delete a note; a conflicting edit shows both texts', async ({ page, signIn, api, request }) => {
  const { panel } = await openFreshConversation(page, api, signIn, 'Notes Tester');
  const notes = panel.getByRole('list', { name: 'Notes' });

  await panel.getByRole('textbox', { name: 'New note' }).fill('Prefers email.\nCall after 5pm: https://example.com/crm/7');
  await panel.getByRole('button', { name: 'Save note' }).click();
  const note = notes.getByRole('listitem').first();
  await expect(note).toContainText('Prefers email.');
  await expect(note.getByRole('link', { name: 'https://example.com/crm/7' })).toBeVisible();

  await note.getByRole('button', { name: 'Edit' }).click();
  await note.getByRole('textbox', { name: 'Edit note' }).fill('Prefers email. VIP.');
  await note.getByRole('button', { name: 'Save' }).click();
  await expect(note).toContainText('Prefers email. VIP.');

  // Another agent edits the same note through the API; our stale edit gets the conflict.
  const token = await api.signIn();
  const conversationId = page.url().match(/conversations\/(\d+)/)![1];
  const listed = await (await request.get(`/api/v1/conversations/${conversationId}/notes`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const current = listed[0];
  await note.getByRole('button', { name: 'Edit' }).click();
  await note.getByRole('textbox', { name: 'Edit note' }).fill('My version');
  const theirs = await request.patch(`/api/v1/notes/${current.id}`, {
    headers: { Authorization: `Bearer ${token}`, 'If-Match': String(current.version) },
    data: { body: 'Their version' },
  });
  expect(theirs.ok()).toBeTruthy();
  await note.getByRole('button', { name: 'Save' }).click();
  await expect(note.getByRole('alert')).toContainText('Their version');
  await expect(note.getByRole('textbox', { name: 'Edit note' })).toHaveValue('My version');
  await note.getByRole('button', { name: 'Keep mine' }).click();
  await expect(note).toContainText('My version');

  await note.getByRole('button', { name: 'Delete' }).click();
  await note.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(notes.getByRole('listitem')).toHaveCount(0);
});

test('regenerate the AI summary; with AI access off it is unavailable', async ({ page, signIn, api }) => {
  const { panel } = await openFreshConversation(page, api, signIn, 'AI Tester');
  await panel.getByRole('button', { name: 'Regenerate' }).click();
  await expect(panel.getByRole('meter', { name: 'Quality score' })).toBeVisible();
  await expect(panel.getByText(/Quality \d+ \/ 100/)).toBeVisible();

  const ai = panel.getByRole('switch', { name: 'AI automation for this conversation' });
  await expect(ai).toHaveAttribute('aria-checked', 'true');
  await ai.click();
  await expect(ai).toHaveAttribute('aria-checked', 'false');
  await expect(panel.getByText('AI access is off for this conversation')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Regenerate' })).toBeDisabled();
  await expect(panel.getByText(/Changed by Maya Patel/)).toBeVisible();
  await page.reload();
  await expect(ai).toHaveAttribute('aria-checked', 'false');
  await ai.click();
  await expect(ai).toHaveAttribute('aria-checked', 'true');
});

test('block and unblock a contact: the composer follows', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const { panel } = await openFreshConversation(page, api, signIn, 'Block Tester');
  await panel.getByRole('button', { name: 'Block contact' }).click();
  await expect(panel.getByRole('alertdialog')).toContainText('Block this contact?');
  await expectNoAxeViolations(page);
  await panel.getByRole('button', { name: 'Yes, block' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Blocked' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeDisabled();
  await expect(page.getByText('This contact is blocked: their messages are dropped and replies are off.')).toBeVisible();

  await panel.getByRole('button', { name: 'Unblock contact' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
});

test('two agents change the same attribute: the second sees both values, nothing is overwritten silently', async ({ page, signIn, api, request, expectNoAxeViolations }) => {
  const inbound = await api.createInboundToken();
  const from = `+1666${Date.now() % 10_000_000}`;
  const accepted = await api.postInbound(inbound, { channel: 'whatsapp', from, name: `Conflict Tester ${from}`, body: 'Which plan suits me?', team_id: '1' });
  const id = accepted.conversation_id as string;
  const maya = await api.signIn();
  const jonas = await api.signIn('jonas@example.com');
  const setProduct = async (token: string, value: string) => {
    const current = (await api.get(`/api/v1/conversations/${id}`, token)) as { version: number };
    const res = await request.patch(`/api/v1/conversations/${id}`, {
      headers: { Authorization: `Bearer ${token}`, 'If-Match': String(current.version) },
      data: { attributes: { product: { type: 'text', value } } },
    });
    expect(res.ok(), await res.text()).toBeTruthy();
  };
  const productOnServer = async () =>
    ((await api.get(`/api/v1/conversations/${id}`, maya)) as { attributes: Record<string, { value: string }> }).attributes.product?.value;
  await setProduct(maya, 'Starter');

  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const attributes = page.getByRole('complementary', { name: 'Conversation details' }).getByRole('region', { name: 'Conversation attributes' });
  await expect(attributes.getByText('Starter', { exact: true })).toBeVisible();

  // Maya starts typing; meanwhile Jonas saves another value (it reaches her page live).
  await attributes.getByRole('button', { name: 'Edit Product' }).click();
  await attributes.getByRole('textbox', { name: 'Product' }).fill('Pro');
  await setProduct(jonas, 'Team');
  await attributes.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = attributes.getByRole('alert');
  await expect(conflict).toContainText('Someone else changed “Product” while you were editing it.');
  await expect(conflict).toContainText('TheirsTeam');
  await expect(conflict).toContainText('YoursPro');
  expect(await productOnServer()).toBe('Team');
  await expectNoAxeViolations(page);

  // She keeps hers, deliberately.
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(conflict).toBeHidden();
  await expect.poll(productOnServer).toBe('Pro');
  await expect(attributes.getByText('Pro', { exact: true })).toBeVisible();

  // Next time she keeps theirs: nothing of hers is sent.
  await attributes.getByRole('button', { name: 'Edit Product' }).click();
  await attributes.getByRole('textbox', { name: 'Product' }).fill('Enterprise');
  await setProduct(jonas, 'Basic');
  await attributes.getByRole('button', { name: 'Save', exact: true }).click();
  await attributes.getByRole('alert').getByRole('button', { name: 'Keep theirs' }).click();
  await expect(attributes.getByText('Basic', { exact: true })).toBeVisible();
  expect(await productOnServer()).toBe('Basic');
});
