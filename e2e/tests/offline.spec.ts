import { test, expect } from './fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// The server is killed in the middle of a session and started again. This test runs its own
// server (the shared one must stay up for the other specs): the app says it is offline, keeps
// the typed message, and delivers it exactly once by itself when the server is back.

const serverBin = process.env.E2E_SERVER_BIN;
const assets = process.env.E2E_ASSETS ?? path.join(__dirname, '..', '..', 'dist');

const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

async function start(port: number, database: string): Promise<ChildProcess> {
  const child = spawn(serverBin!, ['--bind', `127.0.0.1:${port}`, '--database', database, '--assets', assets, '--demo-conversations', '20'], { stdio: 'ignore' });
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the test server did not start');
}

/** A server of the test's own on a fresh database; `restart()` brings it back on the same one. */
async function ownServer(name: string) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `convoroom-${name}-`));
  const database = path.join(dir, `${name}.db`);
  let child = await start(port, database);
  return {
    base: `http://127.0.0.1:${port}`,
    kill: () => child.kill('SIGKILL'),
    restart: async () => { child = await start(port, database); },
    remove: () => { child.kill('SIGKILL'); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** The demo admin's API on `base`, and a channel posting customer messages into it. */
async function apiAt(base: string) {
  const json = (response: Response) => response.json();
  const session = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'maya@example.com', password: 'demo1234' }) }).then(json);
  const auth = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' };
  const inbound = await fetch(`${base}/api/v1/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'own-server-test', scope: 'inbound' }) }).then(json);
  const post = (message: { channel: string; from: string; name: string; body: string }) =>
    fetch(`${base}/api/v1/inbound`, { method: 'POST', headers: { authorization: `Bearer ${inbound.token}`, 'content-type': 'application/json' }, body: JSON.stringify(message) }).then(json);
  const get = (route: string) => fetch(`${base}/api/v1${route}`, { headers: auth }).then(json);
  return { post, get };
}

async function signInAt(page: import('@playwright/test').Page, base: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByRole('textbox', { name: 'Email' }).fill('maya@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
}

test('the server is killed mid-session: the app says so, keeps the message, delivers it once when back', async ({ page }) => {
  test.skip(!serverBin, 'needs E2E_SERVER_BIN (set by cargo xtask test)');
  test.setTimeout(90_000);
  const server = await ownServer('offline');
  const base = server.base;
  try {
    await signInAt(page, base);
    // A conversation of our own (some demo contacts are blocked, which turns replies off).
    const api = await apiAt(base);
    const accepted = await api.post({ channel: 'sms', from: '+15550199', name: 'Offline Tester', body: 'Are you there?' });
    const id = accepted.conversation_id;
    await page.goto(`${base}/conversations/${id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await expect(log.getByText('Are you there?')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    server.kill();
    await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible({ timeout: 15_000 });

    // Still working on what is loaded: the agent writes, attaches a file and sends.
    const text = `Sent while the server was down ${Date.now()}`;
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach' }).click();
    await (await chooser).setFiles([{ name: 'offline.txt', mimeType: 'text/plain', buffer: Buffer.from('written offline') }]);
    await expect(page.getByText(/the file is kept and goes up when you send/)).toBeVisible();
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expect(log.getByText(text)).toBeVisible();
    await expect(log.getByRole('button', { name: 'Retry' })).toBeVisible({ timeout: 25_000 });

    await server.restart();
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible({ timeout: 30_000 });
    await expect(log.getByRole('button', { name: 'Retry' })).toHaveCount(0, { timeout: 15_000 });
    await expect(log.getByText(text)).toHaveCount(1);
    await expect(log.getByRole('button', { name: /^Download offline\.txt/ })).toBeVisible();

    // Exactly once on the server too (the restarted server keeps sessions: tokens are stored),
    // with its file.
    const page1 = await api.get(`/conversations/${id}/messages?limit=50`);
    const stored = page1.items.filter((m: { body: string }) => m.body === text);
    expect(stored).toHaveLength(1);
    expect(stored[0].attachments.map((a: { name: string }) => a.name)).toEqual(['offline.txt']);
  } finally {
    server.remove();
  }
});

test('a stream that drops repeatedly misses no event and applies none twice', async ({ page }) => {
  test.skip(!serverBin, 'needs E2E_SERVER_BIN (set by cargo xtask test)');
  test.setTimeout(90_000);
  const server = await ownServer('stream');
  const base = server.base;
  try {
    const api = await apiAt(base);
    const post = (body: string) => api.post({ channel: 'telegram', from: 'stream-tester', name: 'Stream Tester', body });
    const first = await post('first');
    await signInAt(page, base);
    await page.goto(`${base}/conversations/${first.conversation_id}`);
    const log = page.getByRole('log', { name: 'Messages' });
    await expect(log.getByText('first', { exact: true })).toBeVisible();
    const live = page.getByRole('status').filter({ hasText: 'Live' });
    await expect(live).toBeVisible();

    // Each drop: the server goes away and comes back; messages arrive before the app has
    // reconnected, so it only sees them by resuming from the last event id.
    const sent: string[] = [];
    for (let drop = 1; drop <= 3; drop++) {
      server.kill();
      await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible({ timeout: 15_000 });
      await server.restart();
      for (let i = 1; i <= 3; i++) {
        const body = `drop ${drop}, message ${i}`;
        await post(body);
        sent.push(body);
      }
      await expect(live).toBeVisible({ timeout: 30_000 });
      await expect(log.getByText(`drop ${drop}, message 3`, { exact: true })).toBeVisible();
    }
    for (const body of sent) await expect(log.getByText(body, { exact: true })).toHaveCount(1);
    await expect(page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first()).toContainText('drop 3, message 3');
  } finally {
    server.remove();
  }
});
