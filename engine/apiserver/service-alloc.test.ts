import { describe, expect, it } from 'vitest';
import type { ApiObject } from '../api/resource-type.js';
import { allocate, inUseBy, type InUse } from './service-alloc.js';

const none = (): InUse => ({ ips: new Set(), ports: new Set() });
const first = () => 0;
type Spec = Parameters<typeof allocate>[0];

describe('service allocations', () => {
  it('gives a ClusterIP Service a free address above the static band, and nothing else', () => {
    const spec: Spec = { type: 'ClusterIP', ports: [{ port: 80 }] };
    expect(allocate(spec, none(), undefined, first)).toEqual([]);
    expect(spec.clusterIP).toBe('10.96.1.1');
    expect(spec.clusterIPs).toEqual(['10.96.1.1']);
    expect(spec.ports![0]!.nodePort).toBeUndefined();
  });

  it('skips addresses in use and never hands out the network or broadcast address', () => {
    const used = none();
    used.ips.add('10.96.1.1');
    const spec: Spec = { type: 'ClusterIP', ports: [{ port: 80 }] };
    allocate(spec, used, undefined, first);
    expect(spec.clusterIP).toBe('10.96.1.2');
    const last: Spec = { type: 'ClusterIP', ports: [{ port: 80 }] };
    allocate(last, none(), undefined, (max) => max - 1);
    expect(last.clusterIP).toBe('10.111.255.254');
  });

  it('honours a free explicit address and refuses a taken or foreign one with 422 causes', () => {
    const used = none();
    used.ips.add('10.96.0.10');
    expect(allocate({ type: 'ClusterIP', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] }, used)).toEqual([]);
    const taken = allocate({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }, used);
    expect(taken).toHaveLength(1);
    expect(taken[0]!.field).toBe('spec.clusterIPs');
    expect(taken[0]!.message).toContain('failed to allocate IP 10.96.0.10: provided IP is already allocated');
    const foreign = allocate({ type: 'ClusterIP', clusterIP: '192.168.1.5', clusterIPs: ['192.168.1.5'] }, none());
    expect(foreign[0]!.message).toContain('is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });

  it('allocates nothing for headless and ExternalName Services', () => {
    const headless: Spec = { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] };
    expect(allocate(headless, none())).toEqual([]);
    expect(headless.clusterIPs).toEqual(['None']);
    const ext: Spec = { type: 'ExternalName' };
    expect(allocate(ext, none())).toEqual([]);
    expect(ext.clusterIP).toBeUndefined();
  });

  it('gives each port of a NodePort Service its own free node port; one port number over TCP and UDP shares one', () => {
    const used = none();
    used.ports.add(30000);
    const spec: Spec = { type: 'NodePort', ports: [{ name: 'a', port: 80, protocol: 'TCP' }, { name: 'b', port: 81, protocol: 'TCP' }, { name: 'c', port: 80, protocol: 'UDP' }] };
    expect(allocate(spec, used, undefined, first)).toEqual([]);
    expect(spec.ports!.map((p) => p.nodePort)).toEqual([30001, 30002, 30001]);
  });

  it('refuses explicit node ports that are taken or out of range, and duplicates within the Service', () => {
    const used = none();
    used.ports.add(30080);
    const errs = allocate({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 81, nodePort: 80 }] }, used);
    expect(errs.map((e) => [e.field, e.message])).toEqual([
      ['spec.ports[0].nodePort', 'Invalid value: 30080: provided port is already allocated'],
      ['spec.ports[1].nodePort', 'Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ]);
  });

  it('lets a Service keep its own address and ports on update and allocates what a new type needs', () => {
    const old: Spec = { type: 'NodePort', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ports: [{ port: 80, nodePort: 31000 }] };
    const next: Spec = { type: 'NodePort', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ports: [{ port: 80, nodePort: 31000 }, { name: 'x', port: 90 }] };
    expect(allocate(next, none(), old, first)).toEqual([]);
    expect(next.ports![1]!.nodePort).toBe(30000);
    const wasClusterIP: Spec = { type: 'ClusterIP', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ports: [{ port: 80 }] };
    const nowNodePort: Spec = { type: 'NodePort', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ports: [{ port: 80 }] };
    expect(allocate(nowNodePort, none(), wasClusterIP, first)).toEqual([]);
    expect(nowNodePort.ports![0]!.nodePort).toBe(30000);
    const wasExternal: Spec = { type: 'ExternalName' };
    const nowClusterIP: Spec = { type: 'ClusterIP', ports: [{ port: 80 }] };
    allocate(nowClusterIP, none(), wasExternal, first);
    expect(nowClusterIP.clusterIP).toBe('10.96.1.1');
  });

  it('allocates a health check port for a LoadBalancer with the Local policy, and no node ports when told not to', () => {
    const lb: Spec = { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] };
    allocate(lb, none(), undefined, first);
    expect(lb.ports![0]!.nodePort).toBe(30000);
    expect(lb.healthCheckNodePort).toBe(30001);
    const bare: Spec = { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] };
    allocate(bare, none(), undefined, first);
    expect(bare.ports![0]!.nodePort).toBeUndefined();
  });

  it('counts what every other Service holds', () => {
    const svc = (ns: string, name: string, spec: object) => ({ metadata: { namespace: ns, name }, spec }) as unknown as ApiObject;
    const all = [
      svc('a', 'one', { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'], ports: [{ nodePort: 30001 }] }),
      svc('a', 'two', { clusterIP: 'None', clusterIPs: ['None'] }),
      svc('b', 'one', { clusterIPs: ['10.96.0.6'], healthCheckNodePort: 30002, ports: [] }),
    ];
    expect(inUseBy(all)).toEqual({ ips: new Set(['10.96.0.5', '10.96.0.6']), ports: new Set([30001, 30002]) });
    expect(inUseBy(all, 'a/one')).toEqual({ ips: new Set(['10.96.0.6']), ports: new Set([30002]) });
  });
});
