import { test, expect } from './fixtures';

// Views (table mode): saved filters shown as a table with chosen columns, a play button for
// call recordings, live rows, and create / edit / delete.

test('create a view, play a recording from its table, see a new call arrive live, edit and delete it', async ({
  page,
  signIn,
  api,
  expectNoAxeViolations,
  saveScreenshot,
}) => {
  const inbound = await api.createInboundToken();
  const stamp = Date.now() % 10_000_000;
  const caller = `Table Caller ${stamp}`;
  const call = { outcome: 'answered' as const, duration_seconds: 95, recording_url: '/media/recordings/1.wav' };
  const accepted = await api.postInbound(inbound, { channel: 'voice', from: `+1555${stamp}`, name: caller, body: '', call });
  const conversationId = String(accepted.conversation_id);

  await signIn(page);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Views' }).click();
  const views = page.getByRole('navigation', { name: 'Views' });
  // Every demo agent starts with two saved views.
  await expect(views.getByRole('link', { name: 'Call log' })).toBeVisible();
  await expect(views.getByRole('link', { name: 'Refund requests' })).toBeVisible();
  await expect(page.getByText('Choose a view')).toBeVisible();

  // Create: a name, two filters, columns added and removed; the id column cannot be removed.
  await page.getByRole('button', { name: 'New view' }).click();
  const editor = page.getByRole('dialog', { name: 'New view' });
  const name = `Voice calls ${stamp}`;
  await editor.getByRole('textbox', { name: 'Name' }).fill(name);
  await editor.getByRole('combobox', { name: 'Channel' }).selectOption({ label: 'Voice call' });
  await editor.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Newest' });
  await expect(editor.getByRole('checkbox', { name: /Conversation ID/ })).toBeChecked();
  await expect(editor.getByRole('checkbox', { name: /Conversation ID/ })).toBeDisabled();
  await editor.getByRole('checkbox', { name: 'Created' }).uncheck();
  await editor.getByRole('checkbox', { name: 'Direction' }).check();
  await editor.getByRole('checkbox', { name: 'Hangup source' }).check();
  await expectNoAxeViolations(page);
  await editor.getByRole('button', { name: 'Save view' }).click();
  await expect(editor).toBeHidden();

  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(views.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
  const table = page.getByRole('table', { name });
  // In the order they were chosen (the editor can reorder them: views-columns.spec.ts).
  await expect(table.getByRole('columnheader')).toHaveText([
    'Conversation ID',
    'Customer name',
    'Agent',
    'Channel',
    'Direction',
    'Hangup source',
  ]);
  const row = table.getByRole('row').filter({ hasText: caller });
  await expect(row).toContainText('Voice call');
  await expect(row).toContainText('Incoming');
  await expect(table.getByRole('row').nth(1)).toContainText(caller); // newest first

  // The recording plays from the row, without opening the conversation.
  await row.getByRole('button', { name: `Play recording of conversation ${conversationId}` }).click();
  const pause = row.getByRole('button', { name: `Pause recording of conversation ${conversationId}` });
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => page.locator('audio').evaluate((a: HTMLAudioElement) => a.paused)).toBe(false);
  await pause.click();
  await expect(row.getByRole('button', { name: `Play recording of conversation ${conversationId}` })).toHaveAttribute('aria-pressed', 'false');

  // A new call arrives while the table is open: it appears at the top without a reload.
  const total = page.getByRole('status').filter({ hasText: / conversations?$/ });
  const before = parseInt((await total.textContent()) ?? '', 10);
  const second = `Live Caller ${stamp}`;
  await api.postInbound(inbound, { channel: 'voice', from: `+1556${stamp}`, name: second, body: '', call });
  await expect(table.getByRole('row').nth(1)).toContainText(second);
  await expect(total).toHaveText(`${before + 1} conversations`);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'views-table');

  // Edit: rename and add a column; the table follows, and a reload keeps it (deep link).
  await page.getByRole('button', { name: 'Edit view' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit view' });
  await expect(edit.getByRole('textbox', { name: 'Name' })).toHaveValue(name);
  await expect(edit.getByRole('combobox', { name: 'Channel' })).toHaveValue('voice');
  const renamed = `${name} (CSAT)`;
  await edit.getByRole('textbox', { name: 'Name' }).fill(renamed);
  await edit.getByRole('checkbox', { name: 'CSAT' }).check();
  await edit.getByRole('button', { name: 'Save view' }).click();
  const renamedTable = page.getByRole('table', { name: renamed });
  await expect(renamedTable.getByRole('columnheader', { name: 'CSAT' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('table', { name: renamed }).getByRole('columnheader')).toHaveCount(7);

  // The id opens the conversation; back returns to the table.
  await page.getByRole('table', { name: renamed }).getByRole('link', { name: `#${conversationId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/conversations/${conversationId}\\?`));
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('table', { name: renamed })).toBeVisible();

  // Delete, after a confirmation.
  await page.getByRole('button', { name: 'Delete view' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete the view “${renamed}”?` });
  await confirm.getByRole('button', { name: 'Delete view' }).click();
  await expect(views.getByRole('link', { name: renamed })).toHaveCount(0);
  await expect(page).toHaveURL(/\/views$/);
  const left = await api.get(`/api/v1/views`, await api.signIn());
  expect((left as { name: string }[]).map((v) => v.name)).not.toContain(renamed);
});

test('a view needs a name, and the table works on a narrow window in dark mode', async ({ page, signIn, expectNoAxeViolations, saveScreenshot }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 800 });
  await signIn(page);
  await page.getByRole('link', { name: 'Views' }).click();
  await page.getByRole('button', { name: 'New view' }).click();
  const editor = page.getByRole('dialog', { name: 'New view' });
  await editor.getByRole('button', { name: 'Save view' }).click();
  await expect(editor.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByText('Give the view a name.')).toBeVisible();
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toBeHidden();

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Call log' }).click();
  const table = page.getByRole('table', { name: 'Call log' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  // The table scrolls sideways inside its pane; the page itself never does.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'views-narrow-dark');
});
