import { describe, expect, it } from 'vitest';
import { podFileMounts, hostsFile, resolvConf } from './pod-etc-files.js';
import type { Pod } from './pod-types.js';

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'web-0', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } });

describe('pod /etc files', () => {
  it('writes localhost, the pod address and name, and hostAliases into the hosts file', () => {
    const text = hostsFile(pod({ hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar'] }, { ip: '10.9.9.9' }] }), '10.244.1.7');
    const lines = text.split('\n');
    expect(lines).toContain('127.0.0.1\tlocalhost');
    expect(lines).toContain('10.244.1.7\tweb-0');
    expect(lines).toContain('10.1.2.3\tfoo.local\tbar');
    expect(text).not.toContain('10.9.9.9');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('names the pod by its FQDN first when it has a subdomain, and uses spec.hostname', () => {
    expect(hostsFile(pod({ hostname: 'db', subdomain: 'dbs' }), '10.244.1.8')).toContain('10.244.1.8\tdb.dbs.shop.svc.cluster.local\tdb\n');
  });

  it('writes resolv.conf from the resolver settings', () => {
    expect(resolvConf({ servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] })).toBe(
      'search shop.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    expect(resolvConf({ servers: [], searches: [], options: [] })).toBe('\n');
  });

  it('mounts both files unless the container mounts a volume on that path itself', () => {
    expect(podFileMounts(pod(), { name: 'c' })).toEqual([
      { source: '/var/lib/kubelab/pods/u-1/etc/hosts', target: '/etc/hosts', readOnly: false },
      { source: '/var/lib/kubelab/pods/u-1/etc/resolv.conf', target: '/etc/resolv.conf', readOnly: false },
    ]);
    expect(podFileMounts(pod(), { name: 'c', volumeMounts: [{ name: 'h', mountPath: '/etc/hosts' }] }).map((m) => m.target)).toEqual(['/etc/resolv.conf']);
  });

  it('adds the pod\'s shared /dev/shm for pinned namespaces, unless the container mounts its own', () => {
    expect(podFileMounts(pod(), { name: 'c' }, true)).toContainEqual({ source: '/run/kubelab/pods/u-1/shm', target: '/dev/shm', readOnly: false });
    expect(podFileMounts(pod(), { name: 'c', volumeMounts: [{ name: 'm', mountPath: '/dev/shm/' }] }, true).map((m) => m.target)).toEqual(['/etc/hosts', '/etc/resolv.conf']);
  });
});
