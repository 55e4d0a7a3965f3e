// npm run bench:ui: the dashboard's resource view of a namespace with 300 pods (issue 7: it
// renders within 1 s of opening and stays responsive while the pods churn), in Debian's Chromium
// driven by playwright-core against the dashboard server started in this process. Timed in the
// page (performance.now, PerformanceObserver), never around Playwright's calls:
//   open     — navigation start (cold page load) or the hash change (switch from the Clusters
//              view) until all N rows are in the DOM and a frame after them has been painted;
//   floor    — in the same page: fetch the same pod list through the /k8s proxy and render the
//              same columns as a plain DOM table (no React), until painted; open / floor is the ratio;
//   churn    — while a Deployment's pods restart and scale: a click every ~200 ms (open a row's
//              drawer, close it) until its effect is painted; long tasks; and freshness, from a
//              pod change seen by the bench's own watch (held in Node through the same proxy, with
//              the page's session) to the frame painted with its row showing it.
// By default the bench makes a 4-node cluster under a scratch KUBELAB_HOME and deletes it at the
// end; BENCH_CLUSTER=NAME (with the caller's KUBELAB_HOME) reuses one. BENCH_UI_PODS (300),
// BENCH_UI_OPENS (10), BENCH_UI_CHURN_S (40), BENCH_UI_PROFILE=PREFIX (CPU profiles of one open
// and of the churn, for DevTools), BENCH_KEEP (keep the cluster or namespace; a kept namespace
// whose Deployment has the same size is used again by the next run, once its pods are Running).
import { writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../engine/dashboard/server.js';
import type { Engine } from '../engine/index.js';
import type { RestClient } from '../engine/client/rest-client.js';
import { cleanUpOnAbort } from './parts/abort.js';
import { benchCluster, churn, deleteNamespace, deleteOwnCluster, deployPods, NAMESPACE, restartRollout } from './parts/ui-cluster.js';
import { floorRender, installProbe, type InputTiming, type LongTask, type Probe, type Shown } from './parts/ui-page.js';
import { matchFreshness, proxyWatch } from './parts/ui-watch.js';

const PODS = Number(process.env.BENCH_UI_PODS ?? 300);
const OPENS = Number(process.env.BENCH_UI_OPENS ?? 10);
const CHURN_MS = Number(process.env.BENCH_UI_CHURN_S ?? 40) * 1000;
const INPUT_EVERY_MS = 200;
const REUSE = process.env.BENCH_CLUSTER || undefined;
const PROFILE = process.env.BENCH_UI_PROFILE || undefined;
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
type W = { __benchUi: Probe };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const stats = (xs: number[]) => ({ n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: xs.length ? Math.max(...xs) : NaN });
/** An open in three parts (ms). */
type Phases = { toRequest: number; request: number; toPaint: number };
const phaseP50 = (ps: Phases[]) => ({ toRequest: pct(ps.map((p) => p.toRequest), 50), request: pct(ps.map((p) => p.request), 50), toPaint: pct(ps.map((p) => p.toPaint), 50) });
const tasks = (ts: LongTask[]) => ({ count: ts.length, totalMs: ts.reduce((a, t) => a + t.duration, 0), maxMs: ts.reduce((a, t) => Math.max(a, t.duration), 0) });

let made: { name: string; home: string; engine: Engine } | undefined;
let client: RestClient | undefined;
let dashboard: Dashboard | undefined;
let browser: Browser | undefined;

/** Closes the browser and the dashboard and removes what the bench made, once, however the run ends. */
let cleaning: Promise<void> | undefined;
let interrupted = false;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => undefined);
    await dashboard?.close().catch(() => undefined);
    if (process.env.BENCH_KEEP) {
      if (made) console.log(`kept cluster ${made.name}; delete it with: KUBELAB_HOME=${made.home} node bin/kubelab.js delete ${made.name}`);
      else console.log(`kept namespace ${NAMESPACE}`);
      return;
    }
    console.log(made ? `deleting cluster ${made.name} …` : client ? `deleting namespace ${NAMESPACE} …` : 'nothing to delete');
    if (made) await deleteOwnCluster(made).catch((err: Error) => console.error(`could not delete cluster ${made?.name}: ${err.message}`));
    else if (client) await deleteNamespace(client).catch((err: Error) => console.error(`could not delete namespace ${NAMESPACE}: ${err.message}`));
  })();
  return cleaning;
}
cleanUpOnAbort('bench:ui', cleanup, 'cleaning up', () => (interrupted = true));

/** Writes a CPU profile of whatever `fn` makes the page do (BENCH_UI_PROFILE only). */
async function profiled<T>(page: Page, file: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE) return fn();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(`${PROFILE}-${file}.cpuprofile`, JSON.stringify(profile));
    await cdp.detach();
  }
}

let failed = false;
try {
  console.log(REUSE ? `bench:ui — on cluster ${REUSE} …` : `bench:ui — creating a 4-node cluster …`);
  const cluster = await benchCluster(REUSE, (c) => (made = c));
  client = cluster.client;
  console.log(`deploying ${PODS} pods in ${NAMESPACE} …`);
  const runningMs = await deployPods(cluster.client, PODS);
  const running = runningMs === 'kept' ? `the kept namespace's ${PODS} pods Running` : `${PODS} pods Running ${(runningMs / 1000).toFixed(1)} s after the Deployment was created (not a target)`;
  console.log(running);

  dashboard = await startDashboard({ engine: cluster.engine });
  // The bench's own signal handlers close the browser before removing what it made (Playwright's would exit first).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(installProbe, { rows: PODS, namespace: NAMESPACE });
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(dashboard.launchUrl);
  const hash = `#/resources?cluster=${encodeURIComponent(cluster.name)}&ns=${NAMESPACE}&kind=pods`;
  const podsUrl = `/k8s/${encodeURIComponent(cluster.name)}/api/v1/namespaces/${NAMESPACE}/pods`;

  // 1. Open, cold: a new page loading the pods view (the first one warms the HTTP cache and is not counted).
  const cold: Shown[] = [];
  const coldTasks: LongTask[] = [];
  // Where an open's time goes: before the app sends the pod list request, the request, and from its answer to the painted rows.
  const parts = { cold: [] as Phases[], switch: [] as Phases[] };
  const phases = async (p: Page, start: number, s: Shown): Promise<Phases> => {
    const list = (await p.evaluate(([a, b, u]) => (globalThis as unknown as W).__benchUi.requests(a, b, u), [start, s.paintAt, podsUrl] as const))[0];
    return list ? { toRequest: list.start - start, request: list.end - list.start, toPaint: s.paintAt - list.end } : { toRequest: NaN, request: NaN, toPaint: NaN };
  };
  for (let i = 0; i <= OPENS; i++) {
    const p = await context.newPage();
    await p.goto(dashboard.url + hash);
    const shown = (await (await p.waitForFunction(() => (globalThis as unknown as W).__benchUi?.firstOpen, undefined, { polling: 100, timeout: 60_000 })).jsonValue()) as Shown;
    if (i > 0) {
      cold.push(shown);
      parts.cold.push(await phases(p, 0, shown));
      coldTasks.push(...(await p.evaluate((to) => (globalThis as unknown as W).__benchUi.longTasks(0, to), shown.paintAt)));
    }
    await p.close();
  }

  // 2. Open, switching from the Clusters view (after the pods watch has gone), and the floor in the same page.
  const toClusters = async () => {
    await page.evaluate(() => void ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/clusters'));
    await page.getByTestId('clusters-view').waitFor();
    await sleep(1500);
  };
  const switched: number[] = [];
  const switchTasks: LongTask[] = [];
  for (let i = 0; i < OPENS; i++) {
    await toClusters();
    const open = () => page.evaluate(([h, n]) => (globalThis as unknown as W).__benchUi.switchTo(h as string, n as number, 30_000), [hash, PODS] as const);
    const s = await (i === 0 ? profiled(page, 'open', open) : open());
    if (!s) throw new Error(`the pods view did not show ${PODS} rows within 30 s of switching to it`);
    switched.push(s.paintAt - s.start);
    parts.switch.push(await phases(page, s.start, s));
    switchTasks.push(...(await page.evaluate(([a, b]) => (globalThis as unknown as W).__benchUi.longTasks(a, b), [s.start, s.paintAt] as const)));
  }
  const floors: Array<Awaited<ReturnType<typeof floorRender>>> = [];
  await toClusters();
  for (let i = 0; i < OPENS; i++) {
    floors.push(await page.evaluate(floorRender, podsUrl));
    await sleep(300);
  }

  // 3. Churn: rollout restarts and a scale down and up, with a click every ~200 ms and the bench's own watch.
  await page.evaluate((h) => void ((globalThis as unknown as { location: { hash: string } }).location.hash = h), hash);
  await page.waitForFunction((n) => (globalThis as unknown as W).__benchUi.rowCount() === n, PODS, { polling: 100, timeout: 30_000 });
  const cookie = (await context.cookies(dashboard.url)).map((c) => `${c.name}=${c.value}`).join('; ');
  const watch = await proxyWatch(dashboard.url, podsUrl, cookie);
  await page.evaluate(() => (globalThis as unknown as W).__benchUi.logRows(true));
  // The window opens once the first restart shows in the watch (a loaded control plane can take seconds to act).
  const restartSent = performance.now();
  await restartRollout(cluster.client);
  while (watch.seen.length === 0) {
    if (performance.now() - restartSent > 120_000) throw new Error('no pod changed within 2 minutes of a rollout restart');
    await sleep(50);
  }
  const firstChangeMs = performance.now() - restartSent;
  const { inputs, missedClicks, noEffect, t0, t1, steps } = await profiled(page, 'churn', async () => {
    const t0 = await page.evaluate(() => performance.now());
    let stop = false;
    const driver = churn(cluster.client, PODS, CHURN_MS, () => stop);
    const inputs: InputTiming[] = [];
    let missedClicks = 0;
    let noEffect = 0;
    const end = Date.now() + CHURN_MS;
    try {
      while (Date.now() < end) {
        const tick = Date.now();
        const target = await page.evaluate(() => (globalThis as unknown as W).__benchUi.target());
        if (target) {
          const seen = await page.evaluate(() => (globalThis as unknown as W).__benchUi.inputsSeen());
          await page.mouse.click(target.x, target.y);
          const timing = await page.evaluate(async (i): Promise<InputTiming | 'no effect' | 'missed'> => {
            const probe = (globalThis as unknown as W).__benchUi;
            return probe.inputsSeen() > i ? ((await probe.input(i)) ?? 'no effect') : 'missed';
          }, seen);
          if (timing === 'missed') missedClicks++;
          else if (timing === 'no effect') noEffect++;
          else inputs.push(timing);
        }
        await sleep(Math.max(0, INPUT_EVERY_MS - (Date.now() - tick)));
      }
    } finally {
      stop = true;
    }
    const t1 = await page.evaluate(() => performance.now());
    const steps = await driver;
    return { inputs, missedClicks, noEffect, t0, t1, steps };
  });
  watch.stop();
  // Changes seen near the end get up to 10 s to show before the page's log is read.
  await sleep(Math.min(10_000, Math.max(0, (watch.seen.at(-1)?.at ?? 0) + 10_000 - (performance.timeOrigin + performance.now()))));
  const rowLog = await page.evaluate(() => (globalThis as unknown as W).__benchUi.logRows(false));
  const fresh = matchFreshness(watch.seen, rowLog);
  const churnTasks = await page.evaluate(([a, b]) => (globalThis as unknown as W).__benchUi.longTasks(a, b), [t0, t1] as const);

  const shownFresh = fresh.flatMap((x) => (x.ms === undefined ? [] : [x.ms]));
  const result = {
    pods: PODS,
    cluster: { name: cluster.name, own: cluster.own },
    chromium: browser.version(),
    podsRunningMs: runningMs,
    open: {
      cold: { ...stats(cold.map((s) => s.paintAt)), domP50: pct(cold.map((s) => s.domAt), 50), phasesP50: phaseP50(parts.cold), longTasks: tasks(coldTasks) },
      switch: { ...stats(switched), phasesP50: phaseP50(parts.switch), longTasks: tasks(switchTasks) },
    },
    floor: { ...stats(floors.map((f) => f.total)), fetchP50: pct(floors.map((f) => f.fetch), 50), renderP50: pct(floors.map((f) => f.render), 50), rows: floors[0]?.rows },
    ratio: { cold: pct(cold.map((s) => s.paintAt), 50) / pct(floors.map((f) => f.total), 50), switch: pct(switched, 50) / pct(floors.map((f) => f.total), 50) },
    churn: {
      seconds: (t1 - t0) / 1000,
      firstChangeMs,
      steps,
      input: { ...stats(inputs.map((i) => i.paint)), domP50: pct(inputs.map((i) => i.dom), 50), missedClicks, noEffect },
      inputOpen: stats(inputs.filter((i) => i.kind === 'open').map((i) => i.paint)),
      inputClose: stats(inputs.filter((i) => i.kind === 'close').map((i) => i.paint)),
      longTasks: tasks(churnTasks),
      freshness: { ...stats(shownFresh), events: fresh.length, missed: fresh.length - shownFresh.length },
    },
    runs: { coldMs: cold.map((s) => Math.round(s.paintAt)), switchMs: switched.map(Math.round), floorMs: floors.map((f) => Math.round(f.total)), cold: parts.cold, switch: parts.switch },
    pageErrors: problems,
  };

  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
  const r = result;
  console.log(`\nbench:ui — ${PODS} pods in ${NAMESPACE} on ${cluster.name}, Chromium ${r.chromium} (headless); page-side times in ms\n`);
  console.log(`${running}\n`);
  console.log('| measure | n | p50 | p99 | max | target |');
  console.log('|---------|---|-----|-----|-----|--------|');
  console.log(`| open, cold page load → ${PODS} rows painted | ${r.open.cold.n} | ${f(r.open.cold.p50)} | | ${f(r.open.cold.max)} | ≤ 1000 |`);
  console.log(`| open, switch from Clusters → ${PODS} rows painted | ${r.open.switch.n} | ${f(r.open.switch.p50)} | | ${f(r.open.switch.max)} | ≤ 1000 |`);
  console.log(`| floor: list through /k8s + plain DOM table, painted | ${r.floor.n} | ${f(r.floor.p50)} | | ${f(r.floor.max)} | |`);
  console.log(`|   of which fetch + parse / DOM + paint (p50) | | ${f(r.floor.fetchP50)} / ${f(r.floor.renderP50)} | | | |`);
  console.log(`| churn: click → effect painted (open/close drawer) | ${r.churn.input.n} | ${f(r.churn.input.p50)} | ${f(r.churn.input.p99)} | ${f(r.churn.input.max)} | (INP "good" ≤ 200) |`);
  console.log(`| churn: pod change seen by watch → row painted | ${r.churn.freshness.n} | ${f(r.churn.freshness.p50)} | ${f(r.churn.freshness.p99)} | ${f(r.churn.freshness.max)} | ≤ 1000 |`);
  console.log(`\nratio open / floor (p50): cold ${r.ratio.cold.toFixed(2)}x, switch ${r.ratio.switch.toFixed(2)}x (the cold open also loads and starts the app)`);
  const ph = (x: Phases) => `${f(x.toRequest)} until the list request, ${f(x.request)} for it, ${f(x.toPaint)} from its answer to the painted rows`;
  console.log(`open in parts (p50 of each): cold ${ph(r.open.cold.phasesP50)}; switch ${ph(r.open.switch.phasesP50)}`);
  console.log(`cold open: rows in the DOM at p50 ${f(r.open.cold.domP50)} ms; long tasks ${r.open.cold.longTasks.count} over ${r.open.cold.n} loads, max ${f(r.open.cold.longTasks.maxMs)} ms`);
  console.log(`switch open: long tasks ${r.open.switch.longTasks.count} over ${r.open.switch.n} switches, max ${f(r.open.switch.longTasks.maxMs)} ms`);
  console.log(
    `churn: ${r.churn.seconds.toFixed(0)} s from the first change the watch saw (${f(firstChangeMs)} ms after a rollout restart; then ${steps.map((s) => `${s.what} at ${(s.at / 1000).toFixed(0)} s`).join(', ')}); ${r.churn.freshness.events} pod events, ` +
      `${r.churn.freshness.missed} never shown within 10 s; long tasks ${r.churn.longTasks.count}, total ${f(r.churn.longTasks.totalMs)} ms, max ${f(r.churn.longTasks.maxMs)} ms; ` +
      `clicks: open p50 ${f(r.churn.inputOpen.p50)} / close p50 ${f(r.churn.inputClose.p50)} ms, ${missedClicks} missed a row, ${noEffect} without effect in 5 s`,
  );
  if (problems.length) console.log(`page errors: ${problems.join('; ')}`);
  if (PROFILE) console.log(`CPU profiles: ${PROFILE}-open.cpuprofile, ${PROFILE}-churn.cpuprofile (open them in DevTools' Performance panel)`);
  console.log(JSON.stringify(result));
} catch (err) {
  failed = true;
  if (!interrupted) console.error(`bench:ui failed: ${(err as Error).stack ?? err}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
