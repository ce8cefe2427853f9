import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

// Canned responses (issue #23): `/` at the start of the composer or its Canned responses button
// inserts one with its variables filled in for the open conversation; a variable without a
// value or an unknown one is named and blocks sending until edited. Agents keep their own in
// Settings → Canned responses, admins the shared ones, and open composers follow live.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

/** A Support conversation of its own with a WhatsApp customer (no email), opened in `page`. */
async function openNewConversation(page: Page, api: import('./fixtures').Api, first: string, id: string) {
  const inbound = await api.createInboundToken();
  const name = `${first} Canned${id}`;
  const accepted = await api.postInbound(inbound, { channel: 'whatsapp', from: `+1555${id.slice(-7).padStart(7, '0')}`, name, body: 'Hello, I need help', team_id: '1' });
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill(name);
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: name }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  return accepted.conversation_id as string;
}

/** Presses ArrowDown until the highlighted option is the one named `code`. */
async function arrowTo(page: Page, code: string) {
  const list = page.getByRole('listbox', { name: 'Canned responses' });
  for (let i = 0; i < 12; i++) {
    const active = list.getByRole('option', { selected: true });
    if (((await active.textContent()) ?? '').startsWith(`${code}`)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${code} never highlighted`);
}

test('an agent types / and a short code, picks with the arrows and Enter, and sends it filled in', async ({ page, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  const id = unique();
  await signIn(page, 'jonas@example.com');
  const conversationId = await openNewConversation(page, api, 'Ana', id);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('/');
  const list = page.getByRole('listbox', { name: 'Canned responses' });
  await expect(list.getByRole('option', { name: /^\/hello Greeting Shared/ })).toBeVisible();
  // Jonas's own and the shared ones for everyone or Support; not Sales' or Billing's.
  await expect(list.getByRole('option', { name: /^\/lookup / })).toBeVisible();
  await expect(list.getByRole('option', { name: /^\/demo / })).toHaveCount(0);
  await expect(list.getByRole('option', { name: /^\/refund / })).toHaveCount(0);
  await expect(box).toBeFocused();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'canned-slash-list');

  // Filtered by what follows the /; the arrows move the highlight the box points at.
  await box.pressSequentially('he');
  await expect(list.getByRole('option').first()).toHaveAccessibleName(/^\/hello /);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await arrowTo(page, '/hello');
  const activeId = await list.getByRole('option', { selected: true }).getAttribute('id');
  await expect(box).toHaveAttribute('aria-activedescendant', activeId!);
  await page.keyboard.press('Enter');
  await expect(list).toBeHidden();
  await expect(box).toHaveValue("Hi Ana, thanks for reaching out! I'm Jonas and I'll help you today.");
  await expect(page.getByRole('status').filter({ hasText: 'Sending waits' })).toHaveCount(0);

  // Esc closes a list and leaves the text alone.
  await box.fill('/thanks');
  await expect(list).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(box).toHaveValue('/thanks');
  await box.fill('/than');
  await box.pressSequentially('ks');
  await expect(list.getByRole('option').first()).toHaveAccessibleName(/^\/thanks /);
  await page.keyboard.press('Enter');
  await expect(box).toHaveValue(`Thanks for your patience, Ana. If anything else comes up, just reply here — your reference is #${conversationId}.`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByRole('article', { name: 'Reply' }).filter({ hasText: `your reference is #${conversationId}` })).toBeVisible();
  await expect(box).toHaveValue('');
});

test('a variable without a value or an unknown one is named and blocks sending until edited', async ({ page, signIn, api, request, expectNoAxeViolations, saveScreenshot }) => {
  const id = unique();
  const code = `mail${id}`;
  const jonas = await api.signIn('jonas@example.com');
  const created = await request.post('/api/v1/canned-responses', {
    headers: { Authorization: `Bearer ${jonas}` },
    data: { short_code: code, body: 'Hi {{ contact.first_name }}, write to {{contact.email}} or fax {{contact.fax}}.' },
  });
  expect(created.status()).toBe(201);

  await signIn(page, 'jonas@example.com');
  await openNewConversation(page, api, 'Bea', id);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(`/${code}`);
  await page.keyboard.press('Enter');
  await expect(box).toHaveValue('Hi Bea, write to {{contact.email}} or fax {{contact.fax}}.');
  const warnings = page.getByRole('status').filter({ hasText: 'Sending waits until every variable is filled in' });
  await expect(warnings.getByRole('listitem')).toHaveText([
    '{{contact.email}} has no value for this contact — edit it before sending.',
    "{{contact.fax}} isn't a variable Convoroom knows — edit it before sending.",
  ]);
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send and resolve' })).toBeDisabled();
  // Enter does not send it either: nothing raw reaches the customer.
  await box.press('End');
  await box.press('Enter');
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByText('{{contact.email}}')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'canned-variable-warning');

  await box.fill('Hi Bea, write to us at help@example.com.');
  await expect(warnings).toHaveCount(0);
  await expect(send).toBeEnabled();
  await send.click();
  await expect(log.getByRole('article', { name: 'Reply' }).filter({ hasText: 'help@example.com' })).toBeVisible();
});

test('the Canned responses button searches and inserts at the cursor, in a note too', async ({ page, signIn, api }) => {
  const id = unique();
  await signIn(page, 'jonas@example.com');
  await openNewConversation(page, api, 'Carla', id);
  await page.getByRole('button', { name: 'Internal note' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('For the team: ');
  const button = page.getByRole('button', { name: 'Canned responses' });
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  const search = page.getByRole('combobox', { name: 'Search canned responses' });
  await expect(search).toBeFocused();
  await search.fill('patience');
  const list = page.getByRole('listbox', { name: 'Canned responses' });
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(list.getByRole('option').first()).toHaveAccessibleName(/^\/thanks /);
  await search.press('Enter');
  await expect(list).toBeHidden();
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(/^For the team: Thanks for your patience, Carla\./);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('log', { name: 'Messages' }).getByRole('article', { name: 'Internal note' }).filter({ hasText: 'For the team: Thanks for your patience, Carla.' })).toBeVisible();

  // Esc closes the search and changes nothing; a click picks too.
  await button.click();
  await search.press('Escape');
  await expect(search).toBeHidden();
  await expect(box).toHaveValue('');
  await button.click();
  await search.fill('lookup');
  await list.getByRole('option', { name: /^\/lookup / }).click();
  await expect(box).toHaveValue(/^Thanks Carla — I'm looking into this now/);
});

test('a personal response reaches its owner\'s open composer live and no one else; a shared one reaches every agent', async ({ page, browser, signIn, expectNoAxeViolations, saveScreenshot }) => {
  const id = unique();
  const mine = `mine${id}`;
  const shared = `team${id}`;
  const jonasCompose = await browser.newContext();
  const priyaCompose = await browser.newContext();
  const mayaSettings = await browser.newContext();
  try {
    // Jonas's composer, and Priya's, each with the slash list open on what is coming.
    const composer = await jonasCompose.newPage();
    await signIn(composer, 'jonas@example.com');
    await composer.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
    const box = composer.getByRole('textbox', { name: 'Message' });
    await box.fill(`/${id}`);
    await expect(composer.getByRole('listbox', { name: 'Canned responses' }).getByRole('option')).toHaveCount(0);
    const priya = await priyaCompose.newPage();
    await signIn(priya, 'priya@example.com');
    await priya.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
    const priyaBox = priya.getByRole('textbox', { name: 'Message' });
    await priyaBox.fill(`/${id}`);

    // Jonas adds a personal one in Settings, which agents reach from the top bar.
    await signIn(page, 'jonas@example.com');
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Canned responses', level: 2 })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Settings' });
    await expect(nav.getByRole('link')).toHaveText(['Canned responses']);
    await expect(page.getByRole('button', { name: 'New shared response' })).toHaveCount(0);
    await page.getByRole('button', { name: 'New personal response' }).click();
    const form = page.getByRole('form', { name: 'New personal response' });
    await form.getByRole('textbox', { name: 'Short code' }).fill('two words');
    await form.getByRole('textbox', { name: 'Text' }).fill('Hi {{contact.first_name}}');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('alert')).toContainText('no spaces');
    // A short code already taken is refused by the server, in the form.
    await form.getByRole('textbox', { name: 'Short code' }).fill('lookup');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('alert')).toContainText('You already have a canned response with the short code “/lookup”');
    await form.getByRole('textbox', { name: 'Short code' }).fill(mine);
    await form.getByRole('textbox', { name: 'Title (optional)' }).fill('My own');
    await form.getByRole('button', { name: 'Save' }).click();
    const mineRow = page.getByRole('list', { name: 'Your responses' }).getByRole('listitem').filter({ hasText: `/${mine}` });
    await expect(mineRow).toContainText('My own');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'canned-settings-agent');

    // Jonas's open composer offers it without a reload; Priya's does not.
    await expect(composer.getByRole('listbox', { name: 'Canned responses' }).getByRole('option', { name: new RegExp(`^/${mine} My own Personal`) })).toBeVisible();
    await expect(priya.getByText(`No canned response matches “/${id}”`)).toBeVisible();

    // Maya (admin) adds a shared one for every agent: both composers offer it.
    const maya = await mayaSettings.newPage();
    await signIn(maya);
    await maya.goto('/settings/canned-responses');
    await maya.getByRole('button', { name: 'New shared response' }).click();
    const sharedForm = maya.getByRole('form', { name: 'New shared response' });
    await sharedForm.getByRole('textbox', { name: 'Short code' }).fill(shared);
    await sharedForm.getByRole('combobox', { name: 'For' }).selectOption({ label: 'Every agent' });
    await sharedForm.getByRole('textbox', { name: 'Text' }).fill('Our team is here for you, {{contact.first_name}}.');
    await sharedForm.getByRole('button', { name: 'Save' }).click();
    await expect(maya.getByRole('list', { name: 'Shared responses' }).getByRole('listitem').filter({ hasText: `/${shared}` })).toContainText('Every agent');
    await expect(composer.getByRole('option', { name: new RegExp(`^/${shared} Shared`) })).toBeVisible();
    await expect(priya.getByRole('option', { name: new RegExp(`^/${shared} Shared`) })).toBeVisible();
    await expect(priya.getByRole('option', { name: new RegExp(`^/${mine}`) })).toHaveCount(0);
    await expectNoAxeViolations(maya);

    // Agents see shared ones read-only; deleting one's own takes it out of the open composer.
    await expect(page.getByRole('list', { name: 'Shared responses' }).getByRole('listitem').filter({ hasText: `/${shared}` })).toBeVisible();
    await expect(page.getByRole('button', { name: `Edit /${shared}` })).toHaveCount(0);
    await page.getByRole('button', { name: `Delete /${mine}` }).click();
    await mineRow.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete' }).click();
    await expect(mineRow).toHaveCount(0);
    await expect(composer.getByRole('option', { name: new RegExp(`^/${mine}`) })).toHaveCount(0);

    // The admins' pages stay theirs.
    await page.goto('/settings/labels');
    await expect(page.getByRole('heading', { name: 'Only admins can change settings' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Canned responses' })).toBeVisible();
  } finally {
    await jonasCompose.close();
    await priyaCompose.close();
    await mayaSettings.close();
  }
});

test('the lists and the settings page at desktop sizes, light and dark', async ({ page, signIn, api, saveScreenshot }) => {
  await signIn(page, 'jonas@example.com');
  await openNewConversation(page, api, 'Dora', unique());
  const box = page.getByRole('textbox', { name: 'Message' });
  for (const [width, height] of [[1440, 900], [1280, 720]]) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: theme });
      await box.fill('/');
      await expect(page.getByRole('listbox', { name: 'Canned responses' })).toBeVisible();
      await saveScreenshot(page, `canned-${width}-${theme}-slash`);
      await box.fill('');
      await page.getByRole('button', { name: 'Canned responses' }).click();
      await expect(page.getByRole('combobox', { name: 'Search canned responses' })).toBeFocused();
      await saveScreenshot(page, `canned-${width}-${theme}-search`);
      await page.keyboard.press('Escape');
    }
  }
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'New personal response' }).click();
  for (const [width, height] of [[1440, 900], [1280, 720]]) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: theme });
      await saveScreenshot(page, `canned-${width}-${theme}-settings`);
    }
  }
});
