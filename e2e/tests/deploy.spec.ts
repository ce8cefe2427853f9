import { test, expect } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

// The deployment the README describes ("Deploying the static assets"), done as an engineer
// would: the README's own `trunk build index.html --release --public-url /support/app/`
// (`cargo xtask test` runs it as written just before this, and hands its output over in
// E2E_DEPLOY_ASSETS), the files copied under /support/app/ on a plain static server with an SPA
// fallback and a Content-Security-Policy of its own, the API base edited into index.html, and
// the API served by a separate convoroom-server on another origin, without the app.

const assets = process.env.E2E_DEPLOY_ASSETS;
const serverBin = process.env.E2E_SERVER_BIN;
const publicUrl = process.env.E2E_DEPLOY_PUBLIC_URL ?? '/support/app/';
const staticPort = Number(process.env.E2E_DEPLOY_STATIC_PORT ?? 0);
const apiPort = Number(process.env.E2E_DEPLOY_API_PORT ?? 0);
const staticOrigin = `http://127.0.0.1:${staticPort}`;
const apiOrigin = `http://127.0.0.1:${apiPort}`;
/** The app's root URL, e.g. http://127.0.0.1:4321/support/app/ */
const app = `${staticOrigin}${publicUrl}`;

test.skip(!assets || !serverBin || !staticPort || !apiPort, 'needs the README sub-path build: run `cargo xtask test --only e2e`');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** `'sha256-…'` of every inline script, as a static host's CSP must list them (README). */
function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(attributes) || !body.trim()) continue;
    hashes.push(`'sha256-${crypto.createHash('sha256').update(body).digest('base64')}'`);
  }
  return hashes;
}

/** The policy the README tells a static host to send: the API origin for data, images and media. */
function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${inlineScriptHashes(html).join(' ')}`,
    "style-src 'self'",
    `img-src 'self' data: blob: ${apiOrigin}`,
    `media-src blob: ${apiOrigin}`,
    `connect-src 'self' ${apiOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every request the static host answered: nothing may leave the sub-path, nothing may 404. */
const staticHits: { path: string; status: number }[] = [];
let site: string;
let appDir: string;
let staticServer: http.Server;
let apiServer: ChildProcess;
let apiLog = '';
let apiDir: string;

/** A plain static server: files under `site`, and index.html for unknown HTML paths under the sub-path. */
function serveStatic(request: http.IncomingMessage, response: http.ServerResponse) {
  const url = new URL(request.url ?? '/', staticOrigin);
  const answer = (status: number, file?: string) => {
    staticHits.push({ path: url.pathname + url.search, status });
    if (!file) {
      response.writeHead(status, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const body = fs.readFileSync(file);
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' };
    if (type.startsWith('text/html')) {
      headers['content-security-policy'] = contentSecurityPolicy(body.toString('utf8'));
      headers['cache-control'] = 'no-cache';
    }
    response.writeHead(status, headers).end(request.method === 'HEAD' ? undefined : body);
  };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return answer(400);
  }
  const underApp = pathname.startsWith(publicUrl) || `${pathname}/` === publicUrl;
  const file = path.resolve(site, `.${pathname}`);
  if (!underApp || !file.startsWith(site)) return answer(404);
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return answer(200, file);
  if (fs.existsSync(path.join(file, 'index.html'))) return answer(200, path.join(file, 'index.html'));
  // The SPA fallback: client-side routes such as /support/app/conversations/42.
  const wantsHtml = (request.headers.accept ?? '').includes('text/html');
  if (request.method === 'GET' && wantsHtml) return answer(200, path.join(appDir, 'index.html'));
  return answer(404);
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (apiServer.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the API server did not come up at ${url}:\n${apiLog}`);
}

test.beforeAll(async () => {
  // What a deployer does: copy dist/ under the sub-path, and point index.html at the API.
  site = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'convoroom-deploy-site-')));
  appDir = path.join(site, ...publicUrl.split('/').filter(Boolean));
  fs.cpSync(assets!, appDir, { recursive: true });
  const index = path.join(appDir, 'index.html');
  const html = fs.readFileSync(index, 'utf8');
  const edited = html.replace(/(<meta name="convoroom-api-base" content=")[^"]*(")/, `$1${apiOrigin}/api/v1$2`);
  expect(edited, 'index.html has the convoroom-api-base meta tag').not.toBe(html);
  fs.writeFileSync(index, edited);
  staticServer = http.createServer(serveStatic);
  await new Promise<void>((resolve) => staticServer.listen(staticPort, '127.0.0.1', resolve));

  // The API on its own origin, serving no app (its --assets directory does not exist).
  apiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convoroom-deploy-api-'));
  apiServer = spawn(
    serverBin!,
    [
      '--bind', `127.0.0.1:${apiPort}`,
      '--database', path.join(apiDir, 'api.db'),
      '--assets', path.join(apiDir, 'no-app-here'),
      '--demo-conversations', '40',
      '--cors-origin', staticOrigin,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  apiServer.stdout?.on('data', (chunk) => (apiLog += chunk));
  apiServer.stderr?.on('data', (chunk) => (apiLog += chunk));
  await waitForHealth(`${apiOrigin}/api/v1/health`, 120_000);
});

test.afterAll(async () => {
  apiServer?.kill('SIGTERM');
  await new Promise((resolve) => staticServer?.close(resolve));
  for (const dir of [site, apiDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Direct calls to the deployment's API (its own origin). */
async function call<T>(request: APIRequestContext, method: 'get' | 'post', url: string, token?: string, data?: unknown): Promise<T> {
  const response = await request[method](`${apiOrigin}/api/v1${url}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    data,
  });
  expect(response.ok(), `${method.toUpperCase()} ${url}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The page's URL is exactly `app` + `rest` (rest may be a regular expression source). */
const at = (rest: string) => new RegExp(`^${escape(app)}${rest}$`);

async function signInHere(page: Page) {
  await page.getByLabel('Email').fill('maya@example.com');
  await page.getByLabel('Password').fill('demo1234');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('deployed under a sub-path with the API on another origin: sign-in, list, chat with media, views, history, deep links', async ({
  page,
  request,
  expectNoAxeViolations,
  saveScreenshot,
}) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (failed) => {
    // Leaving a page aborts its event stream and pending loads; that is not a failure.
    if (!failed.failure()?.errorText.includes('ERR_ABORTED')) problems.push(`${failed.failure()?.errorText} ${failed.url()}`);
  });

  // A customer sends a photo; another calls and leaves a recording. Both URLs are site paths,
  // as the reference server hands out: they live on the API's origin.
  const admin = (await call<{ token: string }>(request, 'post', '/auth/sign-in', undefined, { email: 'maya@example.com', password: 'demo1234' })).token;
  const inbound = (await call<{ token: string }>(request, 'post', '/tokens', admin, { name: `deploy-${Date.now()}`, scope: 'inbound' })).token;
  const stamp = Date.now() % 10_000_000;
  const customer = `Deploy Photo ${stamp}`;
  const photo = await call<{ conversation_id: string }>(request, 'post', '/inbound', inbound, {
    channel: 'whatsapp',
    from: `+1777${stamp}`,
    name: customer,
    body: 'Here is the broken part',
    attachments: [{ kind: 'image', url: '/media/images/4242.svg', name: 'broken-part.svg', mime_type: 'image/svg+xml' }],
  });
  const conversation = String(photo.conversation_id);
  const caller = `Deploy Caller ${stamp}`;
  const voice = await call<{ conversation_id: string }>(request, 'post', '/inbound', inbound, {
    channel: 'voice',
    from: `+1778${stamp}`,
    name: caller,
    body: '',
    call: { outcome: 'answered', duration_seconds: 61, recording_url: '/media/recordings/77.wav' },
  });
  const callConversation = String(voice.conversation_id);

  await test.step('the sub-path root sends a signed-out agent to sign in, under the sub-path', async () => {
    await page.goto(app);
    await expect(page).toHaveURL(at('sign-in\\?next=%2Fconversations'));
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'deploy-sign-in');
  });

  const list = page.getByRole('listbox', { name: 'Conversations' });
  const topbar = page.getByRole('navigation', { name: 'Workspace' });
  await test.step('sign-in opens the list; the top bar links stay under the sub-path', async () => {
    await signInHere(page);
    await expect(list).toBeVisible();
    await expect(page).toHaveURL(at('conversations'));
    await expect(topbar.getByRole('link', { name: 'Conversations' })).toHaveAttribute('href', `${publicUrl}conversations`);
    await expect(topbar.getByRole('link', { name: 'Conversations' })).toHaveAttribute('aria-current', 'page');
    await expect(topbar.getByRole('link', { name: 'Views' })).toHaveAttribute('href', `${publicUrl}views`);
    // A filter change keeps the path (it used to read the path with the base and add it again).
    await page.getByRole('button', { name: 'More filters' }).click();
    await page.getByRole('combobox', { name: 'Channel' }).selectOption('whatsapp');
    await expect(page).toHaveURL(at('conversations\\?channel=whatsapp'));
    await expect(list.getByRole('option').filter({ hasText: customer })).toBeVisible();
  });

  const chat = page.getByRole('region', { name: 'Conversation', exact: true });
  await test.step('a chat shows the customer photo, loaded from the API origin', async () => {
    await list.getByRole('option').filter({ hasText: customer }).click();
    await expect(page).toHaveURL(at(`conversations/${conversation}\\?channel=whatsapp`));
    await expect(chat.getByRole('heading', { name: customer })).toBeVisible();
    const image = chat.getByRole('img', { name: 'broken-part.svg' });
    await expect(image).toHaveAttribute('src', `${apiOrigin}/media/images/4242.svg`);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await expect(chat.getByRole('link', { name: 'broken-part.svg' })).toHaveAttribute('href', `${apiOrigin}/media/images/4242.svg`);
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'deploy-chat');
  });

  const viewsNav = page.getByRole('navigation', { name: 'Views' });
  const table = page.getByRole('table', { name: 'Call log' });
  const callRow = table.getByRole('row').filter({ hasText: caller });
  await test.step('views: the table plays a call recording from the API origin', async () => {
    await topbar.getByRole('link', { name: 'Views' }).click();
    await expect(page).toHaveURL(at('views'));
    await expect(topbar.getByRole('link', { name: 'Views' })).toHaveAttribute('aria-current', 'page');
    const callLog = viewsNav.getByRole('link', { name: 'Call log' });
    await expect(callLog).toHaveAttribute('href', new RegExp(`^${escape(publicUrl)}views/\\d+$`));
    await callLog.click();
    await expect(page).toHaveURL(at('views/\\d+'));
    await expect(callRow).toBeVisible();
    await expect(callRow.getByRole('link', { name: `#${callConversation}` })).toHaveAttribute('href', new RegExp(`^${escape(publicUrl)}conversations/${callConversation}(\\?|$)`));
    await callRow.getByRole('button', { name: `Play recording of conversation ${callConversation}` }).click();
    const pause = callRow.getByRole('button', { name: `Pause recording of conversation ${callConversation}` });
    await expect(pause).toHaveAttribute('aria-pressed', 'true');
    const player = page.locator('.view-main audio');
    await expect(player).toHaveJSProperty('src', `${apiOrigin}/media/recordings/77.wav`);
    await expect.poll(() => player.evaluate((a: HTMLAudioElement) => !a.paused && !a.error)).toBe(true);
    await pause.click();
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'deploy-views');
  });
  const viewUrl = page.url();

  await test.step('back and forward move through the app, under the sub-path', async () => {
    await page.goBack();
    await expect(page).toHaveURL(at('views'));
    await expect(page.getByText('Choose a view')).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(at(`conversations/${conversation}\\?channel=whatsapp`));
    await expect(chat.getByRole('heading', { name: customer })).toBeVisible();
    await page.goForward();
    await expect(page).toHaveURL(at('views'));
    await page.goForward();
    await expect(page).toHaveURL(viewUrl);
    await expect(callRow).toBeVisible();
  });

  await test.step('a table row opens its conversation; on a phone, Back returns to the list', async () => {
    await callRow.getByRole('link', { name: `#${callConversation}` }).click();
    await expect(page).toHaveURL(new RegExp(`^${escape(app)}conversations/${callConversation}(\\?.*)?$`));
    await expect(chat.getByRole('heading', { name: caller })).toBeVisible();
    await expect(chat.getByLabel('Call recording')).toHaveJSProperty('src', `${apiOrigin}/media/recordings/77.wav`);
    const query = new URL(page.url()).search;
    await page.setViewportSize({ width: 420, height: 860 });
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await expect(page).toHaveURL(`${app}conversations${query}`);
    await expect(list).toBeVisible();
    await saveScreenshot(page, 'deploy-phone-list');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  await test.step('a reload on a deep link opens the same screen (the static host falls back to index.html)', async () => {
    await page.goto(`${app}conversations/${conversation}`);
    await expect(chat.getByRole('heading', { name: customer })).toBeVisible();
    await expect.poll(() => chat.getByRole('img', { name: 'broken-part.svg' }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await page.goto(viewUrl);
    await expect(callRow).toBeVisible();
    await page.reload();
    await expect(callRow).toBeVisible();
    expect(staticHits).toContainEqual({ path: `${publicUrl}conversations/${conversation}`, status: 200 });
  });

  await test.step('signed out, a deep link with a filter comes back after signing in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`^${escape(app)}sign-in`));
    await page.goto(`${app}conversations/${conversation}?channel=whatsapp`);
    await expect(page).toHaveURL(at(`sign-in\\?next=${escape(encodeURIComponent(`/conversations/${conversation}?channel=whatsapp`))}`));
    await signInHere(page);
    await expect(page).toHaveURL(at(`conversations/${conversation}\\?channel=whatsapp`));
    await expect(chat.getByRole('heading', { name: customer })).toBeVisible();
  });

  // Nothing left the sub-path on the static host, nothing 404ed anywhere, and the API served
  // the media.
  expect(staticHits.filter((hit) => !hit.path.startsWith(publicUrl) || hit.status >= 400)).toEqual([]);
  expect(problems).toEqual([]);
});
