import { test, expect } from './fixtures';

// Teams in Settings (issue #21): an admin adds a team, staffs it, renames it and archives it.
// An agent made a member sees the team's conversations; an archived team keeps them.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

test('admins add, staff, rename and archive teams; members see the team’s conversations', async ({ page, browser, signIn, api, request, expectNoAxeViolations, saveScreenshot }) => {
  const team = `Returns ${unique()}`;
  const renamed = `Returns & refunds ${unique()}`;
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Teams' }).click();
  await expect(page.getByRole('heading', { name: 'Teams' })).toBeVisible();
  await page.getByRole('textbox', { name: 'New team' }).fill(team);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const card = page.getByRole('group', { name: team, exact: true });
  await expect(card).toBeVisible();
  await page.getByRole('textbox', { name: 'New team' }).fill(team.toLowerCase());
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(`There is a team called “${team}” already`);

  // Jonas joins it.
  const members = page.getByRole('group', { name: `Members of ${team}` });
  await members.getByRole('checkbox', { name: 'Jonas Weber' }).check();
  await expect(page.getByRole('group', { name: `Members of ${team}` }).getByRole('checkbox', { name: 'Jonas Weber' })).toBeChecked();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'settings-teams');

  // A customer writes to the new team; Jonas, a member, sees the conversation.
  const admin = await api.signIn();
  const teams = await api.get('/api/v1/teams', admin) as { id: string; name: string; member_ids: string[] }[];
  const created = teams.find((t) => t.name === team)!;
  expect(created.member_ids).toContain('2');
  const inbound = await api.createInboundToken(admin);
  const customer = `Returns Customer ${unique()}`;
  await api.postInbound(inbound, { channel: 'email', from: `r${unique()}@example.com`, name: customer, body: 'The parcel came back', team_id: created.id });
  const agentContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, 'jonas@example.com');
    await agent.getByRole('searchbox', { name: 'Search conversations' }).fill(customer);
    await expect(agent.getByRole('option', { name: new RegExp(customer) })).toBeVisible();
  } finally {
    await agentContext.close();
  }

  // Renamed, then archived: it keeps its conversation, and takes no new one from agents.
  await page.getByRole('button', { name: `Rename ${team}` }).click();
  await page.getByRole('textbox', { name: `New name for ${team}` }).fill(renamed);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const renamedCard = page.getByRole('group', { name: renamed, exact: true });
  await expect(renamedCard).toBeVisible();
  await page.getByRole('button', { name: `Archive ${renamed}` }).click();
  await expect(page.getByRole('group', { name: new RegExp(`^${renamed.replace(/[&]/g, '\\&')}`) })).toContainText('Archived');
  const refused = await request.post('/api/v1/conversations', {
    headers: { Authorization: `Bearer ${admin}` },
    data: { contact_id: '1', channel: 'email', team_id: created.id },
  });
  expect(refused.status()).toBe(400);
});
