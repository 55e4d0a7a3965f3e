import { describe, expect, it } from 'vitest';
import { channelMessage, exitStatus, parseRemoteCommand, parseResize, pickProtocol } from './remote-command.js';

const q = (s: string) => new URLSearchParams(s);

describe('parseRemoteCommand', () => {
  it.each([
    ['command=sh&command=-c&command=exit%203&stdout=true&stderr=true', 'exec', { command: ['sh', '-c', 'exit 3'], stdin: false, stdout: true, stderr: true, tty: false }],
    ['command=sh&stdin=1&stdout=1&tty=1&stderr=1', 'exec', { command: ['sh'], stdin: true, stdout: true, stderr: false, tty: true }],
    ['stdin=true&stdout=true', 'attach', { command: [], stdin: true, stdout: true, stderr: false, tty: false }],
  ] as const)('reads %s (%s)', (qs, kind, want) => {
    expect(parseRemoteCommand(q(qs), kind)).toEqual(want);
  });

  it.each([
    ['command=ls', 'exec', 'you must specify at least 1 of stdin, stdout, stderr'],
    ['stdout=true', 'exec', 'you must specify at least one command for the container'],
  ] as const)('refuses %s (%s)', (qs, kind, message) => {
    expect(() => parseRemoteCommand(q(qs), kind)).toThrow(message);
  });
});

describe('protocol helpers', () => {
  it.each([
    [['v5.channel.k8s.io', 'v4.channel.k8s.io'], 'v5.channel.k8s.io'],
    [['v4.channel.k8s.io', 'channel.k8s.io'], 'v4.channel.k8s.io'],
    [['channel.k8s.io', 'base64.channel.k8s.io'], undefined],
  ])('picks from %j', (offered, want) => {
    expect(pickProtocol(offered)).toBe(want);
  });

  it('prefixes the channel byte', () => {
    expect([...channelMessage(2, 'ab')]).toEqual([2, 0x61, 0x62]);
  });

  it.each([
    ['{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['{"Width":0,"Height":24}', undefined],
    ['not json', undefined],
  ])('reads resize %s', (text, want) => {
    expect(parseResize(Buffer.from(text))).toEqual(want);
  });

  it.each([
    [{ exitCode: 0 }, { metadata: {}, status: 'Success' }],
    [{ exitCode: null }, { metadata: {}, status: 'Failure', message: 'the command ended but its exit code is unknown', reason: 'InternalError', code: 500 }],
    [
      { exitCode: 3 },
      {
        metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
        message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
        details: { causes: [{ reason: 'ExitCode', message: '3' }] },
      },
    ],
    [{ exitCode: null, error: 'boom' }, { metadata: {}, status: 'Failure', message: 'boom', reason: 'InternalError', code: 500 }],
  ])('reports %j as a Status', (result, want) => {
    expect(exitStatus(result, ['sh', '-c', 'exit 3'])).toEqual(want);
  });
});
