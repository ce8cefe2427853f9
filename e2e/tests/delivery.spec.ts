import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// Replies reach the customer (#15). An admin connects the example receiver
// (examples/receiver/server.mjs) in Settings → Integrations, gives it the secrets shown once,
// and tests it; an agent's WhatsApp reply then goes Sent → Delivered → Read as the receiver
// posts receipts. When the receiver answers 500 the reply ends Failed (the bubble says why,
// the list row says "Delivery failed"), and Retry delivers it once the receiver is back.
// This spec runs its own server with short retry settings, so a failure is final in seconds.

const serverBin = process.env.E2E_SERVER_BIN;
const assets = process.env.E2E_ASSETS ?? path.join(__dirname, '..', '..', 'dist');
const receiverScript = path.join(__dirname, '..', '..', 'examples', 'receiver', 'server.mjs');

const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

async function waitFor(url: string, what: string, init?: RequestInit) {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(url, init)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start`);
}

/** A server of this spec's own: retries 200 ms apart, a reply Failed after 3 s of trying. */
async function ownServer() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convoroom-delivery-'));
  const child = spawn(serverBin!, [
    '--bind', `127.0.0.1:${port}`, '--database', path.join(dir, 'delivery.db'), '--assets', assets,
    '--demo-conversations', '20',
    '--delivery-retry-base-ms', '200', '--delivery-max-age-secs', '3', '--delivery-timeout-ms', '2000',
  ], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/api/v1/health`, 'the test server');
  return { base, stop: () => { child.kill('SIGKILL'); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** The example receiver, with its test-only control API on. */
async function receiver(api: string): Promise<{ url: string; control: (body: object) => Promise<void>; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('node', [receiverScript, '--port', String(port), '--api', api, '--control',
    '--delivered-after-ms', '300', '--read-after-ms', '1200'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const control = async (body: object) => {
    const res = await fetch(`${url}/control`, { method: 'POST', body: JSON.stringify(body) });
    expect(res.ok).toBeTruthy();
  };
  await waitFor(`${url}/received`, 'the receiver');
  return { url, control, child };
}

async function adminApi(base: string) {
  const json = (response: Response) => response.json();
  const session = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'maya@example.com', password: 'demo1234' }) }).then(json);
  const auth = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' };
  const inbound = await fetch(`${base}/api/v1/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'delivery-spec', scope: 'inbound' }) }).then(json);
  return (message: { channel: string; from: string; name: string; body: string }) =>
    fetch(`${base}/api/v1/inbound`, { method: 'POST', headers: { authorization: `Bearer ${inbound.token}`, 'content-type': 'application/json' }, body: JSON.stringify(message) }).then(json);
}

async function reply(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  const bubble = page.getByRole('log', { name: 'Messages' }).getByRole('article', { name: 'Reply' }).filter({ hasText: text });
  await expect(bubble).toBeVisible();
  return bubble;
}

const tick = (bubble: ReturnType<Page['locator']>, label: string) => bubble.locator('.delivery').getByText(label, { exact: true });

test('an admin connects a receiver; replies are delivered and read, fail visibly, and are retried', async ({ page, expectNoAxeViolations, saveScreenshot }) => {
  test.skip(!serverBin, 'needs E2E_SERVER_BIN (set by cargo xtask test)');
  test.setTimeout(120_000);
  const server = await ownServer();
  const bridge = await receiver(server.base);
  try {
    const post = await adminApi(server.base);
    const whatsapp = await post({ channel: 'whatsapp', from: '+15550142', name: 'Dana Delivery', body: 'Is my order on its way?' });
    const telegram = await post({ channel: 'telegram', from: 'tg-4242', name: 'Tom Telegram', body: 'Hello from Telegram' });

    await page.goto(`${server.base}/sign-in`);
    await page.getByRole('textbox', { name: 'Email' }).fill('maya@example.com');
    await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();

    // Before any integration the admin is told replies reach no one, with the way to fix it.
    await page.goto(`${server.base}/conversations/${whatsapp.conversation_id}`);
    const notice = page.getByRole('note').filter({ hasText: 'No integration delivers WhatsApp messages yet' });
    await expect(notice).toBeVisible();
    await notice.getByRole('link', { name: /Settings → Integrations/ }).click();
    await expect(page.getByRole('heading', { name: 'Integrations', exact: true })).toBeVisible();
    await expect(page.getByText('No integrations yet')).toBeVisible();
    await expectNoAxeViolations(page);

    // Bad input is refused before anything is sent.
    const form = page.getByRole('form', { name: 'Add an integration' });
    await form.getByRole('textbox', { name: 'Name' }).fill('WhatsApp bridge');
    await form.getByRole('textbox', { name: 'Webhook URL' }).fill('ftp://nowhere');
    await form.getByRole('button', { name: 'Add integration' }).click();
    await expect(form.getByRole('alert')).toContainText('Choose at least one channel');
    await form.getByRole('checkbox', { name: 'WhatsApp' }).check();
    await form.getByRole('button', { name: 'Add integration' }).click();
    await expect(form.getByRole('alert')).toContainText('http:// or https://');
    await form.getByRole('textbox', { name: 'Webhook URL' }).fill(`${bridge.url}/hook`);
    await form.getByRole('button', { name: 'Add integration' }).click();

    // The secrets, once: read them, copy one, hand both to the receiver.
    const secrets = page.getByRole('region', { name: /Secrets of/ });
    await expect(secrets).toContainText('you will not see these again');
    const token = await secrets.getByRole('textbox', { name: 'Inbound token' }).inputValue();
    const secret = await secrets.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(token.length).toBeGreaterThan(20);
    expect(secret.length).toBeGreaterThan(20);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    await secrets.getByRole('button', { name: 'Copy signing secret' }).click();
    await expect(secrets.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await bridge.control({ secret, token });
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'integrations-secrets-1280-light');
    await secrets.getByRole('button', { name: "I've saved them" }).click();
    await expect(secrets).toBeHidden();

    const card = page.getByRole('article', { name: 'WhatsApp bridge' });
    await expect(card).toContainText(`${bridge.url}/hook`);
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect(card.getByRole('status', { name: 'Test event result' })).toContainText('Test event delivered: HTTP 200');
    await card.getByRole('button', { name: 'Delivery log' }).click();
    await expect(card.getByRole('region', { name: 'Delivery log' })).toContainText('Test event');

    // A rotated secret is shown once too; the receiver refuses the old one's signatures.
    await card.getByRole('button', { name: 'Rotate secret' }).click();
    await card.getByRole('group', { name: /Confirm/ }).getByRole('button', { name: 'Rotate secret now' }).click();
    const rotated = card.getByRole('region', { name: /Secrets of/ });
    await expect(rotated).toContainText('you will not see these again');
    await expect(rotated.getByRole('textbox', { name: 'Inbound token' })).toHaveCount(0);
    const newSecret = await rotated.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(newSecret).not.toBe(secret);
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect(card.getByRole('status', { name: 'Test event result' })).toContainText('Test event not delivered');
    await expect(card.getByRole('status', { name: 'Test event result' })).toContainText('401');
    await bridge.control({ secret: newSecret });
    await rotated.getByRole('button', { name: "I've saved them" }).click();
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect(card.getByRole('status', { name: 'Test event result' })).toContainText('Test event delivered: HTTP 200');

    // The Telegram conversation still has no integration; WhatsApp has one now.
    await page.goto(`${server.base}/conversations/${telegram.conversation_id}`);
    await expect(page.getByRole('note').filter({ hasText: 'No integration delivers Telegram messages yet' })).toBeVisible();
    await page.goto(`${server.base}/conversations/${whatsapp.conversation_id}`);
    await expect(page.getByRole('log', { name: 'Messages' })).toContainText('Is my order on its way?');
    await expect(page.getByRole('note').filter({ hasText: 'No integration delivers' })).toHaveCount(0);

    // Delivered, then read, as the receiver reports.
    const first = await reply(page, 'It left the warehouse this morning.');
    await expect(tick(first, 'Delivered')).toBeAttached({ timeout: 15_000 });
    await expect(tick(first, 'Read')).toBeAttached({ timeout: 15_000 });
    const received = await (await fetch(`${bridge.url}/received`)).json();
    expect(received.map((r: { body: string }) => r.body)).toEqual(['It left the warehouse this morning.']);

    // The receiver breaks: the reply ends Failed, with the reason and a Retry.
    await bridge.control({ fail: 500 });
    const second = await reply(page, 'Tracking number: ZX-42.');
    await expect(second.getByText(/Not delivered/)).toBeVisible({ timeout: 20_000 });
    await expect(second).toContainText('500');
    const row = page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: 'Dana Delivery' });
    await expect(row.getByRole('img', { name: 'Delivery failed' })).toBeVisible();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'delivery-failed-1280-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'delivery-failed-1280-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, 'delivery-failed-390-dark');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: 'light' });

    await bridge.control({ fail: null });
    await second.getByRole('button', { name: 'Retry delivery' }).click();
    const retried = page.getByRole('log', { name: 'Messages' }).getByRole('article', { name: 'Reply' }).filter({ hasText: 'Tracking number: ZX-42.' });
    await expect(tick(retried, 'Read')).toBeAttached({ timeout: 15_000 });
    await expect(retried.getByRole('button', { name: 'Retry delivery' })).toHaveCount(0);
    await expect(row.getByRole('img', { name: /Delivery failed/ })).toHaveCount(0);
    const after = await (await fetch(`${bridge.url}/received`)).json();
    expect(after.map((r: { body: string }) => r.body)).toEqual(['It left the warehouse this morning.', 'Tracking number: ZX-42.']);

    // The integration's health and log tell the story; seen at every size in both themes.
    await page.goto(`${server.base}/settings/integrations`);
    await expect(card.getByText('Failures in the last hour')).toBeVisible();
    await expect(card).toContainText('HTTP 500');
    await card.getByRole('button', { name: 'Delivery log' }).click();
    await expect(card.getByRole('region', { name: 'Delivery log' })).toContainText('Failed');
    await expectNoAxeViolations(page);
    for (const [width, height] of [[1440, 900], [1280, 720], [390, 844]]) {
      for (const theme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: theme });
        await saveScreenshot(page, `integrations-${width}-${theme}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoAxeViolations(page);

    // Pause and resume; edit its name and channels.
    await page.setViewportSize({ width: 1280, height: 720 });
    await card.getByRole('button', { name: 'Pause' }).click();
    await expect(card.getByText('Paused', { exact: true })).toBeVisible();
    await card.getByRole('button', { name: 'Resume' }).click();
    await expect(card.getByText('Paused', { exact: true })).toHaveCount(0);
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = card.getByRole('form', { name: /Edit/ });
    await edit.getByRole('textbox', { name: 'Name' }).fill('Messaging bridge');
    await edit.getByRole('checkbox', { name: 'SMS' }).check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const renamed = page.getByRole('article', { name: 'Messaging bridge' });
    await expect(renamed.getByText('SMS', { exact: true })).toBeVisible();
    await expect(renamed.getByRole('form', { name: /Edit/ })).toHaveCount(0);

    // Delete: the confirmation names what happens to queued replies.
    await renamed.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(renamed.getByRole('group', { name: /Confirm/ })).toContainText('No replies are waiting for it.');
    await renamed.getByRole('button', { name: 'Delete integration' }).click();
    await expect(renamed).toHaveCount(0);
    await expect(page.getByText('No integrations yet')).toBeVisible();
  } finally {
    bridge.child.kill('SIGKILL');
    server.stop();
  }
});
