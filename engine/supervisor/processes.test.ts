import { describe, expect, it } from 'vitest';
import { processesFor } from './processes.js';
import { identityFromEnv } from './supervisor.js';

describe('processes per role', () => {
  it('runs etcd, the apiserver, the controller-manager, the scheduler and dockerd on the control plane', () => {
    const list = processesFor({ name: 'dev-control-plane', index: 0, role: 'control-plane', podCIDR: '10.244.0.0/24' });
    expect(list.map((p) => p.name)).toEqual(['etcd', 'apiserver', 'controller-manager', 'scheduler', 'dockerd', 'node-agent']);
    expect(list[3]!.args).toEqual(['/usr/lib/kubelab/cluster.cjs', 'scheduler']);
    expect(list[1]!.args).toEqual(['/usr/lib/kubelab/cluster.cjs', 'apiserver']);
    const etcd = list[0]!;
    expect(etcd.args).toContain('--data-dir=/var/lib/etcd');
    expect(etcd.args).toContain('--listen-client-urls=http://127.0.0.1:2379');
    expect(etcd.args).toContain('--initial-cluster=dev-control-plane=http://127.0.0.1:2380');
    expect(list[4]!.args).toContain('--bip=10.244.0.1/24');
  });

  it('runs dockerd and the node agent (which holds the service proxy) on a worker, the bridge on the worker\'s podCIDR', () => {
    const list = processesFor({ name: 'dev-worker2', index: 2, role: 'worker', podCIDR: '10.244.2.0/24' });
    expect(list.map((p) => p.name)).toEqual(['dockerd', 'node-agent']);
    expect(list[1]!.args.at(-1)).toBe('node-agent');
    expect(list[0]!.args).toEqual(expect.arrayContaining(['--bip=10.244.2.1/24', '--fixed-cidr=10.244.2.128/25', '--ip-masq=false']));
  });

  it('refuses to run in a container kubelab did not make', () => {
    expect(() => identityFromEnv({})).toThrow(/KUBELAB_NODE_NAME/);
    expect(identityFromEnv({ KUBELAB_NODE_NAME: 'a', KUBELAB_NODE_INDEX: '3', KUBELAB_ROLE: 'worker', KUBELAB_POD_CIDR: '10.244.3.0/24' }).index).toBe(3);
  });
});
