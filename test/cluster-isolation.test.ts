// Two clusters side by side on one engine, and delete touching nothing but its own cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { clusterName, engineFor, forceRemove, kubelab, objectsOf, testHome } from './helpers/kubelab.js';
import { askEcho, loadImage, nested, startClient, startEchoServer } from './helpers/pods.js';

const home = testHome();
const a = clusterName('iso-a');
const b = clusterName('iso-b');
let engine: Engine;
let unrelated: string | undefined;

describe.sequential('two clusters side by side', () => {
  beforeAll(async () => {
    engine = engineFor(home);
    // Both starts at once: each gets its own network, subnet and nodes.
    const [ra, rb] = await Promise.all([
      kubelab(['start', '--name', a, '--nodes', '2'], { home }),
      kubelab(['start', '--name', b, '--nodes', '2'], { home }),
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
  });

  afterAll(async () => {
    if (unrelated) await engine.docker.getContainer(unrelated).remove({ force: true }).catch(() => undefined);
    await forceRemove(a);
    await forceRemove(b);
  });

  it('puts them on separate networks with the same pod ranges inside each', async () => {
    const [sa, sb] = await Promise.all([engine.provider.networkSubnet(a), engine.provider.networkSubnet(b)]);
    expect(sa).toBeDefined();
    expect(sb).toBeDefined();
    expect(sa).not.toBe(sb);
    const list = JSON.parse((await kubelab(['list', '--output', 'json'], { home })).stdout) as Array<{ name: string; state: string; nodes: unknown[] }>;
    for (const n of [a, b]) expect(list.find((c) => c.name === n)).toMatchObject({ state: 'running', nodes: [expect.anything(), expect.anything()] });
  });

  it('runs the pod network of each cluster on its own', async () => {
    const busybox = await engine.busyboxImage(() => {});
    for (const c of [a, b]) {
      await Promise.all([loadImage(engine, `${c}-control-plane`, busybox), loadImage(engine, `${c}-worker`, busybox)]);
      const server = await startEchoServer(engine, `${c}-worker`, busybox);
      const client = await startClient(engine, `${c}-control-plane`, busybox);
      expect(await askEcho(engine, `${c}-control-plane`, server)).toBe(client);
    }
  });

  it('deletes one cluster and nothing else', async () => {
    const busybox = await engine.busyboxImage(() => {});
    const c = await engine.docker.createContainer({ Image: busybox, Cmd: ['sleep', '600'], Labels: { 'io.kubelab.test': 'unrelated' } });
    unrelated = c.id;
    await c.start();

    const del = await kubelab(['delete', a], { home });
    expect(del.code, del.stderr).toBe(0);
    expect(await objectsOf(a)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect(await objectsOf(b)).toEqual({ containers: 2, networks: 1, volumes: 2 });
    expect((await c.inspect()).State.Running).toBe(true);
    const status = await kubelab(['status', b], { home });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(`Cluster ${b}: running`);
  });
});
