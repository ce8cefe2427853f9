import { test, expect, type Api } from './fixtures';
import type { APIRequestContext, Browser, Page } from '@playwright/test';

// Mentions and the notification centre (issue #23). Jonas mentions Priya in a note: the @ list
// offers the agents who can see the conversation, the note shows the name marked, and Priya's
// bell, tab title and Mentions list say so live, until she opens the conversation. Nothing
// notifies Jonas of his own note. Desktop notifications are asked for only from "Turn on
// desktop notifications"; the sound is off until turned on; switches are saved on the agent.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;
const PRIYA = 'priya@example.com';

/** Reads every notification of `email` (other tests may have left some), as a fresh start. */
async function readAll(api: Api, request: APIRequestContext, email: string): Promise<string> {
  const token = await api.signIn(email);
  const res = await request.post('/api/v1/notifications/read', { headers: { Authorization: `Bearer ${token}` }, data: {} });
  expect(res.status()).toBe(204);
  return token;
}

/** A new Support conversation (Priya and Jonas are in Support), by its customer's name. */
async function supportConversation(api: Api, name: string): Promise<string> {
  const inbound = await api.createInboundToken();
  const accepted = await api.postInbound(inbound, { channel: 'email', from: `n${unique()}@example.com`, name, body: 'My parcel never arrived', team_id: '1' });
  return accepted.conversation_id as string;
}

async function agentPage(browser: Browser, email: string, init?: () => void): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo1234');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  // Listening before anything happens elsewhere (events before the stream opens are not replayed).
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return { page, close: () => context.close() };
}

async function mention(jonas: Page, conversationId: string, typed: string, agent: string, rest: string) {
  await jonas.goto(`/conversations/${conversationId}`);
  await jonas.getByRole('button', { name: 'Internal note' }).click();
  const box = jonas.getByRole('textbox', { name: 'Message' });
  await box.fill('');
  await box.pressSequentially(typed);
  const list = jonas.getByRole('listbox', { name: 'Mention an agent' });
  await expect(list.getByRole('option', { name: agent })).toBeVisible();
  await box.press('Enter');
  await expect(box).toHaveValue(`${typed.slice(0, typed.lastIndexOf('@'))}@${agent} `);
  await box.pressSequentially(rest);
  await jonas.getByRole('button', { name: 'Add note' }).click();
}

test('a mention reaches the agent live: bell, tab title and Mentions, until they open it', async ({ page, browser, api, request, expectNoAxeViolations, saveScreenshot }) => {
  await readAll(api, request, PRIYA);
  await readAll(api, request, 'jonas@example.com');
  const customer = `Mention Customer ${unique()}`;
  const id = await supportConversation(api, customer);

  const jonas = await agentPage(browser, 'jonas@example.com');
  try {
    await page.goto('/');
    await page.getByLabel('Email').fill(PRIYA);
    await page.getByLabel('Password').fill('demo1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await expect(bell).toHaveAccessibleName('Notifications');
    await expect(page).toHaveTitle('Convoroom');
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    // The @ list: agents who can see this Support conversation; Aiko (Sales) is not one.
    await jonas.page.goto(`/conversations/${id}`);
    await jonas.page.getByRole('button', { name: 'Internal note' }).click();
    await jonas.page.getByRole('textbox', { name: 'Message' }).pressSequentially('@');
    const options = jonas.page.getByRole('listbox', { name: 'Mention an agent' }).getByRole('option');
    await expect(options.filter({ hasText: 'Priya Shah' })).toBeVisible();
    await expect(options.filter({ hasText: 'Aiko Tanaka' })).toHaveCount(0);
    await expect(options.filter({ hasText: 'Jonas Weber' })).toHaveCount(0);
    await expectNoAxeViolations(jonas.page);
    await jonas.page.getByRole('textbox', { name: 'Message' }).press('Escape');
    await expect(jonas.page.getByRole('listbox', { name: 'Mention an agent' })).toHaveCount(0);

    await mention(jonas.page, id, 'Can you take this one, @pri', 'Priya Shah', 'please?');
    const note = jonas.page.getByRole('log', { name: 'Messages' }).getByRole('article', { name: 'Internal note' }).last();
    await expect(note).toContainText('Can you take this one, @Priya Shah please?');
    await expect(note.locator('.mention')).toHaveText('@Priya Shah');

    // Priya, on her list: the bell counts it, the title too.
    await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
    await expect(page).toHaveTitle('(1) Convoroom');
    await bell.click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    const item = panel.getByRole('link', { name: new RegExp(`Jonas Weber mentioned you · ${customer}`) });
    await expect(item).toBeVisible();
    await panel.getByRole('button', { name: /^Mentions/ }).click();
    await expect(panel.getByRole('list', { name: 'Mentions' }).getByRole('link')).toHaveCount(1);
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'notifications-mentions');

    // Opening it reads it: the count, the title and the Mentions list empty.
    await item.click();
    await expect(page).toHaveURL(new RegExp(`/conversations/${id}$`));
    await expect(bell).toHaveAccessibleName('Notifications');
    await expect(page).toHaveTitle('Convoroom');
    await bell.click();
    await page.getByRole('button', { name: /^Mentions/ }).click();
    await expect(page.getByText('No unread mentions.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Notifications' })).toHaveCount(0);
    await expect(bell).toBeFocused();

    // While Priya has the conversation open, a new mention there is read at once.
    await mention(jonas.page, id, 'And @Pri', 'Priya Shah', 'thanks!');
    await expect(page.getByRole('log', { name: 'Messages' })).toContainText('And @Priya Shah thanks!');
    await expect(bell).toHaveAccessibleName('Notifications');

    // Jonas is never told about his own notes.
    await expect(jonas.page.getByRole('button', { name: /^Notifications/ })).toHaveAccessibleName('Notifications');
  } finally {
    await jonas.close();
  }
});

test('desktop notifications only after the agent turns them on; sound off until chosen; switches follow the agent', async ({ browser, api, request, expectNoAxeViolations }) => {
  test.setTimeout(60_000); // two browsers and four notes
  await readAll(api, request, PRIYA);
  const id = await supportConversation(api, `Desktop Customer ${unique()}`);
  const jonas = await agentPage(browser, 'jonas@example.com');
  // Priya's browser: the desktop notification API and Web Audio are recorded, and her window
  // is in the background (another app has the focus), as when a notification matters.
  const priya = await agentPage(browser, PRIYA, () => {
    const w = window as unknown as Record<string, unknown>;
    const shown: { title: string; body?: string; tag?: string }[] = [];
    let permission = 'default';
    let asked = 0;
    let tones = 0;
    class RecordingNotification {
      onclick: unknown = null;
      static get permission() { return permission; }
      static requestPermission() { asked += 1; permission = 'granted'; return Promise.resolve(permission); }
      constructor(title: string, options?: { body?: string; tag?: string }) { shown.push({ title, body: options?.body, tag: options?.tag }); }
    }
    w.Notification = RecordingNotification;
    const RealAudio = w.AudioContext as new () => unknown;
    w.AudioContext = function RecordingAudio() { tones += 1; return new RealAudio(); };
    document.hasFocus = () => false;
    w.__recorded = () => ({ shown, asked, tones });
  });
  type Recorded = { shown: { title: string; body?: string; tag?: string }[]; asked: number; tones: number };
  const recorded = () => priya.page.evaluate(() => (window as unknown as { __recorded: () => Recorded }).__recorded());
  try {
    const page = priya.page;
    const bell = page.getByRole('button', { name: /^Notifications/ });
    expect((await recorded()).asked).toBe(0);

    // Before she turns them on, a mention shows in the bell only.
    await mention(jonas.page, id, '@Priya', 'Priya Shah', 'first');
    await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
    expect(await recorded()).toEqual({ shown: [], asked: 0, tones: 0 });

    await bell.click();
    await page.getByText('Notification settings').click();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Turn on desktop notifications' }).click();
    await expect(page.getByText('Desktop notifications are on in this browser.')).toBeVisible();
    expect((await recorded()).asked).toBe(1);
    const sound = page.getByRole('checkbox', { name: 'Play a sound' });
    await expect(sound).not.toBeChecked();
    await sound.check();
    await expect(sound).toBeChecked();
    await expect.poll(async () => (await recorded()).tones).toBe(1); // the sample tone
    await page.keyboard.press('Escape');

    await mention(jonas.page, id, 'Again @Priya', 'Priya Shah', 'second');
    await expect(bell).toHaveAccessibleName('Notifications, 2 unread');
    await expect.poll(async () => (await recorded()).shown.length).toBe(1);
    const [shown] = (await recorded()).shown;
    expect(shown.title).toMatch(/^Jonas Weber mentioned you · Desktop Customer/);
    expect(shown.body).toBe('Again @Priya Shah second');
    expect(shown.tag).toMatch(/^convoroom-\d+$/);
    expect((await recorded()).tones).toBe(2);

    // Mentions switched off: saved on Priya, so a reload keeps it, and no notification comes.
    await bell.click();
    await page.getByText('Notification settings').click();
    await page.getByRole('checkbox', { name: 'Mentions in notes' }).uncheck();
    await page.reload();
    await bell.click();
    await page.getByText('Notification settings').click();
    await expect(page.getByRole('checkbox', { name: 'Mentions in notes' })).not.toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Play a sound' })).toBeChecked();
    await page.keyboard.press('Escape');
    await mention(jonas.page, id, 'Third @Priya', 'Priya Shah', 'silent');
    await expect(jonas.page.getByRole('log', { name: 'Messages' })).toContainText('Third @Priya Shah silent');
    await page.waitForTimeout(1000);
    await expect(bell).toHaveAccessibleName('Notifications, 2 unread');

    // Back to the defaults for the other tests; Mark all as read empties the bell.
    await bell.click();
    await page.getByText('Notification settings').click();
    await page.getByRole('checkbox', { name: 'Mentions in notes' }).check();
    await expect(page.getByRole('checkbox', { name: 'Mentions in notes' })).toBeEnabled();
    await page.getByRole('checkbox', { name: 'Play a sound' }).uncheck();
    await expect(page.getByRole('checkbox', { name: 'Play a sound' })).toBeEnabled();
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await expect(bell).toHaveAccessibleName('Notifications');
  } finally {
    await jonas.close();
    await priya.close();
  }
});

test('an admin sets a team’s waiting alert in Settings → Teams', async ({ page, signIn, expectNoAxeViolations }) => {
  await signIn(page);
  await page.goto('/settings/teams');
  const support = page.getByRole('group', { name: 'Support', exact: true });
  const minutes = support.getByRole('spinbutton', { name: 'Alert when a customer waits longer than (minutes)' });
  const save = support.getByRole('button', { name: 'Save the waiting alert of Support' });
  const saving = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/teams/1') && r.request().method() === 'PATCH' && r.ok());
  await minutes.fill('0');
  await save.click();
  await expect(support.getByRole('alert')).toContainText('between 1 and 1440 minutes');
  await minutes.fill('15');
  await Promise.all([saving(), save.click()]);
  await expectNoAxeViolations(page);
  await page.reload();
  await expect(minutes).toHaveValue('15');
  await minutes.fill('');
  await Promise.all([saving(), save.click()]);
  await page.reload();
  await expect(minutes).toHaveValue('');
});
