import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

// Attachments (issue #23): files by button, paste and drop; the limits said before anything is
// uploaded and refusals in words; progress and cancel; thumbnails; the message sent with its
// files through the outbox; images shown and files downloaded in the log; a reload and a failed
// upload lose nothing.

// A real 16×16 PNG (blue), so the log's image can be checked to have decoded.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGUlEQVR42mOQqzjxnxLMMGrAqAGjBgwXAwC6dV0fvWPKTgAAAABJRU5ErkJggg==',
  'base64',
);

async function conversation(page: Page, api: import('./fixtures').Api, signIn: (page: Page) => Promise<void>, label: string) {
  const inbound = await api.createInboundToken();
  const from = `${label}${Date.now() % 10_000_000}@example.com`;
  const accepted = await api.postInbound(inbound, { channel: 'email', from, name: `Files ${label}`, body: 'Here is my problem', team_id: '1' });
  await signIn(page);
  await page.goto(`/conversations/${accepted.conversation_id as string}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return accepted.conversation_id as string;
}

async function pick(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach' }).click();
  await (await chooser).setFiles(files);
}

/** Dispatches a paste or a drop carrying files, as the browser does for the clipboard or a drag. */
async function carry(page: Page, how: 'paste' | 'drop', target: string, name: string, type: string, text: string) {
  await page.evaluate(({ how, target, name, type, text }) => {
    const data = new DataTransfer();
    data.items.add(new File([text], name, { type }));
    const element = document.querySelector(target)!;
    if (how === 'paste') {
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    } else {
      element.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      element.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, { how, target, name, type, text });
}

test('files by button, paste and drop, within the limits, sent with the reply and shown in the log', async ({ page, signIn, api, expectNoAxeViolations, saveScreenshot }) => {
  const id = await conversation(page, api, signIn, 'attach');
  const attach = page.getByRole('button', { name: 'Attach' });
  // The limits are said before anything is picked.
  await expect(attach).toHaveAccessibleDescription('Up to 5 files, 10 MB each: images, PDF, text, CSV, ZIP, Word, Excel or audio');

  // What is refused is refused in words, before any upload.
  await pick(page, [
    { name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
    { name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1024 * 1024, 1) },
  ]);
  await expect(page.getByRole('alert').filter({ hasText: "tool.exe can't be attached" })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'huge.pdf is larger than 10 MB.' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Attached files' })).toHaveCount(0);

  await pick(page, [
    { name: 'screenshot.png', mimeType: 'image/png', buffer: PNG },
    { name: 'steps.txt', mimeType: 'text/plain', buffer: Buffer.from('1. open 2. click') },
  ]);
  const tray = page.getByRole('list', { name: 'Attached files' });
  await expect(tray.getByRole('listitem')).toHaveCount(2);
  // Uploaded: the progress bar is gone and Cancel became Remove.
  await expect(tray.getByRole('button', { name: 'Remove screenshot.png' })).toBeVisible();
  await expect(tray.getByRole('button', { name: 'Remove steps.txt' })).toBeVisible();
  await expect(tray.getByRole('progressbar')).toHaveCount(0);
  await expect(tray.locator('img')).toHaveCount(1);

  // Paste and drop, the same way in.
  await carry(page, 'paste', '#composer-input', 'pasted.txt', 'text/plain', 'from the clipboard');
  await carry(page, 'drop', '.composer', 'dropped.csv', 'text/csv', 'a,b\n1,2');
  await expect(tray.getByRole('listitem')).toHaveCount(4);
  await expect(tray.getByRole('button', { name: 'Remove dropped.csv' })).toBeVisible();
  // The limits show with the files, and the sixth is refused.
  await expect(page.getByText('Up to 5 files, 10 MB each', { exact: false })).toBeVisible();
  await pick(page, [
    { name: 'five.txt', mimeType: 'text/plain', buffer: Buffer.from('5') },
    { name: 'six.txt', mimeType: 'text/plain', buffer: Buffer.from('6') },
  ]);
  await expect(page.getByRole('alert').filter({ hasText: 'six.txt was not attached: at most 5 files' })).toBeVisible();
  await tray.getByRole('button', { name: 'Remove five.txt' }).click();
  await tray.getByRole('button', { name: 'Remove pasted.txt' }).click();
  await expect(tray.getByRole('listitem')).toHaveCount(3);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'attachments-composer');

  // A reload keeps the files, thumbnails and all.
  await page.getByRole('textbox', { name: 'Message' }).fill('The files you asked for');
  await page.reload();
  await expect(tray.getByRole('listitem')).toHaveCount(3);
  await expect(tray.locator('img')).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('The files you asked for');

  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(tray).toHaveCount(0);
  const log = page.getByRole('log', { name: 'Messages' });
  const sent = log.getByRole('article', { name: 'Reply' }).filter({ hasText: 'The files you asked for' });
  await expect(sent.getByRole('img', { name: 'screenshot.png' })).toBeVisible();
  await expect(sent.getByRole('button', { name: 'Download steps.txt 16 B' })).toBeVisible();
  // The image is a real picture loaded with the agent's token, not a broken link.
  await expect.poll(() => sent.getByRole('img', { name: 'screenshot.png' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
  const download = page.waitForEvent('download');
  await sent.getByRole('button', { name: /^Download dropped\.csv/ }).click();
  expect((await download).suggestedFilename()).toBe('dropped.csv');
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'attachments-log');

  // Once on the server, with the files; the URL needs the token.
  const messages = await api.get(`/api/v1/conversations/${id}/messages?limit=10`, await api.signIn()) as { items: { body: string; attachments?: { name: string; url: string }[] }[] };
  const stored = messages.items.filter((m) => m.body === 'The files you asked for');
  expect(stored).toHaveLength(1);
  expect(stored[0].attachments!.map((a) => a.name)).toEqual(['screenshot.png', 'steps.txt', 'dropped.csv']);
  const anonymous = await page.request.get(stored[0].attachments![0].url);
  expect(anonymous.status()).toBe(401);
});

test('an upload can be cancelled, and a failed one goes up with the message from the outbox', async ({ page, signIn, api }) => {
  const id = await conversation(page, api, signIn, 'cancel');
  const tray = page.getByRole('list', { name: 'Attached files' });
  // A slow line (Chromium's network emulation: 64 KB/s up), so a 2 MB file is still going up,
  // with its progress moving, when the agent cancels.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
  const slow = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 32)]);
  await pick(page, [{ name: 'slow.pdf', mimeType: 'application/pdf', buffer: slow }]);
  const bar = tray.getByRole('progressbar', { name: 'Uploading slow.pdf' });
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 15_000 }).toBeGreaterThan(0);
  await tray.getByRole('button', { name: 'Cancel upload of slow.pdf' }).click();
  await expect(tray).toHaveCount(0);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // The network fails: the file stays, the message waits in the outbox with it, a reload keeps
  // both, and Retry sends them once the network is back.
  await page.route('**/api/v1/uploads?**', (route) => route.abort());
  await pick(page, [{ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 receipt') }]);
  await expect(tray.getByText(/the file is kept and goes up when you send/)).toBeVisible();
  await page.getByRole('textbox', { name: 'Message' }).fill('Your receipt');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const log = page.getByRole('log', { name: 'Messages' });
  const pending = log.getByRole('article', { name: 'Reply, not sent yet' });
  await expect(pending.getByRole('list', { name: 'Files' })).toContainText('receipt.pdf');
  await expect(pending.getByRole('button', { name: 'Retry' })).toBeVisible();
  await page.reload();
  await expect(pending.getByRole('list', { name: 'Files' })).toContainText('receipt.pdf');
  // Back online, the outbox tries again by itself (and fails again while uploads still fail).
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(pending.getByRole('button', { name: 'Retry' })).toBeVisible();
  await page.unroute('**/api/v1/uploads?**');
  await pending.getByRole('button', { name: 'Retry' }).click();
  await expect(pending).toHaveCount(0);
  const sent = log.getByRole('article', { name: 'Reply' }).filter({ hasText: 'Your receipt' });
  await expect(sent.getByRole('button', { name: /^Download receipt\.pdf/ })).toBeVisible();
  const messages = await api.get(`/api/v1/conversations/${id}/messages?limit=10`, await api.signIn()) as { items: { body: string; attachments?: unknown[] }[] };
  expect(messages.items.filter((m) => m.body === 'Your receipt').map((m) => m.attachments?.length)).toEqual([1]);
});
