import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/types';
import { clusterIP, externalIP, hostUrls, selects, servicePorts } from './columns';

const svc = (spec: Service['spec'], status?: Service['status']): Service => ({ metadata: { name: 's', namespace: 'default' }, spec, ...(status ? { status } : {}) });

describe('service columns', () => {
  it.each<{ name: string; s: Service; ports: string; external: string; cip: string; urls: string[] }>([
    {
      name: 'ClusterIP',
      s: svc({ type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }),
      ports: '80/TCP,53/UDP',
      external: '<none>',
      cip: '10.96.0.20',
      urls: [],
    },
    {
      name: 'NodePort',
      s: svc({ type: 'NodePort', clusterIP: '10.96.0.21', ports: [{ port: 80, nodePort: 30080 }, { port: 53, nodePort: 30053, protocol: 'UDP' }] }),
      ports: '80:30080/TCP,53:30053/UDP',
      external: '<none>',
      cip: '10.96.0.21',
      urls: ['http://127.0.0.1:30080'],
    },
    {
      name: 'LoadBalancer pending',
      s: svc({ type: 'LoadBalancer', clusterIP: '10.96.0.22', ports: [{ port: 8080, nodePort: 31000 }] }),
      ports: '8080:31000/TCP',
      external: '<pending>',
      cip: '10.96.0.22',
      urls: ['http://127.0.0.1:31000', 'http://127.0.0.1:8080'],
    },
    {
      name: 'LoadBalancer with ingress',
      s: svc({ type: 'LoadBalancer', clusterIP: '10.96.0.23', ports: [{ port: 80, nodePort: 31001 }] }, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } }),
      ports: '80:31001/TCP',
      external: '127.0.0.1',
      cip: '10.96.0.23',
      urls: ['http://127.0.0.1:31001', 'http://127.0.0.1:80'],
    },
    { name: 'headless', s: svc({ clusterIP: 'None', ports: [{ port: 80 }] }), ports: '80/TCP', external: '<none>', cip: 'None', urls: [] },
    { name: 'ExternalName', s: svc({ type: 'ExternalName', externalName: 'example.org' }), ports: '<none>', external: 'example.org', cip: '<none>', urls: [] },
    { name: 'externalIPs', s: svc({ clusterIP: '10.96.0.24', externalIPs: ['1.2.3.4'], ports: [{ port: 80 }] }), ports: '80/TCP', external: '1.2.3.4', cip: '10.96.0.24', urls: [] },
  ])('$name', ({ s, ports, external, cip, urls }) => {
    expect(servicePorts(s)).toBe(ports);
    expect(externalIP(s)).toBe(external);
    expect(clusterIP(s)).toBe(cip);
    expect(hostUrls(s).map((u) => u.href)).toEqual(urls);
  });
});

describe('selects', () => {
  it.each([
    [{ app: 'web' }, { app: 'web', tier: 'x' }, true],
    [{ app: 'web', tier: 'x' }, { app: 'web' }, false],
    [{ app: 'web' }, { app: 'db' }, false],
    [{}, { app: 'web' }, false],
    [undefined, { app: 'web' }, false],
    [{ app: 'web' }, undefined, false],
  ])('%j selects %j: %s', (selector, labels, want) => {
    expect(selects(selector, labels)).toBe(want);
  });
});
