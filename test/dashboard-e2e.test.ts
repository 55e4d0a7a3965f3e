// The dashboard end to end: `kubelab dashboard` serving the real UI to Debian's Chromium (driven by
// playwright-core), against a cluster the test creates from the UI on the real Docker engine.
// A learner's first session: create a cluster and watch its progress, apply a Deployment from the
// YAML dialog, see its pods appear live in the list and the topology, follow a pod's log, type
// kubectl into a terminal and exec into a pod, watch the graphs, list a custom resource, scale,
// kill a pod and see it replaced, stop and start a node, switch context, delete the cluster. Every
// main view passes axe-core (no serious or critical violation) and the keyboard tour. Screenshots
// of each view land in .kubelab-test/screenshots/ (kept after the run, for looking at).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeMainViews, keyboardTour } from './helpers/dashboard-a11y.js';
import { clusterName, engineFor, forceRemove, testHome } from './helpers/kubelab.js';

const CHROMIUM = '/usr/bin/chromium';
const BIN = join(import.meta.dirname, '..', 'bin', 'kubelab.js');
const SHOTS = join(import.meta.dirname, '..', '.kubelab-test', 'screenshots');
const home = testHome();
const name = clusterName('ui');
// HOME too: the terminal's host shell then reads no profile of the machine's user (tests stay independent of it).
const env = { ...process.env, KUBELAB_HOME: home, KUBECONFIG: join(home, 'kube', 'config'), HOME: home };

let dashboard: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

const shot = (file: string) => page.screenshot({ path: join(SHOTS, `${file}.png`), fullPage: true });

/** The text on the active terminal tab's screen. */
const screen = () => page.locator('[data-testid="terminal-screen"] .xterm-rows').innerText();

/** Waits until the active terminal's screen matches `re`. */
async function screenShows(re: RegExp, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await screen().catch(() => '');
    if (re.test(text)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`the terminal never showed ${re}; it shows:\n${text}`);
}

/** Types `line` and Enter into the active terminal, once its shell shows a prompt. */
async function typeLine(line: string): Promise<void> {
  await screenShows(/[#$] *$/m);
  await page.locator('[data-testid="terminal-screen"] .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

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
        '---',
        'apiVersion: v1',
        'kind: Secret',
        'metadata: {name: ticker-token, namespace: default}',
        'stringData: {token: s3cret}',
      ].join('\n'),
    );
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('apply-results').getByText('deployment.apps/ticker created').waitFor({ timeout: 30_000 });
    await page.getByTestId('apply-results').getByText('secret/ticker-token created').waitFor({ timeout: 30_000 });
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

  it('runs kubectl in a host terminal wired to the cluster, and execs into a pod', async () => {
    await page.getByTestId('nav-terminal').click();
    await page.getByTestId('terminal-new').click();
    await page.getByTestId('terminal-new-host').click();
    await page.locator('[data-testid="terminal-tab"][data-state="running"]').waitFor({ timeout: 60_000 });
    await typeLine('kubectl get pods');
    await screenShows(/ticker-\S+\s+1\/1\s+Running/);
    await shot('07-terminal-host');

    await page.getByTestId('terminal-new').click();
    const option = page.getByTestId('terminal-pod-select').locator('option[value^="default/ticker-"]').first();
    await option.waitFor({ state: 'attached', timeout: 30_000 });
    const value = (await option.getAttribute('value'))!;
    const pod = value.split('/')[1]!;
    await page.getByTestId('terminal-pod-select').selectOption(value);
    await page.getByTestId('terminal-new-pod').click();
    await page.locator(`[data-testid="terminal-tab"][data-title^="${pod}"][data-state="running"]`).waitFor({ timeout: 60_000 });
    await typeLine('hostname');
    await screenShows(new RegExp(`^${pod}\\s*$`, 'm'));
    await typeLine('exit 4');
    await page.locator(`[data-testid="terminal-tab"][data-title^="${pod}"][data-state="exited"][data-exit-code="4"]`).waitFor({ timeout: 30_000 });
    await shot('08-terminal-pod');
  }, 180_000);

  it('draws CPU and memory graphs of the nodes and pods', async () => {
    await page.getByTestId('nav-graphs').click();
    await page.getByTestId('graphs-view').waitFor();
    const nodeChart = page.locator(`[data-testid="graph-node"][data-node="${name}-worker"] svg[role="img"]`).first();
    await nodeChart.waitFor({ timeout: 90_000 });
    expect(await nodeChart.getAttribute('aria-label')).toMatch(new RegExp(`^CPU of node ${name}-worker in cores over the last 10 minutes\\. now [\\d.]+`));
    await page.locator('[data-testid="graph-pod"][data-pod^="default/ticker-"] svg[role="img"]').first().waitFor({ timeout: 90_000 });
    await shot('09-graphs');
  }, 240_000);

  it('passes axe-core and the keyboard tour on every main view', async () => {
    const violations = await axeMainViews(page, name, 'default', (label) => shot(`a11y-${label.replace(/\W+/g, '-')}`));
    expect(violations).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeMainViews(page, name, 'default')).toEqual([]);
    await page.emulateMedia({ colorScheme: null });
    await keyboardTour(page, name, 'default');
  }, 300_000);

  it('lists a custom resource under its definition', async () => {
    await page.goto(`${page.url().split('#')[0]}#/resources?cluster=${name}&ns=default&kind=deployments`);
    const apply = async (yaml: string, created: string) => {
      await page.getByTestId('apply-yaml').click();
      await page.getByTestId('apply-text').fill(yaml);
      await page.getByTestId('apply-submit').click();
      await page.getByTestId('apply-results').getByText(created).waitFor({ timeout: 30_000 });
      await page.keyboard.press('Escape');
    };
    await apply(
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: widgets.example.com}',
        'spec:',
        '  group: example.com',
        '  scope: Namespaced',
        '  names: {plural: widgets, singular: widget, kind: Widget}',
        '  versions:',
        '  - name: v1',
        '    served: true',
        '    storage: true',
        '    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}',
        '    additionalPrinterColumns: [{name: Size, type: integer, jsonPath: .spec.size}]',
      ].join('\n'),
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    await page.getByTestId('nav-crd-widgets.example.com').waitFor({ timeout: 15_000 });
    await apply(['apiVersion: example.com/v1', 'kind: Widget', 'metadata: {name: w1, namespace: default}', 'spec: {size: 3}'].join('\n'), 'widget.example.com/w1 created');
    await page.getByTestId('nav-crd-widgets.example.com').click();
    const row = page.locator('[data-testid="resource-row"][data-name="w1"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await page.locator('thead th').allInnerTexts()).toContain('SIZE');
    expect(await row.innerText()).toMatch(/\b3\b/);
    await shot('10-custom-resource');
  }, 120_000);

  it('scales the Deployment and shows the pods added, and replaces a killed pod', async () => {
    await page.getByTestId('nav-kind-deployments').click();
    await page.locator('tr[data-name="ticker"]').click();
    await page.getByTestId('scale-replicas').fill('3');
    await page.getByTestId('action-scale').click();
    await page.locator('tr[data-name="ticker"]').getByText('3/3').waitFor({ timeout: 120_000 });
    await shot('11-scaled');
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
    await shot('12-replaced');
  }, 300_000);

  it('stops a node and starts it again from the topology', async () => {
    const worker = `${name}-worker`;
    const box = (attrs: string) => page.locator(`[data-testid="topology-node"][data-name="${worker}"]${attrs}`);
    await page.getByRole('button', { name: `Stop node ${worker}` }).click();
    await page.getByTestId('confirm-button').click();
    await box('[data-container="stopped"]').waitFor({ timeout: 120_000 });
    await shot('13-node-stopped');
    await page.getByRole('button', { name: `Start node ${worker}` }).click();
    await box('[data-container="running"][data-status="Ready"]').waitFor({ timeout: 240_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="topology-pod"][data-name^="ticker-"]')].filter((p) => p.getAttribute('data-status') === 'Running').length === 3, undefined, { timeout: 180_000 });
    await shot('14-node-started');
  }, 480_000);

  it("marks the cluster's context as current and copies its docker-env snippet", async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('nav-clusters').click();
    const row = page.locator('[data-testid="cluster-row"]', { hasText: name });
    await row.locator('[data-testid="cluster-context"][data-current="true"]').waitFor({ timeout: 15_000 });
    await row.getByTestId('copy-docker-env').click();
    await page.locator('[data-testid="docker-env"] [role=status]', { hasText: 'Copied' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("DOCKER_HOST='tcp://127.0.0.1:");
  }, 60_000);

  it('deletes the cluster from the UI', async () => {
    await page.getByTestId('nav-clusters').click();
    await page.locator('[data-testid="cluster-row"]', { hasText: name }).getByRole('button', { name: `Delete ${name}` }).click();
    await page.getByTestId('confirm-dialog').waitFor();
    await shot('15-confirm-delete');
    await page.getByTestId('confirm-button').click();
    await page.locator('[data-testid="cluster-row"]', { hasText: name }).waitFor({ state: 'detached', timeout: 180_000 });
    // The deleted cluster's views leave the sidebar.
    await page.getByTestId('nav-topology').waitFor({ state: 'detached', timeout: 15_000 });
    const left = await engineFor(home).docker.listContainers({ all: true, filters: { label: [`io.kubelab.cluster=${name}`] } });
    expect(left).toHaveLength(0);
    await shot('16-deleted');
    expect(problems).toEqual([]);
  }, 240_000);
});
