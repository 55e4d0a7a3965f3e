// etcd on the control-plane node: started and restarted by the supervisor, data on the node's volume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { b64, etcdInNode } from './helpers/node-etcd.js';

const home = testHome();
const name = clusterName('etcd');
const cp = `${name}-control-plane`;
let engine: Engine;

async function readKey(key: string): Promise<string | undefined> {
  const res = (await etcdInNode(engine, cp, '/v3/kv/range', { key: b64(key) })) as { kvs?: Array<{ value: string }> };
  const v = res.kvs?.[0]?.value;
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
}

describe.sequential('etcd on the control plane', () => {
  beforeAll(async () => {
    engine = engineFor(home);
    const r = await kubelab(['start', '--name', name, '--nodes', '2'], { home });
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await forceRemove(name);
  });

  it('answers on the control plane, and only there', async () => {
    await expect.poll(() => etcdInNode(engine, cp, '/health').catch(() => ({})), { timeout: 20_000 }).toMatchObject({ health: 'true' });
    const worker = await engine.provider.exec(`${name}-worker`, ['pgrep', '-x', 'etcd']);
    expect(worker.exitCode).toBe(1);
    const put = (await etcdInNode(engine, cp, '/v3/kv/put', { key: b64('/registry/test/kept'), value: b64('yes') })) as { header: { revision: string } };
    expect(Number(put.header.revision)).toBeGreaterThan(1);
    // its data lives on the node's volume
    expect((await engine.provider.exec(cp, ['test', '-d', '/var/lib/etcd/member'])).exitCode).toBe(0);
  });

  it('is restarted by the supervisor after kill -9, with its data', async () => {
    const before = (await engine.provider.exec(cp, ['pgrep', '-x', 'etcd'])).stdout.trim();
    expect(before).toMatch(/^\d+$/);
    await engine.provider.exec(cp, ['pkill', '-9', '-x', 'etcd']);
    await expect.poll(async () => (await engine.provider.exec(cp, ['pgrep', '-x', 'etcd'])).stdout.trim(), { timeout: 15_000 }).toMatch(/^\d+$/);
    expect((await engine.provider.exec(cp, ['pgrep', '-x', 'etcd'])).stdout.trim()).not.toBe(before);
    await expect.poll(() => readKey('/registry/test/kept').catch(() => undefined), { timeout: 15_000 }).toBe('yes');
    const logs = await engine.docker.getContainer(cp).logs({ stdout: true, stderr: true });
    expect(logs.toString()).toMatch(/etcd exited \(SIGKILL\); restarting in 1s/);
  });

  it('keeps its data across kubelab stop and start', async () => {
    expect((await kubelab(['stop', name], { home })).code).toBe(0);
    const start = await kubelab(['start', '--name', name], { home });
    expect(start.code, start.stderr).toBe(0);
    await expect.poll(() => readKey('/registry/test/kept').catch(() => undefined), { timeout: 20_000 }).toBe('yes');
  });
});
