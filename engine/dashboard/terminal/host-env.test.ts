import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostShellCommand, hostShellEnv, signalName } from './host-env.js';

describe('hostShellEnv', () => {
  const docker: Array<[string, string]> = [
    ['KUBELAB_SAVED_DOCKER_VARS', ''],
    ['DOCKER_TLS_VERIFY', '1'],
    ['DOCKER_HOST', 'tcp://127.0.0.1:32801'],
  ];
  it('adds KUBECONFIG, the docker-env variables and TERM to the base environment, over what it had', () => {
    const env = hostShellEnv({ HOME: '/home/u', PATH: '/usr/bin', KUBECONFIG: '/home/u/.kube/config', TERM: 'dumb', DOCKER_HOST: 'unix:///x', GONE: undefined }, { kubeconfig: '/k/dev/kubeconfig', docker });
    expect(env).toEqual({
      HOME: '/home/u',
      PATH: '/usr/bin',
      KUBECONFIG: '/k/dev/kubeconfig',
      TERM: 'xterm-256color',
      KUBELAB_SAVED_DOCKER_VARS: '',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_HOST: 'tcp://127.0.0.1:32801',
    });
  });
  it("puts kubelab's kubectl folder first on PATH when asked", () => {
    expect(hostShellEnv({ PATH: '/usr/bin' }, { kubeconfig: 'k', docker: [], prependPath: '/k/bin' }).PATH).toBe(`/k/bin${delimiter}/usr/bin`);
    expect(hostShellEnv({}, { kubeconfig: 'k', docker: [], prependPath: '/k/bin' }).PATH).toBe('/k/bin');
  });
});

describe('hostShellCommand', () => {
  const which = (found: Record<string, string>) => (name: string) => found[name];
  it.each([
    ['the user\'s shell', { SHELL: '/usr/bin/zsh' }, ['/usr/bin/zsh'], {}, { file: '/usr/bin/zsh', args: [] }],
    ['bash when $SHELL is missing', {}, [], { bash: '/usr/bin/bash' }, { file: '/usr/bin/bash', args: [] }],
    ['bash when $SHELL does not exist', { SHELL: '/opt/gone/fish' }, [], { bash: '/bin/bash' }, { file: '/bin/bash', args: [] }],
    ['bash when $SHELL is relative', { SHELL: 'zsh' }, ['zsh'], { bash: '/bin/bash' }, { file: '/bin/bash', args: [] }],
    ['sh when there is no bash', {}, [], {}, { file: '/bin/sh', args: [] }],
  ])('starts %s', (_name, env, files, found, want) => {
    expect(hostShellCommand(env, (p) => (files as string[]).includes(p), which(found as Record<string, string>))).toEqual(want);
  });
});

describe('signalName', () => {
  it('names signals by number', () => {
    expect(signalName(9, { SIGHUP: 1, SIGKILL: 9 })).toBe('SIGKILL');
    expect(signalName(0, { SIGHUP: 1 })).toBeUndefined();
    expect(signalName(77, { SIGHUP: 1 })).toBe('signal 77');
  });
});
