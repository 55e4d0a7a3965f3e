import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerMarker, namespaceDir, netnsName, podRuntimeScript } from './pod-runtime.js';

// Docker's compact spec, as containerd writes it into the bundle (the parts the runtime looks at).
const SPEC = '{"ociVersion":"1.0.2-dev","linux":{"namespaces":[{"type":"mount"},{"type":"network"},{"type":"uts"},{"type":"pid"},{"type":"ipc"}]}}';

describe('the kubelab-pod runtime script', () => {
  let root: string;
  let dir: string;
  let bundle: string;
  let script: string;
  let runcLog: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kl-runtime-'));
    dir = join(root, 'pods');
    bundle = join(root, 'bundle');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'config.json'), SPEC);
    // Stands in for runc: records the arguments it was given (the script's own work is under test).
    runcLog = join(root, 'runc.log');
    writeFileSync(join(root, 'fake-runc'), `#!/bin/sh\necho "$@" > ${runcLog}\n`, { mode: 0o755 });
    script = join(root, 'runtime');
    writeFileSync(script, podRuntimeScript(dir, join(root, 'fake-runc')), { mode: 0o755 });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (args: string[]) => execFileSync(script, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const createArgs = (id: string) => ['--root', '/run/docker/runtime-runc/moby', '--log', '/x/log.json', '--log-format', 'json', 'create', '--bundle', bundle, '--pid-file', '/x/init.pid', id];

  it('points a marked container at its pod\'s network and IPC namespaces, then runs runc with the same arguments', () => {
    mkdirSync(join(dir, 'uid-1', 'containers'), { recursive: true });
    writeFileSync(join(dir, 'uid-1', 'containers', 'c0ffee'), '');
    run(createArgs('c0ffee'));
    const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(spec.linux.namespaces).toEqual([
      { type: 'mount' },
      { type: 'network', path: '/run/netns/kl-uid-1' },
      { type: 'uts' },
      { type: 'pid' },
      { type: 'ipc', path: join(dir, 'uid-1', 'ipc') },
    ]);
    expect(readFileSync(runcLog, 'utf8').trim()).toBe(createArgs('c0ffee').join(' '));
  });

  it('leaves unmarked containers and other commands alone', () => {
    mkdirSync(join(dir, 'uid-1', 'containers'), { recursive: true });
    writeFileSync(join(dir, 'uid-1', 'containers', 'c0ffee'), '');
    run(createArgs('other'));
    expect(readFileSync(join(bundle, 'config.json'), 'utf8')).toBe(SPEC);
    run(['--root', '/r', 'start', 'c0ffee']);
    expect(readFileSync(join(bundle, 'config.json'), 'utf8')).toBe(SPEC);
    expect(readFileSync(runcLog, 'utf8').trim()).toBe('--root /r start c0ffee');
  });

  it('refuses to create a marked container it cannot place in its pod (runc never runs)', () => {
    mkdirSync(join(dir, 'uid-2', 'containers'), { recursive: true });
    writeFileSync(join(dir, 'uid-2', 'containers', 'beef'), '');
    writeFileSync(join(bundle, 'config.json'), '{"linux":{"namespaces":[{"type": "network"}]}}');
    expect(() => run(createArgs('beef'))).toThrow(/cannot place container beef in the namespaces of pod uid-2/);
    expect(() => readFileSync(runcLog)).toThrow();
  });

  it('names paths only from valid uids', () => {
    expect(netnsName('0a1b-2c')).toBe('kl-0a1b-2c');
    expect(containerMarker('0a1b-2c', 'abc')).toBe('/run/kubelab/pods/0a1b-2c/containers/abc');
    expect(() => namespaceDir('../etc')).toThrow('invalid pod uid');
    expect(() => namespaceDir('a b')).toThrow('invalid pod uid');
  });
});
