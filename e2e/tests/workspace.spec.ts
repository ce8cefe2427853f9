import { test, expect } from './fixtures';

// Sign-in, the conversation list (tabs, filters, search, keyboard) and accessibility.

test('sign in, see real conversations, sign out', async ({ page, expectNoAxeViolations, saveScreenshot }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel('Email').fill('maya@example.com');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match");

  await page.getByLabel('Password').fill('demo1234');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await expect(page.getByText('Maya Patel', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expectNoAxeViolations(page);
  await saveScreenshot(page, 'workspace-list');

  // The session survives a reload.
  await page.reload();
  await expect(list.getByRole('option').first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('ownership tabs, filters and search narrow the list and live in the URL', async ({ page, signIn }) => {
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });

  const mine = page.getByRole('tab', { name: /Mine/ });
  await mine.click();
  await expect(mine).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/ownership=mine/);
  for (const row of await list.getByRole('option').all()) {
    await expect(row).toContainText('Maya Patel');
  }

  await page.getByRole('tab', { name: /All/ }).click();
  await page.getByRole('button', { name: 'More filters' }).click();
  await page.getByRole('combobox', { name: 'Channel' }).selectOption('voice');
  await expect(page).toHaveURL(/channel=voice/);
  await expect(list.getByRole('option').first()).toBeVisible();
  for (const row of (await list.getByRole('option').all()).slice(0, 5)) {
    await expect(row.getByRole('img', { name: 'Voice call' })).toBeVisible();
  }

  // Search by the name of a conversation that is in the list.
  await page.getByRole('combobox', { name: 'Channel' }).selectOption('');
  const first = list.getByRole('option').first();
  const name = (await first.locator('.row__name').textContent())!.trim();
  const word = name.split(/\s+/).pop()!;
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill(word);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(word)}`));
  await expect(list.getByRole('option').first()).toContainText(word);

  // The filter is in the URL: back undoes the search.
  await page.goBack();
  await expect(page).not.toHaveURL(/q=/);

  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('zzqqxx-no-such-thing');
  await expect(page.getByText(/No conversations match/)).toBeVisible();
});

test('keyboard only: search, move, open, shortcuts', async ({ page, signIn, expectNoAxeViolations }) => {
  await signIn(page);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search conversations' })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox', { name: 'Search conversations' }).blur();

  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/conversations\/\d+/);
  await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();

  await page.keyboard.press('r');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await page.getByRole('textbox', { name: 'Message' }).blur();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The list itself is a listbox driven by arrow keys.
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(list.locator('[aria-selected=true]')).toHaveCount(1);
});

test('the list stays windowed however far it scrolls', async ({ page, signIn }) => {
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await page.getByRole('combobox', { name: 'Status' }).selectOption('any');
  await expect(list.getByRole('option').first()).toBeVisible();
  const viewport = page.locator('.list-viewport');
  for (let i = 0; i < 8; i++) {
    await viewport.evaluate((el) => el.scrollBy(0, 2000));
    await page.waitForTimeout(150);
  }
  const rendered = await list.getByRole('option').count();
  const setSize = Number(await list.getByRole('option').first().getAttribute('aria-setsize'));
  expect(setSize).toBeGreaterThan(50);
  expect(rendered).toBeLessThan(40);
});

test('bulk select: assign, label and resolve several conversations at once', async ({ page, signIn, api, expectNoAxeViolations }) => {
  const inbound = await api.createInboundToken();
  const stamp = Date.now() % 10_000_000;
  for (const n of [1, 2]) {
    await api.postInbound(inbound, { channel: 'live_chat', from: `bulk-${stamp}-${n}`, name: `Bulk ${stamp} ${n}`, body: 'Hi there' });
  }
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill(`Bulk ${stamp}`);
  await expect(list.getByRole('option')).toHaveCount(2);

  await page.getByRole('button', { name: 'Select', exact: true }).click();
  const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
  await bar.getByRole('button', { name: 'Select all loaded' }).click();
  await expect(bar).toContainText('2 selected');
  await expect(list).toHaveAttribute('aria-multiselectable', 'true');
  await expectNoAxeViolations(page);

  await bar.getByRole('combobox', { name: 'Assign selected to' }).selectOption({ label: 'Priya Shah' });
  await expect(bar.getByRole('status')).toContainText('Updated 2 conversations');
  await expect(list.getByRole('option').first()).toContainText('Priya Shah');

  await list.getByRole('option').first().click();
  await list.getByRole('option').nth(1).click();
  await bar.getByRole('combobox', { name: 'Label for selected' }).fill('vip');
  await bar.getByRole('button', { name: 'Add label' }).click();
  await expect(list.getByRole('option').first()).toContainText('vip');
  await expect(list.getByRole('option').nth(1)).toContainText('vip');

  await bar.getByRole('button', { name: 'Select all loaded' }).click();
  await bar.getByRole('combobox', { name: 'Set status of selected' }).selectOption('resolved');
  // A search looks through every status (#22): the two stay in the list, now resolved.
  await expect(list.getByRole('option').filter({ hasText: 'Resolved' })).toHaveCount(2);
  await bar.getByRole('button', { name: 'Done' }).click();
  await expect(bar).toBeHidden();
});

test('start an outgoing conversation with a contact', async ({ page, signIn, api, expectNoAxeViolations }) => {
  // A seeded customer with an email address (an email conversation needs one).
  const token = await api.signIn();
  const contacts = (await api.get('/api/v1/contacts?limit=50', token)) as { items: Array<{ name: string; email?: string; known: boolean }> };
  const contact = contacts.items.find((c) => c.known && c.email)!;
  await signIn(page);
  await page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('searchbox', { name: 'Contact' }).fill(contact.email!);
  await dialog.getByRole('radio', { name: new RegExp(contact.name) }).first().check();
  await dialog.getByRole('combobox', { name: 'Channel' }).selectOption('email');
  const text = `Following up on your request ${Date.now()}`;
  await dialog.getByRole('textbox', { name: 'First message (optional)' }).fill(text);
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('log', { name: 'Messages' }).getByText(text)).toBeVisible();
  await expect(page.getByRole('img', { name: 'Email' }).first()).toBeVisible();
});

test('a reload asks for the workspace and the first page once each, fetched while the app loads', async ({ page, signIn }) => {
  await signIn(page);
  const list = page.getByRole('listbox', { name: 'Conversations' });
  const apiGet = (request: import('@playwright/test').Request) => {
    const url = new URL(request.url());
    // gloo-net ends every query it builds with a stray `&` (its empty parameter list): ignore it.
    const search = url.search.replace(/&$/, '');
    return request.method() === 'GET' && url.pathname.startsWith('/api/v1/') ? url.pathname.slice('/api/v1'.length) + search : null;
  };
  let recorded: string[] = [];
  page.on('request', (request) => { const path = apiGet(request); if (path) recorded.push(path); });
  const recordApiGets = () => (recorded = []);
  const lists = (paths: string[]) => paths.filter((p) => p.startsWith('/conversations?'));

  // The WebAssembly is held back until both requests have gone out: without the boot
  // script's prefetch nothing would ask for them first, and the reload would never finish.
  const prefetched = Promise.all(['/workspace', '/conversations?'].map((start) =>
    page.waitForRequest((request) => apiGet(request)?.startsWith(start) ?? false)));
  await page.route('**/*.wasm', async (route) => {
    await prefetched;
    await route.continue();
  });
  const onDefaultList = recordApiGets();
  await page.reload();
  await expect(list.getByRole('option').first()).toBeVisible();
  expect(onDefaultList.filter((p) => p === '/workspace')).toHaveLength(1);
  expect(lists(onDefaultList)).toEqual(['/conversations?ownership=all&status=open']);
  await page.unroute('**/*.wasm');

  // Another filter in the address: the default page is not requested, the filtered one once.
  const onFilteredList = recordApiGets();
  await page.goto('/conversations?status=resolved');
  await expect(list.getByRole('option').first()).toBeVisible();
  expect(onFilteredList.filter((p) => p === '/workspace')).toHaveLength(1);
  expect(lists(onFilteredList)).toEqual(['/conversations?ownership=all&status=resolved']);

  // Signed out, there is no token to send: nothing is prefetched.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const signedOut = recordApiGets();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(signedOut.filter((p) => p === '/workspace' || p.startsWith('/conversations'))).toEqual([]);
});
