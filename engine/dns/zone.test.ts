import { describe, expect, it } from 'vitest';
import { ClusterIndex, SERVICE_NAME_LABEL, type EndpointSlice, type Service } from './cluster-index.js';
import { CLASS_IN, RCODE, TYPE } from './message.js';
import { answer, reverseZones, type ZoneAnswer } from './zone.js';

function svc(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec };
}

type Ep = { ip: string; hostname?: string; ready?: boolean };
function slice(ns: string, service: string, name: string, endpoints: Ep[], ports: Array<{ name?: string; port: number; protocol?: string }> = [], addressType = 'IPv4'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: ns, name, labels: { [SERVICE_NAME_LABEL]: service } }, addressType, ports,
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], ...(e.hostname ? { hostname: e.hostname } : {}), conditions: e.ready === undefined ? {} : { ready: e.ready } })),
  };
}

function cluster(): ClusterIndex {
  const idx = new ClusterIndex();
  idx.upsertService(svc('default', 'web', { type: 'ClusterIP', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }] }));
  idx.upsertSlice(slice('default', 'web', 'web-abc', [{ ip: '10.244.1.5' }, { ip: '10.244.2.6', ready: false }], [{ name: 'http', port: 8080, protocol: 'TCP' }]));
  idx.upsertService(svc('default', 'np', { type: 'NodePort', clusterIP: '10.96.0.21', ports: [{ name: 'http', port: 80 }] }));
  idx.upsertService(svc('default', 'lb', { type: 'LoadBalancer', clusterIP: '10.96.0.22' }));
  idx.upsertService(svc('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
  idx.upsertSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.1.10', hostname: 'db-0' }, { ip: '10.244.1.11', hostname: 'db-1', ready: false }], [{ name: 'pg', port: 5432, protocol: 'TCP' }]));
  idx.upsertSlice(slice('default', 'db', 'db-2', [{ ip: '10.244.2.12', hostname: 'db-2', ready: true }, { ip: '10.244.2.13' }], [{ name: 'pg', port: 5432, protocol: 'TCP' }]));
  idx.upsertService(svc('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }));
  idx.upsertService(svc('default', 'alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local.' }));
  idx.upsertService(svc('default', 'loop', { type: 'ExternalName', externalName: 'loop.default.svc.cluster.local' }));
  idx.upsertService(svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }));
  idx.upsertService(svc('default', 'empty', { clusterIP: 'None' }));
  return idx;
}

const ask = (data: ClusterIndex, name: string, type: number = TYPE.A) => answer({ name, type, class: CLASS_IN }, data);

/** The answer as compact strings: "name TYPE value". */
function show(a: ZoneAnswer): { rcode: number; answers: string[]; authority: string[]; additional: string[] } {
  if (a.kind !== 'local') throw new Error('expected a local answer');
  const text = (rs: typeof a.answers) =>
    rs.map((r) => {
      const d = r.data;
      const v = d.kind === 'A' || d.kind === 'AAAA' ? d.address : d.kind === 'CNAME' || d.kind === 'PTR' || d.kind === 'NS' ? d.target : d.kind === 'SRV' ? `${d.priority} ${d.weight} ${d.port} ${d.target}` : d.kind === 'SOA' ? `${d.mname} ${d.minimum}` : '?';
      return `${r.name} ${Object.entries(TYPE).find(([, n]) => n === r.type)![0]} ${v}`;
    });
  return { rcode: a.rcode, answers: text(a.answers), authority: text(a.authorities), additional: text(a.additionals) };
}

describe('service names', () => {
  const data = cluster();

  it('answers A with the cluster IP for ClusterIP, NodePort and LoadBalancer Services, TTL 5', () => {
    for (const [name, ip] of [['web', '10.96.0.20'], ['np', '10.96.0.21'], ['lb', '10.96.0.22']] as const) {
      expect(show(ask(data, `${name}.default.svc.cluster.local`))).toEqual({ rcode: RCODE.NOERROR, answers: [`${name}.default.svc.cluster.local A ${ip}`], authority: [], additional: [] });
    }
    const a = ask(data, 'web.default.svc.cluster.local');
    expect(a.kind === 'local' && a.answers[0]!.ttl).toBe(5);
  });

  it('matches names case-insensitively and answers with the name as asked', () => {
    expect(show(ask(data, 'WEB.Default.SVC.cluster.local.')).answers).toEqual(['WEB.Default.SVC.cluster.local. A 10.96.0.20']);
  });

  it('answers a headless Service with its ready endpoints across slices', () => {
    expect(show(ask(data, 'db.default.svc.cluster.local')).answers).toEqual([
      'db.default.svc.cluster.local A 10.244.1.10',
      'db.default.svc.cluster.local A 10.244.2.12',
      'db.default.svc.cluster.local A 10.244.2.13',
    ]);
  });

  it('answers endpoint hostnames of a headless Service (StatefulSet pods)', () => {
    expect(show(ask(data, 'db-0.db.default.svc.cluster.local')).answers).toEqual(['db-0.db.default.svc.cluster.local A 10.244.1.10']);
    expect(show(ask(data, 'db-2.db.default.svc.cluster.local')).answers).toEqual(['db-2.db.default.svc.cluster.local A 10.244.2.12']);
    // Not ready: the name does not exist.
    expect(show(ask(data, 'db-1.db.default.svc.cluster.local')).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ask(data, 'db-9.db.default.svc.cluster.local')).rcode).toBe(RCODE.NXDOMAIN);
    // Endpoints without a hostname are named by their dashed address.
    expect(show(ask(data, '10-244-2-13.db.default.svc.cluster.local')).answers).toEqual(['10-244-2-13.db.default.svc.cluster.local A 10.244.2.13']);
  });

  it('follows slice changes: a slice removed or relabelled takes its endpoints along', () => {
    const idx = cluster();
    idx.removeSlice(slice('default', 'db', 'db-2', []));
    expect(show(ask(idx, 'db.default.svc.cluster.local')).answers).toEqual(['db.default.svc.cluster.local A 10.244.1.10']);
    idx.upsertSlice(slice('default', 'other', 'db-1', [{ ip: '10.244.1.10', hostname: 'db-0' }]));
    expect(show(ask(idx, 'db.default.svc.cluster.local'))).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    idx.removeService(svc('default', 'db', {}));
    expect(show(ask(idx, 'db.default.svc.cluster.local')).rcode).toBe(RCODE.NXDOMAIN);
  });

  it('gives NODATA for a headless Service without ready endpoints', () => {
    expect(show(ask(data, 'empty.default.svc.cluster.local'))).toEqual({ rcode: RCODE.NOERROR, answers: [], authority: ['cluster.local SOA ns.dns.cluster.local 5'], additional: [] });
  });

  it('answers an ExternalName Service with a CNAME, chasing targets inside the zone', () => {
    expect(show(ask(data, 'ext.default.svc.cluster.local'))).toEqual({ rcode: RCODE.NOERROR, answers: ['ext.default.svc.cluster.local CNAME example.com'], authority: [], additional: [] });
    expect(show(ask(data, 'ext.default.svc.cluster.local', TYPE.AAAA)).answers).toEqual(['ext.default.svc.cluster.local CNAME example.com']);
    expect(show(ask(data, 'alias.default.svc.cluster.local')).answers).toEqual(['alias.default.svc.cluster.local CNAME web.default.svc.cluster.local', 'web.default.svc.cluster.local A 10.96.0.20']);
    // AAAA through the chain: the CNAME, then NODATA for the target.
    expect(show(ask(data, 'alias.default.svc.cluster.local', TYPE.AAAA))).toMatchObject({ rcode: RCODE.NOERROR, answers: ['alias.default.svc.cluster.local CNAME web.default.svc.cluster.local'], authority: ['cluster.local SOA ns.dns.cluster.local 5'] });
    expect(show(ask(data, 'ext.default.svc.cluster.local', TYPE.CNAME)).answers).toEqual(['ext.default.svc.cluster.local CNAME example.com']);
    // A CNAME to itself ends after one step instead of looping.
    expect(show(ask(data, 'loop.default.svc.cluster.local')).answers).toEqual(['loop.default.svc.cluster.local CNAME loop.default.svc.cluster.local']);
  });

  it('gives NODATA with the SOA for AAAA of names that only have IPv4', () => {
    for (const name of ['web.default.svc.cluster.local', 'db.default.svc.cluster.local', 'db-0.db.default.svc.cluster.local', '10-1-2-3.default.pod.cluster.local']) {
      expect(show(ask(data, name, TYPE.AAAA)), name).toEqual({ rcode: RCODE.NOERROR, answers: [], authority: ['cluster.local SOA ns.dns.cluster.local 5'], additional: [] });
    }
  });

  it('answers AAAA for dual-stack cluster IPs', () => {
    const idx = new ClusterIndex();
    idx.upsertService(svc('default', 'dual', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30', 'fd00:10:96::30'] }));
    expect(show(ask(idx, 'dual.default.svc.cluster.local', TYPE.AAAA)).answers).toEqual(['dual.default.svc.cluster.local AAAA fd00:10:96::30']);
  });

  it('gives NXDOMAIN with the SOA for names in the zone that do not exist', () => {
    for (const name of ['nope.default.svc.cluster.local', 'web.other.svc.cluster.local', 'web.default.svc.cluster.local.default.svc.cluster.local', 'foo.cluster.local', 'a.b.web.default.svc.cluster.local', 'x.ext.default.svc.cluster.local']) {
      expect(show(ask(data, name)), name).toEqual({ rcode: RCODE.NXDOMAIN, answers: [], authority: ['cluster.local SOA ns.dns.cluster.local 5'], additional: [] });
    }
    const a = ask(data, 'nope.default.svc.cluster.local');
    expect(a.kind === 'local' && a.authorities[0]!.ttl).toBe(5);
  });

  it('treats the zone apex, svc and a namespace with Services as names without records', () => {
    for (const name of ['svc.cluster.local', 'default.svc.cluster.local', 'pod.cluster.local', 'default.pod.cluster.local']) expect(show(ask(data, name)), name).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(show(ask(data, 'cluster.local', TYPE.SOA)).answers).toEqual(['cluster.local SOA ns.dns.cluster.local 5']);
    expect(show(ask(data, 'cluster.local', TYPE.NS)).answers).toEqual(['cluster.local NS ns.dns.cluster.local']);
    expect(show(ask(data, 'ns.dns.cluster.local')).answers).toEqual(['ns.dns.cluster.local A 10.96.0.10']);
    expect(show(ask(data, 'nobody.svc.cluster.local')).rcode).toBe(RCODE.NXDOMAIN);
  });

  it('moves the SOA serial on every change', () => {
    const idx = cluster();
    const before = idx.serial;
    idx.upsertService(svc('default', 'new', { clusterIP: '10.96.0.99' }));
    expect(idx.serial).toBeGreaterThan(before);
  });
});

describe('SRV', () => {
  const data = cluster();

  it('answers named ports of a ClusterIP Service with the Service as target and its A in additional', () => {
    expect(show(ask(data, '_http._tcp.web.default.svc.cluster.local', TYPE.SRV))).toEqual({
      rcode: RCODE.NOERROR,
      answers: ['_http._tcp.web.default.svc.cluster.local SRV 0 100 80 web.default.svc.cluster.local'],
      authority: [],
      additional: ['web.default.svc.cluster.local A 10.96.0.20'],
    });
    expect(show(ask(data, '_dns._udp.web.default.svc.cluster.local', TYPE.SRV)).answers).toEqual(['_dns._udp.web.default.svc.cluster.local SRV 0 100 53 web.default.svc.cluster.local']);
    expect(show(ask(data, '_HTTP._TCP.np.default.svc.cluster.local', TYPE.SRV)).answers).toEqual(['_HTTP._TCP.np.default.svc.cluster.local SRV 0 100 80 np.default.svc.cluster.local']);
  });

  it('answers a headless Service per ready endpoint, with equal weights and the endpoint port', () => {
    expect(show(ask(data, '_pg._tcp.db.default.svc.cluster.local', TYPE.SRV))).toEqual({
      rcode: RCODE.NOERROR,
      answers: [
        '_pg._tcp.db.default.svc.cluster.local SRV 0 33 5432 db-0.db.default.svc.cluster.local',
        '_pg._tcp.db.default.svc.cluster.local SRV 0 33 5432 db-2.db.default.svc.cluster.local',
        '_pg._tcp.db.default.svc.cluster.local SRV 0 33 5432 10-244-2-13.db.default.svc.cluster.local',
      ],
      authority: [],
      additional: ['db-0.db.default.svc.cluster.local A 10.244.1.10', 'db-2.db.default.svc.cluster.local A 10.244.2.12', '10-244-2-13.db.default.svc.cluster.local A 10.244.2.13'],
    });
  });

  it('gives NXDOMAIN for ports that do not exist and NODATA for other types at an SRV name', () => {
    expect(show(ask(data, '_http._udp.web.default.svc.cluster.local', TYPE.SRV)).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ask(data, '_nope._tcp.web.default.svc.cluster.local', TYPE.SRV)).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ask(data, '_http.tcp.web.default.svc.cluster.local', TYPE.SRV)).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ask(data, '_http._tcp.web.default.svc.cluster.local', TYPE.A))).toMatchObject({ rcode: RCODE.NOERROR, answers: [], authority: ['cluster.local SOA ns.dns.cluster.local 5'] });
    expect(show(ask(data, '_tcp.web.default.svc.cluster.local', TYPE.SRV))).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(show(ask(data, '_sctp.web.default.svc.cluster.local', TYPE.SRV)).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ask(data, 'web.default.svc.cluster.local', TYPE.SRV))).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
  });
});

describe('pod names', () => {
  const data = cluster();

  it('answers any well-formed dashed IPv4 in any namespace', () => {
    expect(show(ask(data, '10-244-1-5.default.pod.cluster.local')).answers).toEqual(['10-244-1-5.default.pod.cluster.local A 10.244.1.5']);
    expect(show(ask(data, '1-2-3-4.anything.pod.cluster.local')).answers).toEqual(['1-2-3-4.anything.pod.cluster.local A 1.2.3.4']);
  });

  it('gives NXDOMAIN for malformed ones', () => {
    for (const label of ['10-244-1', '10-244-1-256', '10-244-1-5-6', 'a-b-c-d', '10.244.1.5']) {
      expect(show(ask(data, `${label}.default.pod.cluster.local`)).rcode, label).toBe(RCODE.NXDOMAIN);
    }
    expect(show(ask(data, 'x.10-244-1-5.default.pod.cluster.local')).rcode).toBe(RCODE.NXDOMAIN);
  });
});

describe('reverse lookups', () => {
  const data = cluster();
  const ptr = (name: string) => ask(data, name, TYPE.PTR);

  it('covers a /12 with sixteen /16 zones and a /16 with one', () => {
    const zones = reverseZones('10.96.0.0/12');
    expect(zones).toHaveLength(16);
    expect(zones[0]).toBe('96.10.in-addr.arpa');
    expect(zones[15]).toBe('111.10.in-addr.arpa');
    expect(reverseZones('10.244.0.0/16')).toEqual(['244.10.in-addr.arpa']);
    expect(reverseZones('192.168.1.0/24')).toEqual(['1.168.192.in-addr.arpa']);
  });

  it('answers PTR for cluster IPs and endpoint IPs', () => {
    expect(show(ptr('20.0.96.10.in-addr.arpa')).answers).toEqual(['20.0.96.10.in-addr.arpa PTR web.default.svc.cluster.local']);
    expect(show(ptr('10.1.244.10.in-addr.arpa')).answers).toEqual(['10.1.244.10.in-addr.arpa PTR db-0.db.default.svc.cluster.local']);
    expect(show(ptr('5.1.244.10.in-addr.arpa')).answers).toEqual(['5.1.244.10.in-addr.arpa PTR 10-244-1-5.web.default.svc.cluster.local']);
  });

  it('gives NXDOMAIN for unknown addresses in our reverse zones, with that zone SOA', () => {
    expect(show(ptr('99.1.244.10.in-addr.arpa'))).toEqual({ rcode: RCODE.NXDOMAIN, answers: [], authority: ['244.10.in-addr.arpa SOA ns.dns.cluster.local 5'], additional: [] });
    // Not-ready endpoints have no PTR.
    expect(show(ptr('6.2.244.10.in-addr.arpa')).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ptr('1.0.100.10.in-addr.arpa')).authority).toEqual(['100.10.in-addr.arpa SOA ns.dns.cluster.local 5']);
    expect(show(ptr('x.1.244.10.in-addr.arpa')).rcode).toBe(RCODE.NXDOMAIN);
  });

  it('treats prefixes of known addresses as names without records', () => {
    expect(show(ptr('1.244.10.in-addr.arpa'))).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(show(ptr('9.244.10.in-addr.arpa')).rcode).toBe(RCODE.NXDOMAIN);
    expect(show(ask(data, '244.10.in-addr.arpa', TYPE.SOA)).answers).toEqual(['244.10.in-addr.arpa SOA ns.dns.cluster.local 5']);
  });
});

describe('forwarding', () => {
  const data = cluster();

  it('forwards names outside the cluster zone and its reverse zones', () => {
    for (const name of ['example.com', 'local', 'cluster.local.example.com', 'mycluster.local', '1.0.0.10.in-addr.arpa', '8.8.8.8.in-addr.arpa', '1.0.95.10.in-addr.arpa', '1.0.112.10.in-addr.arpa', '']) {
      expect(ask(data, name), name).toEqual({ kind: 'forward' });
    }
  });

  it('refuses classes other than IN inside the zone', () => {
    expect(answer({ name: 'web.default.svc.cluster.local', type: TYPE.A, class: 3 }, data)).toMatchObject({ kind: 'local', rcode: RCODE.REFUSED });
  });

  it('follows another cluster domain when configured', () => {
    const cfg = { zone: 'lab.internal', serviceCidr: '10.96.0.0/12', podCidr: '10.244.0.0/16', ttl: 30 };
    const a = answer({ name: 'web.default.svc.lab.internal', type: TYPE.A, class: CLASS_IN }, data, cfg);
    expect(show(a).answers).toEqual(['web.default.svc.lab.internal A 10.96.0.20']);
    expect(a.kind === 'local' && a.answers[0]!.ttl).toBe(30);
    expect(answer({ name: 'web.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }, data, cfg)).toEqual({ kind: 'forward' });
  });
});
