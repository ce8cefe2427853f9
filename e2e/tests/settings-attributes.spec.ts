import { test, expect, type Api } from './fixtures';
import type { Page } from '@playwright/test';

// Custom attributes in Settings (issue #21): an admin defines a list attribute; an agent's open
// details panel offers it at once and the agent sets it; the admin renames the option and the
// agent's panel shows the new name without reloading; a view filters conversations by it;
// deleting it says how many conversations hold a value first, and removes it everywhere.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

async function supportConversation(api: Api, name: string) {
  const inbound = await api.createInboundToken();
  const accepted = await api.postInbound(inbound, {
    channel: 'live_chat', from: `visitor-${unique()}`, name, body: 'When will my parcel arrive?', team_id: '1',
  });
  return accepted.conversation_id as string;
}

function conversationAttributes(page: Page) {
  return page
    .getByRole('complementary', { name: 'Conversation details' })
    .getByRole('region', { name: 'Conversation attributes' });
}

test('admins define a list attribute; agents set it live; a renamed option follows; views filter by it; deleting counts first', async ({ page, browser, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  const stamp = unique();
  const attribute = `Shipping speed ${stamp}`;
  const customer = `Parcel Person ${stamp}`;
  const id = await supportConversation(api, customer);

  // Jonas has the conversation open the whole time.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  try {
    await signIn(agent, 'jonas@example.com');
    await agent.goto(`/conversations/${id}`);
    await expect(agent.getByRole('log', { name: 'Messages' })).toContainText('parcel arrive');
    await agent.getByRole('complementary', { name: 'Conversation details' }).getByRole('tab', { name: 'Conversation' }).click();
    const adder = conversationAttributes(agent).getByRole('combobox', { name: 'Add conversation attributes' });
    await expect(adder).toBeVisible();

    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Custom attributes' }).click();
    await expect(page.getByRole('heading', { name: 'Custom attributes' })).toBeVisible();
    const section = page.getByRole('region', { name: 'Conversation attributes' });
    await section.getByRole('button', { name: 'Add conversation attribute' }).click();
    const form = section.getByRole('form', { name: 'New conversation attribute' });
    await form.getByRole('textbox', { name: 'Name' }).fill(attribute);
    await form.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'List' });
    await form.getByRole('textbox', { name: 'Option 1' }).fill('Standard');
    // An option twice is refused before anything is sent.
    await form.getByRole('button', { name: 'Add option' }).click();
    await form.getByRole('textbox', { name: 'Option 2' }).fill('Standard');
    await form.getByRole('button', { name: 'Add attribute' }).click();
    await expect(section.getByRole('alert')).toContainText('“Standard” is listed twice.');
    await form.getByRole('textbox', { name: 'Option 2' }).fill('Express');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'settings-attributes-form');
    await form.getByRole('button', { name: 'Add attribute' }).click();
    const row = section.getByRole('listitem').filter({ hasText: attribute });
    await expect(row).toContainText('List · Standard, Express');

    // Jonas is offered it without reloading, and sets it.
    await adder.selectOption({ label: attribute });
    await conversationAttributes(agent).getByRole('combobox', { name: attribute }).selectOption('Express');
    await conversationAttributes(agent).getByRole('button', { name: 'Save', exact: true }).click();
    await expect(conversationAttributes(agent).getByRole('definition').filter({ hasText: 'Express' })).toHaveCount(1);

    // The option is renamed: Jonas's panel follows, and so does the stored value.
    await row.getByRole('button', { name: `Edit ${attribute}` }).click();
    const edit = section.getByRole('form', { name: `Edit ${attribute}` });
    await edit.getByRole('textbox', { name: 'Option 2' }).fill('Next day');
    await edit.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(section.getByRole('listitem').filter({ hasText: attribute })).toContainText('List · Standard, Next day');
    await expect(conversationAttributes(agent).getByRole('definition').filter({ hasText: 'Next day' })).toHaveCount(1);
    const maya = await api.signIn();
    const stored = (await api.get(`/api/v1/conversations/${id}`, maya)) as { attributes: Record<string, { value: string }> };
    expect(Object.values(stored.attributes).map((v) => v.value)).toContain('Next day');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'settings-attributes');

    // A view of the conversations whose shipping speed is "Next day".
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Views' }).click();
    await page.getByRole('button', { name: 'New view' }).click();
    const editor = page.getByRole('dialog', { name: 'New view' });
    const viewName = `Next-day parcels ${stamp}`;
    await editor.getByRole('textbox', { name: 'Name' }).fill(viewName);
    await editor.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Any status' });
    await editor.getByRole('combobox', { name: 'Attribute', exact: true }).selectOption({ label: attribute });
    await editor.getByRole('combobox', { name: `${attribute} is` }).selectOption('Next day');
    await expectNoAxeViolations(page);
    await editor.getByRole('button', { name: 'Save view' }).click();
    await expect(editor).toBeHidden();
    const table = page.getByRole('table', { name: viewName });
    await expect(table.getByRole('row')).toHaveCount(2); // the header and the one conversation
    await expect(table.getByRole('row').nth(1)).toContainText(customer);

    // Deleting says first how many conversations lose their value.
    await page.goto('/settings/attributes');
    await section.getByRole('listitem').filter({ hasText: attribute }).getByRole('button', { name: `Delete ${attribute}` }).click();
    const confirm = section.getByRole('group', { name: 'Confirm deletion' });
    await expect(confirm).toContainText(`Delete “${attribute}”? Its value on 1 record is deleted too.`);
    await confirm.getByRole('button', { name: 'Delete attribute' }).click();
    await expect(section.getByRole('listitem').filter({ hasText: attribute })).toHaveCount(0);
    await expect(conversationAttributes(agent).getByRole('term').filter({ hasText: attribute })).toHaveCount(0);
    await expect(adder.getByRole('option', { name: attribute })).toHaveCount(0);
  } finally {
    await agentContext.close();
  }
});

test('agents see no custom attribute settings, and the API refuses them', async ({ page, signIn, api }) => {
  await signIn(page, 'jonas@example.com');
  await page.goto('/settings/attributes');
  await expect(page.getByRole('heading', { name: 'Only admins can change settings' })).toBeVisible();
  await expect(page.getByRole('form', { name: /attribute/ })).toHaveCount(0);
  const jonas = await api.signIn('jonas@example.com');
  const refused = await page.request.post('/api/v1/attribute-definitions', {
    headers: { Authorization: `Bearer ${jonas}` },
    data: { name: 'Sneaky', applies_to: 'contact', type: 'text' },
  });
  expect(refused.status()).toBe(403);
});
