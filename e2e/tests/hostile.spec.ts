import { test, expect } from './fixtures';
import { REFUSED, STORABLE } from './hostile';
import type { Page } from '@playwright/test';

/** Dialogs opened and requests sent to another origin by the page, from now on. */
function watchForEscapes(page: Page): { dialogs: string[]; foreign: string[] } {
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
  return { dialogs, foreign };
}

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
  for (const body of STORABLE) {
    const accepted = await api.postInbound(inbound, { channel: 'live_chat', from, name, body });
    conversationId = accepted.conversation_id as string;
  }
  const token = await api.signIn();
  const headers = { Authorization: `Bearer ${token}` };
  // A NUL character is refused with a clear 400, never stored half-way or answered with a 500.
  expect(REFUSED.length).toBeGreaterThan(0);
  for (const body of REFUSED) {
    const refused = await request.post('/api/v1/inbound', { headers: { Authorization: `Bearer ${inbound}` }, data: { channel: 'live_chat', from, name, body } });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain('NUL character');
  }
  const note = '<script>window.__pwned=1</script>\n[x](javascript:alert(1)) \u202Egnp.exe';
  expect((await request.post(`/api/v1/conversations/${conversationId}/notes`, { headers, data: { body: note } })).ok()).toBeTruthy();
  const label = '<b onmouseover=alert(1)>label</b>';
  expect((await request.post(`/api/v1/conversations/${conversationId}/labels`, { headers, data: { label } })).ok()).toBeTruthy();

  const { dialogs, foreign } = watchForEscapes(page);

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
  const missing = STORABLE.filter((payload) => !shown.includes(payload));
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

// The rest of what the UI renders from the API: attribute values, the AI summary (the builtin
// analyzer quotes the customer) and saved view names, in the panel, the views list and a table.
test('hostile attributes, summaries and view names are shown as text, exactly', async ({ page, signIn, api, request }) => {
  test.setTimeout(120_000);
  const inbound = await api.createInboundToken();
  const from = `hostile-fields-${Date.now()}`;
  const customer = '<img src=x onerror="window.__pwned=1"> My order 12345 never arrived, can you refund it?';
  const accepted = await api.postInbound(inbound, { channel: 'live_chat', from, name: 'Field Tester', body: customer });
  const id = accepted.conversation_id as string;
  // Priya's views, so the other tests' views stay uncluttered.
  const token = await api.signIn('priya@example.com');
  const headers = { Authorization: `Bearer ${token}` };

  const conversation = (await api.get(`/api/v1/conversations/${id}`, token)) as { version: number };
  const product = '<svg/onload=alert(1)> \u202Egnp.exe \u200B';
  const order = 'javascript:alert(document.cookie)';
  const patched = await request.patch(`/api/v1/conversations/${id}`, {
    headers: { ...headers, 'If-Match': String(conversation.version) },
    data: { attributes: { product: { type: 'text', value: product }, order_number: { type: 'text', value: order } } },
  });
  expect(patched.ok(), await patched.text()).toBeTruthy();
  const reviewed = await request.post(`/api/v1/conversations/${id}/ai-review`, { headers });
  expect(reviewed.ok(), await reviewed.text()).toBeTruthy();
  const summary = ((await reviewed.json()) as { summary: string }).summary;
  expect(summary).toContain('<img src=x onerror=');

  // A view per payload that is a valid name as it stands (1–100 characters, no outer spaces).
  const names = STORABLE.filter((p) => p.trim() === p && p.length > 0 && [...p].length <= 100);
  expect(names.length).toBeGreaterThan(50);
  const created: string[] = [];
  for (const name of names) {
    const res = await request.post('/api/v1/views', { headers, data: { name, filter: { channel: 'live_chat' }, columns: ['customer_name', 'wrap_up_note'] } });
    expect(res.ok(), `${name}: ${await res.text()}`).toBeTruthy();
    created.push(((await res.json()) as { id: string }).id);
  }

  const { dialogs, foreign } = watchForEscapes(page);

  try {
    await signIn(page, 'priya@example.com');
    await page.goto(`/conversations/${id}`);
    const panel = page.getByRole('complementary', { name: 'Conversation details' });
    await expect(panel.getByText(product, { exact: true })).toBeVisible();
    await expect(panel.getByText(order, { exact: true })).toBeVisible();
    // Not a link: only checked http(s) URLs become links.
    await expect(panel.getByRole('link', { name: order })).toHaveCount(0);
    await expect(panel.getByText(summary, { exact: true })).toBeVisible();

    await page.getByRole('link', { name: 'Views' }).click();
    const nav = page.getByRole('navigation', { name: 'Views' });
    await expect(nav.getByRole('link').last()).toHaveText(names[names.length - 1]);
    const shown = await nav.getByRole('link').allTextContents();
    expect(names.filter((n) => !shown.includes(n)), 'view names that did not read back exactly').toEqual([]);
    // Priya's two demo views come first, then these in the order they were made.
    await nav.getByRole('link').nth(2).click();
    // The open view's title (the other level-2 heading is the list's "Views").
    await expect(page.getByRole('heading', { level: 2 }).filter({ hasNotText: /^Views$/ })).toHaveText(names[0]);
    await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
  } finally {
    for (const view of created) await request.delete(`/api/v1/views/${view}`, { headers });
  }
});
