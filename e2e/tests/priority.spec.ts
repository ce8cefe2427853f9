import { test, expect } from './fixtures';
import type { Locator } from '@playwright/test';

// Priority has one source, the conversation's priority field: set in the panel, shown on the
// list row, filtered and sorted in the list, and `priority::x` typed as a label sets it too.

/** 2 urgent, 1 high, 0 otherwise: what a row's priority chip says. */
async function rank(row: Locator): Promise<number> {
  const text = (await row.textContent()) ?? '';
  if (text.includes('Priority Urgent')) return 2;
  if (text.includes('Priority High')) return 1;
  return 0;
}

test('set the priority in the panel, see it on the row, filter and sort by it, and set it with a label', async ({
  page,
  signIn,
  api,
  expectNoAxeViolations,
  saveScreenshot,
}) => {
  const inbound = await api.createInboundToken();
  const from = `+1555${Date.now() % 10_000_000}`;
  const name = `Triage Tester ${from}`;
  await api.postInbound(inbound, { channel: 'whatsapp', from, name, body: 'My order never arrived' });

  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page);
  const listPane = page.getByRole('region', { name: 'Conversation list' });
  const list = listPane.getByRole('listbox', { name: 'Conversations' });
  const row = list.getByRole('option').filter({ hasText: name });
  await row.click();
  const panel = page.getByRole('complementary', { name: 'Conversation details' });
  const priority = panel.getByRole('combobox', { name: 'Priority' });
  await expect(priority).toHaveValue('none');
  await expect(row).not.toContainText('Priority');

  // Set in the panel: the row says it in words, and it survives a reload (the server has it).
  await priority.selectOption({ label: 'High' });
  await expect(row).toContainText('Priority High');
  await page.reload();
  await expect(priority).toHaveValue('high');
  await expect(row).toContainText('Priority High');

  // Filter: High keeps the row (and only high ones), Low drops it; the address keeps it.
  await listPane.getByRole('button', { name: /More filters/ }).click();
  const filter = listPane.getByRole('combobox', { name: 'Priority' });
  await filter.selectOption({ label: 'High' });
  await expect(page).toHaveURL(/[?&]priority=high(&|$)/);
  await expect(row).toBeVisible();
  for (const option of await list.getByRole('option').all()) {
    await expect(option).toContainText('Priority High');
  }
  await filter.selectOption({ label: 'Low' });
  await expect(row).toHaveCount(0);
  await filter.selectOption({ label: 'High or urgent' });
  await expect(row).toBeVisible();
  await page.reload();
  await listPane.getByRole('button', { name: 'More filters (1)' }).click();
  await expect(listPane.getByRole('combobox', { name: 'Priority' })).toHaveValue('high,urgent');
  await expect(row).toBeVisible();
  await listPane.getByRole('combobox', { name: 'Priority' }).selectOption({ label: 'Any priority' });

  // Sort: urgent first, then high (this row among them), then the rest.
  await listPane.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Priority' });
  await expect(page).toHaveURL(/[?&]sort=priority(&|$)/);
  await expect(row).toBeVisible();
  const shown = await list.getByRole('option').all();
  const ranks: number[] = [];
  for (const option of shown) ranks.push(await rank(option));
  expect(ranks[0]).toBeGreaterThan(0);
  expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  await expectNoAxeViolations(page);
  await priority.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'priority-1440-light');

  // A `priority::low` label is the priority field: the select says Low, no such label appears.
  const labels = panel.getByRole('list', { name: 'Conversation labels' });
  const added = page.waitForResponse((r) => r.url().includes('/labels') && r.request().method() === 'POST');
  await panel.getByRole('combobox', { name: 'Add label' }).fill('priority::low');
  await panel.getByRole('combobox', { name: 'Add label' }).press('Enter');
  expect((await added).ok()).toBe(true);
  await expect(priority).toHaveValue('low');
  await expect(priority.locator('option:checked')).toHaveText('Low');
  await expect(labels.getByRole('listitem').filter({ hasText: 'priority::' })).toHaveCount(0);
  await expect(row).not.toContainText('Priority High');
  await page.reload();
  await expect(priority).toHaveValue('low');
  await expect(labels.getByRole('listitem').filter({ hasText: 'priority::' })).toHaveCount(0);

  // Dark at 1280×720, then a phone: the list with its filters, then the panel.
  await priority.selectOption({ label: 'Urgent' });
  await expect(row).toContainText('Priority Urgent');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await listPane.getByRole('button', { name: /More filters/ }).click();
  await expect(listPane.getByRole('combobox', { name: 'Priority' })).toBeVisible();
  await expectNoAxeViolations(page);
  await priority.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'priority-1280-dark');

  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Back to conversations' }).click();
  await listPane.getByRole('combobox', { name: 'Priority' }).selectOption({ label: 'Urgent' });
  await expect(row).toContainText('Priority Urgent');
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'priority-390-list');
  await row.click();
  await page.getByRole('button', { name: 'Conversation details' }).click();
  await expect(priority).toHaveValue('urgent');
  await expectNoAxeViolations(page);
  await priority.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'priority-390-panel');
});
