import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';

// Every screen fits a phone: at 360 and 390 px wide nothing makes the page scroll sideways,
// in the light and the dark theme, and long names and labels end in an ellipsis with the
// whole text in a tooltip instead of pushing the row apart.

async function fitsTheWindow(page: Page, screen: string): Promise<void> {
  const [scrollWidth, clientWidth, scrollHeight, clientHeight, culprits] = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Inside a box that scrolls or clips sideways (a wide table, a row), overflow is that
    // box's business: it is checked where it matters (the row's time and channel below).
    const clipped = (el: Element) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX !== 'visible' || /paint|strict|content/.test(style.contain)) return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > width + 1 && getComputedStyle(el).visibility !== 'hidden' && !clipped(el);
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    const root = document.documentElement;
    return [root.scrollWidth, width, root.scrollHeight, root.clientHeight, wide] as const;
  });
  // The app is one screen: its panes scroll, the page never does.
  expect(scrollHeight, `${screen}: taller than the window`).toBeLessThanOrEqual(clientHeight);
  expect(scrollWidth, `${screen}: wider than the window (${culprits.join(', ')})`).toBeLessThanOrEqual(clientWidth);
  expect(culprits, `${screen}: elements past the right edge`).toEqual([]);
}

async function seeFits(page: Page, screen: string, saveScreenshot: (page: Page, name: string) => Promise<string>, width: number, theme: string) {
  await fitsTheWindow(page, screen);
  await saveScreenshot(page, `phone-${width}-${theme}-${screen}`);
}

for (const width of [360, 390]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`every screen fits a ${width} px phone (${theme})`, async ({ page, signIn, api, saveScreenshot, expectNoAxeViolations }) => {
      // A customer whose name and labels cannot break at a space.
      const inbound = await api.createInboundToken();
      const from = `+1777${Date.now() % 10_000_000}`;
      const name = `Wolfeschlegelsteinhausenbergerdorff${from}`;
      const accepted = await api.postInbound(inbound, { channel: 'whatsapp', from, name, body: 'A message that is long enough to wrap over several lines on a phone screen, with a link https://example.com/a/very/long/path/that/does/not/break/anywhere/at/all' });
      const id = accepted.conversation_id as string;
      const token = await api.signIn();
      for (const label of ['refundrequestwithaverylonglabelname', 'tier::platinum', 'feature request']) {
        const res = await page.request.post(`/api/v1/conversations/${id}/labels`, { headers: { Authorization: `Bearer ${token}` }, data: { label } });
        expect(res.ok()).toBeTruthy();
      }

      await page.setViewportSize({ width, height: 780 });
      await page.emulateMedia({ colorScheme: theme });
      await signIn(page);
      const list = page.getByRole('listbox', { name: 'Conversations' });
      const row = list.getByRole('option').filter({ hasText: name });
      await expect(row).toBeVisible();
      await seeFits(page, 'list', saveScreenshot, width, theme);
      // The name and the long label are cut with the whole text in a tooltip.
      await expect(row.getByText(name)).toHaveAttribute('title', name);
      await expect(row.getByText('refundrequestwithaverylonglabelname')).toHaveAttribute('title', 'refundrequestwithaverylonglabelname');
      await expectInside(row.getByRole('img', { name: 'WhatsApp' }), row);
      await expectInside(row.locator('time'), row);

      // More filters open.
      await page.getByRole('button', { name: 'More filters' }).click();
      await seeFits(page, 'filters', saveScreenshot, width, theme);
      await page.getByRole('button', { name: 'More filters' }).click();

      // The chat: header, messages and composer, with Resolve and Send on screen.
      await row.click();
      await expect(page.getByRole('log', { name: 'Messages' })).toBeVisible();
      await seeFits(page, 'chat', saveScreenshot, width, theme);
      await expectInside(page.getByRole('button', { name: 'Resolve' }), page.locator('body'));
      await expectInside(page.getByRole('button', { name: 'Send' }), page.locator('body'));
      // The snooze menu spans the phone's width under the header.
      await page.getByRole('button', { name: 'Snooze', exact: true }).click();
      const snoozeMenu = page.getByRole('menu', { name: 'Snooze until' });
      await expect(snoozeMenu).toBeVisible();
      await seeFits(page, 'snooze-menu', saveScreenshot, width, theme);
      await expectInside(snoozeMenu, page.locator('body'));
      await page.keyboard.press('Escape');
      await expect(snoozeMenu).toBeHidden();
      // The find bar under the header.
      await page.getByRole('button', { name: 'Find in conversation' }).click();
      await page.getByRole('searchbox', { name: 'Find in conversation' }).fill('message');
      await expect(page.getByRole('search', { name: 'Find in conversation' }).getByRole('status')).toHaveText(/of|No matches/);
      await seeFits(page, 'find', saveScreenshot, width, theme);
      await expectInside(page.getByRole('button', { name: 'Close find' }), page.locator('body'));
      await page.getByRole('searchbox', { name: 'Find in conversation' }).press('Escape');
      // The composer's canned responses: the / list, then the searchable one.
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('/');
      await expect(page.getByRole('listbox', { name: 'Canned responses' })).toBeVisible();
      await seeFits(page, 'composer-canned', saveScreenshot, width, theme);
      await box.press('Escape');
      await box.fill('');
      await page.getByRole('button', { name: 'Canned responses' }).click();
      await expect(page.getByRole('combobox', { name: 'Search canned responses' })).toBeFocused();
      await seeFits(page, 'composer-canned-search', saveScreenshot, width, theme);
      await expectNoAxeViolations(page);
      await page.keyboard.press('Escape');

      // The details panel over the chat, both tabs.
      await page.getByRole('button', { name: 'Conversation details' }).click();
      const panel = page.getByRole('complementary', { name: 'Conversation details' });
      await expect(panel).toBeVisible();
      await seeFits(page, 'details', saveScreenshot, width, theme);
      await panel.getByRole('tab', { name: 'Contact' }).click();
      await expect(panel.getByRole('region', { name: 'Conversation history' })).toBeVisible();
      await seeFits(page, 'details-contact', saveScreenshot, width, theme);
      await expectNoAxeViolations(page);
      await panel.getByRole('button', { name: 'Close details' }).click();

      // Dialogs: keyboard shortcuts (a phone has no shortcuts button: "?" from a keyboard) and
      // a new conversation.
      await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeHidden();
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      await seeFits(page, 'shortcuts', saveScreenshot, width, theme);
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'Back to conversations' }).click();
      // Your profile, from one's name in the top bar (only the avatar on a phone).
      await page.getByRole('banner').getByRole('button', { name: 'Maya Patel', exact: true }).click();
      await expect(page.getByRole('dialog', { name: 'Your profile' })).toBeVisible();
      await seeFits(page, 'profile', saveScreenshot, width, theme);
      await page.getByRole('dialog', { name: 'Your profile' }).getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'New conversation' }).click();
      await expect(page.getByRole('dialog', { name: 'New conversation' })).toBeVisible();
      await seeFits(page, 'new-conversation', saveScreenshot, width, theme);
      await page.keyboard.press('Escape');

      // Views: the list of views, a table, the editor.
      await page.getByRole('link', { name: 'Views' }).click();
      await page.getByRole('link', { name: 'Call log' }).click();
      await expect(page.getByRole('table')).toBeVisible();
      await seeFits(page, 'view', saveScreenshot, width, theme);
      await page.getByRole('button', { name: 'Edit view' }).click();
      await expect(page.getByRole('dialog', { name: /view/i })).toBeVisible();
      await seeFits(page, 'view-editor', saveScreenshot, width, theme);
      await page.keyboard.press('Escape');

      // Settings (admins): dispositions, the teams' after-conversation requirements, labels,
      // stages, custom attributes, agents, teams.
      await page.getByRole('link', { name: 'Settings' }).click();
      await expect(page.getByRole('heading', { name: 'Dispositions' })).toBeVisible();
      await seeFits(page, 'settings-dispositions', saveScreenshot, width, theme);
      await page.getByRole('link', { name: 'After-conversation work' }).click();
      await expect(page.getByRole('group', { name: 'Sales' })).toBeVisible();
      await seeFits(page, 'settings-after-conversation', saveScreenshot, width, theme);
      // Labels, with one label's edit form open (the colour swatches wrap at phone widths).
      await page.getByRole('link', { name: 'Labels', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Labels' })).toBeVisible();
      await page.getByRole('button', { name: 'Edit vip', exact: true }).click();
      await expect(page.getByRole('form', { name: 'Edit vip' })).toBeVisible();
      await seeFits(page, 'settings-labels', saveScreenshot, width, theme);
      await page.getByRole('form', { name: 'Edit vip' }).getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('link', { name: 'Pipeline stages' }).click();
      await expect(page.getByRole('heading', { name: 'Pipeline stages' })).toBeVisible();
      await seeFits(page, 'settings-pipeline-stages', saveScreenshot, width, theme);
      await page.getByRole('link', { name: 'Custom attributes' }).click();
      await expect(page.getByRole('heading', { name: 'Custom attributes' })).toBeVisible();
      await page.getByRole('button', { name: 'Add conversation attribute' }).click();
      await page.getByRole('form', { name: 'New conversation attribute' }).getByRole('combobox', { name: 'Type' }).selectOption({ label: 'List' });
      await seeFits(page, 'settings-attributes', saveScreenshot, width, theme);
      await page.getByRole('link', { name: 'Agents' }).click();
      await expect(page.getByRole('heading', { name: 'Agents' })).toBeVisible();
      await seeFits(page, 'settings-agents', saveScreenshot, width, theme);
      await page.getByRole('link', { name: 'Teams' }).click();
      await expect(page.getByRole('heading', { name: 'Teams' })).toBeVisible();
      await seeFits(page, 'settings-teams', saveScreenshot, width, theme);
      // Integrations: the add form at least (delivery.spec runs a server of its own).
      await page.getByRole('link', { name: 'Integrations' }).click();
      await expect(page.getByRole('heading', { name: 'Add an integration' })).toBeVisible();
      await seeFits(page, 'settings-integrations', saveScreenshot, width, theme);
      // Canned responses, with the new shared response form open.
      await page.getByRole('link', { name: 'Canned responses' }).click();
      await expect(page.getByRole('heading', { name: 'Canned responses', level: 2 })).toBeVisible();
      await page.getByRole('button', { name: 'New shared response' }).click();
      await expect(page.getByRole('form', { name: 'New shared response' })).toBeVisible();
      await seeFits(page, 'settings-canned-responses', saveScreenshot, width, theme);
    });
  }
}

/** The element is on screen horizontally, inside `container`. */
async function expectInside(element: Locator, container: Locator): Promise<void> {
  const [inner, outer] = await Promise.all([element.first().boundingBox(), container.first().boundingBox()]);
  expect(inner, 'element rendered').not.toBeNull();
  expect(outer, 'container rendered').not.toBeNull();
  expect(inner!.x).toBeGreaterThanOrEqual(outer!.x - 1);
  expect(inner!.x + inner!.width).toBeLessThanOrEqual(outer!.x + outer!.width + 1);
}
