// Shared Playwright fixtures and helpers for Convoroom's end-to-end tests.
//
//   import { test, expect } from './fixtures';
//   test('…', async ({ page, signIn, expectNoAxeViolations, api, saveScreenshot }) => { … });
//
// Every helper is also exported as a plain function: signIn, expectNoAxeViolations,
// screenshot (the `saveScreenshot` fixture), and the Api class behind the `api` fixture.

import { test as base, expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

export { expect };

export const DEMO_EMAIL = 'maya@example.com';
export const DEMO_PASSWORD = 'demo1234';

/** Sign in through the UI and wait for the conversation list. Opens `/` first if the page is blank. */
export async function signIn(page: Page, email = DEMO_EMAIL, password = DEMO_PASSWORD): Promise<void> {
  if (page.url() === 'about:blank') {
    await page.goto('/');
  }
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
}

/** What to scan: a CSS selector, or an axe context object ({ include, exclude }). Default: the whole document. */
export type AxeContext = string | { include?: unknown; exclude?: unknown };

type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
};

function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `[${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n\n');
}

let axeSource: string | undefined;

/**
 * Inject axe-core into the page and fail with a readable list if it finds any violation.
 *
 * Injected with page.evaluate (as @axe-core/playwright does), not page.addScriptTag: the
 * server's Content-Security-Policy rightly blocks inline scripts, and evaluate is not
 * subject to it, so the app is still tested under its real CSP.
 */
export async function expectNoAxeViolations(page: Page, context?: AxeContext): Promise<void> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (!(await page.evaluate(() => typeof (window as any).axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const violations: AxeViolation[] = await page.evaluate(async (ctx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const result = await axe.run(ctx ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, context ?? null);
  if (violations.length > 0) {
    console.log(`axe found ${violations.length} violation(s):\n${formatViolations(violations)}`);
  }
  expect(violations.length, `axe violations:\n${formatViolations(violations)}`).toBe(0);
}

/** Save a full-page PNG to e2e/screenshots/<name>.png (gitignored), for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(__dirname, '..', 'screenshots', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export type Channel =
  | 'whatsapp' | 'instagram' | 'messenger' | 'telegram' | 'live_chat' | 'sms' | 'email' | 'voice';

export type CallEvent = { outcome: 'answered' | 'missed' | 'voicemail'; duration_seconds: number; recording_url?: string };

export type InboundMessage = { channel: Channel; from: string; to?: string; name?: string; body: string; call?: CallEvent; team_id?: string };

/** Direct calls to the JSON API (no UI), using Playwright's `request` with baseURL. */
export class Api {
  constructor(private readonly request: APIRequestContext) {}

  private async json<T>(what: string, response: APIResponse): Promise<T> {
    if (!response.ok()) {
      throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
    }
    return (await response.json()) as T;
  }

  /** GET /api/v1/health → the parsed body (throws unless 2xx). */
  async health(): Promise<unknown> {
    return this.json('GET /api/v1/health', await this.request.get('/api/v1/health'));
  }

  /** POST /api/v1/auth/sign-in → the session's bearer token. */
  async signIn(email = DEMO_EMAIL, password = DEMO_PASSWORD): Promise<string> {
    const res = await this.request.post('/api/v1/auth/sign-in', { data: { email, password } });
    return (await this.json<{ token: string }>('POST /api/v1/auth/sign-in', res)).token;
  }

  /** POST /api/v1/tokens {name, scope:"inbound"} as an admin → the new inbound token. Signs in as the demo admin when no token is given. */
  async createInboundToken(adminToken?: string, name = `e2e-inbound-${Date.now()}`): Promise<string> {
    const token = adminToken ?? (await this.signIn());
    const res = await this.request.post('/api/v1/tokens', {
      headers: { Authorization: `Bearer ${token}` },
      data: { name, scope: 'inbound' },
    });
    return (await this.json<{ token: string }>('POST /api/v1/tokens', res)).token;
  }

  /** GET `path` as the holder of `token` → the parsed body (throws unless 2xx). */
  async get(path: string, token: string): Promise<unknown> {
    return this.json(`GET ${path}`, await this.request.get(path, { headers: { Authorization: `Bearer ${token}` } }));
  }

  /** POST /api/v1/inbound as a channel would → InboundAccepted {conversation_id, message_id, …}. */
  async postInbound(inboundToken: string, message: InboundMessage): Promise<Record<string, unknown>> {
    const res = await this.request.post('/api/v1/inbound', {
      headers: { Authorization: `Bearer ${inboundToken}` },
      data: message,
    });
    return this.json('POST /api/v1/inbound', res);
  }
}

type Fixtures = {
  signIn: (page: Page, email?: string, password?: string) => Promise<void>;
  expectNoAxeViolations: (page: Page, context?: AxeContext) => Promise<void>;
  /** The `screenshot` helper; named so because `screenshot` is Playwright's own option (use.screenshot). */
  saveScreenshot: (page: Page, name: string) => Promise<string>;
  api: Api;
  /** Content-Security-Policy violations reported by any page of the test, across navigations. */
  cspViolations: string[];
};

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  cspViolations: async ({}, use) => use([]),
  // Every page records CSP violations; a test passes only if none was reported.
  page: async ({ page, cspViolations }, use) => {
    await page.context().exposeBinding('__reportCspViolation', (_source, violation: string) => {
      cspViolations.push(violation);
    });
    await page.context().addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { __reportCspViolation?: (v: string) => void }).__reportCspViolation;
        report?.(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`);
      });
    });
    await use(page);
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
  },
  // eslint-disable-next-line no-empty-pattern
  signIn: async ({}, use) => use(signIn),
  // eslint-disable-next-line no-empty-pattern
  expectNoAxeViolations: async ({}, use) => use(expectNoAxeViolations),
  // eslint-disable-next-line no-empty-pattern
  saveScreenshot: async ({}, use) => use(screenshot),
  api: async ({ request }, use) => use(new Api(request)),
});
