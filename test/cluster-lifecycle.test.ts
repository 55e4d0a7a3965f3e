// A 2-node cluster through the real CLI on the real Docker engine: pod network across nodes,
// stop/start, a killed node, node add and delete, and delete leaving nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { clusterName, engineFor, forceRemove, kubelab, objectsOf, testHome } from './helpers/kubelab.js';
import { askEcho, loadImage, nested, startClient, startEchoServer } from './helpers/pods.js';

const home = testHome();
const name = clusterName('life');
const cp = `${name}-control-plane`;
const worker = `${name}-worker`;
const worker2 = `${name}-worker2`;
let engine: Engine;
let busybox: string;

async function routes(node: string): Promise<string> {
  return (await engine.provider.exec(node, ['ip', '-4', 'route', 'show'])).stdout;
}

describe.sequential(`cluster ${name}`, () => {
  beforeAll(async () => {
    engine = engineFor(home);
    const r = await kubelab(['start', '--name', name, '--nodes', '2'], { home });
    expect(r.stderr).not.toMatch(/✗/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Cluster "${name}" created: 2 node(s)`);
    busybox = await engine.busyboxImage(() => {});
    await Promise.all([loadImage(engine, cp, busybox), loadImage(engine, worker, busybox)]);
  });

  afterAll(async () => {
    await forceRemove(name);
  });

  it('gives each node its podCIDR on the nested runtime and a route to the other', async () => {
    expect(await nested(engine, cp, ['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', 'bridge'])).toBe('10.244.0.0/24');
    expect(await nested(engine, worker, ['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', 'bridge'])).toBe('10.244.1.0/24');
    const nodes = await engine.provider.listNodes(name);
    const ip = (n: string) => nodes.find((x) => x.name === n)?.ip;
    expect(await routes(cp)).toContain(`10.244.1.0/24 via ${ip(worker)} dev eth0`);
    expect(await routes(worker)).toContain(`10.244.0.0/24 via ${ip(cp)} dev eth0`);
  });

  it('lets a container on one node reach one on the other by IP, without NAT', async () => {
    const server = await startEchoServer(engine, worker, busybox);
    const client = await startClient(engine, cp, busybox);
    expect(server).toMatch(/^10\.244\.1\./);
    expect(client).toMatch(/^10\.244\.0\./);
    expect(await askEcho(engine, cp, server)).toBe(client);
  });

  it('keeps volume content and routes across stop and start', async () => {
    await engine.provider.exec(worker, ['sh', '-c', 'echo kept > /var/lib/kubelab/marker']);
    const stop = await kubelab(['stop', name], { home });
    expect(stop.code, stop.stderr).toBe(0);
    const stopped = await kubelab(['status', name, '--output', 'json'], { home });
    expect(stopped.code).toBe(3);
    expect(JSON.parse(stopped.stdout).state).toBe('stopped');

    const start = await kubelab(['start', '--name', name], { home });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain(`Cluster "${name}" started`);
    expect((await engine.provider.exec(worker, ['cat', '/var/lib/kubelab/marker'])).stdout).toBe('kept\n');
    expect(await routes(worker)).toContain('10.244.0.0/24 via');
    expect(await routes(cp)).toContain('10.244.1.0/24 via');
    // The nested containers come back with the node (restart policy is theirs to set); start them again.
    await nested(engine, worker, ['start', 'echo']);
    await nested(engine, cp, ['start', 'client']);
    const server = await nested(engine, worker, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'echo']);
    const client = await nested(engine, cp, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'client']);
    expect(await askEcho(engine, cp, server)).toBe(client);
  });

  it('brings a killed node back wired on the next start', async () => {
    await engine.docker.getContainer(worker).kill();
    await engine.docker.getContainer(worker).wait({ condition: 'not-running' }).catch(() => undefined);
    const start = await kubelab(['start', '--name', name], { home });
    expect(start.code, start.stderr).toBe(0);
    expect(await routes(worker)).toContain('10.244.0.0/24 via');
    await nested(engine, worker, ['start', 'echo']);
    const server = await nested(engine, worker, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'echo']);
    const client = await nested(engine, cp, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'client']);
    expect(await askEcho(engine, cp, server)).toBe(client);
  });

  it('wires an added node both ways', async () => {
    const add = await kubelab(['node', 'add', '--name', name], { home });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`Node "${worker2}" added`);
    await loadImage(engine, worker2, busybox);
    expect(await nested(engine, worker2, ['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', 'bridge'])).toBe('10.244.2.0/24');

    // new node → old nodes
    const client2 = await startClient(engine, worker2, busybox);
    const server = await nested(engine, worker, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'echo']);
    expect(await askEcho(engine, worker2, server)).toBe(client2);
    // old node → new node
    const server2 = await startEchoServer(engine, worker2, busybox);
    const client = await nested(engine, cp, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'client']);
    expect(await askEcho(engine, cp, server2)).toBe(client);
  });

  it('unwires and removes a deleted node', async () => {
    const del = await kubelab(['node', 'delete', worker2], { home });
    expect(del.code, del.stderr).toBe(0);
    const status = JSON.parse((await kubelab(['status', name, '-o', 'json'], { home })).stdout);
    expect(status.nodes.map((n: { name: string }) => n.name)).toEqual([cp, worker]);
    await expect.poll(() => routes(cp), { timeout: 10_000 }).not.toContain('10.244.2.0/24');
    expect(await routes(worker)).not.toContain('10.244.2.0/24');
    expect((await objectsOf(name)).volumes).toBe(2);
  });

  it('refuses to delete the control-plane node', async () => {
    const r = await kubelab(['node', 'delete', cp], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is the control plane and cannot be removed');
  });

  it('deletes every container, network and volume of the cluster', async () => {
    const del = await kubelab(['delete', name], { home });
    expect(del.code, del.stderr).toBe(0);
    expect(await objectsOf(name)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    const list = await kubelab(['list', '-o', 'json'], { home });
    expect(JSON.parse(list.stdout).map((c: { name: string }) => c.name)).not.toContain(name);
  });
});
