// npm run bench:pods: pod start-up latency on a fresh 4-node cluster (1 control plane + 3 workers),
// the shape of Kubernetes' node-throughput test — 100 pods created at 5 pods/s, each timed from
// the create request to the watch event that shows it Running — beside the floor: a plain
// `docker run -d` of the same container on a worker's nested runtime, alone and at the same rate,
// and bare containers started at the same rate straight through the workers' Docker API. Also the memory of the
// control plane and of one worker, idle and with the pods running; then a Job of 10 completions
// 5 at a time beside 10 sequential `docker run`s, and an autoscaler's scale-up until Ready.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ApiRequestError, RestClient } from '../engine/client/rest-client.js';
import { createEngine } from '../engine/index.js';
import { cleanUpOnAbort } from './parts/abort.js';
import { benchHpa, benchJob } from './parts/batch-hpa.js';

const PODS = Number(process.env.BENCH_PODS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 5);
const FLOOR_RUNS = Number(process.env.BENCH_FLOOR_RUNS ?? 20);
const IMAGE = 'kubelab/busybox:1';
const BIN = fileURLToPath(new URL('../bin/kubelab.js', import.meta.url));
// BENCH_CLUSTER=NAME (with the caller's KUBELAB_HOME and KUBECONFIG) reuses a running 4-node cluster
// (1 control plane + 3 workers) instead of making one; only the bench namespace is removed at the end.
const REUSE = process.env.BENCH_CLUSTER || undefined;
if (REUSE && !process.env.KUBELAB_HOME) throw new Error('BENCH_CLUSTER needs KUBELAB_HOME (the home the cluster was made with)');
const home = REUSE ? process.env.KUBELAB_HOME! : mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
const kubeconfig = REUSE ? (process.env.KUBECONFIG ?? join(home, 'kubeconfig')) : join(home, 'kubeconfig');
const env = { ...process.env, KUBELAB_HOME: home, KUBECONFIG: kubeconfig };
const cluster = REUSE ?? `bench-pods-${process.pid}`;
const cp = `${cluster}-control-plane`;
const worker = `${cluster}-worker`;
const engine = createEngine({ home });

function kubelab(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubelab ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

async function inNode(node: string, script: string): Promise<string> {
  const r = await engine.provider.exec(node, ['sh', '-c', script]);
  if (r.exitCode !== 0) throw new Error(`in ${node}: ${script.slice(0, 80)}…: ${r.stderr}`);
  return r.stdout;
}

/**
 * Run by node(1) inside a worker: COUNT bare containers (the bench image, no network, no logs),
 * each created and started through the nested dockerd's API at RATE per second from the shared
 * clock time AT plus OFFSET ms; prints each one's create+start time in ms as a JSON array.
 */
const API_FLOOR_SCRIPT = `
const http = require('http');
const [count, rate, at, offset, image, label] = process.argv.slice(1);
const api = (method, path, body) => new Promise((resolve, reject) => {
  const req = http.request({ socketPath: '/var/run/docker.sock', method, path, headers: { 'content-type': 'application/json' } }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => (res.statusCode >= 300 ? reject(new Error(method + ' ' + path + ': ' + res.statusCode + ' ' + text)) : resolve(text ? JSON.parse(text) : null)));
  });
  req.on('error', reject);
  req.end(body ? JSON.stringify(body) : undefined);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
(async () => {
  const times = await Promise.all(Array.from({ length: Number(count) }, async (_, i) => {
    await sleep(Number(at) + Number(offset) + (i * 1000) / Number(rate) - Date.now());
    const t0 = Date.now();
    const c = await api('POST', '/containers/create', { Image: image, Cmd: ['sleep', '3600'], Labels: { 'io.kubelab.test': label }, NetworkDisabled: true, HostConfig: { LogConfig: { Type: 'none', Config: {} } } });
    await api('POST', '/containers/' + c.Id + '/start');
    return Date.now() - t0;
  }));
  console.log(JSON.stringify(times));
})().catch((err) => { console.error(err.message); process.exit(1); });
`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which group a node process belongs to (undefined: the bench's own probe commands). */
function processGroup(cmd: string): string | undefined {
  return (
    /cluster\.cjs (\S+)/.exec(cmd)?.[1] ??
    // The node agent's command shell and what it runs (pinning pods' namespaces, mounts, iptables).
    (/^\/bin\/sh -c while read -r n; do/.test(cmd) ? 'node-agent' : undefined) ??
    (/^dockerd /.test(cmd) ? 'dockerd' : /containerd-shim/.test(cmd) ? 'containerd-shims' : /^containerd /.test(cmd) ? 'containerd' : /^etcd /.test(cmd) ? 'etcd' : /docker-init/.test(cmd) ? 'docker-init' : /^(sh -c for p|awk|tr|cut)/.test(cmd) ? undefined : 'pods')
  );
}

/**
 * A node's processes: RSS and PSS (shared pages split among their users) by group in MB, CPU seconds
 * by group (the processes' own plus their reaped children's, e.g. runc under the shims), and the
 * container's own memory figure.
 */
async function sample(node: string): Promise<{ groups: Record<string, { rss: number; pss: number }>; cpu: Record<string, number>; container: string }> {
  const out = await inNode(
    node,
    'for p in /proc/[0-9]*; do c=$(tr "\\0" " " < $p/cmdline 2>/dev/null | cut -c1-80); [ -n "$c" ] || continue; ' +
      'r=$(awk \'/^VmRSS:/{print $2}\' $p/status 2>/dev/null); s=$(awk \'/^Pss:/{print $2}\' $p/smaps_rollup 2>/dev/null); ' +
      't=$(sed \'s/.*) //\' $p/stat 2>/dev/null | awk \'{print $12+$13+$14+$15}\'); echo "$r $s $t|$c"; done',
  );
  const groups: Record<string, { rss: number; pss: number }> = {};
  const cpu: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const [sizes, cmd] = line.split('|');
    if (!sizes || !cmd) continue;
    const [rss, pss, ticks] = sizes.trim().split(/\s+/).map(Number) as [number, number, number];
    const group = processGroup(cmd);
    if (!group) continue;
    cpu[group] = (cpu[group] ?? 0) + (ticks || 0) / 100;
    if (!rss) continue;
    const g = (groups[group] ??= { rss: 0, pss: 0 });
    g.rss += rss / 1024;
    g.pss += pss / 1024;
  }
  const stats = await new Promise<string>((resolve) => {
    const child = spawn('docker', ['stats', '--no-stream', '--format', '{{.MemUsage}}', node]);
    let s = '';
    child.stdout.on('data', (b: Buffer) => (s += b.toString()));
    child.on('close', () => resolve(s.trim().split(' / ')[0] ?? ''));
  });
  return { groups, cpu, container: stats };
}
const memory = sample;

/** CPU seconds each group spent between two samples (processes that ended in between are not counted). */
function cpuSpent(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((g) => [g, Math.round((after[g]! - (before[g] ?? 0)) * 10) / 10]));
}

/** CPU seconds by group summed over several nodes, each divided by `per` (e.g. per pod). */
function cpuByGroup(nodes: Array<Record<string, number>>, per = 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const groups of nodes) for (const [g, v] of Object.entries(groups)) out[g] = (out[g] ?? 0) + v / per;
  return out;
}

/** `group seconds, …`, busiest first, groups that spent nothing left out. */
function groupList(groups: Record<string, number>, digits?: number): string {
  return Object.entries(groups)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([g, v]) => `${g} ${digits === undefined ? v : v.toFixed(digits)}`)
    .join(', ');
}

type WatchedPod = {
  metadata: { name: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; podIP?: string; containerStatuses?: Array<{ state?: { running?: unknown } }> };
};
type Stage = 'bound' | 'agent' | 'podIP' | 'running';
/** The milestones a pod object shows: bound to a node, a status from its node agent, a pod IP, Running with its container running. */
function reached(p: WatchedPod): Stage[] {
  const out: Stage[] = [];
  if (p.spec?.nodeName) out.push('bound');
  if (p.status?.containerStatuses?.length || p.status?.podIP) out.push('agent');
  if (p.status?.podIP) out.push('podIP');
  if (p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.state?.running) out.push('running');
  return out;
}

/**
 * Creates one bench pod. A request that never got an answer (a pooled keep-alive socket the server
 * closed as it was reused) is sent again once; 409 then means the first one did land.
 */
async function createPod(client: RestClient, name: string): Promise<void> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench' },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
  try {
    await client.create('/api/v1/namespaces/bench/pods', pod);
  } catch (err) {
    if (!(err instanceof ApiRequestError) || err.code !== 0) throw err;
    retriedCreates++;
    await client.create('/api/v1/namespaces/bench/pods', pod).catch((again: unknown) => {
      if (!(again instanceof ApiRequestError) || again.code !== 409) throw again;
    });
  }
}
let retriedCreates = 0;

const KUBELAB_GROUPS = ['supervisor', 'node-agent', 'dockerd', 'containerd', 'containerd-shims', 'docker-init'];
const CONTROL_GROUPS = ['etcd', 'apiserver', 'controller-manager', 'scheduler'];
const sum = (m: Record<string, { rss: number; pss: number }>, names: string[], k: 'rss' | 'pss') => names.reduce((a, n) => a + (m[n]?.[k] ?? 0), 0);

let benchClient: RestClient | undefined;
/** Deletes the bench's cluster and scratch home once (unless BENCH_KEEP), whether the run ended, failed or was interrupted. */
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (REUSE) {
      await benchClient?.delete('/api/v1/namespaces/bench').catch((err: Error) => console.error(`could not delete namespace bench: ${err.message}`));
      return;
    }
    if (process.env.BENCH_KEEP) {
      console.log(`kept cluster ${cluster} (KUBELAB_HOME=${home}); delete it with: KUBELAB_HOME=${home} node bin/kubelab.js delete ${cluster}`);
      return;
    }
    await kubelab(['delete', cluster]).catch(() => engine.provider.deleteCluster(cluster)).catch((err: Error) => console.error(`could not delete ${cluster}: ${err.message}`));
    rmSync(home, { recursive: true, force: true });
  })();
  return cleaning;
}
cleanUpOnAbort('bench:pods', cleanup, REUSE ? 'deleting namespace bench' : `deleting cluster ${cluster}`);

let failed = false;
try {
  if (REUSE) console.log(`bench:pods — on the running cluster ${cluster} …`);
  else {
    console.log(`bench:pods — creating a 4-node cluster ${cluster} …`);
    await kubelab(['start', '--name', cluster, '--nodes', '4']);
  }
  const config = parseYaml(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ name: string; cluster: { server: string } }> };
  const server = config.clusters.find((c) => c.name === `kubelab-${cluster}`)!.cluster.server;
  const pki = join(home, 'clusters', cluster, 'pki');
  const client = new RestClient({ server, ca: readFileSync(join(pki, 'ca.crt'), 'utf8'), cert: readFileSync(join(pki, 'admin.crt'), 'utf8'), key: readFileSync(join(pki, 'admin.key'), 'utf8'), userAgent: 'bench-pods' });
  benchClient = client;
  for (;;) {
    const nodes = await client.list<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('/api/v1/nodes');
    if (nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 4) break;
    await sleep(500);
  }
  // A reused cluster may still be removing the bench namespace of an earlier run.
  for (let i = 0; REUSE && i < 240; i++) {
    const gone = await client.get('/api/v1/namespaces/bench').then(() => false, (err: unknown) => err instanceof ApiRequestError && err.code === 404);
    if (gone) break;
    await sleep(500);
  }
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  for (;;) {
    try {
      await client.get('/api/v1/namespaces/bench/serviceaccounts/default');
      break;
    } catch {
      await sleep(200);
    }
  }
  await sleep(15_000);
  const idleWorker = await memory(worker);
  const idleCp = await memory(cp);

  // The floor: `docker run -d` of the same container on a worker's nested runtime, timed inside the node.
  const floorOut = await inNode(
    worker,
    `for i in $(seq 1 ${FLOOR_RUNS}); do s=$(date +%s%N); docker run -d --name bench-floor-$i --label io.kubelab.test=bench-pods-floor ${IMAGE} sleep 3600 >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done; ` +
      `docker rm -f $(docker ps -aq --filter label=io.kubelab.test=bench-pods-floor) >/dev/null`,
  );
  const floor = floorOut.split('\n').filter(Boolean).map((us) => Number(us) / 1000);
  // The floor under the same load: as many plain `docker run -d`s at the same rate, spread over the three workers.
  const workers = [worker, `${cluster}-worker2`, `${cluster}-worker3`];
  const perNode = Math.ceil(PODS / workers.length);
  const interval = (workers.length / RATE).toFixed(3);
  const loadedOut = await Promise.all(
    workers.map((n) =>
      inNode(
        n,
        `for i in $(seq 1 ${perNode}); do ( s=$(date +%s%N); docker run -d --label io.kubelab.test=bench-pods-floor ${IMAGE} sleep 3600 >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )) ) & sleep ${interval}; done; wait; ` +
          `docker rm -f $(docker ps -aq --filter label=io.kubelab.test=bench-pods-floor) >/dev/null`,
      ),
    ),
  );
  const loadedFloor = loadedOut.join('\n').split('\n').filter(Boolean).map((us) => Number(us) / 1000);
  await sleep(5000);
  // The strictest floor: bare containers created and started straight through each worker's Docker
  // API at the same rate (what the node agent asks of dockerd for a pod, without the docker CLI's
  // own process per run), with the CPU the workers spent on them.
  const apiCpuBefore = await Promise.all(workers.map((n) => sample(n)));
  const apiAt = Date.now() + 2000;
  const apiOut = await Promise.all(
    workers.map(async (n, i) => {
      const r = await engine.provider.exec(n, ['node', '-e', API_FLOOR_SCRIPT, String(perNode), String(RATE / workers.length), String(apiAt), String((i * 1000) / RATE), IMAGE, 'bench-pods-api-floor']);
      if (r.exitCode !== 0) throw new Error(`API floor in ${n}: ${r.stderr}`);
      return JSON.parse(r.stdout) as number[];
    }),
  );
  const apiCpuAfter = await Promise.all(workers.map((n) => sample(n)));
  const apiFloor = apiOut.flat();
  const apiFloorGroups = cpuByGroup(workers.map((_n, i) => cpuSpent(apiCpuBefore[i]!.cpu, apiCpuAfter[i]!.cpu)), apiFloor.length);
  const apiFloorCpu = Object.values(apiFloorGroups).reduce((a, x) => a + x, 0);
  await Promise.all(workers.map((n) => inNode(n, 'docker rm -f $(docker ps -aq --filter label=io.kubelab.test=bench-pods-api-floor) >/dev/null')));
  await sleep(5000);

  // 100 pods at 5/s, each timed from its create request to the watch event showing it Running.
  // Besides Running, the same watch notes when each pod is first seen bound (the scheduler's part), first
  // seen with a status from its node agent, and first seen with its pod IP (the sandbox is up).
  const sent = new Map<string, number>();
  const latency = new Map<string, number>();
  const stages = new Map<string, Partial<Record<Stage, number>>>();
  const allRunning = new Promise<void>((resolve, reject) => {
    const watch = client.watch<WatchedPod>(
      '/api/v1/namespaces/bench/pods',
      { timeoutSeconds: 600 },
      (e) => {
        const name = e.object.metadata.name;
        if (latency.has(name) || !sent.has(name)) return;
        const seen = stages.get(name) ?? {};
        stages.set(name, seen);
        for (const stage of reached(e.object)) seen[stage] ??= performance.now() - sent.get(name)!;
        if (seen.running === undefined) return;
        latency.set(name, seen.running);
        if (latency.size === PODS) {
          watch.stop();
          resolve();
        }
      },
      (err) => err && reject(err),
    );
  });
  allRunning.catch(() => {}); // awaited below; this keeps an early watch failure from crashing the run before then
  await sleep(500);
  const allNodes = [cp, ...workers];
  const cpuBefore = await Promise.all(allNodes.map((n) => sample(n)));
  const began = performance.now();
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < PODS; i++) {
    const at = began + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    const name = `p-${String(i).padStart(3, '0')}`;
    sent.set(name, performance.now());
    const create = createPod(client, name);
    create.catch(() => {}); // awaited below
    creates.push(create);
  }
  await Promise.all(creates);
  await Promise.race([allRunning, sleep(300_000).then(() => Promise.reject(new Error(`only ${latency.size} of ${PODS} pods Running after 5 minutes`)))]);
  const lat = [...latency.values()];
  const cpuAfter = await Promise.all(allNodes.map((n) => sample(n)));
  const cpuByNode = Object.fromEntries(allNodes.map((n, i) => [n.slice(cluster.length + 1), cpuSpent(cpuBefore[i]!.cpu, cpuAfter[i]!.cpu)]));
  await sleep(10_000);
  const busyWorker = await memory(worker);
  const busyCp = await memory(cp);
  const podsPerWorker = await client.list<{ metadata: { name: string; creationTimestamp: string }; spec: { nodeName?: string } }>('/api/v1/namespaces/bench/pods');
  const onWorker = podsPerWorker.items.filter((p) => p.spec.nodeName === worker).length;

  const f = (n: number) => n.toFixed(0);
  console.log(`\npod start-up: ${PODS} pods at ${RATE}/s over 3 workers, create request → watch shows Running (ms)\n`);
  console.log('|                         | p50 | p90 | p99 | max |');
  console.log('|-------------------------|-----|-----|-----|-----|');
  console.log(`| kubelab pod              | ${f(pct(lat, 50))} | ${f(pct(lat, 90))} | ${f(pct(lat, 99))} | ${f(Math.max(...lat))} |`);
  console.log(`| floor: docker run -d (${FLOOR_RUNS}) | ${f(pct(floor, 50))} | ${f(pct(floor, 90))} | ${f(pct(floor, 99))} | ${f(Math.max(...floor))} |`);
  console.log(`| floor at the same rate (${loadedFloor.length} docker runs at ${RATE}/s over 3 workers) | ${f(pct(loadedFloor, 50))} | ${f(pct(loadedFloor, 90))} | ${f(pct(loadedFloor, 99))} | ${f(Math.max(...loadedFloor))} |`);
  console.log(`| floor at the same rate through the Docker API (${apiFloor.length} bare containers, create + start) | ${f(pct(apiFloor, 50))} | ${f(pct(apiFloor, 90))} | ${f(pct(apiFloor, 99))} | ${f(Math.max(...apiFloor))} |`);
  console.log(`\nratio to the same-rate floor: p50 ${(pct(lat, 50) / pct(loadedFloor, 50)).toFixed(2)}x, p99 ${(pct(lat, 99) / pct(loadedFloor, 99)).toFixed(2)}x`);
  console.log(`ratio p50 ${(pct(lat, 50) / pct(floor, 50)).toFixed(2)}x, p99 ${(pct(lat, 99) / pct(floor, 99)).toFixed(2)}x (targets: p99 <= 1500 ms and <= 1.5x the floor)`);
  console.log(`ratio to the same-rate Docker API floor: p50 ${(pct(lat, 50) / pct(apiFloor, 50)).toFixed(2)}x, p99 ${(pct(lat, 99) / pct(apiFloor, 99)).toFixed(2)}x`);
  if (retriedCreates) console.log(`${retriedCreates} create request(s) got no answer (a reused keep-alive socket closed by the server) and were sent again`);
  // Where a pod's time goes: each stage is the gap between the milestones the watch saw (0 when two arrive in one event).
  const order: Stage[] = ['bound', 'agent', 'podIP', 'running'];
  const stageLabels = ['create → bound (apiserver + scheduler)', 'bound → first node-agent status', 'status → pod IP (sandbox up)', 'pod IP → Running (container up)'];
  const breakdown = order.map((stage, i) => {
    const gaps = [...stages.values()].filter((s) => s.running !== undefined).map((s) => (s[stage] ?? s.running!) - (i === 0 ? 0 : s[order[i - 1]!] ?? 0));
    return { stage, p50: pct(gaps, 50), p99: pct(gaps, 99) };
  });
  console.log('\nwhere the time goes (ms, from the same watch)\n');
  console.log('| stage | p50 | p99 |');
  console.log('|-------|-----|-----|');
  breakdown.forEach((b, i) => console.log(`| ${stageLabels[i]} | ${f(b.p50)} | ${f(b.p99)} |`));
  // The node side in steps, from the Events the scheduler and the node agent recorded (1 s resolution):
  // seconds from each pod's creationTimestamp to its Scheduled, Pulled (sandbox and volumes made, image
  // checked), Created and Started events.
  const events = await client.list<{ involvedObject: { name: string }; reason: string; firstTimestamp?: string }>('/api/v1/namespaces/bench/events');
  const created = new Map(podsPerWorker.items.map((p) => [p.metadata.name, Date.parse(p.metadata.creationTimestamp)]));
  const eventReasons = ['Scheduled', 'Pulled', 'Created', 'Started'];
  const eventSteps = eventReasons.map((reason) => {
    const at = events.items.filter((e) => e.reason === reason && e.firstTimestamp && created.has(e.involvedObject.name)).map((e) => (Date.parse(e.firstTimestamp!) - created.get(e.involvedObject.name)!) / 1000);
    return { reason, pods: at.length, p50: at.length ? pct(at, 50) : NaN, p99: at.length ? pct(at, 99) : NaN };
  });
  console.log('\nthe same from Events (s after creationTimestamp, 1 s resolution)\n');
  console.log('| event | pods | p50 | p99 |');
  console.log('|-------|------|-----|-----|');
  for (const e of eventSteps) console.log(`| ${e.reason} | ${e.pods} | ${e.p50} | ${e.p99} |`);
  const cpuTotal = Object.values(cpuByNode).reduce((a, groups) => a + Object.values(groups).reduce((b, x) => b + x, 0), 0);
  console.log(`\nCPU seconds from the first create to the last pod Running, per node and process group (${(cpuTotal / PODS).toFixed(2)} CPU-s per pod in all):`);
  console.log(`  per pod, all nodes: ${groupList(cpuByGroup(Object.values(cpuByNode), PODS), 3)}`);
  console.log(`  per bare container of the Docker API floor, workers: ${apiFloorCpu.toFixed(2)} CPU-s (${groupList(apiFloorGroups, 3)})`);
  for (const [n, groups] of Object.entries(cpuByNode)) console.log(`  ${n}: ${groupList(groups)}`);
  const mb = (n: number) => n.toFixed(0);
  console.log(`\nmemory (MB): RSS sums count shared pages once per process; PSS splits them, so its sum is what the node really uses\n`);
  console.log('|                                   | RSS sum | PSS sum | container (docker stats) |');
  console.log('|-----------------------------------|---------|---------|--------------------------|');
  const row = (what: string, m: Awaited<ReturnType<typeof memory>>, names: string[]) => console.log(`| ${what} | ${mb(sum(m.groups, names, 'rss'))} | ${mb(sum(m.groups, names, 'pss'))} | ${m.container} |`);
  row('worker, idle (kubelab processes)', idleWorker, KUBELAB_GROUPS);
  row(`worker, ${onWorker} pods (kubelab processes)`, busyWorker, KUBELAB_GROUPS);
  row(`worker, ${onWorker} pods (the pods' own processes)`, busyWorker, ['pods']);
  row('control plane, idle (etcd, apiserver, controller-manager, scheduler)', idleCp, CONTROL_GROUPS);
  row('control plane, 100 pods in the cluster', busyCp, CONTROL_GROUPS);
  console.log('\nper process group, worker idle → busy (PSS MB):', Object.fromEntries(KUBELAB_GROUPS.map((g) => [g, `${mb(idleWorker.groups[g]?.pss ?? 0)} → ${mb(busyWorker.groups[g]?.pss ?? 0)}`])));
  console.log('per process group, control plane idle → busy (PSS MB):', Object.fromEntries([...CONTROL_GROUPS, 'supervisor', 'node-agent', 'dockerd', 'containerd'].map((g) => [g, `${mb(idleCp.groups[g]?.pss ?? 0)} → ${mb(busyCp.groups[g]?.pss ?? 0)}`])));
  console.log(
    JSON.stringify({
      pods: PODS,
      retriedCreates,
      rate: RATE,
      latencyMs: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: Math.max(...lat) },
      floorMs: { p50: pct(floor, 50), p90: pct(floor, 90), p99: pct(floor, 99), max: Math.max(...floor) },
      loadedFloorMs: { p50: pct(loadedFloor, 50), p90: pct(loadedFloor, 90), p99: pct(loadedFloor, 99), max: Math.max(...loadedFloor) },
      apiFloorMs: { p50: pct(apiFloor, 50), p90: pct(apiFloor, 90), p99: pct(apiFloor, 99), max: Math.max(...apiFloor), cpuSecondsPerContainer: apiFloorCpu, cpuByGroup: apiFloorGroups },
      cpuSecondsPerPod: cpuTotal / PODS,
      cpuSeconds: cpuByNode,
      stagesMs: Object.fromEntries(breakdown.map((b) => [b.stage, { p50: b.p50, p99: b.p99 }])),
      eventsS: Object.fromEntries(eventSteps.map((e) => [e.reason, { p50: e.p50, p99: e.p99 }])),
      workerIdle: { rss: sum(idleWorker.groups, KUBELAB_GROUPS, 'rss'), pss: sum(idleWorker.groups, KUBELAB_GROUPS, 'pss'), container: idleWorker.container },
      workerBusy: { pods: onWorker, rss: sum(busyWorker.groups, KUBELAB_GROUPS, 'rss'), pss: sum(busyWorker.groups, KUBELAB_GROUPS, 'pss'), container: busyWorker.container },
      controlPlaneIdle: { rss: sum(idleCp.groups, CONTROL_GROUPS, 'rss'), pss: sum(idleCp.groups, CONTROL_GROUPS, 'pss') },
      controlPlaneBusy: { rss: sum(busyCp.groups, CONTROL_GROUPS, 'rss'), pss: sum(busyCp.groups, CONTROL_GROUPS, 'pss') },
    }),
  );

  // The workload controllers: the bench pods go first, so the workers are as before.
  await client.delete('/api/v1/namespaces/bench/pods');
  while ((await client.list('/api/v1/namespaces/bench/pods')).items.length) await sleep(500);
  const job = await benchJob(client, (script) => inNode(worker, script), IMAGE);
  const hpa = await benchHpa(client, IMAGE);
  console.log('\nworkload controllers (ms)\n');
  console.log('|                                                   | kubelab | floor | ratio |');
  console.log('|---------------------------------------------------|---------|-------|-------|');
  console.log(`| Job, 10 completions, parallelism 5 (floor: 10 sequential docker run) | ${f(job.jobMs)} | ${f(job.floorMs)} | ${(job.jobMs / job.floorMs).toFixed(2)}x |`);
  console.log(`| HPA decision → ${hpa.replicas - 1} new pods Ready (floor: docker run -d p50) | ${f(hpa.decisionToReadyMs)} | ${f(pct(floor, 50))} | ${(hpa.decisionToReadyMs / pct(floor, 50)).toFixed(2)}x |`);
  console.log(`HPA created → first scale-up: ${f(hpa.createToDecisionMs)} ms (metrics every 5 s, HPA sync every 15 s)`);
  console.log(JSON.stringify({ job, hpa }));
} catch (err) {
  failed = true;
  console.error(`bench:pods failed: ${(err as Error).message}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
