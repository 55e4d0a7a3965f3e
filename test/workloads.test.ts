// Deployments on a real 3-node kubelab cluster with real kubectl: spreading, rollouts that keep
// serving, history and undo, scaling, pause/resume, describe, scheduling failures, and a worker
// node that dies and comes back.
import { eventually } from './helpers/eventually.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { kubectl, kubectlStream, run, testClient } from './helpers/kubectl.js';
import { nested } from './helpers/pods.js';

const home = testHome();
const name = clusterName('work');
const kubeconfig = join(home, 'kube', 'config');
const env = { KUBECONFIG: kubeconfig };
const cp = `${name}-control-plane`;
const workers = [`${name}-worker`, `${name}-worker2`];
let engine: Engine;

async function k(args: string[], input?: string): Promise<string> {
  const r = await kubectl(kubeconfig, ['-n', 'work', ...args], input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const until = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => void (await eventually(what, check, timeoutMs, 500));

interface PodInfo {
  name: string;
  node: string;
  ip: string;
  ready: boolean;
  terminating: boolean;
  image: string;
}

async function pods(selector: string): Promise<PodInfo[]> {
  const list = JSON.parse(await k(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string; containers: Array<{ image: string }> }; status: { podIP?: string; conditions?: Array<{ type: string; status: string }> } }> };
  return list.items.map((p) => ({
    name: p.metadata.name,
    node: p.spec.nodeName ?? '',
    ip: p.status.podIP ?? '',
    ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    terminating: Boolean(p.metadata.deletionTimestamp),
    image: p.spec.containers[0]!.image,
  }));
}

const deployment = (replicas: number, image: string) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'work', annotations: { 'kubernetes.io/change-cause': `image ${image}` } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [{
            name: 'web',
            image,
            command: ['sh', '-c', 'echo "$(hostname)" > /var/www/index.html; exec httpd -f -p 8080 -h /var/www'],
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            // Leave time for clients to stop choosing this pod before it stops serving.
            lifecycle: { preStop: { exec: { command: ['sleep', '2'] } } },
            resources: { requests: { cpu: '50m', memory: '16Mi' } },
          }],
        },
      },
    },
  });

/** A client inside the control-plane node that GETs the pod IPs written to it, one per line, and answers ok/fail per request. */
function startClient(): { send(ip: string): Promise<boolean>; stop(): void } {
  const child: ChildProcessWithoutNullStreams = spawn('docker', ['exec', '-i', cp, 'sh', '-c', 'while read ip; do if timeout 3 busybox wget -qO- "http://$ip:8080/" >/dev/null 2>&1; then echo ok; else echo fail; fi; done']);
  const waiting: Array<(ok: boolean) => void> = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      waiting.shift()?.(line === 'ok');
    }
  });
  return {
    send: (ip) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${ip}\n`);
      }),
    stop: () => child.kill(),
  };
}

describe.sequential('deployments on a 3-node cluster', () => {
  beforeAll(async () => {
    engine = engineFor(home);
    const r = await kubelab(['start', '--name', name, '--nodes', '3', '--eviction-timeout', '10s'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    await until(async () => ((await kubectl(kubeconfig, ['get', 'nodes', '--no-headers'])).stdout.match(/ Ready /g)?.length ?? 0) === 3, 60_000, 'three Ready nodes');
    await kubectl(kubeconfig, ['create', 'namespace', 'work']);
    await until(async () => (await kubectl(kubeconfig, ['get', '-n', 'work', 'serviceaccount', 'default'])).code === 0, 20_000, 'the default ServiceAccount');
    // A second tag of the built-in image on every node, to roll out to.
    for (const node of [cp, ...workers]) await nested(engine, node, ['tag', 'kubelab/busybox:1', 'kubelab/busybox:2']);
  }, 240_000);
  afterAll(async () => {
    await forceRemove(name);
  });

  it('spreads 3 replicas over the schedulable nodes and reports Available', async () => {
    await k(['apply', '-f', '-'], deployment(3, 'kubelab/busybox:1'));
    await k(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await k(['wait', '--for=condition=Available', 'deployment/web', '--timeout=60s']);
    const running = await pods('app=web');
    expect(running).toHaveLength(3);
    expect(new Set(running.map((p) => p.node))).toEqual(new Set(workers));
    const table = await k(['get', 'deployment', 'web']);
    expect(table).toMatch(/web +3\/3 +3 +3/);
    const events = await k(['describe', 'deployment', 'web']);
    expect(events).toMatch(/ScalingReplicaSet .*Scaled up replica set web-[a-z0-9]+ from 0 to 3/);
  }, 180_000);

  it('rolls out a new image while clients keep getting answers, keeps history and undoes', async () => {
    const client = startClient();
    let requests = 0;
    let failures = 0;
    let done = false;
    const load = (async () => {
      while (!done) {
        const ready = (await pods('app=web')).filter((p) => p.ready && !p.terminating && p.ip);
        for (const p of ready) {
          requests += 1;
          if (!(await client.send(p.ip))) failures += 1;
        }
      }
    })();
    try {
      await k(['set', 'image', 'deployment/web', 'web=kubelab/busybox:2']);
      await k(['annotate', 'deployment/web', 'kubernetes.io/change-cause=image kubelab/busybox:2', '--overwrite']);
      await k(['rollout', 'status', 'deployment/web', '--timeout=180s']);
    } finally {
      done = true;
      await load;
      client.stop();
    }
    expect(requests).toBeGreaterThan(20);
    // maxUnavailable is 0: every request to a pod that was ready must be answered.
    expect(failures).toBe(0);
    expect((await pods('app=web')).filter((p) => !p.terminating).map((p) => p.image)).toEqual(Array(3).fill('kubelab/busybox:2'));
    const history = await k(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/1 +image kubelab\/busybox:1/);
    expect(history).toMatch(/2 +image kubelab\/busybox:2/);
    await k(['rollout', 'undo', 'deployment/web']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=180s']);
    await until(async () => (await pods('app=web')).filter((p) => !p.terminating).every((p) => p.image === 'kubelab/busybox:1'), 60_000, 'the undone image');
    expect(await k(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('kubelab/busybox:1');
  }, 420_000);

  it('scales to 10 and to 0, and pauses and resumes a rollout', async () => {
    await k(['scale', 'deployment/web', '--replicas=10']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=180s']);
    expect((await pods('app=web')).filter((p) => p.ready && !p.terminating)).toHaveLength(10);
    await k(['scale', 'deployment/web', '--replicas=0']);
    await until(async () => (await pods('app=web')).length === 0, 120_000, 'no web pods');
    await k(['scale', 'deployment/web', '--replicas=2']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await k(['rollout', 'pause', 'deployment/web']);
    await k(['set', 'image', 'deployment/web', 'web=kubelab/busybox:2']);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await pods('app=web')).every((p) => p.image === 'kubelab/busybox:1')).toBe(true);
    await k(['rollout', 'resume', 'deployment/web']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=180s']);
    expect((await pods('app=web')).filter((p) => !p.terminating).map((p) => p.image)).toEqual(['kubelab/busybox:2', 'kubelab/busybox:2']);
  }, 420_000);

  it('describes pods and nodes as kubectl users know them', async () => {
    const [first] = await pods('app=web');
    const described = await k(['describe', 'pod', first!.name]);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) expect(described).toMatch(new RegExp(`Normal +${reason} `));
    const node = await kubectl(kubeconfig, ['describe', 'node', first!.node]);
    expect(node.stdout).toContain('Non-terminated Pods:');
    expect(node.stdout).toContain(`work                        ${first!.name}`);
    expect(node.stdout).toContain('Allocated resources:');
    expect(node.stdout).toMatch(/cpu +\d+m \(\d+%\)/);
  });

  it('serves logs, exec, cp, attach and port-forward through the apiserver', async () => {
    const [first] = (await pods('app=web')).filter((p) => p.ready && !p.terminating);
    const pod = first!.name;
    expect((await k(['exec', pod, '--', 'cat', '/var/www/index.html'])).trim()).toBe(pod);
    const failing = await kubectl(kubeconfig, ['-n', 'work', 'exec', pod, '--', 'sh', '-c', 'echo oops >&2; exit 3']);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toContain('oops');
    expect((await k(['exec', '-i', pod, '--', 'wc', '-c'], 'x'.repeat(5000))).trim()).toBe('5000');
    await k(['cp', `${pod}:/var/www/index.html`, join(home, 'index.html')]);
    await k(['cp', join(home, 'index.html'), `${pod}:/tmp/copied.html`]);
    expect((await k(['exec', pod, '--', 'cat', '/tmp/copied.html'])).trim()).toBe(pod);
    // Every httpd request shows up in the pod's log; -f follows new lines.
    const follow = await kubectlStream(kubeconfig, ['-n', 'work', 'logs', '-f', pod]);
    await k(['exec', pod, '--', 'sh', '-c', 'echo marker-line > /proc/1/fd/1']);
    await until(async () => follow.output().includes('marker-line'), 20_000, 'the followed log line');
    follow.child.kill();
    expect(await k(['logs', pod, '--tail=1'])).toContain('marker-line');
    // attach to a container that reads its stdin
    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'reader', namespace: 'work' }, spec: { restartPolicy: 'Never', containers: [{ name: 'reader', image: 'kubelab/busybox:1', stdin: true, command: ['sh', '-c', 'read line; sleep 1; echo "got $line"'] }] } }));
    await k(['wait', '--for=condition=Ready', 'pod/reader', '--timeout=60s']);
    const attached = await kubectl(kubeconfig, ['-n', 'work', 'attach', '-i', 'reader'], 'hello\n');
    expect(attached.stdout).toContain('got hello');
    await until(async () => (await k(['get', 'pod', 'reader', '-o', 'jsonpath={.status.phase}'])) === 'Succeeded', 30_000, 'the reader to finish');
    expect(await k(['logs', 'reader'])).toContain('got hello');
    // an interactive shell through a pseudo-terminal (script gives kubectl a TTY)
    const tty = await run('script', ['-qec', `${await testClient('kubectl')} --kubeconfig ${kubeconfig} -n work exec -it ${pod} -- sh -c 'tty; echo cols=$(stty size)'`, '/dev/null'], { KUBECONFIG: kubeconfig, COLUMNS: '100', LINES: '30' });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/\/dev\/pts\/\d+/);
    // port-forward from 127.0.0.1 to the pod's httpd
    const forward = await kubectlStream(kubeconfig, ['-n', 'work', 'port-forward', `pod/${pod}`, ':8080']);
    try {
      await until(async () => /127\.0\.0\.1:(\d+) ->/.test(forward.output()), 20_000, 'port-forward to listen');
      const port = /127\.0\.0\.1:(\d+) ->/.exec(forward.output())![1];
      const answers = await Promise.all([1, 2, 3].map(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())));
      expect(answers.map((a) => a.trim())).toEqual([pod, pod, pod]);
    } finally {
      forward.child.kill();
    }
  }, 120_000);

  it('keeps pods that fit nowhere Pending with FailedScheduling', async () => {
    await k(['run', 'huge', '--image=kubelab/busybox:1', '--overrides={"spec":{"containers":[{"name":"huge","image":"kubelab/busybox:1","resources":{"requests":{"cpu":"64"}}}]}}']);
    await k(['run', 'picky', '--image=kubelab/busybox:1', '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}', '--command', '--', 'sleep', '3600']);
    await until(async () => (await k(['describe', 'pod', 'huge'])).includes('FailedScheduling'), 30_000, 'FailedScheduling for huge');
    expect(await k(['describe', 'pod', 'huge'])).toMatch(/0\/3 nodes are available: .*Insufficient cpu/);
    await until(async () => (await k(['describe', 'pod', 'picky'])).includes('FailedScheduling'), 30_000, 'FailedScheduling for picky');
    expect(await k(['describe', 'pod', 'picky'])).toMatch(/0\/3 nodes are available: .*didn't match Pod's node affinity\/selector/);
    expect(await k(['get', 'pod', 'huge', 'picky', '--no-headers'])).toMatch(/huge +0\/1 +Pending[\s\S]*picky +0\/1 +Pending/);
    // Labelling a node makes the picky pod schedulable.
    await kubectl(kubeconfig, ['label', 'node', workers[0]!, 'disk=ssd']);
    await k(['wait', '--for=condition=Ready', 'pod/picky', '--timeout=60s']);
    await k(['delete', 'pod', 'huge', 'picky', '--grace-period=1']);
  }, 120_000);

  it('moves pods off a worker that dies and cleans up when it returns', async () => {
    await k(['scale', 'deployment/web', '--replicas=4']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    const victim = workers[1]!;
    const survivor = workers[0]!;
    expect((await pods('app=web')).some((p) => p.node === victim)).toBe(true);
    await new Promise<void>((resolve, reject) => spawn('docker', ['kill', victim]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker kill exited ${code}`)))));
    await until(async () => (await kubectl(kubeconfig, ['get', 'node', victim, '--no-headers'])).stdout.includes('NotReady'), 90_000, `${victim} NotReady`);
    // Eviction after the cluster's 10 s toleration; the ReplicaSet replaces them on the survivor.
    await until(async () => (await pods('app=web')).filter((p) => p.ready && !p.terminating && p.node === survivor).length === 4, 120_000, 'four ready pods on the survivor');
    await new Promise<void>((resolve, reject) => spawn('docker', ['start', victim]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker start exited ${code}`)))));
    await until(async () => / Ready /.test((await kubectl(kubeconfig, ['get', 'node', victim, '--no-headers'])).stdout), 120_000, `${victim} Ready again`);
    await until(async () => (await pods('app=web')).every((p) => !p.terminating), 90_000, 'the evicted pods to be gone');
    const stray = await nested(engine, victim, ['ps', '-a', '--filter', 'label=io.kubernetes.pod.namespace=work', '--format', '{{.Names}}']);
    expect(stray).toBe('');
    const taints = await kubectl(kubeconfig, ['get', 'node', victim, '-o', 'jsonpath={.spec.taints}']);
    expect(taints.stdout).not.toContain('unreachable');
  }, 420_000);
});
