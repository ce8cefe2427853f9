import { test, expect } from './fixtures';

// The chat view: replies and notes, drafts, failed sends, live inbound messages.

async function openFirstConversation(page: import('@playwright/test').Page) {
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await list.getByRole('option').first().click();
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  await expect(page.getByText('Loading messages…')).toBeHidden();
}

test('send a reply and an internal note', async ({ page, signIn, expectNoAxeViolations, saveScreenshot }) => {
  await signIn(page);
  await openFirstConversation(page);
  const log = page.getByRole('log', { name: 'Messages' });
  const box = page.getByRole('textbox', { name: 'Message' });

  const reply = `Reply ${Date.now()}: your order ships today.`;
  await box.fill(reply);
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect(log.getByRole('article', { name: 'Reply' }).filter({ hasText: reply })).toBeVisible();

  await page.getByRole('button', { name: 'Internal note' }).click();
  await expect(page.getByRole('button', { name: 'Internal note' })).toHaveAttribute('aria-pressed', 'true');
  const note = `Note ${Date.now()}: customer is a VIP`;
  await box.fill(note);
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await page.getByRole('button', { name: 'Add note' }).click();
  const noteBubble = log.getByRole('article', { name: 'Internal note' }).filter({ hasText: note });
  await expect(noteBubble).toContainText('second line');
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'chat-after-send');

  // Both are stored: they come back after a reload, once each.
  await page.reload();
  await expect(log.getByText(reply)).toHaveCount(1);
  await expect(log.getByRole('article', { name: 'Internal note' }).filter({ hasText: note })).toHaveCount(1);
});

test('a draft survives a reload, per conversation and mode', async ({ page, signIn }) => {
  await signIn(page);
  await openFirstConversation(page);
  const box = page.getByRole('textbox', { name: 'Message' });
  const draft = `Draft ${Date.now()}`;
  await box.fill(draft);
  await page.reload();
  await expect(box).toHaveValue(draft);
  await page.getByRole('button', { name: 'Internal note' }).click();
  await expect(box).toHaveValue('');
  await page.getByRole('button', { name: 'Reply', exact: true }).click();
  await expect(box).toHaveValue(draft);
  await box.fill('');
});

test('a send that fails stays in the log and goes out on Retry', async ({ page, signIn }) => {
  await signIn(page);
  await openFirstConversation(page);
  const log = page.getByRole('log', { name: 'Messages' });
  const box = page.getByRole('textbox', { name: 'Message' });

  await page.route('**/api/v1/conversations/*/messages', (route) =>
    route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
  );
  const text = `Offline reply ${Date.now()}`;
  await box.fill(text);
  await box.press('Enter');
  const failed = log.getByRole('article', { name: 'Reply, not sent yet' }).filter({ hasText: text });
  await expect(failed.getByRole('alert')).toContainText('Not sent');
  // Worded for a person: what happened and that nothing is lost, not the browser's error text.
  await expect(failed.getByRole('alert')).toContainText("Can't reach Convoroom — your message is saved and will be sent when you're back online.");
  await expect(failed.getByRole('alert')).not.toContainText('TypeError');

  // Nothing is lost across a reload while it is unsent. Once the event stream is live again
  // the app tries it by itself (refused again here), and Retry stays.
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(failed.getByRole('alert')).toContainText('Not sent');
  await expect(failed.getByRole('button', { name: 'Retry' })).toBeVisible();

  await page.unroute('**/api/v1/conversations/*/messages');
  // Retry by hand (an automatic attempt racing with the unroute would deliver it too).
  await failed.getByRole('button', { name: 'Retry' }).click({ timeout: 5_000 }).catch(() => {});
  await expect(log.getByRole('article', { name: 'Reply' }).filter({ hasText: text })).toBeVisible();
  await expect(failed).toHaveCount(0);
  await page.reload();
  await expect(log.getByText(text)).toHaveCount(1);
});

test('an inbound message appears live and moves its conversation to the top', async ({ page, signIn, api }) => {
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const inbound = await api.createInboundToken();
  const from = `+1555${Date.now() % 10_000_000}`;
  const body = `Hello from ${from}, is my parcel lost?`;
  await api.postInbound(inbound, { channel: 'sms', from, name: `Live Tester ${from}`, body });
  const row = list.getByRole('option').first();
  await expect(row).toContainText(`Live Tester ${from}`);
  await expect(row).toContainText('is my parcel lost?');

  // With the conversation open, the next message lands in the log without a reload.
  await row.click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByText(body)).toBeVisible();
  await api.postInbound(inbound, { channel: 'sms', from, body: 'Found it, thanks!' });
  await expect(log.getByText('Found it, thanks!')).toBeVisible();
  await expect(list.getByRole('option').first()).toContainText('Found it, thanks!');
});

test('dark theme and a narrow window pass the same checks', async ({ page, signIn, expectNoAxeViolations, saveScreenshot }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 420, height: 860 });
  await signIn(page);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'narrow-dark-list');
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeHidden();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'narrow-dark-chat');
  await page.getByRole('button', { name: 'Back to conversations' }).click();
  await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
});

test('another agent viewing the same conversation is shown', async ({ page, signIn, api, browser }) => {
  const inbound = await api.createInboundToken();
  const from = `+1222${Date.now() % 10_000_000}`;
  const accepted = await api.postInbound(inbound, { channel: 'sms', from, name: `Presence ${from}`, body: 'Anyone there?' });
  await signIn(page);
  await page.goto(`/conversations/${accepted.conversation_id}`);
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();

  // Priya (Support + Sales) opens it in another browser.
  const other = await browser.newPage();
  await other.goto(page.url());
  await signIn(other, 'priya@example.com');
  await expect(other.getByRole('log', { name: 'Messages' })).toBeVisible();
  // Both in the chat header and in the details panel's Handled by section.
  await expect(page.getByRole('region', { name: 'Conversation', exact: true }).getByRole('status').filter({ hasText: 'Priya Shah is also viewing' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Handled by' }).getByRole('status')).toHaveText('Priya Shah is also viewing');
  await other.close();
});

test('a long conversation keeps a bounded window of bubbles and scrolls through all of its history', async ({ page, signIn, api }) => {
  test.setTimeout(180_000);
  const inbound = await api.createInboundToken();
  const from = `+1777${Date.now() % 10_000_000}`;
  const total = 600;
  let id = '';
  for (let i = 1; i <= total; i++) {
    const accepted = await api.postInbound(inbound, { channel: 'sms', from, name: `Long Talker ${from}`, body: `Message number ${i}` });
    id = accepted.conversation_id as string;
  }
  await signIn(page);
  await page.goto(`/conversations/${id}`);
  const log = page.getByRole('log', { name: 'Messages' });
  const message = (n: number) => log.getByText(`Message number ${n}`, { exact: true });
  const bubbles = () => log.getByRole('article').count();
  await expect(message(total)).toBeVisible();

  // Up to the first message: older pages load, the far end leaves the DOM.
  for (let i = 0; i < 80 && !(await log.getByText('Beginning of the conversation').isVisible()); i++) {
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(150);
    expect(await bubbles()).toBeLessThanOrEqual(250);
  }
  await expect(message(1)).toBeVisible();
  await expect(message(total)).toHaveCount(0);
  // Reading down from the top a little at a time: the page moves, the window holds.
  for (let i = 0; i < 5; i++) {
    await log.evaluate((el) => { el.scrollTop += 300; });
    await page.waitForTimeout(100);
  }
  expect(await log.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
  expect(await bubbles()).toBeGreaterThan(100);

  // Down again to the latest by scrolling alone, 400 px a frame without pause, as a wheel
  // would: the window keeps moving even where the scroller sits at its end.
  const most = await log.evaluate(async (el) => {
    let most = 0;
    for (let frame = 0, stalled = 0; frame < 3000 && stalled < 30; frame++) {
      await new Promise((r) => requestAnimationFrame(r));
      const before = el.scrollTop;
      el.scrollTop = before + 400;
      most = Math.max(most, el.querySelectorAll('article').length);
      stalled = el.scrollTop === before ? stalled + 1 : 0;
      if (stalled > 0 && !document.querySelector('.jump-latest')) break;
    }
    return most;
  });
  expect(most).toBeLessThanOrEqual(250);
  await expect(message(total)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeHidden();
  await expect(message(1)).toHaveCount(0);

  // And from the middle of the history, "Jump to latest".
  await log.evaluate((el) => { el.scrollTop = 0; });
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
  for (let i = 0; i < 4; i++) {
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(150);
  }
  await page.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(message(total)).toBeVisible();
});
