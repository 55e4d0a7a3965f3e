// Services on a real 3-node kubelab cluster with real kubectl: cluster IPs and node ports handed
// out and refused as upstream does, EndpointSlices and Endpoints following pod readiness, the
// proxy's rules on every node (spreading over ready endpoints only, ClientIP affinity, hairpin,
// connection refused without endpoints, node ports), cluster DNS (A, headless, SRV, pod records,
// search paths) and the rules coming back after a cluster stop/start.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { eventually } from './helpers/eventually.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { kubectl } from './helpers/kubectl.js';

const home = testHome();
const name = clusterName('svc');
const kubeconfig = join(home, 'kube', 'config');
const env = { KUBECONFIG: kubeconfig };
const workers = [`${name}-worker`, `${name}-worker2`];
/** The tutorial's local image, built on the host's engine (removed after the suite). */
const ECHO_IMAGE = `kubelab-test/echo:${name}`;
let engine: Engine;

async function k(args: string[], input?: string): Promise<string> {
  const r = await kubectl(kubeconfig, ['-n', 'net', ...args], input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** kubectl that may fail: exit code and both streams. */
const kTry = (args: string[], input?: string) => kubectl(kubeconfig, ['-n', 'net', ...args], input);

const until = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => void (await eventually(what, check, timeoutMs, 500));

/** Runs a shell line in the client pod (on the first worker); its stdout. */
const inClient = async (line: string) => (await kTry(['exec', 'client', '--', 'sh', '-c', line])).stdout.trim();

/** An HTTP GET from the client pod through wget: the body, or '' when it failed. */
const get = (url: string) => inClient(`wget -qO- ${url} 2>/dev/null || true`);

const echo = (replicas: number) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'echo', namespace: 'net' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'echo' } },
      template: {
        metadata: { labels: { app: 'echo' } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [{
            name: 'echo',
            image: 'kubelab/busybox:1',
            // / answers with the pod's name; /cgi-bin/ip with the address the request came from.
            command: ['sh', '-c', [
              'mkdir -p /www/cgi-bin',
              'hostname > /www/index.html',
              'printf "#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho \\$REMOTE_ADDR\\n" > /www/cgi-bin/ip',
              'chmod +x /www/cgi-bin/ip',
              'touch /tmp/ready',
              'exec httpd -f -p 8080 -h /www',
            ].join(' && ')],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1 },
            resources: { requests: { cpu: '20m', memory: '8Mi' } },
          }],
        },
      },
    },
  });

/** Pod names answering `url` from the client over `n` requests. */
async function answers(url: string, n: number): Promise<string[]> {
  const out = await inClient(`for i in $(seq ${n}); do wget -qO- ${url} 2>/dev/null || echo FAILED; done`);
  return out.split('\n').filter(Boolean);
}

/** GET http://127.0.0.1:<port>/ from the host: the body, 'refused' when nothing listens, 'error: …' otherwise. */
const hostGet = (port: number, path = '/') =>
  new Promise<string>((resolve) => {
    // busybox httpd passes CGI headers on with bare LFs, which Node's strict parser refuses.
    const req = request({ host: '127.0.0.1', port, path, timeout: 3000, insecureHTTPParser: true }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : `error: ${err.message}`));
    req.end();
  });

const readyPods = async () =>
  (JSON.parse(await k(['get', 'pods', '-l', 'app=echo', '-o', 'json'])) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string }; status: { podIP?: string; conditions?: Array<{ type: string; status: string }> } }> }).items
    .filter((p) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP! }));

describe.sequential('services and DNS on a 3-node cluster', () => {
  beforeAll(async () => {
    engine = engineFor(home);
    const r = await kubelab(['start', '--name', name, '--nodes', '3'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    await until(async () => ((await kubectl(kubeconfig, ['get', 'nodes', '--no-headers'])).stdout.match(/ Ready /g)?.length ?? 0) === 3, 60_000, 'three Ready nodes');
    await kubectl(kubeconfig, ['create', 'namespace', 'net']);
    await until(async () => (await kTry(['get', 'serviceaccount', 'default'])).code === 0, 20_000, 'the default ServiceAccount');
    await k(['apply', '-f', '-'], echo(3));
    await k(['run', 'client', '--image=kubelab/busybox:1', `--overrides={"spec":{"nodeName":"${workers[0]}"}}`, '--command', '--', 'sleep', '3600']);
    await k(['rollout', 'status', 'deployment/echo', '--timeout=120s']);
    await k(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
    await kubectl(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'deployment/kube-dns', '--timeout=120s']);
  }, 300_000);
  afterAll(async () => {
    await forceRemove(name);
    await engine.docker.getImage(ECHO_IMAGE).remove().catch(() => undefined);
  });

  it('has the kubernetes and kube-dns Services, and tells pods where the apiserver is', async () => {
    const svcs = await kubectl(kubeconfig, ['get', 'svc', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}={.spec.clusterIP}{"\\n"}{end}']);
    expect(svcs.stdout).toContain('default/kubernetes=10.96.0.1');
    expect(svcs.stdout).toContain('kube-system/kube-dns=10.96.0.10');
    const ep = await kubectl(kubeconfig, ['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].ports[0].port}']);
    expect(ep.stdout).toBe('6443');
    expect(await inClient('echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT')).toBe('10.96.0.1:443');
    // The apiserver answers through its Service address (TLS handshake aside, the port is open).
    expect(await inClient('echo | nc -w 3 10.96.0.1 443 >/dev/null && echo open')).toBe('open');
  }, 60_000);

  it('exposes a Deployment: a cluster IP, endpoints of every ready pod, requests spread over all of them', async () => {
    await k(['expose', 'deployment', 'echo', '--port=80', '--target-port=http']);
    const ip = await k(['get', 'svc', 'echo', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(ip).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    const pods = await readyPods();
    await until(async () => (await k(['get', 'endpoints', 'echo', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).split(' ').filter(Boolean).length === 3, 20_000, 'three endpoint addresses');
    const slice = JSON.parse(await k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=echo', '-o', 'json'])) as { items: Array<{ ports: Array<{ name: string; port: number }>; endpoints: Array<{ addresses: string[]; conditions: { ready: boolean } }> }> };
    expect(slice.items[0]!.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(slice.items.flatMap((s) => s.endpoints.map((e) => e.addresses[0])).sort()).toEqual(pods.map((p) => p.ip).sort());
    const seen = await answers(`http://${ip}/`, 30);
    expect(seen).not.toContain('FAILED');
    expect(new Set(seen)).toEqual(new Set(pods.map((p) => p.name)));
  }, 120_000);

  it('resolves Services, headless Services, SRV records and pods by name', async () => {
    const ip = await k(['get', 'svc', 'echo', '-o', 'jsonpath={.spec.clusterIP}']);
    const resolv = await inClient('cat /etc/resolv.conf');
    expect(resolv).toMatch(/^nameserver 10\.96\.0\.10$/m);
    expect(resolv).toMatch(/^search net\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    expect(resolv).toMatch(/^options ndots:5$/m);
    expect(await inClient('nslookup echo.net.svc.cluster.local 2>&1')).toContain(`Address: ${ip}`);
    // Short names go through the search path.
    expect(await get('http://echo/')).toMatch(/^echo-/);
    expect(await get('http://echo.net/')).toMatch(/^echo-/);
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo-headless', namespace: 'net' },
      spec: { clusterIP: 'None', selector: { app: 'echo' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    }));
    const podIPs = (await readyPods()).map((p) => p.ip).sort();
    await until(async () => {
      const out = await inClient('nslookup echo-headless.net.svc.cluster.local 2>&1');
      return podIPs.every((p) => out.includes(`Address: ${p}`));
    }, 20_000, 'the headless name resolving to every ready pod');
    const srv = await inClient('nslookup -type=SRV _http._tcp.echo-headless.net.svc.cluster.local 2>&1');
    expect(srv).toMatch(/8080/);
    const dashed = podIPs[0]!.replace(/\./g, '-');
    expect(await inClient(`nslookup ${dashed}.net.pod.cluster.local 2>&1`)).toContain(`Address: ${podIPs[0]}`);
    expect(await inClient('nslookup no-such-service.net.svc.cluster.local 2>&1; echo rc=$?')).toMatch(/NXDOMAIN|can't find|rc=1/);
  }, 120_000);

  it('sends nothing to pods that are not ready, sticks to one with ClientIP affinity, and lets a pod reach itself', async () => {
    const ip = await k(['get', 'svc', 'echo', '-o', 'jsonpath={.spec.clusterIP}']);
    const [sick, ...healthy] = await readyPods();
    await k(['exec', sick!.name, '--', 'rm', '/tmp/ready']);
    await until(async () => !(await k(['get', 'endpoints', 'echo', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).includes(sick!.ip), 20_000, 'the NotReady pod out of the endpoints');
    await until(async () => !(await answers(`http://${ip}/`, 5)).includes(sick!.name), 10_000, 'the proxy dropping the NotReady pod');
    const seen = await answers(`http://${ip}/`, 30);
    expect(seen).not.toContain(sick!.name);
    expect(new Set(seen)).toEqual(new Set(healthy.map((p) => p.name)));
    await k(['exec', sick!.name, '--', 'touch', '/tmp/ready']);
    await until(async () => (await answers(`http://${ip}/`, 20)).includes(sick!.name), 20_000, 'the pod back in rotation');

    await k(['patch', 'svc', 'echo', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']);
    await until(async () => new Set(await answers(`http://${ip}/`, 15)).size === 1, 15_000, 'one pod for one client');
    await k(['patch', 'svc', 'echo', '-p', '{"spec":{"sessionAffinity":"None"}}']);
    await until(async () => new Set(await answers(`http://${ip}/`, 15)).size > 1, 15_000, 'spreading again without affinity');

    // Hairpin: a pod asks its own Service until it lands on itself; it must be answered.
    const self = (await readyPods())[0]!;
    const own = await kTry(['exec', self.name, '--', 'sh', '-c', `for i in $(seq 30); do wget -qO- http://${ip}/ 2>/dev/null || echo FAILED; done`]);
    const lines = own.stdout.split('\n').filter(Boolean);
    expect(lines).not.toContain('FAILED');
    expect(lines).toContain(self.name);
  }, 180_000);

  it('refuses conflicting addresses and ports, and a Service without endpoints refuses connections at once', async () => {
    const taken = await kTry(['create', 'service', 'clusterip', 'twin', '--tcp=80:80', '--clusterip=10.96.0.10']);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('provided IP is already allocated');
    await k(['create', 'service', 'nodeport', 'np1', '--tcp=80:8080', '--node-port=30080']);
    const dup = await kTry(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', '--node-port=30080']);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toMatch(/spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated/);
    const outside = await kTry(['create', 'service', 'clusterip', 'far', '--tcp=80:80', '--clusterip=192.168.7.7']);
    expect(outside.stderr).toContain('The range of valid IPs is 10.96.0.0/12');
    // np1 selects nothing (kubectl create service selects app=np1): refused, not a hang.
    const ip = await k(['get', 'svc', 'np1', '-o', 'jsonpath={.spec.clusterIP}']);
    const began = Date.now();
    const out = await inClient(`wget -qO- http://${ip}/ 2>&1; echo rc=$?`);
    expect(Date.now() - began).toBeLessThan(5000);
    expect(out).toMatch(/refused|rc=1/);
    // Deleting a Service frees its node port for the next one.
    await k(['delete', 'service', 'np1']);
    await k(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', '--node-port=30080']);
    await k(['delete', 'service', 'np2']);
  }, 60_000);

  it('answers a NodePort on every node, from pods on any node, and on 127.0.0.1 of the host', async () => {
    const began = Date.now();
    await k(['expose', 'deployment', 'echo', '--name=echo-np', '--type=NodePort', '--port=80', '--target-port=8080']);
    const port = await k(['get', 'svc', 'echo-np', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    expect(Number(port)).toBeGreaterThanOrEqual(30000);
    // From the host: the forwarder opens 127.0.0.1:<nodePort> as soon as the Service exists.
    await until(async () => /^echo-/.test(await hostGet(Number(port))), 10_000, `127.0.0.1:${port} answering`);
    console.log(`NodePort ${port} answered on 127.0.0.1 ${Date.now() - began} ms after kubectl expose started`);
    const url = await kubelab(['service', 'echo-np', '-n', 'net', '--cluster', name, '--url'], { home, env });
    expect(url.stdout.trim()).toBe(`http://127.0.0.1:${port}`);
    const nodes = JSON.parse((await kubectl(kubeconfig, ['get', 'nodes', '-o', 'json'])).stdout) as { items: Array<{ status: { addresses: Array<{ type: string; address: string }> } }> };
    const ips = nodes.items.map((n) => n.status.addresses.find((a) => a.type === 'InternalIP')!.address);
    for (const nodeIp of ips) await until(async () => /^echo-/.test(await get(`http://${nodeIp}:${port}/`)), 10_000, `NodePort ${port} on ${nodeIp}`);
  }, 60_000);

  it('closes a deleted Service\'s host port, warns about a host port in use, and serves LoadBalancers on 127.0.0.1', async () => {
    await k(['expose', 'deployment', 'echo', '--name=echo-gone', '--type=NodePort', '--port=80', '--target-port=8080']);
    const gone = Number(await k(['get', 'svc', 'echo-gone', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    await until(async () => /^echo-/.test(await hostGet(gone)), 10_000, 'the second NodePort on the host');
    await k(['delete', 'svc', 'echo-gone']);
    await until(async () => (await hostGet(gone)) === 'refused', 10_000, 'the host port closed');

    // A port some other program holds on the host: a warning Event and a status line; other ports keep working.
    const blocker = createServer(() => {});
    const held = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as AddressInfo).port)));
    try {
      if (held >= 30000 && held <= 32767) {
        await k(['create', 'service', 'nodeport', 'blocked', '--tcp=80:8080', `--node-port=${held}`]);
      } else {
        await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'blocked', namespace: 'net' }, spec: { type: 'LoadBalancer', selector: { app: 'echo' }, ports: [{ port: held, targetPort: 8080 }] } }));
      }
      await until(async () => (await k(['get', 'events', '--field-selector', 'involvedObject.name=blocked', '-o', 'jsonpath={.items[*].reason}'])).includes('HostPortInUse'), 20_000, 'the HostPortInUse event');
      const status = await kubelab(['status', name], { home, env });
      expect(status.stdout).toContain(String(held));
      const np = Number(await k(['get', 'svc', 'echo-np', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
      expect(await hostGet(np)).toMatch(/^echo-/);
    } finally {
      blocker.close();
      await kTry(['delete', 'svc', 'blocked']);
    }

    await k(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo-lb', namespace: 'net' }, spec: { type: 'LoadBalancer', selector: { app: 'echo' }, ports: [{ port: 18080, targetPort: 8080 }] } }));
    await until(async () => (await k(['get', 'svc', 'echo-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) === '127.0.0.1', 20_000, 'the LoadBalancer ingress');
    expect(await hostGet(18080)).toMatch(/^echo-/);
    expect(await k(['get', 'svc', 'echo-lb'])).toMatch(/echo-lb +LoadBalancer +10\.\S+ +127\.0\.0\.1 +18080:3\d{4}\/TCP/);
  }, 120_000);

  it('runs the tutorial: a local image loaded, create deployment, expose as NodePort, open its URL from the host', async () => {
    // An echo server image built on the host's engine, as a user would build one.
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-echo-'));
    const base = await engine.busyboxImage(() => {});
    writeFileSync(join(dir, 'Dockerfile'), [
      `FROM ${base}`,
      'LABEL io.kubelab.test=services',
      'RUN mkdir -p /www/cgi-bin && printf "#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho echo from \\$(hostname) to \\$REMOTE_ADDR\\n" > /www/cgi-bin/echo && chmod +x /www/cgi-bin/echo',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n'));
    await new Promise<void>((resolve, reject) => execFile('docker', ['build', '-q', '-t', ECHO_IMAGE, dir], (err) => (err ? reject(err) : resolve())));
    const load = await kubelab(['image', 'load', ECHO_IMAGE, '--name', name], { home, env });
    expect(load.code, load.stderr).toBe(0);
    await k(['create', 'deployment', 'hello', `--image=${ECHO_IMAGE}`, '--port=8080']);
    await k(['expose', 'deployment', 'hello', '--type=NodePort', '--port=8080']);
    await k(['rollout', 'status', 'deployment/hello', '--timeout=120s']);
    expect(await k(['get', 'pod', '-l', 'app=hello'])).toMatch(/hello-\S+ +1\/1 +Running/);
    const url = (await kubelab(['service', 'hello', '-n', 'net', '--cluster', name, '--url'], { home, env })).stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3\d{4}$/);
    const port = Number(url.split(':').pop());
    let last = '';
    await until(async () => /^echo from hello-/.test((last = await hostGet(port, '/cgi-bin/echo'))), 10_000, 'the tutorial app answering on the host').catch((err: Error) => {
      throw new Error(`${err.message}; last answer: ${last}`);
    });
    const nodes = await kubectl(kubeconfig, ['describe', 'nodes']);
    for (const section of ['Conditions:', 'MemoryPressure', 'Ready', 'Addresses:', 'InternalIP:', 'Capacity:', 'Allocatable:', 'System Info:', 'Container Runtime Version:', 'Kubelet Version:', 'PodCIDR:', 'Non-terminated Pods:', 'Allocated resources:', 'Events:']) {
      expect(nodes.stdout).toContain(section);
    }
    expect(nodes.stdout).toMatch(/net +hello-\S+ +0 \(0%\)/);
  }, 180_000);

  it('programs the rules again after the cluster stops and starts', async () => {
    expect((await kubelab(['stop', name], { home, env })).code).toBe(0);
    expect((await kubelab(['start', '--name', name], { home, env })).code).toBe(0);
    await until(async () => (await kTry(['get', 'pod', 'client', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', 120_000, 'the client pod back');
    await k(['rollout', 'status', 'deployment/echo', '--timeout=120s']);
    await until(async () => /^echo-/.test(await get('http://echo/')), 120_000, 'the Service answering by name after the restart');
    const np = Number(await k(['get', 'svc', 'echo-np', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    await until(async () => /^echo-/.test(await hostGet(np)), 30_000, 'the NodePort on the host after the restart');
  }, 300_000);
});
