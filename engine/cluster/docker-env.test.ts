import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../docker/provider.js';
import { detectShell, dockerEnvScript, dockerTarget, dockerUnsetScript } from './docker-env.js';

const target = { cluster: 'lab', node: 'lab-control-plane', host: 'tcp://127.0.0.1:32801', certPath: "/home/o'neil/.kubelab/clusters/lab/docker" };
const node = (over: Partial<NodeInfo>): NodeInfo => ({ name: 'lab-control-plane', cluster: 'lab', role: 'control-plane', index: 0, state: 'running', ip: '172.30.0.2', ports: [{ container: 6443, host: 40001 }, { container: 2376, host: 32801 }], ...over });

/** Runs `script` then `after` in a real bash with `env`; returns what `after` printed. */
function bash(script: string, after: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-c', `${script}\n${after}`], { env: { PATH: process.env.PATH ?? '', ...env } }).toString();
}

describe('docker-env', () => {
  it('points a real bash at the node and keeps the user\'s own docker settings for --unset', () => {
    const before = { DOCKER_HOST: 'unix:///run/user/1000/docker.sock', DOCKER_CERT_PATH: '/etc/mine' };
    const set = dockerEnvScript('bash', target, before, 'kubelab docker-env');
    const seen = bash(set, 'echo "$DOCKER_HOST|$DOCKER_TLS_VERIFY|$DOCKER_CERT_PATH|$KUBELAB_DOCKER_ENV"', before);
    expect(seen.trim()).toBe(`tcp://127.0.0.1:32801|1|${target.certPath}|lab/lab-control-plane`);
    // The shell after eval: what --unset sees in its environment.
    const during = Object.fromEntries(bash(set, 'env', before).split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const unset = dockerUnsetScript('bash', during, 'kubelab docker-env --unset');
    const after = bash(`${set}\n${unset}`, 'echo "${DOCKER_HOST-none}|${DOCKER_TLS_VERIFY-none}|${DOCKER_CERT_PATH-none}|${KUBELAB_DOCKER_ENV-none}|${KUBELAB_SAVED_DOCKER_HOST-none}"', before);
    expect(after.trim()).toBe('unix:///run/user/1000/docker.sock|none|/etc/mine|none|none');
  }, 30_000); // runs bash several times; slow when the machine is busy

  it('does not save kubelab\'s own values when pointed at another node', () => {
    const active = { DOCKER_HOST: 'tcp://127.0.0.1:1', KUBELAB_DOCKER_ENV: 'lab/lab-worker', KUBELAB_SAVED_DOCKER_VARS: '' };
    const script = dockerEnvScript('bash', target, active, 'kubelab docker-env');
    expect(script).not.toContain('KUBELAB_SAVED');
    // No saved list at all (docker-env never ran): --unset simply clears the docker variables.
    expect(dockerUnsetScript('bash', { DOCKER_HOST: 'tcp://x' }, 'k')).toMatch(/^unset DOCKER_HOST$/m);
  });

  it('speaks fish, PowerShell and cmd', () => {
    expect(dockerEnvScript('fish', target, {}, 'kubelab docker-env')).toContain("set -gx DOCKER_CERT_PATH '/home/o\\'neil/.kubelab/clusters/lab/docker';");
    expect(dockerEnvScript('fish', target, {}, 'kubelab docker-env')).toContain('# kubelab docker-env | source');
    expect(dockerEnvScript('powershell', target, {}, 'kubelab docker-env')).toContain("$Env:DOCKER_CERT_PATH = '/home/o''neil/.kubelab/clusters/lab/docker'");
    expect(dockerEnvScript('cmd', target, {}, 'kubelab docker-env')).toContain('SET DOCKER_HOST=tcp://127.0.0.1:32801');
    expect(dockerUnsetScript('powershell', {}, 'k')).toContain('Remove-Item Env:\\DOCKER_HOST');
    expect(dockerUnsetScript('fish', {}, 'k')).toContain('set -e DOCKER_TLS_VERIFY;');
  });

  it('detects the shell and refuses unknown ones', () => {
    expect(detectShell(undefined, { SHELL: '/usr/bin/fish' }, 'linux')).toBe('fish');
    expect(detectShell(undefined, { SHELL: '/bin/zsh' }, 'darwin')).toBe('zsh');
    expect(detectShell(undefined, {}, 'linux')).toBe('bash');
    expect(detectShell(undefined, {}, 'win32')).toBe('powershell');
    expect(() => detectShell('tcsh')).toThrow(/unknown shell "tcsh"/);
  });

  it('chooses the control plane or the node named, and refuses stopped nodes and unknown ones', () => {
    const nodes = [node({}), node({ name: 'lab-worker', role: 'worker', index: 1, ports: [{ container: 2376, host: 32802 }] })];
    expect(dockerTarget('lab', nodes, undefined, '/c').host).toBe('tcp://127.0.0.1:32801');
    expect(dockerTarget('lab', nodes, 'worker', '/c')).toMatchObject({ node: 'lab-worker', host: 'tcp://127.0.0.1:32802' });
    expect(() => dockerTarget('lab', nodes, 'nope', '/c')).toThrow(/node "nope" is not part of cluster "lab"/);
    expect(() => dockerTarget('lab', [node({ state: 'exited' })], undefined, '/c')).toThrow(/cluster "lab" is not running/);
    expect(() => dockerTarget('lab', [node({ ports: [] })], undefined, '/c')).toThrow(/does not publish its docker engine/);
  });
});
