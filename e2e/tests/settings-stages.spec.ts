import { test, expect, type Api } from './fixtures';
import type { Page } from '@playwright/test';

// Pipeline stages in Settings (issue #21): an admin adds, moves, renames and archives a stage;
// an agent's open app offers it at once; a conversation in an archived stage keeps it, and no
// other conversation is offered it any more.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

async function supportConversation(api: Api, name: string) {
  const inbound = await api.createInboundToken();
  const accepted = await api.postInbound(inbound, {
    channel: 'live_chat', from: `visitor-${unique()}`, name, body: 'Can someone visit our office?', team_id: '1',
  });
  return accepted.conversation_id as string;
}

function stageSelect(page: Page) {
  return page.getByRole('combobox', { name: 'Pipeline stage' });
}

/** Opens the conversation with the details panel on its Contact tab (where the stage is). */
async function open(page: Page, id: string) {
  await page.goto(`/conversations/${id}`);
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('visit our office');
  await page.getByRole('tab', { name: 'Contact' }).click();
  await expect(stageSelect(page)).toBeVisible();
}

test('admins keep the pipeline stages; agents are offered them live; archived stages stay where they are', async ({ page, browser, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  const first = await supportConversation(api, `Stage One ${unique()}`);
  const second = await supportConversation(api, `Stage Two ${unique()}`);
  const stage = `Site visit ${unique()}`;
  const renamed = `On-site visit ${unique()}`;

  // Jonas has the second conversation open the whole time.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  try {
    await signIn(agent, 'jonas@example.com');
    await open(agent, second);

    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Pipeline stages' }).click();
    await expect(page.getByRole('heading', { name: 'Pipeline stages' })).toBeVisible();
    const list = page.getByRole('list', { name: /Pipeline stages/ });
    await page.getByRole('textbox', { name: 'New stage' }).fill(stage);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(list.getByRole('listitem').last()).toContainText(stage);
    await page.getByRole('button', { name: `Move ${stage} up` }).click();
    await expect(list.getByRole('listitem').nth(-2)).toContainText(stage);
    await page.getByRole('button', { name: `Rename ${stage}` }).click();
    await page.getByRole('textbox', { name: `New name for ${stage}` }).fill(renamed);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(list.getByRole('listitem').nth(-2)).toContainText(renamed);
    // A name in use, whatever its case, is refused before anything is sent.
    await page.getByRole('textbox', { name: 'New stage' }).fill(renamed.toUpperCase());
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('There is a stage called');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'settings-stages');

    // Jonas is offered it without reloading.
    await expect(stageSelect(agent).getByRole('option', { name: renamed })).toHaveCount(1);

    // The first conversation goes into it; then it is archived.
    await open(page, first);
    await stageSelect(page).selectOption({ label: renamed });
    await expect(stageSelect(page)).toHaveValue(/site_visit/);
    await page.goto('/settings/pipeline-stages');
    await page.getByRole('button', { name: `Archive ${renamed}` }).click();
    await expect(list.getByRole('listitem').filter({ hasText: renamed })).toContainText('Archived');
    await open(page, first);
    await expect(stageSelect(page)).toHaveValue(/site_visit/);
    await expect(stageSelect(page).getByRole('option', { name: `${renamed} (archived)` })).toHaveCount(1);
    await expect(stageSelect(agent).getByRole('option', { name: renamed })).toHaveCount(0);
    await open(page, second);
    await expect(stageSelect(page).getByRole('option', { name: new RegExp(renamed) })).toHaveCount(0);
  } finally {
    await agentContext.close();
  }
});
