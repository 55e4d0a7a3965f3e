// Keyboard-only walks through the dashboard's main views in a real browser page: each presses
// keys a keyboard user would (Tab, Shift+Tab, arrows, Enter, Escape) and asserts where the focus
// lands and what happened, waiting for conditions rather than sleeping.
import type { Locator, Page } from 'playwright-core';

/** What has the focus: a short description (tag, testid, id, name) for messages. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const attrs = ['data-testid', 'id', 'aria-label', 'data-name'].map((a) => (el.getAttribute(a) ? `${a}=${el.getAttribute(a)}` : '')).filter(Boolean);
    return `<${el.tagName.toLowerCase()} ${attrs.join(' ')}> ${(el.textContent ?? '').trim().slice(0, 40)}`;
  });
}

/** Waits until the element `locator` points at has the focus. */
export async function expectFocused(page: Page, locator: Locator, what: string, timeout = 5_000): Promise<void> {
  const handle = await locator.elementHandle({ timeout });
  if (!handle) throw new Error(`${what}: element not found`);
  try {
    await page.waitForFunction((el) => document.activeElement === el, handle, { timeout });
  } catch {
    throw new Error(`${what}: expected the focus there, but it is on ${await describeFocus(page)}`);
  } finally {
    await handle.dispose();
  }
}

/** Waits until the focus is inside the element `locator` points at. */
async function expectFocusWithin(page: Page, locator: Locator, what: string, timeout = 5_000): Promise<void> {
  const handle = await locator.elementHandle({ timeout });
  if (!handle) throw new Error(`${what}: element not found`);
  try {
    await page.waitForFunction((el) => el.contains(document.activeElement), handle, { timeout });
  } catch {
    throw new Error(`${what}: expected the focus inside, but it is on ${await describeFocus(page)}`);
  } finally {
    await handle.dispose();
  }
}

/** Whether the focused element shows a visible focus indicator (an outline or a box-shadow). */
export function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return outline || (s.boxShadow !== 'none' && s.boxShadow !== '');
  });
}

async function expectVisibleFocus(page: Page, what: string): Promise<void> {
  if (!(await focusIsVisible(page))) throw new Error(`${what}: the focused element (${await describeFocus(page)}) shows no focus outline`);
}

/**
 * The "Skip to content" link: from a fresh load of the current location, the first Tab lands on it
 * (visibly), and Enter moves the focus to the main region.
 */
export async function keyboardSkipLink(page: Page): Promise<void> {
  await page.reload();
  await page.getByTestId('sidebar').waitFor();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expectFocused(page, skip, 'first Tab');
  await expectVisibleFocus(page, 'skip link');
  if (!(await skip.isVisible())) throw new Error('the skip link has the focus but is not visible');
  await page.keyboard.press('Enter');
  await expectFocused(page, page.locator('main#main'), 'Enter on the skip link');
}

/**
 * The sidebar by keyboard: ArrowDown/ArrowUp move between its links, Enter on "Deployments"
 * opens that kind (the view's heading says so and the link is marked current).
 */
export async function keyboardSidebar(page: Page): Promise<void> {
  const pods = page.getByTestId('nav-kind-pods');
  await pods.focus();
  await expectVisibleFocus(page, 'sidebar link');
  await page.keyboard.press('ArrowDown');
  await expectFocused(page, page.getByTestId('nav-kind-deployments'), 'ArrowDown from Pods in the sidebar');
  await page.keyboard.press('ArrowUp');
  await expectFocused(page, pods, 'ArrowUp back to Pods');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Deployments' }).waitFor();
  await page.locator('[data-testid="nav-kind-deployments"][aria-current="page"]').waitFor();
}

/**
 * The resource table by keyboard, on the current resource view with at least two rows: Tab from
 * the "Apply YAML" button reaches the table's one tabbable row (roving tabindex); Home goes to
 * the first row and ArrowDown to the next; Enter opens the details drawer (its title takes the
 * focus); ArrowRight on the tabs switches to YAML then Edit; Escape closes the drawer and the
 * focus returns to the row it was opened from.
 */
export async function keyboardTable(page: Page): Promise<void> {
  const rows = page.getByTestId('resource-row');
  await rows.nth(1).waitFor();
  await page.getByTestId('apply-yaml').focus();
  // The table is the next stop after "Apply YAML" and whatever a view puts between them (a few at most).
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'resource-row')) break;
  }
  await expectFocused(page, page.locator('[data-testid="resource-row"][tabindex="0"]'), 'Tab from "Apply YAML" to the table');
  if ((await page.locator('[data-testid="resource-row"][tabindex="0"]').count()) !== 1) throw new Error('the table should have exactly one tabbable row');
  await expectVisibleFocus(page, 'table row');
  await page.keyboard.press('Home');
  await expectFocused(page, rows.nth(0), 'Home in the table');
  await page.keyboard.press('ArrowDown');
  const second = rows.nth(1);
  await expectFocused(page, second, 'ArrowDown in the table');
  const name = await second.getAttribute('data-name');
  await page.keyboard.press('Enter');
  const pane = page.getByTestId('details-pane');
  await pane.waitFor();
  await expectFocused(page, pane.locator('#drawer-title'), 'Enter on a row opens the drawer');
  if (!(await pane.locator('#drawer-title').innerText()).includes(name ?? '\0')) throw new Error(`the drawer does not show ${name}`);
  // Into the tabs: the selected tab is the tablist's one Tab stop.
  await pane.getByTestId('details-tab-overview').focus();
  await page.keyboard.press('ArrowRight');
  await expectFocused(page, pane.getByTestId('details-tab-yaml'), 'ArrowRight on the tabs');
  await pane.getByTestId('yaml-view').waitFor();
  await page.keyboard.press('ArrowRight');
  await expectFocused(page, pane.getByTestId('details-tab-edit'), 'ArrowRight again');
  await pane.getByTestId('yaml-editor').waitFor();
  await page.keyboard.press('Tab');
  await expectFocused(page, pane.getByTestId('yaml-editor'), 'Tab from the tab to its panel');
  await page.keyboard.press('Escape');
  await pane.waitFor({ state: 'detached' });
  await expectFocused(page, page.locator(`[data-testid="resource-row"][data-name="${name}"]`), 'Escape closes the drawer and returns to the row');
}

/** Presses Tab (or Shift+Tab) `n` times and fails if the focus ever leaves the element `container` points at. */
async function tabStaysWithin(page: Page, container: Locator, n: number, shift: boolean, what: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    await expectFocusWithin(page, container, `${what}: ${shift ? 'Shift+Tab' : 'Tab'} #${i + 1}`);
  }
}

/**
 * A modal dialog by keyboard: `open` (pressed with the keyboard on `opener`) shows the dialog
 * `testId`; the focus moves in; Tab and Shift+Tab cycle inside it; Escape closes it and the
 * focus returns to `opener`.
 */
export async function keyboardDialog(page: Page, opener: Locator, testId: string): Promise<void> {
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId(testId);
  await dialog.waitFor();
  await expectFocusWithin(page, dialog, `${testId} opened`);
  const stops = await dialog.evaluate(
    (d) => d.querySelectorAll('button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex="0"]').length,
  );
  await tabStaysWithin(page, dialog, stops + 1, false, testId);
  await tabStaysWithin(page, dialog, stops + 1, true, testId);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await expectFocused(page, opener, `Escape closes ${testId} and returns the focus`);
}

/**
 * The topology by keyboard, on a topology view showing at least one pod: Tab reaches a pod's
 * name; Enter opens that pod in the resource view's drawer; Escape closes the drawer and the
 * focus lands on the pod's row.
 */
export async function keyboardTopology(page: Page): Promise<void> {
  // A pod placed on a node (while the nodes load, pods wait in "Not on a node yet" and the order changes).
  const placed = page.locator('[data-testid="topology-node"] [data-testid="topology-pod"]').first();
  await placed.waitFor({ timeout: 30_000 });
  const pod = await placed.getAttribute('data-name');
  const chip = page.locator(`[data-testid="topology-pod"][data-name="${pod}"]`);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const target = chip.locator('button.pod-name');
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) break;
  }
  await expectFocused(page, target, `Tab to pod ${pod} in the topology`);
  await expectVisibleFocus(page, 'topology pod');
  await page.keyboard.press('Enter');
  const pane = page.getByTestId('details-pane');
  await expectFocused(page, pane.locator('#drawer-title'), 'Enter on a topology pod opens its details', 15_000);
  await page.keyboard.press('Escape');
  await pane.waitFor({ state: 'detached' });
  await expectFocused(page, page.locator(`[data-testid="resource-row"][data-name="${pod}"]`), 'Escape returns to the pod row');
}

/**
 * The delete confirmation of cluster `cluster` on the clusters view, cancelled: Enter on its
 * Delete button opens the dialog with Cancel focused; Tab stays inside; Escape closes it and
 * the focus is back on Delete. Nothing is deleted.
 */
export async function keyboardClusterConfirm(page: Page, cluster: string): Promise<void> {
  const del = page.locator(`[data-testid="cluster-row"][data-name="${cluster}"]`).getByTestId('cluster-delete');
  await del.waitFor();
  await del.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  await expectFocused(page, dialog.getByRole('button', { name: 'Cancel' }), 'the confirmation opens on Cancel');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await expectFocused(page, del, 'Escape closes the confirmation and returns to Delete');
  await keyboardDialog(page, del, 'confirm-dialog');
}

/**
 * The whole keyboard tour on a resource view of `cluster` whose namespace `namespace` holds at
 * least two pods: skip link, sidebar, table and drawer, the "Apply YAML" dialog, the delete
 * confirmation (cancelled with Escape, nothing is deleted), and the topology's pods.
 */
export async function keyboardTour(page: Page, cluster: string, namespace: string): Promise<void> {
  const base = page.url().split('#')[0];
  await page.goto(`${base}#/resources?cluster=${encodeURIComponent(cluster)}&ns=${encodeURIComponent(namespace)}&kind=pods`);
  await page.getByTestId('resource-row').nth(1).waitFor({ timeout: 30_000 });
  await keyboardSkipLink(page);
  await keyboardSidebar(page);
  await page.getByTestId('nav-kind-pods').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Pods' }).waitFor();
  await keyboardTable(page);
  await keyboardDialog(page, page.getByTestId('apply-yaml'), 'apply-dialog');
  // The confirmation: open a pod's drawer, Delete, then Escape (Cancel has the focus first).
  await page.getByTestId('resource-row').first().focus();
  await page.keyboard.press('Enter');
  const del = page.getByTestId('details-pane').getByTestId('action-delete');
  await del.waitFor();
  await keyboardDialog(page, del, 'confirm-dialog');
  await page.keyboard.press('Escape');
  await page.getByTestId('details-pane').waitFor({ state: 'detached' });
  await page.getByTestId('nav-topology').focus();
  await page.keyboard.press('Enter');
  await keyboardTopology(page);
}

/**
 * Tabs through the page from the top (at most `max` stops, until the focus comes back round) and
 * returns each stop whose focus is not visible (no outline of 2px or more, no box-shadow).
 * Elements matching `skip` (a CSS selector, e.g. xterm's hidden input, which shows its own cursor) are not judged.
 */
export async function invisibleFocusStops(page: Page, max = 200, skip = '.xterm-helper-textarea'): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const bad: string[] = [];
  let first: string | undefined;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await describeFocus(page);
    if (here === 'body') continue;
    if (here === first) break;
    first ??= here;
    const skipped = await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, skip);
    if (!skipped && !(await focusIsVisible(page))) bad.push(here);
  }
  return bad;
}
