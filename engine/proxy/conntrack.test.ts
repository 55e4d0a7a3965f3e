import { describe, expect, it } from 'vitest';
import { conntrackCleanups } from './conntrack.js';
import type { ServicePort } from './service-ports.js';

const dns = (ips: string[], extra: Partial<ServicePort> = {}): ServicePort => ({
  namespace: 'kube-system',
  name: 'kube-dns',
  portName: 'dns',
  protocol: 'UDP',
  clusterIP: '10.96.0.10',
  port: 53,
  endpoints: ips.map((ip) => ({ ip, port: 53 })),
  ...extra,
});

describe('conntrackCleanups', () => {
  it('drops UDP entries translated to an endpoint that went away', () => {
    expect(conntrackCleanups([dns(['10.244.1.5', '10.244.2.5'])], [dns(['10.244.2.5'])])).toEqual([['-D', '-p', 'udp', '--orig-dst', '10.96.0.10', '--dst-nat', '10.244.1.5']]);
  });

  it('also by node port, and when the whole service is deleted', () => {
    expect(conntrackCleanups([dns(['10.244.1.5'], { nodePort: 30053 })], [])).toEqual([
      ['-D', '-p', 'udp', '--orig-dst', '10.96.0.10', '--dst-nat', '10.244.1.5'],
      ['-D', '-p', 'udp', '--orig-port-dst', '30053', '--dst-nat', '10.244.1.5'],
    ]);
  });

  it('clears untranslated entries when a port gets its first endpoints', () => {
    expect(conntrackCleanups([dns([])], [dns(['10.244.1.5'])])).toEqual([['-D', '-p', 'udp', '--orig-dst', '10.96.0.10', '--orig-port-dst', '53']]);
  });

  it('does nothing when endpoints stay, for TCP, or for an address that moved to another port number', () => {
    expect(conntrackCleanups([dns(['10.244.1.5'])], [dns(['10.244.1.5', '10.244.2.5'])])).toEqual([]);
    const tcp = (ips: string[]) => dns(ips, { protocol: 'TCP', portName: 'dns-tcp' });
    expect(conntrackCleanups([tcp(['10.244.1.5'])], [tcp([])])).toEqual([]);
    const moved = dns(['10.244.1.5']);
    moved.endpoints[0]!.port = 5353;
    expect(conntrackCleanups([dns(['10.244.1.5'])], [moved])).toEqual([]);
  });
});
