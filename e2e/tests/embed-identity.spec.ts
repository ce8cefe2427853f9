import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import * as http from 'node:http';
import { createHmac } from 'node:crypto';

// Each agent as themselves in the embedded panel (issue #21): the host's backend — played here
// by the test runner — holds an `embed` token, exchanges it for a 15-minute session of the agent
// at the keyboard and hands that to the panel's getToken. The page never sees the embed token.

const apiOrigin = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? '8080'}`;
const hostPort = Number(process.env.E2E_HOST_PORT ?? Number(new URL(apiOrigin).port) + 1);
const hostOrigin = `http://127.0.0.1:${hostPort}`;

// A helpdesk page: its own markup and the panel, whose token comes from the host's backend
// through `window.hostBackend` (exposed by the test).
const HOST_PAGE = (conversation: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Acme Helpdesk</title><script type="module" src="${apiOrigin}/embed/convoroom-panel.js"></script>
<style>body { margin: 0; font: 14px sans-serif; } convoroom-panel { display: block; width: 380px; height: 900px; }</style></head>
<body><main><h1>Acme Helpdesk</h1><h2>Ticket details</h2>
<convoroom-panel api-base="${apiOrigin}/api/v1" conversation-id="${conversation}" theme="light"></convoroom-panel></main>
<script type="module">
  window.tokenRequests = 0;
  document.querySelector('convoroom-panel').getToken = async () => {
    window.tokenRequests += 1;
    return window.hostBackend();
  };
</script></body></html>`;

let host: http.Server;
let conversation = '';

test.beforeAll(async () => {
  host = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(HOST_PAGE(new URL(request.url ?? '/', hostOrigin).searchParams.get('conversation') ?? ''));
  });
  await new Promise<void>((resolve) => host.listen(hostPort, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => host.close(resolve));
});

type Session = { token: string; expires_at: string; agent: { name: string } };

/** The host backend's route: exchanges its embed token for the agent's session. */
async function openAs(page: Page, embedToken: string, email: string, shorten = false) {
  await page.exposeFunction('hostBackend', async () => {
    const response = await page.request.post(`${apiOrigin}/api/v1/auth/exchange`, {
      headers: { Authorization: `Bearer ${embedToken}` },
      data: { email },
    });
    expect(response.status()).toBe(200);
    const session = (await response.json()) as Session;
    // As if it expired a minute from now: the panel asks again within seconds.
    if (shorten) session.expires_at = new Date(Date.now() + 61_000).toISOString();
    return session;
  });
  await page.goto(`${hostOrigin}/?conversation=${conversation}`);
  const panel = page.locator('convoroom-panel').getByRole('complementary', { name: 'Conversation details' });
  await expect(panel).toBeVisible();
  return panel;
}

test('two agents of the host write notes in the embedded panel under their own names', async ({ browser, api, expectNoAxeViolations, saveScreenshot }) => {
  const admin = await api.signIn();
  const made = await (await fetch(`${apiOrigin}/api/v1/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `acme-backend-${Date.now()}`, scope: 'embed' }),
  })).json() as { token: string };
  const embedToken = made.token;
  const inbound = await api.createInboundToken(admin);
  const accepted = await api.postInbound(inbound, {
    channel: 'live_chat', from: `visitor-${Date.now()}`, name: 'Embed Identity', body: 'Hello from the helpdesk', team_id: '1',
  });
  conversation = accepted.conversation_id as string;

  const jonasContext = await browser.newContext();
  const priyaContext = await browser.newContext();
  try {
    const jonasPage = await jonasContext.newPage();
    const priyaPage = await priyaContext.newPage();
    const jonas = await openAs(jonasPage, embedToken, 'jonas@example.com');
    const priya = await openAs(priyaPage, embedToken, 'priya@example.com', true);

    await jonas.getByRole('textbox', { name: 'New note' }).fill('Jonas checked the order');
    await jonas.getByRole('button', { name: 'Save note' }).click();
    await expect(jonas.getByRole('list', { name: 'Notes' })).toContainText('Jonas Weber');

    // Priya's token is refreshed while she types: the draft survives, her note is hers.
    await priya.getByRole('textbox', { name: 'New note' }).fill('Priya called the customer');
    await expect.poll(() => priyaPage.evaluate(() => (window as unknown as { tokenRequests: number }).tokenRequests), { timeout: 15_000 }).toBeGreaterThan(1);
    await expect(priya.getByRole('textbox', { name: 'New note' })).toHaveValue('Priya called the customer');
    await priya.getByRole('button', { name: 'Save note' }).click();
    const priyaNotes = priya.getByRole('list', { name: 'Notes' });
    await expect(priyaNotes.getByRole('listitem').filter({ hasText: 'Priya called the customer' })).toContainText('Priya Shah');
    await expect(priyaNotes.getByRole('listitem').filter({ hasText: 'Jonas checked the order' })).toContainText('Jonas Weber');

    // The API agrees: each note's author is the agent who wrote it.
    const notes = await api.get(`/api/v1/conversations/${conversation}/notes`, admin) as { body: string; author_id: string }[];
    const author = (text: string) => notes.find((n) => n.body === text)?.author_id;
    expect(author('Jonas checked the order')).toBe('2');
    expect(author('Priya called the customer')).toBe('5');
    // The page never held the embed token.
    expect(await priyaPage.content()).not.toContain(embedToken);

    await expectNoAxeViolations(priyaPage);
    await saveScreenshot(priyaPage, 'embed-identity-priya');
  } finally {
    await jonasContext.close();
    await priyaContext.close();
  }
});

/** A JWT as the host's backend signs it: HS256 with the embed token's secret, kid = its id. */
function hostJwt(kid: string, secret: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

test('a host hands the panel a JWT it signed, and the panel signs the agent in with it', async ({ page, api }) => {
  const admin = await api.signIn();
  const made = await (await fetch(`${apiOrigin}/api/v1/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `acme-sso-${Date.now()}`, scope: 'embed' }),
  })).json() as { id: string; jwt_secret: string };
  if (!conversation) {
    const inbound = await api.createInboundToken(admin);
    const accepted = await api.postInbound(inbound, {
      channel: 'live_chat', from: `visitor-${Date.now()}`, name: 'Embed JWT', body: 'Hello from SSO', team_id: '1',
    });
    conversation = accepted.conversation_id as string;
  }
  await page.exposeFunction('hostBackend', async () => ({
    jwt: hostJwt(made.id, made.jwt_secret, { email: 'jonas@example.com', exp: Math.floor(Date.now() / 1000) + 300 }),
  }));
  await page.goto(`${hostOrigin}/?conversation=${conversation}`);
  const panel = page.locator('convoroom-panel').getByRole('complementary', { name: 'Conversation details' });
  await expect(panel).toBeVisible();
  await panel.getByRole('textbox', { name: 'New note' }).fill('Signed in by the host');
  await panel.getByRole('button', { name: 'Save note' }).click();
  await expect(panel.getByRole('list', { name: 'Notes' }).getByRole('listitem').filter({ hasText: 'Signed in by the host' })).toContainText('Jonas Weber');
  expect(await page.content()).not.toContain(made.jwt_secret);
});
