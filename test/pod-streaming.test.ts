// Pod logs, exec, attach, cp and port-forward through a real apiserver to the node endpoint
// (in-process, on 127.0.0.1) and the host's Docker engine, driven by real kubectl 1.34. The "pod"
// is made on the host engine as the node agent makes pods (labels of engine/kubelet/labels.ts).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { request } from 'node:https';
import type { Server } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, issuerFrom } from '../engine/certs/x509.js';
import { DockerApi } from '../engine/kubelet/docker-api.js';
import { CONTAINER_KIND, CONTAINER_NAME, containerName, MANAGED, POD_NAME, POD_NAMESPACE, POD_UID, RESTART_COUNT, SANDBOX_NAME } from '../engine/kubelet/labels.js';
import { createNodeEndpoint } from '../engine/kubelet/node-endpoint.js';
import { engineFor, testHome } from './helpers/kubelab.js';
import { encodeFrame, FrameParser, OP } from '../engine/wire/websocket-frames.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl, kubectlStream } from './helpers/kubectl.js';

const TEST_LABEL = 'io.kubelab.test';
const TEST_VALUE = 'streaming';
const docker = new DockerApi('/var/run/docker.sock');
const POD = 'stream-pod';
const uid = randomUUID();
const network = `kubelab-test-streaming-${uid.slice(0, 8)}`;

let api: TestApiServer;
let endpoint: Server;
let kc: string;
let image: string;
let dir: string;
let nodePort: number;

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Creates and starts one container of the test pod, labelled as the node agent labels them. */
async function podContainer(container: string, kind: 'sandbox' | 'init' | 'app', attempt: number, cmd: string[], extra: object = {}, sandbox?: string): Promise<string> {
  const labels = {
    [TEST_LABEL]: TEST_VALUE, [MANAGED]: 'true', [POD_NAMESPACE]: 'default', [POD_NAME]: POD, [POD_UID]: uid,
    [CONTAINER_NAME]: container, [CONTAINER_KIND]: kind, [RESTART_COUNT]: String(attempt),
  };
  const id = await docker.createContainer(containerName({ namespace: 'default', name: POD, uid }, container, attempt), {
    Image: image, Cmd: cmd, Labels: labels, ...extra,
    HostConfig: { NetworkMode: sandbox ? `container:${sandbox}` : network },
  });
  await docker.startContainer(id);
  return id;
}

async function waitExited(id: string): Promise<void> {
  for (let i = 0; i < 100 && (await docker.inspectContainer(id)).State.Running; i++) await new Promise((r) => setTimeout(r, 100));
}

async function cleanup(): Promise<void> {
  for (const c of await docker.listContainers([`${TEST_LABEL}=${TEST_VALUE}`])) await docker.removeContainer(c.Id);
  await docker.json({ method: 'DELETE', path: `/networks/${network}` }).catch(() => {});
}

/** Writes a pod's status through pods/status. */
async function writeStatus(name: string, status: object): Promise<void> {
  const current = JSON.parse((await api.raw('GET', `/api/v1/namespaces/default/pods/${name}`)).body);
  const r = await api.raw('PUT', `/api/v1/namespaces/default/pods/${name}/status`, { body: JSON.stringify({ ...current, status }) });
  expect(r.code, r.body).toBe(200);
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/**
 * A WebSocket client of the apiserver speaking v5.channel.k8s.io: sends `messages` (channel byte
 * first) after the handshake, collects what comes back per channel until the server closes.
 */
function wsSession(path: string, messages: Buffer[]): Promise<{ head: string; channels: Record<number, string> }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: api.port, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key, servername: 'localhost' }, () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomUUID().slice(0, 22)}==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`);
    });
    let buf = Buffer.alloc(0);
    let head = '';
    const parser = new FrameParser({ requireMask: false });
    const channels: Record<number, string> = {};
    const mask = Buffer.from([9, 8, 7, 6]);
    sock.on('data', (chunk: Buffer) => {
      if (!head) {
        buf = Buffer.concat([buf, chunk]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = buf.subarray(0, end).toString();
        chunk = buf.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) return resolve({ head, channels });
        for (const m of messages) sock.write(encodeFrame(OP.binary, m, { mask }));
      }
      for (const f of parser.push(chunk)) {
        if (f.opcode === OP.close) {
          sock.end(encodeFrame(OP.close, f.payload.subarray(0, 2), { mask }));
          return resolve({ head, channels });
        }
        if (f.opcode === OP.binary && f.payload.length) channels[f.payload[0]!] = (channels[f.payload[0]!] ?? '') + f.payload.subarray(1).toString();
      }
    });
    sock.on('error', reject);
    sock.on('close', () => resolve({ head, channels }));
  });
}

describe.sequential('pod streaming through the apiserver and the node endpoint', () => {
  beforeAll(async () => {
    // The busybox test image of the current node image (built from it when missing).
    image = await engineFor(testHome()).busyboxImage(() => {});
    dir = mkdtempSync(join(tmpdir(), 'kubelab-streaming-'));
    const port = await freePort();
    nodePort = port;
    api = await startTestApiServer({ nodeEndpointPort: port });
    kc = api.kubeconfig;
    const serving = createCertificate({ commonName: 'test-node', usage: 'server', altNames: ['127.0.0.1', 'localhost'] }, issuerFrom(api.ca, 'kubelab-ca'));
    endpoint = createNodeEndpoint({ node: 'test-node', tls: { key: serving.key, cert: serving.cert, ca: api.ca.cert }, docker });
    await new Promise<void>((r) => endpoint.listen(port, '127.0.0.1', r));

    await cleanup();
    await docker.json({ method: 'POST', path: '/networks/create', body: { Name: network, Labels: { [TEST_LABEL]: TEST_VALUE } } });
    const sandbox = await podContainer(SANDBOX_NAME, 'sandbox', 0, ['sleep', '3600']);
    const init = await podContainer('setup', 'init', 0, ['sh', '-c', 'echo init done'], {}, sandbox);
    const first = await podContainer('app', 'app', 0, ['sh', '-c', 'echo first run; sleep 0.2; echo first err >&2'], {}, sandbox);
    await Promise.all([waitExited(init), waitExited(first)]);
    // Pauses between lines: Docker timestamps stdout and stderr lines in separate copiers.
    const appScript = 'echo line1; sleep 0.2; echo err1 >&2; sleep 0.2; echo line2; mkdir -p /www; echo hello-from-pod > /www/index.html; httpd -p 8080 -h /www; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done';
    await podContainer('app', 'app', 1, ['sh', '-c', appScript], {}, sandbox);
    await podContainer('echo', 'app', 0, ['sh', '-c', 'echo ready; while read l; do echo "got $l"; done; echo bye'], { OpenStdin: true, StdinOnce: true, AttachStdin: true }, sandbox);

    const pod = (name: string, containers: string[], init: string[] = []) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
      spec: { nodeName: 'test-node', containers: containers.map((c) => ({ name: c, image })), ...(init.length ? { initContainers: init.map((c) => ({ name: c, image })) } : {}) },
    });
    for (let i = 0; i < 50; i++) {
      const r = await api.raw('POST', '/api/v1/namespaces/default/pods', { body: JSON.stringify(pod(POD, ['app', 'echo'], ['setup'])) });
      if (r.code === 201) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect((await api.raw('POST', '/api/v1/namespaces/default/pods', { body: JSON.stringify(pod('waiting-pod', ['c'])) })).code).toBe(201);
    const started = new Date().toISOString();
    const terminated = { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started, containerID: 'docker://x' };
    await writeStatus(POD, {
      phase: 'Running', hostIP: '127.0.0.1', podIP: '10.0.0.1',
      initContainerStatuses: [{ name: 'setup', ready: true, restartCount: 0, image, imageID: '', state: { terminated } }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 1, image, imageID: '', state: { running: { startedAt: started } }, lastState: { terminated } },
        { name: 'echo', ready: true, restartCount: 0, image, imageID: '', state: { running: { startedAt: started } } },
      ],
    });
    await writeStatus('waiting-pod', {
      phase: 'Pending', hostIP: '127.0.0.1',
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image, imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    // The app's first lines and its HTTP server are up once "tick" shows; --tail=3 below wants three ticks.
    for (let i = 0; i < 50; i++) {
      const r = await kubectl(kc, ['logs', POD, '-c', 'app']);
      if (r.stdout.includes('tick 3')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
  });

  afterAll(async () => {
    await cleanup();
    endpoint?.close();
    endpoint?.closeAllConnections();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a container log with stdout and stderr interleaved', async () => {
    const r = await kubectl(kc, ['logs', POD, '-c', 'app']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^line1\nerr1\nline2\n(tick \d+\n)+$/);
  });

  it('honours --previous, --timestamps, --tail, --since, --since-time and --limit-bytes', async () => {
    const prev = await kubectl(kc, ['logs', POD, '-c', 'app', '--previous']);
    expect(prev.code, prev.stderr).toBe(0);
    expect(prev.stdout).toBe('first run\nfirst err\n');
    const ts = await kubectl(kc, ['logs', POD, '-c', 'app', '--timestamps', '--tail=3']);
    expect(ts.code, ts.stderr).toBe(0);
    const lines = ts.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z tick \d+$/);
    const tail = await kubectl(kc, ['logs', POD, '-c', 'app', '--tail=1']);
    expect(tail.stdout).toMatch(/^tick \d+\n$/);
    const since = await kubectl(kc, ['logs', POD, '-c', 'app', '--since=1h']);
    expect(since.stdout).toMatch(/^line1\n/);
    const future = await kubectl(kc, ['logs', POD, '-c', 'app', `--since-time=${new Date(Date.now() + 3_600_000).toISOString()}`]);
    expect(future.code, future.stderr).toBe(0);
    expect(future.stdout).toBe('');
    const limited = await kubectl(kc, ['logs', POD, '-c', 'app', '--limit-bytes=8']);
    expect(limited.stdout).toBe('line1\ner');
  });

  it('follows a log with -f', async () => {
    const { child, output } = await kubectlStream(kc, ['logs', '-f', POD, '-c', 'app', '--tail=1']);
    try {
      await new Promise((r) => setTimeout(r, 3500));
      expect(output().match(/tick \d+/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    } finally {
      child.kill();
    }
  });

  it('shows init containers, --all-containers and the waiting and missing-previous errors', async () => {
    const init = await kubectl(kc, ['logs', POD, '-c', 'setup']);
    expect(init.stdout).toBe('init done\n');
    const all = await kubectl(kc, ['logs', POD, '--all-containers', '--prefix']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('[pod/stream-pod/setup] init done');
    expect(all.stdout).toContain('[pod/stream-pod/app] line1');
    expect(all.stdout).toContain('[pod/stream-pod/echo] ready');
    const waiting = await kubectl(kc, ['logs', 'waiting-pod']);
    expect(waiting.code).not.toBe(0);
    expect(waiting.stderr).toContain('container "c" in pod "waiting-pod" is waiting to start: ContainerCreating');
    const noPrev = await kubectl(kc, ['logs', POD, '-c', 'echo', '--previous']);
    expect(noPrev.code).not.toBe(0);
    expect(noPrev.stderr).toContain('previous terminated container "echo" in pod "stream-pod" not found');
  });

  it('runs commands with kubectl exec: output, stdin from a pipe, stderr and exit codes', async () => {
    const hi = await kubectl(kc, ['exec', POD, '-c', 'app', '--', 'echo', 'hi there']);
    expect(hi.code, hi.stderr).toBe(0);
    expect(hi.stdout).toBe('hi there\n');
    const count = await kubectl(kc, ['exec', '-i', POD, '-c', 'app', '--', 'sh', '-c', 'wc -c'], 'x'.repeat(100_000));
    expect(count.code, count.stderr).toBe(0);
    expect(count.stdout.trim()).toBe('100000');
    const err = await kubectl(kc, ['exec', POD, '-c', 'app', '--', 'sh', '-c', 'echo oops >&2']);
    expect(err.code, err.stderr).toBe(0);
    expect(err.stderr).toContain('oops');
    const three = await kubectl(kc, ['exec', POD, '-c', 'app', '--', 'sh', '-c', 'exit 3']);
    expect(three.code).toBe(3);
    expect(three.stderr).toContain('command terminated with exit code 3');
  });

  it('runs a TTY exec over WebSocket v5 and applies resize messages', async () => {
    const cmd = ['sh', '-c', 'sleep 0.5; stty size'].map((c) => `command=${encodeURIComponent(c)}`).join('&');
    const { head, channels } = await wsSession(`/api/v1/namespaces/default/pods/${POD}/exec?container=app&${cmd}&stdout=true&tty=true`, [Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}')])]);
    expect(head).toMatch(/^HTTP\/1\.1 101/);
    expect(head).toMatch(/Sec-WebSocket-Protocol: v5\.channel\.k8s\.io/i);
    expect(channels[1]).toBe('30 100\r\n');
    expect(JSON.parse(channels[3]!)).toEqual({ metadata: {}, status: 'Success' });
  });

  it('answers exec without an upgrade, or into an unknown container, with Status errors', async () => {
    const plain = await api.raw('POST', `/api/v1/namespaces/default/pods/${POD}/exec?command=ls&stdout=true`);
    expect(plain.code).toBe(400);
    expect(JSON.parse(plain.body).message).toBe('Upgrade request required');
    const { head } = await wsSession(`/api/v1/namespaces/default/pods/${POD}/exec?container=nope&command=ls&stdout=true`, []);
    expect(head).toMatch(/^HTTP\/1\.1 400/);
  });

  it('lets only the apiserver use the node endpoint', async () => {
    const code = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: nodePort, path: `/containerLogs/default/${POD}/app`, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(code).toBe(403);
  });

  it('refuses exec to users without pods/exec rights', async () => {
    const r = await kubectl(api.kubeconfig, ['exec', POD, '-c', 'app', '--as', 'jane', '--', 'true']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/forbidden/i);
  });

  it('copies files both ways with kubectl cp', async () => {
    const local = join(dir, 'up.txt');
    writeFileSync(local, 'copied up\n'.repeat(1000));
    const up = await kubectl(kc, ['cp', local, `default/${POD}:/tmp/up.txt`, '-c', 'app']);
    expect(up.code, up.stderr).toBe(0);
    const cat = await kubectl(kc, ['exec', POD, '-c', 'app', '--', 'wc', '-l', '/tmp/up.txt']);
    expect(cat.stdout).toMatch(/^1000 /);
    const back = join(dir, 'down.txt');
    const down = await kubectl(kc, ['cp', `default/${POD}:/tmp/up.txt`, back, '-c', 'app']);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe('copied up\n'.repeat(1000));
  });

  it('forwards a local port to the pod with kubectl port-forward', async () => {
    const local = await freePort();
    const { child, output } = await kubectlStream(kc, ['port-forward', `pod/${POD}`, `${local}:8080`]);
    try {
      for (let i = 0; i < 100 && !output().includes('Forwarding from'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output()).toContain(`Forwarding from 127.0.0.1:${local} -> 8080`);
      expect(await httpGet(local)).toBe('hello-from-pod\n');
      const many = await Promise.all(Array.from({ length: 8 }, () => httpGet(local)));
      expect(many).toEqual(Array(8).fill('hello-from-pod\n'));
      expect(await httpGet(local)).toBe('hello-from-pod\n');
    } finally {
      child.kill();
    }
  });

  it('forwards over plain SPDY too (kubectl without WebSocket port-forward)', async () => {
    const local = await freePort();
    process.env.KUBECTL_PORT_FORWARD_WEBSOCKETS = 'false';
    const { child, output } = await kubectlStream(kc, ['port-forward', `pod/${POD}`, `${local}:8080`]).finally(() => delete process.env.KUBECTL_PORT_FORWARD_WEBSOCKETS);
    try {
      for (let i = 0; i < 100 && !output().includes('Forwarding from'); i++) await new Promise((r) => setTimeout(r, 100));
      const many = await Promise.all(Array.from({ length: 4 }, () => httpGet(local)));
      expect(many).toEqual(Array(4).fill('hello-from-pod\n'));
    } finally {
      child.kill();
    }
  });

  it('attaches to a running container with kubectl attach -i', async () => {
    const r = await kubectl(kc, ['attach', '-i', POD, '-c', 'echo'], 'hello\nworld\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('got hello\ngot world\n');
  });
});
