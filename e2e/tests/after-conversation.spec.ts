import { test, expect, type Api } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

// After-conversation work (issue #22, item 14): admins keep the dispositions and each team's
// requirements in Settings; Resolve, Send and resolve, and bulk resolve ask for what the team
// requires, and the session history shows what was recorded. The demo's Sales team (id 2)
// requires a disposition; these tests use Sales conversations of their own.

const SALES = '2';
const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

async function salesConversation(api: Api, name: string) {
  const inbound = await api.createInboundToken();
  const accepted = await api.postInbound(inbound, {
    channel: 'whatsapp',
    from: `+1444${unique()}`,
    name,
    body: 'I would like a quote for 20 seats',
    team_id: SALES,
  });
  return accepted.conversation_id as string;
}

async function setSalesRules(request: APIRequestContext, token: string, rules: Record<string, boolean>) {
  const reply = await request.put(`/api/v1/teams/${SALES}/after-conversation`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { disposition_required: true, ...rules },
  });
  expect(reply.ok()).toBeTruthy();
}

async function open(page: Page, id: string) {
  await page.goto(`/conversations/${id}`);
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('a quote for 20 seats');
}

test('admins edit dispositions and team requirements; Resolve asks for them and history shows them', async ({ page, signIn, api, request, expectNoAxeViolations }) => {
  const token = await api.signIn();
  const name = `Quote ${unique()}`;
  const id = await salesConversation(api, name);
  const outcome = `Quote sent ${unique()}`;
  await signIn(page);

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Dispositions' })).toBeVisible();
  await page.getByRole('textbox', { name: 'New disposition' }).fill(outcome);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const list = page.getByRole('list', { name: /Dispositions/ });
  await expect(list.getByRole('listitem').last()).toContainText(outcome);
  await page.getByRole('button', { name: `Move ${outcome} up` }).click();
  await expect(list.getByRole('listitem').nth(-2)).toContainText(outcome);
  await page.getByRole('textbox', { name: 'New disposition' }).fill(outcome.toUpperCase());
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('There is already a disposition called');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'After-conversation work' }).click();
  const sales = page.getByRole('group', { name: 'Sales' });
  await expect(sales.getByRole('checkbox', { name: 'Require a disposition' })).toBeChecked();
  await sales.getByRole('checkbox', { name: 'Require a wrap-up note' }).check();
  await expect(sales.getByRole('status')).toHaveText('Saved for Sales.');
  await expectNoAxeViolations(page);

  try {
    await open(page, id);
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Before you resolve' });
    await expect(dialog).toBeVisible();
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Choose a disposition');
    await dialog.getByRole('combobox', { name: /Disposition/ }).selectOption(outcome);
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Write a wrap-up note');
    await dialog.getByRole('textbox', { name: /Wrap-up note/ }).fill('Sent the quote for 20 seats; follow up Friday.');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
    await expect(page.getByRole('log', { name: 'Messages' })).toContainText(`Resolved by Maya Patel · ${outcome}`);

    const sessions = page.getByRole('complementary', { name: 'Conversation details' }).getByRole('region', { name: 'Session history' });
    const last = sessions.getByRole('list', { name: 'Sessions' }).getByRole('listitem').first();
    await expect(last).toContainText(outcome);
    await expect(last).toContainText('Sent the quote for 20 seats; follow up Friday.');
  } finally {
    await setSalesRules(request, token, { wrap_up_note_required: false });
  }
});

test('Send and resolve sends first and resolves only once the reply is delivered', async ({ page, signIn, api }) => {
  const id = await salesConversation(api, `Send and resolve ${unique()}`);
  await signIn(page);
  await open(page, id);
  const box = page.getByRole('textbox', { name: 'Message' });
  const log = page.getByRole('log', { name: 'Messages' });

  // The send fails: the reply waits with Retry and the conversation stays open.
  await page.route('**/api/v1/conversations/*/messages', (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
  await box.fill('Here is your quote: 20 seats at the team price.');
  await box.press('Control+Shift+Enter');
  const dialog = page.getByRole('dialog', { name: 'Before you resolve' });
  await dialog.getByRole('combobox', { name: /Disposition/ }).selectOption('Sale closed');
  await dialog.getByRole('button', { name: 'Send and resolve' }).click();
  await expect(log.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resolve', exact: true })).toBeVisible();

  // Back online, Retry delivers it and then resolves.
  await page.unroute('**/api/v1/conversations/*/messages');
  await log.getByRole('button', { name: 'Retry' }).click();
  await expect(log).toContainText('Here is your quote: 20 seats at the team price.');
  await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
  await expect(log).toContainText('Resolved by Maya Patel · Sale closed');
});

test('bulk resolve asks once for the selected conversations', async ({ page, signIn, api }) => {
  const stamp = unique();
  await salesConversation(api, `Bulk sales ${stamp} a`);
  await salesConversation(api, `Bulk sales ${stamp} b`);
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill(`Bulk sales ${stamp}`);
  await expect(list.getByRole('option')).toHaveCount(2);
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
  await bar.getByRole('button', { name: 'Select all loaded' }).click();
  await bar.getByRole('combobox', { name: 'Set status of selected' }).selectOption('resolved');
  const dialog = page.getByRole('dialog', { name: 'Before you resolve' });
  await dialog.getByRole('combobox', { name: /Disposition/ }).selectOption('Information provided');
  await dialog.getByRole('button', { name: 'Resolve 2 conversations' }).click();
  await expect(list.getByRole('option').filter({ hasText: 'Resolved' })).toHaveCount(2);
});

test('agents see only their canned responses in Settings and are told the rest is for admins', async ({ page, signIn, expectNoAxeViolations }) => {
  await signIn(page, 'jonas@example.com');
  await expect(page.getByRole('link', { name: 'Views' })).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('navigation', { name: 'Settings' }).getByRole('link')).toHaveText(['Canned responses']);
  await page.goto('/settings/dispositions');
  await expect(page.getByRole('heading', { name: 'Only admins can change settings' })).toBeVisible();
  await expectNoAxeViolations(page);
});
