import { test, expect } from './fixtures';
import { HOSTILE } from './hostile';

// Customers send anything. Every payload of the corpus goes in through the inbound endpoint
// (messages, the contact's name) and the API (a note, a label); in the browser no script runs,
// no dialog opens, nothing is requested from another origin, the layout holds, and every text
// reads back exactly as sent.

test('hostile text is shown as text, exactly, and never runs', async ({ page, signIn, api, request }) => {
  test.setTimeout(120_000);
  const inbound = await api.createInboundToken();
  const from = `hostile-${Date.now()}`;
  const name = '<img src=x onerror="window.__pwned=1"> Hostile \u202Eevil';
  let conversationId = '';
  for (const body of HOSTILE) {
    const accepted = await api.postInbound(inbound, { channel: 'live_chat', from, name, body });
    conversationId = accepted.conversation_id as string;
  }
  const token = await api.signIn();
  const headers = { Authorization: `Bearer ${token}` };
  const note = '<script>window.__pwned=1</script>\n[x](javascript:alert(1)) \u202Egnp.exe';
  expect((await request.post(`/api/v1/conversations/${conversationId}/notes`, { headers, data: { body: note } })).ok()).toBeTruthy();
  const label = '<b onmouseover=alert(1)>label</b>';
  expect((await request.post(`/api/v1/conversations/${conversationId}/labels`, { headers, data: { label } })).ok()).toBeTruthy();

  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const foreign: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol.startsWith('http') && !['127.0.0.1', 'localhost'].includes(url.hostname)) foreign.push(r.url());
  });

  await signIn(page);
  await page.goto(`/conversations/${conversationId}`);
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log).toBeVisible();
  // Load the whole thread: more than one page.
  for (let i = 0; i < 10; i++) {
    if (await log.getByText('Beginning of the conversation').isVisible()) break;
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(300);
  }
  await expect(log.getByText('Beginning of the conversation')).toBeVisible();

  const shown = await log.locator('.bubble__text').allTextContents();
  const missing = HOSTILE.filter((payload) => !shown.includes(payload));
  expect(missing, 'payloads that did not read back exactly').toEqual([]);
  await expect(page.getByRole('region', { name: 'Conversation', exact: true }).getByRole('heading').first()).toHaveText(name);

  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  await expect(panel.getByRole('list', { name: 'Conversation labels' })).toContainText(label);
  await expect(panel.getByRole('list', { name: 'Notes' }).getByRole('listitem').first()).toContainText('<script>window.__pwned=1</script>');

  // The layout holds: nothing pushes the panes wider than the window.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(panel).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(foreign).toEqual([]);
});
