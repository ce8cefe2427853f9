import { test, expect } from './fixtures';
import { signIn } from './fixtures';

// Every agent's own profile (issue #21): a new agent renames themselves, chooses a picture and
// changes the temporary password they were given; the wrong current password is refused; their
// other browser is signed out; the new password signs in.

const unique = () => `${Date.now() % 100_000_000}${Math.floor(Math.random() * 100)}`;

// A 2×2 PNG (red, green, blue, white).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC',
  'base64',
);

test('an agent changes their own name, picture and password', async ({ page, browser, api, expectNoAxeViolations, saveScreenshot }) => {
  const stamp = unique();
  const email = `newcomer.${stamp}@example.com`;
  const admin = await api.signIn();
  const created = await page.request.post('/api/v1/agents', {
    headers: { Authorization: `Bearer ${admin}` },
    data: { name: `Newcomer ${stamp}`, email, team_ids: ['1'] },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const temporary = ((await created.json()) as { temporary_password: string }).temporary_password;

  // The same agent is also signed in in another browser.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  try {
    await signIn(other, email, temporary);
    await signIn(page, email, temporary);

    await page.getByRole('banner').getByRole('button', { name: `Newcomer ${stamp}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Your profile' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(`Noor Haddad ${stamp}`);
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Name saved.');
    await expect(page.getByRole('banner').getByRole('button', { name: `Noor Haddad ${stamp}`, exact: true })).toBeVisible();

    // A picture, made small in the browser: shown in the top bar at once.
    await dialog.getByText('Choose picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await expect(dialog.getByText('Picture saved.')).toBeVisible();
    await expect(page.getByRole('banner').locator('img.avatar--picture')).toHaveAttribute('src', /^data:image\/jpeg;base64,/);
    // Something that is not a picture is refused before anything is sent.
    await dialog.getByText('Choose picture').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect(dialog.getByRole('alert')).toHaveText('Choose a PNG, JPEG, WebP or GIF picture.');

    // The password: the wrong current one is refused; then it changes.
    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password', { exact: true }).fill('a much better secret');
    await dialog.getByLabel('New password again').fill('a much better secret');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect(dialog.getByRole('alert').filter({ hasText: 'password' })).toHaveText('Not saved. Your current password is not right');
    await dialog.getByLabel('Current password').fill(temporary);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect(dialog.getByText('Password changed.')).toBeVisible();
    await expect(dialog.getByLabel('Current password')).toHaveValue('');
    await expectNoAxeViolations(page);
    await saveScreenshot(page, 'profile');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // This browser stays signed in; the other one is signed out within seconds.
    await expect(page.getByRole('listbox', { name: 'Conversations' })).toBeVisible();
    await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
    await signIn(other, email, 'a much better secret');
    await expect(other.getByRole('banner').getByRole('button', { name: `Noor Haddad ${stamp}`, exact: true })).toBeVisible();
  } finally {
    await otherContext.close();
  }
});
