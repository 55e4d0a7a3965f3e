// npm run bench:pods: pod start-up latency on a fresh 4-node cluster (1 control plane + 3 workers),
// the shape of Kubernetes' node-throughput test — 100 pods created at 5 pods/s, each timed from
// the create request to the watch event that shows it Running — beside the floor: a plain
// `docker run -d` of the same container on a worker's nested runtime. Also the memory of the
// control plane and of one worker, idle and with the pods running.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { RestClient } from '../engine/client/rest-client.js';
import { createEngine } from '../engine/index.js';

const PODS = Number(process.env.BENCH_PODS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 5);
const FLOOR_RUNS = Number(process.env.BENCH_FLOOR_RUNS ?? 20);
const IMAGE = 'kubelab/busybox:1';
const BIN = fileURLToPath(new URL('../bin/kubelab.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
const kubeconfig = join(home, 'kubeconfig');
const env = { ...process.env, KUBELAB_HOME: home, KUBECONFIG: kubeconfig };
const cluster = `bench-pods-${process.pid}`;
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

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Memory of a node's processes: RSS and PSS (shared pages split among their users) by group, in MB, and the container's own figure. */
async function memory(node: string): Promise<{ groups: Record<string, { rss: number; pss: number }>; container: string }> {
  const out = await inNode(
    node,
    'for p in /proc/[0-9]*; do c=$(tr "\\0" " " < $p/cmdline 2>/dev/null | cut -c1-80); [ -n "$c" ] || continue; ' +
      'r=$(awk \'/^Rss:/{r=$2} /^Pss:/{p=$2} END{print r, p}\' $p/smaps_rollup 2>/dev/null); echo "$r|$c"; done',
  );
  const groups: Record<string, { rss: number; pss: number }> = {};
  for (const line of out.split('\n')) {
    const [sizes, cmd] = line.split('|');
    if (!sizes || !cmd) continue;
    const [rss, pss] = sizes.trim().split(/\s+/).map(Number) as [number, number];
    if (!rss) continue;
    const group =
      /cluster\.cjs (\S+)/.exec(cmd)?.[1] ??
      (/^dockerd /.test(cmd) ? 'dockerd' : /containerd-shim/.test(cmd) ? 'containerd-shims' : /^containerd /.test(cmd) ? 'containerd' : /^etcd /.test(cmd) ? 'etcd' : /docker-init/.test(cmd) ? 'docker-init' : /^(sh -c for p|awk|tr|cut)/.test(cmd) ? undefined : 'pods');
    if (!group) continue;
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
  return { groups, container: stats };
}

const KUBELAB_GROUPS = ['supervisor', 'node-agent', 'dockerd', 'containerd', 'containerd-shims', 'docker-init'];
const CONTROL_GROUPS = ['etcd', 'apiserver', 'controller-manager', 'scheduler'];
const sum = (m: Record<string, { rss: number; pss: number }>, names: string[], k: 'rss' | 'pss') => names.reduce((a, n) => a + (m[n]?.[k] ?? 0), 0);

let failed = false;
try {
  console.log(`bench:pods — creating a 4-node cluster ${cluster} …`);
  await kubelab(['start', '--name', cluster, '--nodes', '4']);
  const config = parseYaml(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ name: string; cluster: { server: string } }> };
  const server = config.clusters.find((c) => c.name === `kubelab-${cluster}`)!.cluster.server;
  const pki = join(home, 'clusters', cluster, 'pki');
  const client = new RestClient({ server, ca: readFileSync(join(pki, 'ca.crt'), 'utf8'), cert: readFileSync(join(pki, 'admin.crt'), 'utf8'), key: readFileSync(join(pki, 'admin.key'), 'utf8'), userAgent: 'bench-pods' });
  for (;;) {
    const nodes = await client.list<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('/api/v1/nodes');
    if (nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 4) break;
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
    `for i in $(seq 1 ${FLOOR_RUNS}); do s=$(date +%s%N); docker run -d --name bench-floor-$i --label io.kubelab.bench=floor ${IMAGE} sleep 3600 >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done; ` +
      `docker rm -f $(docker ps -aq --filter label=io.kubelab.bench=floor) >/dev/null`,
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
        `for i in $(seq 1 ${perNode}); do ( s=$(date +%s%N); docker run -d --label io.kubelab.bench=floor ${IMAGE} sleep 3600 >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )) ) & sleep ${interval}; done; wait; ` +
          `docker rm -f $(docker ps -aq --filter label=io.kubelab.bench=floor) >/dev/null`,
      ),
    ),
  );
  const loadedFloor = loadedOut.join('\n').split('\n').filter(Boolean).map((us) => Number(us) / 1000);
  await sleep(5000);

  // 100 pods at 5/s, each timed from its create request to the watch event showing it Running.
  const sent = new Map<string, number>();
  const latency = new Map<string, number>();
  const running = (p: { status?: { phase?: string; containerStatuses?: Array<{ state?: { running?: unknown } }> } }) => p.status?.phase === 'Running' && Boolean(p.status.containerStatuses?.[0]?.state?.running);
  const allRunning = new Promise<void>((resolve, reject) => {
    const watch = client.watch<{ metadata: { name: string }; status?: { phase?: string; containerStatuses?: Array<{ state?: { running?: unknown } }> } }>(
      '/api/v1/namespaces/bench/pods',
      { timeoutSeconds: 600 },
      (e) => {
        const name = e.object.metadata.name;
        if (latency.has(name) || !sent.has(name) || !running(e.object)) return;
        latency.set(name, performance.now() - sent.get(name)!);
        if (latency.size === PODS) {
          watch.stop();
          resolve();
        }
      },
      (err) => err && reject(err),
    );
  });
  await sleep(500);
  const began = performance.now();
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < PODS; i++) {
    const at = began + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    const name = `p-${String(i).padStart(3, '0')}`;
    sent.set(name, performance.now());
    creates.push(client.create('/api/v1/namespaces/bench/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'bench' },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
    }));
  }
  await Promise.all(creates);
  await Promise.race([allRunning, sleep(300_000).then(() => Promise.reject(new Error(`only ${latency.size} of ${PODS} pods Running after 5 minutes`)))]);
  const lat = [...latency.values()];
  await sleep(10_000);
  const busyWorker = await memory(worker);
  const busyCp = await memory(cp);
  const podsPerWorker = await client.list<{ spec: { nodeName?: string } }>('/api/v1/namespaces/bench/pods');
  const onWorker = podsPerWorker.items.filter((p) => p.spec.nodeName === worker).length;

  const f = (n: number) => n.toFixed(0);
  console.log(`\npod start-up: ${PODS} pods at ${RATE}/s over 3 workers, create request → watch shows Running (ms)\n`);
  console.log('|                         | p50 | p90 | p99 | max |');
  console.log('|-------------------------|-----|-----|-----|-----|');
  console.log(`| kubelab pod              | ${f(pct(lat, 50))} | ${f(pct(lat, 90))} | ${f(pct(lat, 99))} | ${f(Math.max(...lat))} |`);
  console.log(`| floor: docker run -d (${FLOOR_RUNS}) | ${f(pct(floor, 50))} | ${f(pct(floor, 90))} | ${f(pct(floor, 99))} | ${f(Math.max(...floor))} |`);
  console.log(`| floor at the same rate (${loadedFloor.length} docker runs at ${RATE}/s over 3 workers) | ${f(pct(loadedFloor, 50))} | ${f(pct(loadedFloor, 90))} | ${f(pct(loadedFloor, 99))} | ${f(Math.max(...loadedFloor))} |`);
  console.log(`\nratio to the same-rate floor: p50 ${(pct(lat, 50) / pct(loadedFloor, 50)).toFixed(2)}x, p99 ${(pct(lat, 99) / pct(loadedFloor, 99)).toFixed(2)}x`);
  console.log(`ratio p50 ${(pct(lat, 50) / pct(floor, 50)).toFixed(2)}x, p99 ${(pct(lat, 99) / pct(floor, 99)).toFixed(2)}x (targets: p99 <= 1500 ms and <= 1.5x the floor)`);
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
      rate: RATE,
      latencyMs: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: Math.max(...lat) },
      floorMs: { p50: pct(floor, 50), p90: pct(floor, 90), p99: pct(floor, 99), max: Math.max(...floor) },
      loadedFloorMs: { p50: pct(loadedFloor, 50), p90: pct(loadedFloor, 90), p99: pct(loadedFloor, 99), max: Math.max(...loadedFloor) },
      workerIdle: { rss: sum(idleWorker.groups, KUBELAB_GROUPS, 'rss'), pss: sum(idleWorker.groups, KUBELAB_GROUPS, 'pss'), container: idleWorker.container },
      workerBusy: { pods: onWorker, rss: sum(busyWorker.groups, KUBELAB_GROUPS, 'rss'), pss: sum(busyWorker.groups, KUBELAB_GROUPS, 'pss'), container: busyWorker.container },
      controlPlaneIdle: { rss: sum(idleCp.groups, CONTROL_GROUPS, 'rss'), pss: sum(idleCp.groups, CONTROL_GROUPS, 'pss') },
      controlPlaneBusy: { rss: sum(busyCp.groups, CONTROL_GROUPS, 'rss'), pss: sum(busyCp.groups, CONTROL_GROUPS, 'pss') },
    }),
  );
} catch (err) {
  failed = true;
  console.error(`bench:pods failed: ${(err as Error).message}`);
} finally {
  if (process.env.BENCH_KEEP) {
    console.log(`kept cluster ${cluster} (KUBELAB_HOME=${home}); delete it with: KUBELAB_HOME=${home} node bin/kubelab.js delete ${cluster}`);
  } else {
    await kubelab(['delete', cluster]).catch(() => engine.provider.deleteCluster(cluster));
    rmSync(home, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
