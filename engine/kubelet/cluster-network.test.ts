import { describe, expect, it } from 'vitest';
import { nodeResolverForPods, parseResolvConf, podDns, serviceEnv, type ServiceInfo } from './cluster-network.js';
import type { Pod } from './pod-types.js';

const pod = (spec: Partial<Pod['spec']> = {}, namespace = 'shop'): Pod => ({ metadata: { name: 'p', namespace }, spec: { containers: [{ name: 'c' }], ...spec } }) as Pod;
const node = parseResolvConf('# from the host\nnameserver 192.0.2.53\nsearch corp.example lab.example\noptions timeout:2 ndots:1\n');

describe('pod DNS', () => {
  it('reads nameserver, search and options lines of a resolv.conf', () => {
    expect(node).toEqual({ servers: ['192.0.2.53'], searches: ['corp.example', 'lab.example'], options: ['timeout:2', 'ndots:1'] });
  });

  it('puts cluster DNS first with the namespace search path and ndots:5 by default', () => {
    expect(podDns(pod(), node)).toEqual({
      servers: ['10.96.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
  });

  it('resolves as the node does for Default and for host-network pods, unless ClusterFirstWithHostNet', () => {
    expect(podDns(pod({ dnsPolicy: 'Default' }), node)).toEqual(node);
    expect(podDns(pod({ hostNetwork: true }), node)).toEqual(node);
    expect(podDns(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), node)?.servers).toEqual(['10.96.0.10']);
  });

  it('merges dnsConfig: extra servers and searches appended, options replaced by name', () => {
    const dns = podDns(pod({ dnsConfig: { nameservers: ['10.0.0.9'], searches: ['extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), node);
    expect(dns?.servers).toEqual(['10.96.0.10', '10.0.0.9']);
    expect(dns?.searches.at(-1)).toBe('extra.example');
    expect(dns?.options).toEqual(['ndots:2', 'edns0']);
    expect(podDns(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.9'] } }), node)).toEqual({ servers: ['10.0.0.9'], searches: [], options: [] });
    expect(podDns(pod({ dnsPolicy: 'Default', dnsConfig: { searches: ['x.example'] } }), node)?.searches).toEqual(['corp.example', 'lab.example', 'x.example']);
  });
});

describe('the node resolver for pods', () => {
  it('replaces loopback servers (the engine\'s embedded DNS) with the node relay, once', () => {
    const nodeConf = parseResolvConf('nameserver 127.0.0.11\nnameserver 127.0.0.53\nnameserver 192.0.2.1\noptions ndots:0\n');
    expect(nodeResolverForPods(nodeConf, '10.244.3.1')).toEqual({ servers: ['10.244.3.1', '192.0.2.1'], searches: [], options: ['ndots:0'] });
  });
});

describe('service environment variables', () => {
  const svc = (namespace: string, name: string, spec: ServiceInfo['spec']): ServiceInfo => ({ metadata: { namespace, name }, spec });
  const services = [
    svc('default', 'kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
    svc('shop', 'redis-primary', { clusterIP: '10.96.3.4', ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
    svc('shop', 'headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    svc('shop', 'ext', { type: 'ExternalName' }),
    svc('other', 'elsewhere', { clusterIP: '10.96.9.9', ports: [{ port: 80 }] }),
  ];

  it('names every Service of the pod namespace with an address, and the kubernetes Service', () => {
    const env = Object.fromEntries(serviceEnv(pod(), services));
    expect(env).toMatchObject({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      REDIS_PRIMARY_SERVICE_HOST: '10.96.3.4',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_DNS: '53',
      REDIS_PRIMARY_PORT: 'tcp://10.96.3.4:6379',
      REDIS_PRIMARY_PORT_53_UDP: 'udp://10.96.3.4:53',
      REDIS_PRIMARY_PORT_53_UDP_PROTO: 'udp',
      REDIS_PRIMARY_PORT_53_UDP_PORT: '53',
      REDIS_PRIMARY_PORT_53_UDP_ADDR: '10.96.3.4',
    });
    expect(Object.keys(env).some((k) => k.startsWith('HEADLESS_') || k.startsWith('EXT_') || k.startsWith('ELSEWHERE_'))).toBe(false);
  });

  it('keeps only the kubernetes Service when service links are off', () => {
    const env = serviceEnv(pod({ enableServiceLinks: false }), services);
    expect([...env.keys()].every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
  });
});
