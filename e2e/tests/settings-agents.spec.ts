import { test, expect } from './fixtures';

// Agents in Settings (issue #21): an admin adds an agent and hands over the temporary password
// shown once; the agent signs in and sees only their team's conversations; deactivated, their
// open tab is signed out within seconds.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

test('an admin adds an agent who sees only their team, then deactivates them and their tab signs out', async ({ page, browser, signIn, api, request, expectNoAxeViolations, saveScreenshot }) => {
  const stamp = unique();
  const name = `Sam Reyes ${stamp}`;
  const email = `sam${stamp}@example.com`;
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Agents' }).click();
  await expect(page.getByRole('heading', { name: 'Agents' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('button', { name: 'Add agent' }).click();
  const handover = page.getByRole('region', { name: `Temporary password for ${name}` });
  await expect(handover).toBeFocused();
  const password = await handover.getByRole('textbox', { name: 'Temporary password' }).inputValue();
  expect(password).toHaveLength(12);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'settings-agents');
  await handover.getByRole('button', { name: 'Done' }).click();
  await expect(handover).toBeHidden();
  await expect(page.getByRole('list', { name: 'Agents' })).toContainText(name);

  // A team of their own, with one conversation in it.
  const admin = await api.signIn();
  const headers = { Authorization: `Bearer ${admin}` };
  const agents = await api.get('/api/v1/agents', admin) as { id: string; email: string }[];
  const sam = agents.find((a) => a.email === email)!;
  const team = await (await request.post('/api/v1/teams', { headers, data: { name: `Sam's team ${stamp}`, member_ids: [sam.id] } })).json() as { id: string };
  const inbound = await api.createInboundToken(admin);
  const customer = `Only For Sam ${stamp}`;
  await api.postInbound(inbound, { channel: 'email', from: `c${stamp}@example.com`, name: customer, body: 'Hello Sam', team_id: team.id });

  const samContext = await browser.newContext();
  try {
    const tab = await samContext.newPage();
    await signIn(tab, email, password);
    const list = tab.getByRole('listbox', { name: 'Conversations' });
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option')).toContainText(customer);

    // Deactivated: the open tab is back at sign-in within seconds.
    await page.getByRole('button', { name: `Deactivate ${name}` }).click();
    await expect(page.getByRole('list', { name: 'Agents' }).getByRole('listitem').filter({ hasText: name })).toContainText('Deactivated');
    await expect(tab.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
    await tab.getByLabel('Email').fill(email);
    await tab.getByLabel('Password').fill(password);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect(tab.getByRole('alert')).toContainText("don't match an agent");
  } finally {
    await samContext.close();
  }
  // The last admin is refused, with the server's reason.
  await page.getByRole('combobox', { name: 'Role of Maya Patel' }).selectOption('agent');
  await expect(page.getByRole('list', { name: 'Agents' }).getByRole('alert')).toContainText('last active admin');
  await expect(page.getByRole('combobox', { name: 'Role of Maya Patel' })).toHaveValue('admin');
});
