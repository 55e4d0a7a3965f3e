import { describe, expect, it } from 'vitest';
import { chainName, chainsIn, endpointChain, proxyRules, serviceChain, type ProxyRulesInput } from './rules.js';
import type { EndpointSlice, Service } from './service-ports.js';

const CIDR = '10.244.0.0/16';

function service(name: string, spec: Service['spec'], namespace = 'default'): Service {
  return { metadata: { name, namespace }, spec };
}

function slice(svc: string, name: string, ips: Array<string | [string, boolean | undefined]>, ports: EndpointSlice['ports'], namespace = 'default'): EndpointSlice {
  return {
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => (typeof ip === 'string' ? { addresses: [ip], conditions: { ready: true } } : { addresses: [ip[0]], conditions: ip[1] === undefined ? {} : { ready: ip[1] } })),
    ports,
  };
}

const web = service('web', { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] });
const webPorts = [{ name: 'http', protocol: 'TCP', port: 8080 }];

function rules(input: Partial<ProxyRulesInput>) {
  return proxyRules({ services: [], slices: [], clusterCIDR: CIDR, existingChains: { nat: [], filter: [] }, ...input });
}

/** The -A lines of `chain` in `text`. */
const linesOf = (text: string, chain: string) => text.split('\n').filter((l) => l.startsWith(`-A ${chain} `));

describe('proxyRules', () => {
  it('spreads a cluster IP over three endpoints: 1/3, then 1/2, then the last unconditionally', () => {
    const r = rules({ services: [web], slices: [slice('web', 'web-a', ['10.244.2.7', '10.244.1.5', '10.244.1.6'], webPorts)] });
    const port = r.ports[0]!;
    const svc = serviceChain(port);
    expect(svc).toMatch(/^KUBE-SVC-[A-Z2-7]{16}$/);
    expect(linesOf(r.nat, 'KUBE-SERVICES')[0]).toBe(`-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`);
    const picks = linesOf(r.nat, svc).filter((l) => !l.endsWith('-j KUBE-MARK-MASQ'));
    const seps = ['10.244.1.5', '10.244.1.6', '10.244.2.7'].map((ip) => endpointChain(port, { ip, port: 8080 }));
    expect(picks).toHaveLength(3);
    expect(picks[0]).toContain(`-m statistic --mode random --probability 0.3333333333 -j ${seps[0]}`);
    expect(picks[1]).toContain(`-m statistic --mode random --probability 0.5000000000 -j ${seps[1]}`);
    expect(picks[2]).not.toContain('statistic');
    expect(picks[2]).toMatch(new RegExp(`-j ${seps[2]}$`));
    expect(linesOf(r.nat, seps[2]!).at(-1)).toBe(`-A ${seps[2]} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.7:8080`);
    // Every chain used is declared, so --noflush resets it.
    for (const chain of [svc, ...seps]) expect(r.nat).toContain(`\n:${chain} - [0:0]\n`);
    expect(r.filter).not.toContain('REJECT');
  });

  it('masquerades what reaches a cluster IP from outside the pod network, and marks hairpin traffic', () => {
    const r = rules({ services: [web], slices: [slice('web', 'web-a', ['10.244.1.5'], webPorts)] });
    const port = r.ports[0]!;
    expect(linesOf(r.nat, serviceChain(port))[0]).toBe(`-A ${serviceChain(port)} ! -s ${CIDR} -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`);
    const sep = endpointChain(port, { ip: '10.244.1.5', port: 8080 });
    expect(linesOf(r.nat, sep)[0]).toBe(`-A ${sep} -s 10.244.1.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ`);
    expect(linesOf(r.nat, 'KUBE-MARK-MASQ')).toEqual(['-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000']);
    expect(linesOf(r.nat, 'KUBE-POSTROUTING').at(-1)).toMatch(/-j MASQUERADE$/);
  });

  it('skips endpoints that are not ready, and counts a missing ready condition as ready', () => {
    const r = rules({ services: [web], slices: [slice('web', 'web-a', [['10.244.1.5', false], ['10.244.1.6', undefined], '10.244.1.7'], webPorts)] });
    expect(r.ports[0]!.endpoints.map((e) => e.ip)).toEqual(['10.244.1.6', '10.244.1.7']);
    expect(r.nat).not.toContain('10.244.1.5');
  });

  it('rejects a service port without ready endpoints, on its cluster IP and its node port', () => {
    const np = service('np', { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ protocol: 'UDP', port: 53, nodePort: 30053 }] });
    const r = rules({ services: [web, np], slices: [slice('web', 'web-a', [['10.244.1.5', false]], webPorts)] });
    expect(linesOf(r.filter, 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -d 10.96.0.30/32 -p udp -m comment --comment "default/np has no endpoints" -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable',
      '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    expect(linesOf(r.filter, 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -p udp -m comment --comment "default/np has no endpoints" -m addrtype --dst-type LOCAL -m udp --dport 30053 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    expect(r.nat).not.toMatch(/KUBE-SVC-/);
  });

  it('sends node ports on local addresses to the service, masqueraded', () => {
    const lb = service('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.40', ports: [{ name: 'http', port: 80, nodePort: 31080 }] });
    const r = rules({ services: [lb], slices: [slice('lb', 'lb-a', ['10.244.1.5'], [{ name: 'http', port: 80 }])] });
    const svc = serviceChain(r.ports[0]!);
    expect(linesOf(r.nat, 'KUBE-NODEPORTS')).toEqual([
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/lb:http" -m tcp --dport 31080 -j KUBE-MARK-MASQ',
      `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/lb:http" -m tcp --dport 31080 -j ${svc}`,
    ]);
    // The node-port jump comes after every cluster IP rule.
    expect(linesOf(r.nat, 'KUBE-SERVICES').at(-1)).toBe('-A KUBE-SERVICES ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -m comment --comment "node ports on local addresses" -j KUBE-NODEPORTS');
    // A ClusterIP service with a stray nodePort gets none.
    const plain = service('lb', { type: 'ClusterIP', clusterIP: '10.96.0.40', ports: [{ name: 'http', port: 80, nodePort: 31080 }] });
    expect(linesOf(rules({ services: [plain], slices: [slice('lb', 'lb-a', ['10.244.1.5'], [{ name: 'http', port: 80 }])] }).nat, 'KUBE-NODEPORTS')).toEqual([]);
  });

  it('keeps a client on one endpoint with ClientIP affinity', () => {
    const sticky = service('sticky', { clusterIP: '10.96.0.50', ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } });
    const r = rules({ services: [sticky], slices: [slice('sticky', 's-a', ['10.244.1.5', '10.244.1.6'], [{ name: '', port: 8080, protocol: 'TCP' }])] });
    const port = r.ports[0]!;
    const svc = serviceChain(port);
    const [a, b] = ['10.244.1.5', '10.244.1.6'].map((ip) => endpointChain(port, { ip, port: 8080 }));
    const lines = linesOf(r.nat, svc);
    // Remembered clients are checked before any random pick.
    expect(lines[1]).toBe(`-A ${svc} -m comment --comment "default/sticky" -m recent --name ${a} --rcheck --seconds 600 --reap -j ${a}`);
    expect(lines[2]).toBe(`-A ${svc} -m comment --comment "default/sticky" -m recent --name ${b} --rcheck --seconds 600 --reap -j ${b}`);
    expect(lines[3]).toContain('--probability 0.5000000000');
    expect(linesOf(r.nat, a!)[1]).toBe(`-A ${a} -p tcp -m comment --comment "default/sticky" -m recent --name ${a} --set -m tcp -j DNAT --to-destination 10.244.1.5:8080`);
    // Without a timeout, three hours.
    const dflt = service('sticky', { clusterIP: '10.96.0.50', ports: [{ port: 80 }], sessionAffinity: 'ClientIP' });
    expect(rules({ services: [dflt], slices: [slice('sticky', 's-a', ['10.244.1.5'], [{ name: '', port: 8080 }])] }).nat).toContain('--seconds 10800 --reap');
    expect(rules({ services: [web], slices: [slice('web', 'web-a', ['10.244.1.5'], webPorts)] }).nat).not.toContain('-m recent');
  });

  it('writes nothing for headless and ExternalName services', () => {
    const headless = service('db', { clusterIP: 'None', ports: [{ port: 5432 }] });
    const external = service('ext', { type: 'ExternalName', ports: [{ port: 443 }] } as Service['spec']);
    const r = rules({ services: [headless, external], slices: [slice('db', 'db-a', ['10.244.1.5'], [{ name: '', port: 5432 }])] });
    const empty = rules({});
    expect(r.ports).toEqual([]);
    expect(r.nat).toBe(empty.nat);
    expect(r.filter).toBe(empty.filter);
  });

  it('resolves a named target port per slice, and merges every slice of a service', () => {
    // Two versions of the pod name the same port differently; each slice carries its own number.
    const r = rules({
      services: [web],
      slices: [
        slice('web', 'web-b', ['10.244.2.9', '10.244.1.5'], [{ name: 'http', protocol: 'TCP', port: 9090 }]),
        slice('web', 'web-a', ['10.244.1.5'], webPorts),
        slice('web', 'web-c', ['10.244.3.1'], [{ name: 'metrics', protocol: 'TCP', port: 9100 }]),
        slice('web', 'other-ns', ['10.244.3.2'], webPorts, 'other'),
        slice('api', 'api-a', ['10.244.3.3'], webPorts),
      ],
    });
    expect(r.ports[0]!.endpoints).toEqual([
      { ip: '10.244.1.5', port: 8080 },
      { ip: '10.244.1.5', port: 9090 },
      { ip: '10.244.2.9', port: 9090 },
    ]);
    expect(r.nat).toContain('--to-destination 10.244.1.5:9090');
    expect(r.nat).toContain('--to-destination 10.244.2.9:9090');
    expect(r.nat).not.toMatch(/10\.244\.3\./);
    // The same address in two slices counts once.
    const dup = rules({ services: [web], slices: [slice('web', 'web-a', ['10.244.1.5'], webPorts), slice('web', 'web-b', ['10.244.1.5'], webPorts)] });
    expect(dup.ports[0]!.endpoints).toHaveLength(1);
  });

  it('flushes and deletes per-service chains that exist but are no longer wanted, and no others', () => {
    const current = rules({ services: [web], slices: [slice('web', 'web-a', ['10.244.1.5'], webPorts)] });
    const svc = serviceChain(current.ports[0]!);
    const sep = endpointChain(current.ports[0]!, { ip: '10.244.1.5', port: 8080 });
    const gone = chainName('KUBE-SEP-', 'default/web:http:TCP:10.244.1.4:8080');
    const existing = { nat: ['PREROUTING', 'KUBE-SERVICES', 'KUBELAB-POSTROUTING', 'DOCKER', svc, sep, gone, 'KUBE-SVC-OLDSERVICE0000000'], filter: ['FORWARD', 'KUBELAB-FORWARD', 'DOCKER-USER'] };
    const r = rules({ services: [web], slices: [slice('web', 'web-a', ['10.244.1.5'], webPorts)], existingChains: existing });
    expect(r.removedChains).toEqual([`nat/${gone}`, 'nat/KUBE-SVC-OLDSERVICE0000000'].sort());
    const nat = r.nat.split('\n');
    for (const chain of [gone, 'KUBE-SVC-OLDSERVICE0000000']) {
      // Declared (flushed) before any deletion, deleted after every rule.
      expect(nat.indexOf(`:${chain} - [0:0]`)).toBeGreaterThan(0);
      const lastRule = nat.length - 1 - [...nat].reverse().findIndex((l) => l.startsWith('-A '));
      expect(nat.indexOf(`-X ${chain}`)).toBeGreaterThan(lastRule);
    }
    expect(r.nat).not.toMatch(/-X (KUBELAB|DOCKER|KUBE-SERVICES|PREROUTING)/);
    expect(r.nat).not.toContain(`-X ${svc}`);
    expect(r.filter).not.toContain('-X');
    expect(r.nat.match(/^COMMIT$/gm)).toHaveLength(1);
    expect(r.filter.match(/^COMMIT$/gm)).toHaveLength(1);
  });

  it('is deterministic whatever order objects arrive in', () => {
    const api = service('api', { type: 'NodePort', clusterIP: '10.96.0.60', ports: [{ name: 'b', port: 81, nodePort: 30081 }, { name: 'a', protocol: 'UDP', port: 80, nodePort: 30080 }] }, 'prod');
    const slices = [
      slice('web', 'web-a', ['10.244.2.7', '10.244.1.5'], webPorts),
      slice('web', 'web-b', ['10.244.10.1'], webPorts),
      slice('api', 'api-a', ['10.244.1.9', '10.244.1.10'], [{ name: 'a', protocol: 'UDP', port: 53 }, { name: 'b', port: 8081 }], 'prod'),
    ];
    const one = rules({ services: [web, api], slices, existingChains: { nat: ['KUBE-SEP-B', 'KUBE-SEP-A'], filter: [] } });
    const two = rules({ services: [api, web], slices: [...slices].reverse(), existingChains: { nat: ['KUBE-SEP-A', 'KUBE-SEP-B'], filter: [] } });
    expect(two.nat).toBe(one.nat);
    expect(two.filter).toBe(one.filter);
    // Numeric, not textual, address order.
    expect(one.ports.find((p) => p.name === 'web')!.endpoints.map((e) => e.ip)).toEqual(['10.244.1.5', '10.244.2.7', '10.244.10.1']);
    expect(one.ports.map((p) => `${p.namespace}/${p.name}:${p.portName}`)).toEqual(['default/web:http', 'prod/api:a', 'prod/api:b']);
  });

  it('names chains within the iptables limit, differently per port and protocol', () => {
    const a = chainName('KUBE-SVC-', 'default/web:http:TCP');
    expect(a.length).toBeLessThanOrEqual(28);
    expect(chainName('KUBE-SVC-', 'default/web:http:UDP')).not.toBe(a);
    expect(chainName('KUBE-SVC-', 'default/web:http:TCP')).toBe(a);
  });
});

describe('chainsIn', () => {
  it('reads the chain declarations of an iptables-save listing', () => {
    const save = ['# Generated by iptables-save', '*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SVC-ABC - [0:0]', '-A PREROUTING -j KUBE-SERVICES', 'COMMIT'].join('\n');
    expect(chainsIn(save)).toEqual(['PREROUTING', 'KUBE-SVC-ABC']);
  });
});
