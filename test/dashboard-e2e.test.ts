// The dashboard end to end: `kubelab dashboard` serving the real UI to Debian's Chromium (driven by
// playwright-core), against a cluster the test creates from the UI on the real Docker engine.
// A learner's first session: create a cluster and watch its progress, apply a Deployment from the
// YAML dialog, see its pods appear live in the list and the topology, follow a pod's log, scale,
// kill a pod and see it replaced, delete the cluster. Screenshots of each view land in
// .kubelab-test/screenshots/ (kept after the run, for looking at).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterName, engineFor, forceRemove, testHome } from './helpers/kubelab.js';

const CHROMIUM = '/usr/bin/chromium';
const BIN = join(import.meta.dirname, '..', 'bin', 'kubelab.js');
const SHOTS = join(import.meta.dirname, '..', '.kubelab-test', 'screenshots');
const home = testHome();
const name = clusterName('ui');
const env = { ...process.env, KUBELAB_HOME: home, KUBECONFIG: join(home, 'kube', 'config') };

let dashboard: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

const shot = (file: string) => page.screenshot({ path: join(SHOTS, `${file}.png`), fullPage: true });

/** Starts `kubelab dashboard --no-open` and resolves with the one-time launch URL it prints. */
function startDashboard(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'dashboard', '--no-open'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    dashboard = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => reject(new Error(`kubelab dashboard exited ${code}: ${err}`)));
  });
}

describe('the dashboard in Chromium against a real cluster', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh --test does)`);
    mkdirSync(SHOTS, { recursive: true });
    const url = await startDashboard();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Failed requests the UI shows itself (a 404 while a cluster is made) are logged by Chromium; scripts' errors are not expected.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dashboard?.pid) process.kill(dashboard.pid, 'SIGINT');
    await forceRemove(name);
  });

  it('creates a cluster from the UI and shows its progress', async () => {
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId('create-cluster-name').fill(name);
    await page.getByTestId('create-cluster-nodes').fill('2');
    await page.getByTestId('create-cluster-submit').click();
    await page.getByTestId('operation-step').first().waitFor({ timeout: 60_000 });
    await shot('01-create-progress');
    await page.locator('[data-testid="operation"][data-state="succeeded"]').waitFor({ timeout: 300_000 });
    const steps = await page.getByTestId('operation-step').allInnerTexts();
    expect(steps.length).toBeGreaterThan(2);
    await page.locator(`[data-testid="cluster-row"]`, { hasText: name }).getByText('running').waitFor({ timeout: 60_000 });
    await shot('02-clusters');
  }, 420_000);

  it('applies a Deployment from the YAML dialog and shows its pods live in the list and the topology', async () => {
    await page.getByRole('button', { name: `Open cluster ${name}` }).click();
    await page.getByTestId('nav-kind-deployments').click();
    await page.getByTestId('apply-yaml').click();
    await page.getByTestId('apply-text').fill(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: ticker, namespace: default}',
        'spec:',
        '  replicas: 2',
        '  selector: {matchLabels: {app: ticker}}',
        '  template:',
        '    metadata: {labels: {app: ticker}}',
        '    spec:',
        '      terminationGracePeriodSeconds: 1',
        '      containers:',
        '      - name: ticker',
        '        image: kubelab/busybox:1',
        "        command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done']",
      ].join('\n'),
    );
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('apply-results').getByText('deployment.apps/ticker created').waitFor({ timeout: 30_000 });
    await shot('03-apply');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-kind-pods').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="resource-row"]')].filter((r) => r.getAttribute('data-name')?.startsWith('ticker-') && r.textContent?.includes('Running')).length === 2, undefined, { timeout: 120_000 });
    await shot('04-pods');
    await page.getByTestId('nav-topology').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="topology-pod"][data-name^="ticker-"]').length === 2, undefined, { timeout: 30_000 });
    await shot('05-topology');
  }, 240_000);

  it("follows a pod's log as it grows", async () => {
    await page.getByTestId('nav-logs').click();
    const pod = await page.getByTestId('log-pod').locator('option', { hasText: 'ticker-' }).first().getAttribute('value');
    await page.getByTestId('log-pod').selectOption(pod!);
    const follow = page.getByTestId('log-follow');
    if (!(await follow.isChecked())) await follow.check();
    await page.getByTestId('log-output').getByText(/tick \d+/).first().waitFor({ timeout: 30_000 });
    const count = async () => (await page.getByTestId('log-output').innerText()).split('\n').filter((l) => /tick \d+/.test(l)).length;
    const before = await count();
    await page.waitForFunction((n) => (document.querySelector('[data-testid="log-output"]')?.textContent?.match(/tick \d+/g)?.length ?? 0) >= n + 3, before, { timeout: 30_000 });
    await shot('06-logs');
  }, 120_000);

  it('scales the Deployment and shows the pods added, and replaces a killed pod', async () => {
    await page.getByTestId('nav-kind-deployments').click();
    await page.locator('tr[data-name="ticker"]').click();
    await page.getByTestId('scale-replicas').fill('3');
    await page.getByTestId('action-scale').click();
    await page.locator('tr[data-name="ticker"]').getByText('3/3').waitFor({ timeout: 120_000 });
    await shot('07-scaled');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-topology').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="topology-pod"][data-name^="ticker-"]').length === 3, undefined, { timeout: 30_000 });
    const victim = (await page.locator('[data-testid="topology-pod"][data-name^="ticker-"]').first().getAttribute('data-name'))!;
    await page.getByRole('button', { name: `Kill pod ${victim}` }).click();
    await page.waitForFunction(
      (gone) => {
        const pods = [...document.querySelectorAll('[data-testid="topology-pod"][data-name^="ticker-"]')];
        return !pods.some((p) => p.getAttribute('data-name') === gone) && pods.filter((p) => p.getAttribute('data-status') === 'Running').length === 3;
      },
      victim,
      { timeout: 120_000 },
    );
    await shot('08-replaced');
  }, 300_000);

  it('deletes the cluster from the UI', async () => {
    await page.getByTestId('nav-clusters').click();
    await page.locator('[data-testid="cluster-row"]', { hasText: name }).getByRole('button', { name: `Delete ${name}` }).click();
    await page.getByTestId('confirm-dialog').waitFor();
    await shot('09-confirm-delete');
    await page.getByTestId('confirm-button').click();
    await page.locator('[data-testid="cluster-row"]', { hasText: name }).waitFor({ state: 'detached', timeout: 180_000 });
    // The deleted cluster's views leave the sidebar.
    await page.getByTestId('nav-topology').waitFor({ state: 'detached', timeout: 15_000 });
    const left = await engineFor(home).docker.listContainers({ all: true, filters: { label: [`io.kubelab.cluster=${name}`] } });
    expect(left).toHaveLength(0);
    await shot('10-deleted');
    expect(problems).toEqual([]);
  }, 240_000);
});
