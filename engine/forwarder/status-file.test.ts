import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { controlPlaneLocation } from './location.js';
import { forwarderFiles, formatStatus, parseStatus, readStatus, writeStatus, type ForwarderStatus } from './status-file.js';

const status: ForwarderStatus = {
  pid: 4242,
  cluster: 'dev',
  startedAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:00:05.000Z',
  watching: true,
  forwarded: [
    { hostPort: 31000, nodePort: 31000, service: 'default/b', portName: '', via: 'NodePort' },
    { hostPort: 30080, nodePort: 30080, service: 'default/a', portName: 'http', via: 'NodePort' },
  ],
  failed: [{ hostPort: 8080, service: 'default/lb', error: 'host port 127.0.0.1:8080 is in use by another program', since: '2024-05-01T10:00:01.000Z' }],
};

describe('forwarder status file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('lives beside the cluster\'s other state', () => {
    expect(forwarderFiles('/h', 'dev')).toEqual({
      dir: join('/h', 'clusters', 'dev'),
      pidFile: join('/h', 'clusters', 'dev', 'forwarder.pid'),
      statusFile: join('/h', 'clusters', 'dev', 'forwarder.json'),
      logFile: join('/h', 'clusters', 'dev', 'forwarder.log'),
    });
  });

  it('formats ports in order and reads back what it wrote', async () => {
    const text = formatStatus(status);
    expect(JSON.parse(text).forwarded.map((p: { hostPort: number }) => p.hostPort)).toEqual([30080, 31000]);
    expect(parseStatus(text)).toEqual({ ...status, forwarded: [status.forwarded[1], status.forwarded[0]] });
    dir = await mkdtemp(join(tmpdir(), 'kubelab-fwd-'));
    const file = join(dir, 'forwarder.json');
    await writeStatus(file, status);
    expect((await readStatus(file))?.failed[0]?.hostPort).toBe(8080);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('treats torn or foreign files as no status', async () => {
    expect(parseStatus('{"pid": 1')).toBeUndefined();
    expect(parseStatus('null')).toBeUndefined();
    expect(parseStatus('{"pid": 1, "cluster": "dev", "forwarded": [{}], "failed": []}')).toBeUndefined();
    expect(parseStatus('{"pid": "1", "cluster": "dev", "forwarded": [], "failed": []}')).toBeUndefined();
    dir = await mkdtemp(join(tmpdir(), 'kubelab-fwd-'));
    expect(await readStatus(join(dir, 'missing.json'))).toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '');
    expect(await readStatus(join(dir, 'bad.json'))).toBeUndefined();
  });
});

describe('controlPlaneLocation', () => {
  const cp = (state: string, ports: Array<{ container: number; host: number }>) => ({ name: 'dev-control-plane', cluster: 'dev', role: 'control-plane' as const, index: 0, state, ip: '172.30.0.2', ports });
  it('reads the published apiserver and tunnel ports', () => {
    expect(controlPlaneLocation([cp('running', [{ container: 6443, host: 41000 }, { container: 6444, host: 41001 }])])).toEqual({ state: 'running', apiPort: 41000, tunnelPort: 41001 });
  });
  it('tells stopped, deleted and pre-tunnel clusters apart', () => {
    expect(controlPlaneLocation([])).toEqual({ state: 'gone' });
    expect(controlPlaneLocation([cp('exited', [])])).toEqual({ state: 'stopped' });
    expect(controlPlaneLocation([cp('running', [{ container: 6443, host: 41000 }, { container: 2376, host: 41002 }])])).toEqual({ state: 'no-tunnel', apiPort: 41000 });
  });
});
