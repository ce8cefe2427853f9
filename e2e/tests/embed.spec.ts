import { test, expect } from './fixtures';
import type { Page, Locator } from '@playwright/test';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

// The embeddable panel (<convoroom-panel>) inside public/embed-demo.html, a stand-in helpdesk
// page with a hostile global stylesheet, served here from another origin than the API and
// under a restrictive Content-Security-Policy of its own.

const apiOrigin = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? '8080'}`;
const hostPort = Number(process.env.E2E_HOST_PORT ?? Number(new URL(apiOrigin).port) + 1);
const hostOrigin = `http://127.0.0.1:${hostPort}`;
const dist = process.env.E2E_ASSETS ?? path.join(__dirname, '..', '..', 'dist');
const hostCsp = [
  "default-src 'none'",
  `script-src 'self' ${apiOrigin} 'wasm-unsafe-eval'`,
  `connect-src ${apiOrigin}`,
  "style-src 'self'",
  `img-src 'self' data: blob: ${apiOrigin}`,
  `media-src blob: ${apiOrigin}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let host: http.Server;

// Every inherited CSS property, as a host page might set it on everything — the panel's element
// included — with !important. Values chosen to show at a glance if any gets through.
const INHERITED = {
  'letter-spacing': '4px', 'word-spacing': '12px', 'line-height': '3', 'text-transform': 'uppercase',
  'text-indent': '40px', 'text-align': 'right', 'font-style': 'italic', 'font-variant': 'small-caps',
  'font-weight': '900', 'font-stretch': 'condensed', 'font-kerning': 'none', 'font-size': '30px',
  'font-family': '"Comic Sans MS", cursive', 'font-feature-settings': '"smcp"', 'font-synthesis': 'none',
  'white-space': 'pre', 'direction': 'rtl', 'visibility': 'hidden', 'cursor': 'wait',
  'text-shadow': '2px 2px red', 'color': 'red', 'quotes': '"«" "»"', 'list-style': 'square inside',
  'tab-size': '20', 'hyphens': 'auto', 'word-break': 'break-all', 'overflow-wrap': 'anywhere',
  'text-rendering': 'optimizeSpeed', 'writing-mode': 'vertical-rl', 'text-orientation': 'upright',
  'caret-color': 'red', 'accent-color': 'red', 'pointer-events': 'none', 'color-scheme': 'dark',
  'border-collapse': 'collapse', 'empty-cells': 'hide', 'caption-side': 'bottom', 'image-rendering': 'pixelated',
  'text-underline-position': 'under', 'text-decoration-skip-ink': 'none', 'paint-order': 'stroke',
  'line-break': 'anywhere', 'orphans': '1', 'widows': '1', 'font-optical-sizing': 'none',
  '-webkit-text-fill-color': 'lime', '-webkit-text-stroke': '1px red',
};
const PANEL_BOX = 'convoroom-panel { display: block; width: 380px; height: 1200px; }';
const ISOLATION_PAGES: Record<string, string> = {
  'isolation/plain.css': `body { margin: 0; } ${PANEL_BOX}`,
  'isolation/hostile.css': `body { margin: 0; } ${PANEL_BOX}\n*, convoroom-panel {\n${Object.entries(INHERITED).map(([k, v]) => `  ${k}: ${v} !important;`).join('\n')}\n}`,
  'isolation/panel.js': `
    const params = new URLSearchParams(location.search);
    const api = params.get('api');
    const token = fetch(api + '/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'maya@example.com', password: 'demo1234' }) }).then((r) => r.json()).then((s) => s.token);
    const element = document.querySelector('convoroom-panel');
    element.setAttribute('api-base', api);
    element.setAttribute('theme', 'light');
    element.getToken = () => token;
    element.setAttribute('conversation-id', params.get('id'));`,
};
const isolationPage = (css: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Isolation</title>
<link rel="stylesheet" href="/isolation/${css}.css"><script type="module" src="${apiOrigin}/embed/convoroom-panel.js"></script></head>
<body><convoroom-panel></convoroom-panel><script type="module" src="/isolation/panel.js"></script></body></html>`;

test.beforeAll(async () => {
  host = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', hostOrigin);
    const file = url.pathname === '/' ? 'embed-demo.html' : url.pathname.slice(1);
    const page = { 'isolation/plain.html': 'plain', 'isolation/hostile.html': 'hostile' }[file];
    const generated = page ? isolationPage(page) : ISOLATION_PAGES[file];
    if (generated !== undefined) {
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': hostCsp });
      response.end(generated);
      return;
    }
    if (!['embed-demo.html', 'embed-demo/host.css', 'embed-demo/host.js'].includes(file)) {
      response.writeHead(404).end();
      return;
    }
    let body = fs.readFileSync(path.join(dist, file), 'utf8');
    // The host loads the bundle from the Convoroom server, like a real integration.
    if (file.endsWith('.html')) body = body.replace('src="embed/convoroom-panel.js"', `src="${apiOrigin}/embed/convoroom-panel.js"`);
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': hostCsp });
    response.end(body);
  });
  await new Promise<void>((resolve) => host.listen(hostPort, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => host.close(resolve));
});

/** Opens the host page, without a panel, recording CSP violations. */
async function openHost(page: Page) {
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(`${hostOrigin}/?manual=1&api=${encodeURIComponent(`${apiOrigin}/api/v1`)}`);
  await expect(page.locator('#acme-status')).toHaveText(/open tickets/);
}

async function freshConversation(api: import('./fixtures').Api, name: string): Promise<string> {
  const inbound = await api.createInboundToken();
  const accepted = await api.postInbound(inbound, { channel: 'whatsapp', from: `+1888${Date.now() % 10_000_000}${Math.floor(Math.random() * 90 + 10)}`, name, body: 'Hello from the embed test' });
  return accepted.conversation_id as string;
}

const STYLE_PROPS = ['font-family', 'font-size', 'font-weight', 'color', 'background-color', 'text-transform', 'border-top-style', 'border-top-width', 'border-top-color', 'padding-top', 'padding-left', 'border-top-left-radius', 'letter-spacing', 'line-height', 'outline-style'];

async function computed(locator: Locator): Promise<Record<string, string>> {
  return locator.evaluate((element, props) => {
    const style = getComputedStyle(element);
    return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
  }, STYLE_PROPS);
}

/** The panel's landmarks and controls whose look must not depend on the page around them. */
function keyElements(panel: Locator): Record<string, Locator> {
  return {
    tab: panel.getByRole('tab', { name: 'Conversation' }),
    heading: panel.getByRole('button', { name: 'Labels', exact: true }),
    input: panel.getByRole('combobox', { name: 'Add label' }),
    button: panel.getByRole('button', { name: 'Assign to me' }),
    notes: panel.getByRole('textbox', { name: 'New note' }),
  };
}

test('in a hostile page on another origin the panel renders, edits and reports to the host', async ({ page, api, expectNoAxeViolations, saveScreenshot }) => {
  const id = await freshConversation(api, `Embed Edit ${Date.now()}`);
  await openHost(page);
  await page.evaluate((conversation) => (window as unknown as { acmeDemo: { showPanel(id: string): void } }).acmeDemo.showPanel(conversation), id);
  const panel = page.locator('convoroom-panel').getByRole('complementary', { name: 'Conversation details' });
  await expect(panel).toBeVisible();

  await panel.getByRole('combobox', { name: 'Add label' }).fill('vip');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(panel.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveText([/vip/]);
  await expect(page.getByRole('list', { name: 'Panel activity' })).toContainText(`convoroom:label-added ${id}`);
  await panel.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByRole('list', { name: 'Panel activity' })).toContainText(`convoroom:assigned ${id}`);
  await panel.getByRole('textbox', { name: 'New note' }).fill('Seen from the helpdesk');
  await panel.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByRole('list', { name: 'Panel activity' })).toContainText(`convoroom:note-saved ${id}`);

  // The change is real: the API has it.
  const token = await api.signIn();
  const saved = await page.request.get(`${apiOrigin}/api/v1/conversations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect((await saved.json()).labels).toContain('vip');

  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  await expectNoAxeViolations(page, { include: [['convoroom-panel']] } as never);
  await saveScreenshot(page, 'embed-demo');
});

test('the host and the panel do not restyle each other', async ({ page, api, signIn }) => {
  const id = await freshConversation(api, `Embed Style ${Date.now()}`);
  // The panel in the app itself, as the reference.
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const appPanel = page.getByRole('complementary', { name: 'Conversation details' });
  await expect(appPanel.getByRole('combobox', { name: 'Add label' })).toBeVisible();
  const reference: Record<string, Record<string, string>> = {};
  for (const [name, locator] of Object.entries(keyElements(appPanel))) reference[name] = await computed(locator);

  await openHost(page);
  const hostElements = ['body', 'h1', 'h2', '#acme-refresh', '#acme-status', '#acme-ticket-list a'];
  const before = await Promise.all(hostElements.map((selector) => computed(page.locator(selector).first())));
  await page.evaluate((conversation) => (window as unknown as { acmeDemo: { showPanel(id: string): void } }).acmeDemo.showPanel(conversation), id);
  const panel = page.locator('convoroom-panel').getByRole('complementary', { name: 'Conversation details' });
  await expect(panel.getByRole('combobox', { name: 'Add label' })).toBeVisible();
  const after = await Promise.all(hostElements.map((selector) => computed(page.locator(selector).first())));
  expect(after).toEqual(before);

  for (const [name, locator] of Object.entries(keyElements(panel))) {
    expect(await computed(locator), `${name} looks as in the app`).toEqual(reference[name]);
  }
});

test('two panels work independently, switch conversation in place, and unmount cleanly', async ({ page, api }) => {
  const first = await freshConversation(api, `Embed One ${Date.now()}`);
  const second = await freshConversation(api, `Embed Two ${Date.now()}`);
  await openHost(page);
  const cdp = await page.context().newCDPSession(page);
  const listenerCount = async () => {
    let total = 0;
    for (const expression of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
      total += listeners.length;
    }
    return total;
  };
  const baseline = await listenerCount();

  await page.evaluate(([a, b]) => {
    const demo = (window as unknown as { acmeDemo: { apiBase: string; token: Promise<string> } }).acmeDemo;
    for (const [name, conversation] of [['one', a], ['two', b]]) {
      const element = document.createElement('convoroom-panel') as HTMLElement & { getToken: () => Promise<string> };
      element.id = `panel-${name}`;
      element.setAttribute('api-base', demo.apiBase);
      element.setAttribute('conversation-id', conversation);
      element.getToken = () => demo.token;
      document.getElementById('acme-details')!.append(element);
    }
  }, [first, second]);
  const one = page.locator('#panel-one').getByRole('complementary', { name: 'Conversation details' });
  const two = page.locator('#panel-two').getByRole('complementary', { name: 'Conversation details' });
  await expect(one).toBeVisible();
  await expect(two).toBeVisible();

  await one.getByRole('combobox', { name: 'Add label' }).fill('panel-one-only');
  await one.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(one.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveText([/panel-one-only/]);
  await expect(two.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveCount(0);

  // Switching the attribute changes the conversation without remounting the panel.
  await page.evaluate(() => {
    const root = document.getElementById('panel-one')!.shadowRoot!.querySelector('.embed-root') as HTMLElement;
    root.dataset.marker = 'kept';
  });
  await page.evaluate((conversation) => document.getElementById('panel-one')!.setAttribute('conversation-id', conversation), second);
  await expect(one.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveCount(0);
  expect(await page.evaluate(() => (document.getElementById('panel-one')!.shadowRoot!.querySelector('.embed-root') as HTMLElement).dataset.marker)).toBe('kept');
  await page.evaluate((conversation) => document.getElementById('panel-one')!.setAttribute('conversation-id', conversation), first);
  await expect(one.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveText([/panel-one-only/]);

  // Removing the elements unmounts: nothing left in their shadow roots, no listeners left behind.
  const roots = await page.evaluateHandle(() => ['panel-one', 'panel-two'].map((id) => document.getElementById(id)!.shadowRoot!));
  await page.evaluate(() => ['panel-one', 'panel-two'].forEach((id) => document.getElementById(id)!.remove()));
  expect(await roots.evaluate((list) => list.map((root) => root.childNodes.length + root.adoptedStyleSheets.length))).toEqual([0, 0]);
  expect(await listenerCount()).toBe(baseline);
});

test('context mode shows the JSON the host hands over, through the mount() API', async ({ page, api }) => {
  const id = await freshConversation(api, `Embed Context ${Date.now()}`);
  const other = await freshConversation(api, `Embed Other ${Date.now()}`);
  const token = await api.signIn();
  const headers = { Authorization: `Bearer ${token}` };
  const conversation = await (await page.request.get(`${apiOrigin}/api/v1/conversations/${id}`, { headers })).json();
  const contact = await (await page.request.get(`${apiOrigin}/api/v1/contacts/${conversation.contact.id}`, { headers })).json();
  // Marks that exist only in the host's copy: seeing them proves the panel did not fetch.
  conversation.labels = ['from-the-host'];
  contact.name = 'Name From The Host';

  await openHost(page);
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/v1\/(conversations|contacts)\/\d+$/.test(request.url())) fetched.push(request.url());
  });
  await page.evaluate(async ({ apiOrigin, conversation, contact }) => {
    const { mount } = await import(`${apiOrigin}/embed/convoroom-panel.js`);
    const element = document.createElement('div');
    element.id = 'context-panel';
    document.getElementById('acme-details')!.append(element);
    const demo = (window as unknown as { acmeDemo: { token: Promise<string> } }).acmeDemo;
    (window as unknown as { contextPanel: unknown }).contextPanel = await mount(element, {
      apiBase: `${apiOrigin}/api/v1`, token: await demo.token, conversation, contact,
    });
  }, { apiOrigin, conversation, contact });
  const panel = page.locator('#context-panel').getByRole('complementary', { name: 'Conversation details' });
  await expect(panel.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveText([/from-the-host/]);
  await panel.getByRole('tab', { name: 'Contact' }).click();
  await expect(panel.getByRole('region', { name: 'Contact information' })).toContainText('Name From The Host');
  expect(fetched).toEqual([]);

  // update() switches to a conversation the host has no JSON for: now the panel fetches it.
  await page.evaluate((next) => (window as unknown as { contextPanel: { update(o: object): void } }).contextPanel.update({ conversationId: next }), other);
  await expect(panel.getByRole('region', { name: 'Contact information' })).toContainText('Embed Other');
  expect(fetched.some((url) => url.endsWith(`/conversations/${other}`))).toBeTruthy();

  await page.evaluate(() => (window as unknown as { contextPanel: { unmount(): void } }).contextPanel.unmount());
  expect(await page.evaluate(() => document.getElementById('context-panel')!.shadowRoot!.childNodes.length)).toBe(0);
});

test('inherited properties a host sets, even !important on the element itself, stop at the panel', async ({ page, api }) => {
  const id = await freshConversation(api, `Embed Isolation ${Date.now()}`);
  const shoot = async (css: 'plain' | 'hostile') => {
    await page.goto(`${hostOrigin}/isolation/${css}.html?api=${encodeURIComponent(`${apiOrigin}/api/v1`)}&id=${id}`);
    const panel = page.locator('convoroom-panel').getByRole('complementary', { name: 'Conversation details' });
    await expect(panel.getByRole('list', { name: 'Conversation labels' })).toBeAttached();
    await expect(panel.getByText('Loading')).toHaveCount(0);
    await page.waitForTimeout(300);
    // The element itself is visibility: hidden on the hostile page (what its contents must not
    // inherit), so the picture is taken by its box rather than of the element.
    const box = await page.locator('convoroom-panel').boundingBox();
    expect(box).not.toBeNull();
    return page.screenshot({ clip: box!, animations: 'disabled', caret: 'hide' });
  };
  await page.setViewportSize({ width: 1280, height: 1300 });
  const plain = await shoot('plain');
  const hostile = await shoot('hostile');
  // The host page itself did take the rules (so the test tests something).
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('convoroom-panel')!).letterSpacing)).toBe('4px');
  fs.mkdirSync(path.join(__dirname, '..', 'screenshots'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, '..', 'screenshots', 'embed-isolation-plain.png'), plain);
  fs.writeFileSync(path.join(__dirname, '..', 'screenshots', 'embed-isolation-hostile.png'), hostile);
  expect(hostile.equals(plain), `the panel looks different under the hostile page (${Object.keys(INHERITED).length} inherited properties set)`).toBe(true);

  // And it still works there: pointer-events and visibility came back with the rest.
  const panel = page.locator('convoroom-panel').getByRole('complementary', { name: 'Conversation details' });
  await panel.getByRole('combobox', { name: 'Add label' }).fill('isolated');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(panel.getByRole('list', { name: 'Conversation labels' }).getByRole('listitem')).toHaveText([/isolated/]);
});
