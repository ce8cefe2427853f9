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
  await panel.getByRole('combobox', { name: 'Add label' }).fill('priority::high');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(labels.getByRole('listitem')).toHaveText([/priority::high/]);
  await panel.getByRole('combobox', { name: 'Add label' }).fill('priority::low');
  await panel.getByRole('combobox', { name: 'Add label' }).press('Enter');
  await expect(labels.getByRole('listitem')).toHaveText([/priority::low/]);
  await page.reload();
  await expect(labels.getByRole('listitem')).toHaveText([/priority::low/]);
  await panel.getByRole('button', { name: 'Remove label priority::low' }).click();
  await expect(labels.getByRole('listitem')).toHaveCount(0);

  // Handled by: take it, then add a collaborator; the list row follows.
  await panel.getByRole('button', { name: 'Assign to me' }).click();
  await expect(panel.getByRole('combobox', { name: 'Handled by' })).toHaveValue(/\d+/);
  await expect(list.getByRole('option').filter({ hasText: `Details Tester ${from}` })).toContainText('Maya Patel');
  await panel.getByRole('combobox', { name: 'Add collaborator' }).selectOption({ label: 'Jonas Weber' });
  await expect(panel.getByRole('button', { name: 'Remove collaborator Jonas Weber' })).toBeVisible();

  await panel.getByRole('combobox', { name: 'Pipeline stage' }).selectOption({ label: 'Quote Request' });
  await page.reload();
  await expect(panel.getByRole('combobox', { name: 'Pipeline stage' })).toHaveValue('quote_request');
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
