import { describe, expect, it } from 'vitest';
import { KubelabError } from '../errors.js';
import { networkName, nodeName, nodeRole, validateClusterName, validateNodeCount, volumeName } from './names.js';

describe('cluster names', () => {
  it.each(['dev', 'a', 'kubelab', 'team-1', '1st', 'a'.repeat(40)])('accepts %s', (name) => {
    expect(validateClusterName(name)).toBe(name);
  });

  it.each(['', 'Dev', '-dev', 'dev-', 'my_cluster', 'a.b', 'dév', 'a'.repeat(41), 'with space'])('rejects "%s" as a usage error', (name) => {
    try {
      validateClusterName(name);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KubelabError);
      expect((err as KubelabError).exitCode).toBe(2);
      expect((err as KubelabError).hint).toMatch(/lowercase/);
    }
  });
});

describe('node counts', () => {
  it.each([1, 2, 20])('accepts %i', (n) => expect(validateNodeCount(n)).toBe(n));
  it.each([0, -1, 1.5, 21, Number.NaN])('rejects %s', (n) => expect(() => validateNodeCount(n)).toThrow(/invalid node count/));
});

describe('node naming', () => {
  it('names nodes as kind does', () => {
    expect([0, 1, 2, 3].map((i) => nodeName('dev', i))).toEqual(['dev-control-plane', 'dev-worker', 'dev-worker2', 'dev-worker3']);
    expect(nodeRole(0)).toBe('control-plane');
    expect(nodeRole(4)).toBe('worker');
  });

  it('keeps node names valid DNS labels for the longest cluster name', () => {
    expect(nodeName('a'.repeat(40), 0).length).toBeLessThanOrEqual(63);
    expect(nodeName('a'.repeat(40), 250).length).toBeLessThanOrEqual(63);
  });

  it('derives network and volume names', () => {
    expect(networkName('dev')).toBe('kubelab-dev');
    expect(volumeName('dev-worker')).toBe('dev-worker-var');
  });
});
