import { describe, expect, it } from 'vitest';
import { boundingSetFromStatus, missingCapabilities } from './capabilities.js';
import { demuxLogs } from './logs.js';
import { fallbackPrivileges } from './privileges.js';

describe('capabilities', () => {
  it('finds SYS_RESOURCE missing from a host without it', () => {
    expect(missingCapabilities('000001fffeffffff')).toEqual(['SYS_RESOURCE']);
  });

  it('finds nothing missing from a full set', () => {
    expect(missingCapabilities('000001ffffffffff')).toEqual([]);
  });

  it('lists the newer capabilities an old kernel lacks', () => {
    expect(missingCapabilities('0000003fffffffff')).toEqual(['PERFMON', 'BPF', 'CHECKPOINT_RESTORE']);
  });

  it('reads CapBnd from /proc/PID/status', () => {
    expect(boundingSetFromStatus('Name:\tinit\nCapEff:\t0\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n')).toBe('000001fffeffffff');
    expect(() => boundingSetFromStatus('Name: x\n')).toThrow(/CapBnd/);
  });

  it('falls back to all capabilities minus the missing ones, unconfined, with a writable cgroup tree', () => {
    const p = fallbackPrivileges(['SYS_RESOURCE'], 'unable to apply caps');
    expect(p.mode).toBe('capabilities');
    expect(p.hostConfig.Privileged).toBeUndefined();
    expect(p.hostConfig.CapAdd).toEqual(['ALL']);
    expect(p.hostConfig.CapDrop).toEqual(['SYS_RESOURCE']);
    expect(p.hostConfig.SecurityOpt).toEqual(expect.arrayContaining(['seccomp=unconfined', 'apparmor=unconfined']));
    expect(p.hostConfig.Binds).toContain('/sys/fs/cgroup:/sys/fs/cgroup:rw');
  });
});

describe('demuxLogs', () => {
  const frame = (stream: number, text: string) => {
    const body = Buffer.from(text);
    const head = Buffer.alloc(8);
    head[0] = stream;
    head.writeUInt32BE(body.length, 4);
    return Buffer.concat([head, body]);
  };

  it('joins stdout and stderr frames', () => {
    expect(demuxLogs(Buffer.concat([frame(1, 'CapBnd:\t'), frame(2, 'warn '), frame(1, 'ff\n')]))).toBe('CapBnd:\twarn ff\n');
  });

  it('passes through output that is not multiplexed', () => {
    expect(demuxLogs(Buffer.from('plain tty output\n'))).toBe('plain tty output\n');
  });
});
