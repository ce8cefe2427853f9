import { test, expect } from './fixtures';

// Labels in Settings (issue #21): an admin recolours and renames a label used on a conversation
// and a contact, and another open app shows the new name and colour without reloading; deleting
// it says first how many hold it, then removes the chip everywhere. Agents get no Labels page.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

test('admins recolour, rename and delete a label; an open app follows without reloading', async ({ page, browser, signIn, api, request, expectNoAxeViolations, saveScreenshot }) => {
  const id = unique();
  const label = `e2e label ${id}`;
  const renamed = `tier::e2e ${id}`;
  const customer = `Label Customer ${id}`;

  // A conversation of its own, labelled, its contact labelled too.
  const admin = await api.signIn();
  const auth = { Authorization: `Bearer ${admin}` };
  const inbound = await api.createInboundToken(admin);
  const accepted = await api.postInbound(inbound, { channel: 'email', from: `label${id}@example.com`, name: customer, body: 'Where is my parcel?' });
  const conversationId = accepted.conversation_id as string;
  const labelled = await request.post(`/api/v1/conversations/${conversationId}/labels`, { headers: auth, data: { label } });
  expect(labelled.ok()).toBe(true);
  const contactId = (await labelled.json()).contact.id as string;
  const contact = await api.get(`/api/v1/contacts/${contactId}`, admin) as { version: number; labels: string[] };
  const contactSaved = await request.patch(`/api/v1/contacts/${contactId}`, {
    headers: { ...auth, 'If-Match': String(contact.version) },
    data: { labels: [...contact.labels, label] },
  });
  expect(contactSaved.ok()).toBe(true);

  // Another admin's app has the conversation open, the details panel beside it.
  const otherContext = await browser.newContext();
  try {
    const other = await otherContext.newPage();
    await signIn(other);
    await other.getByRole('searchbox', { name: 'Search conversations' }).fill(customer);
    const row = other.getByRole('option').filter({ hasText: customer });
    await expect(row).toContainText(label);
    await row.click();
    const panel = other.getByRole('complementary', { name: 'Conversation details' });
    const chips = panel.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem');
    await expect(chips).toHaveText([new RegExp(label)]);

    // Settings → Labels lists it with where it is used.
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Labels', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Labels' })).toBeVisible();
    const labelRow = page.getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });
    await expect(labelRow).toContainText('1 conversation · 1 contact');
    await expectNoAxeViolations(page);

    // A name another label has is refused with the reason, in the row.
    await page.getByRole('button', { name: `Edit ${label}`, exact: true }).click();
    const form = page.getByRole('form', { name: `Edit ${label}` });
    await form.getByRole('textbox', { name: 'Name' }).fill('VIP');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(labelRow.getByRole('alert')).toHaveText('A label named “vip” already exists.');

    // Renamed to a scoped name, recoloured and described.
    await form.getByRole('textbox', { name: 'Name' }).fill(renamed);
    await expect(form).toContainText('Renaming changes it on every conversation, contact and saved view that has it.');
    await form.getByRole('button', { name: 'Teal' }).click();
    await expect(form.getByRole('button', { name: 'Teal' })).toHaveAttribute('aria-pressed', 'true');
    await form.getByRole('textbox', { name: 'Description' }).fill('Set by the labels test');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'settings-labels-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    const renamedRow = page.getByRole('listitem').filter({ has: page.getByText(renamed, { exact: true }) });
    await expect(renamedRow).toContainText('Set by the labels test');
    await expect(page.getByText(label, { exact: true })).toHaveCount(0);

    // The other app shows the new name, in the catalogue colour, in the row and the panel.
    await expect(chips).toHaveText([new RegExp(renamed.replace(/[:]/g, '\\:'))]);
    await expect(chips.first()).toHaveAttribute('style', /--label-color: #0891b2/);
    await expect(other.getByRole('option').filter({ hasText: customer })).toContainText(renamed);
    const contactTab = panel.getByRole('tab', { name: 'Contact' });
    await contactTab.click();
    await expect(panel.getByRole('list', { name: 'Contact labels' })).toContainText(renamed);
    await panel.getByRole('tab', { name: 'Conversation' }).click();

    // Screenshots of the page at each size in both themes.
    for (const [width, height] of [[1440, 900], [1280, 720], [390, 844]] as const) {
      for (const theme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: theme });
        await saveScreenshot(page, `settings-labels-${width}-${theme}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: 'light' });

    // Deleting says first where it is used, then takes it off everything.
    await page.getByRole('button', { name: `Delete ${renamed}`, exact: true }).click();
    const confirm = page.getByRole('group', { name: `Confirm deleting ${renamed}` });
    await expect(confirm).toContainText('Used on 1 conversation and 1 contact.');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'settings-labels-delete');
    await confirm.getByRole('button', { name: 'Delete label' }).click();
    await expect(page.getByText(renamed, { exact: true })).toHaveCount(0);
    await expect(chips).toHaveCount(0);
    await expect(other.getByRole('option').filter({ hasText: customer })).not.toContainText(renamed);
    const gone = await api.get(`/api/v1/conversations/${conversationId}`, admin) as { labels: string[] };
    expect(gone.labels).not.toContain(renamed);
  } finally {
    await otherContext.close();
  }
});

test('agents have no Labels page', async ({ page, signIn }) => {
  await signIn(page, 'jonas@example.com');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('link', { name: 'Labels', exact: true })).toHaveCount(0);
  await page.goto('/settings/labels');
  await expect(page.getByRole('heading', { name: 'Only admins can change settings' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Labels' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
});
