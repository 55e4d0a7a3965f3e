import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** A real etcd (Debian's etcd-server) on 127.0.0.1, with its own data folder. */
export interface TestEtcd {
  endpoint: string;
  /** Kills etcd (by its PID) and removes its data. */
  stop(): Promise<void>;
  /** Kills etcd with SIGKILL and starts it again on the same data. */
  crash(): Promise<void>;
}

/** Starts etcd on free loopback ports and waits until it answers. */
export async function startEtcd(): Promise<TestEtcd> {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${client}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('etcd', [
      '--name', 'test', '--data-dir', join(dir, 'data'),
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `test=http://127.0.0.1:${peer}`, '--logger', 'zap', '--log-outputs', join(dir, 'etcd.log'),
    ], { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`${endpoint}/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`etcd did not start (log in ${dir}/etcd.log)`);
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    endpoint,
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async crash() {
      await kill('SIGKILL');
      await launch();
    },
  };
}
