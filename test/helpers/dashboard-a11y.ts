// Accessibility checks of the dashboard in a real browser page: axe-core's rules on each main view,
// and (re-exported from dashboard-keyboard.ts) keyboard-only walks through them.
// axe-core is injected over the DevTools protocol (page.evaluate), which the page's CSP
// (script-src 'self', nothing inline) does not govern, so the app's policy stays as strict as it ships.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export * from './dashboard-keyboard.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail the check (issue 7: "no serious or critical violation"). */
const FAILING = new Set(['serious', 'critical']);

/** One failing axe rule, with the nodes it failed on. */
export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeResult {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Waits for the finite CSS animations and transitions running now (a drawer sliding in, a pod chip
 * fading in) to end, so colour contrast is measured on what stays on screen, not a frame of a fade.
 */
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => {
      const t = a.effect?.getComputedTiming();
      return a.playState === 'running' && t !== undefined && Number.isFinite(t.endTime as number);
    });
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
}

/** Runs axe-core on the whole document of `page` and returns its serious and critical violations (all impacts with `all`). */
export async function axeRun(page: Page, opts: { all?: boolean } = {}): Promise<A11yViolation[]> {
  if (!(await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object'))) await page.evaluate(AXE_SOURCE);
  await settleAnimations(page);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return (results as AxeResult[])
    .filter((v) => opts.all || FAILING.has(v.impact ?? ''))
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' '),
        html: n.html.length > 200 ? `${n.html.slice(0, 200)}…` : n.html,
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    }));
}

/** Violations as readable text, one block per rule: "[serious] color-contrast: help" then each target and snippet. */
export function formatViolations(label: string, violations: readonly A11yViolation[]): string {
  if (!violations.length) return '';
  const blocks = violations.map((v) =>
    [`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...v.nodes.map((n) => `    at ${n.target}\n      ${n.html}\n      ${n.summary}`)].join('\n'),
  );
  return `axe-core on ${label}: ${violations.length} rule(s) violated\n${blocks.join('\n')}`;
}

/**
 * Runs axe-core on `page` and returns the serious and critical violations as one readable string
 * per rule (empty when there are none), so a test can `expect(await axeViolations(page, 'pods')).toEqual([])`.
 */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  const found = await axeRun(page);
  return found.map((v) => formatViolations(label, [v]));
}

/** Loads `hash` of the dashboard `page` shows afresh (no state left from the view before, e.g. an open dialog). */
async function load(page: Page, hash: string): Promise<void> {
  const base = page.url().split('#')[0]!;
  await page.goto('about:blank');
  await page.goto(`${base}${hash}`);
  await page.getByTestId('sidebar').waitFor();
}

/**
 * Runs axe-core on each main view of `cluster` with `namespace` (which must hold a Deployment
 * with running pods): clusters, the create form showing its errors, pods, deployments, nodes,
 * services, secrets, configmaps, events, a Deployment's drawer (overview, YAML, editor), the
 * "Apply YAML" dialog, a pod's delete confirmation, topology, logs, and graphs and terminal when
 * the sidebar offers them. Returns the serious and critical violations (empty when all pass).
 * Nothing is changed on the cluster. `shot`, when given, is called on each view (for screenshots).
 */
export async function axeMainViews(page: Page, cluster: string, namespace: string, shot?: (label: string) => Promise<unknown>): Promise<string[]> {
  const q = `cluster=${encodeURIComponent(cluster)}&ns=${encodeURIComponent(namespace)}`;
  const rows = (min: number) => page.getByTestId('resource-row').nth(min - 1).waitFor({ timeout: 30_000 });
  const drawer = async (kind: string, tab?: 'yaml' | 'edit') => {
    await load(page, `#/resources?${q}&kind=${kind}`);
    await rows(1);
    await page.getByTestId('resource-row').first().click();
    await page.getByTestId('details-pane').locator('.actions-bar').waitFor();
    if (tab) {
      await page.getByTestId(`details-tab-${tab}`).click();
      await page.getByTestId(tab === 'yaml' ? 'yaml-view' : 'yaml-editor').waitFor();
    }
  };
  const views: [string, () => Promise<void>][] = [
    ['clusters', async () => {
      await load(page, `#/clusters?${q}`);
      await page.getByTestId('cluster-row').first().waitFor();
    }],
    ['create-cluster form with errors', async () => {
      await load(page, `#/clusters?${q}`);
      await page.getByTestId('create-cluster-name').fill('Not_Valid');
      await page.locator('#cluster-name-error').waitFor();
    }],
    ...['pods', 'deployments', 'nodes', 'services', 'secrets', 'configmaps', 'events'].map((kind): [string, () => Promise<void>] => [
      kind,
      async () => {
        await load(page, `#/resources?${q}&kind=${kind}`);
        await rows(1);
      },
    ]),
    ['deployment details', () => drawer('deployments')],
    ['deployment YAML', () => drawer('deployments', 'yaml')],
    ['deployment editor', () => drawer('deployments', 'edit')],
    ['pod details', () => drawer('pods')],
    ['node details', () => drawer('nodes')],
    ['apply dialog', async () => {
      await load(page, `#/resources?${q}&kind=pods`);
      await page.getByTestId('apply-yaml').click();
      await page.getByTestId('apply-dialog').waitFor();
    }],
    ['delete confirmation', async () => {
      await drawer('pods');
      await page.getByTestId('action-delete').click();
      await page.getByTestId('confirm-dialog').waitFor();
    }],
    ['topology', async () => {
      await load(page, `#/topology?${q}`);
      await page.locator('[data-testid="topology-node"] [data-testid="topology-pod"]').first().waitFor({ timeout: 30_000 });
    }],
    ['logs', async () => {
      await load(page, `#/logs?${q}`);
      const first = page.getByTestId('log-pod').locator('option[value*="/"]').first();
      await first.waitFor({ state: 'attached', timeout: 30_000 });
      await page.getByTestId('log-pod').selectOption((await first.getAttribute('value'))!);
      await page.getByTestId('log-output').waitFor();
    }],
  ];
  const optional: [string, string, string][] = [
    ['graphs', 'nav-graphs', '#/graphs'],
    ['terminal', 'nav-terminal', '#/terminal'],
  ];
  const found: string[] = [];
  for (const [label, open] of views) {
    await open();
    await shot?.(label);
    found.push(...(await axeViolations(page, label)));
  }
  for (const [label, nav, hash] of optional) {
    if ((await page.getByTestId(nav).count()) === 0) continue;
    await load(page, `${hash}?${q}`);
    await page.locator('main h1').first().waitFor();
    await shot?.(label);
    found.push(...(await axeViolations(page, label)));
  }
  return found;
}
