import { field, str, vint } from '../protobuf-encode.js';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults.js';
import { decodeMessage } from '../protobuf.js';
import { namedMessage } from '../proto-schemas.js';
import { RESOURCES, type ApiObject, type ResourceType } from '../registry.js';
import { validate } from '../validation.js';
import { compareQuantities, formatQuantity, parseQuantity } from './core-quantity.js';

const type = (kind: string, group = ''): ResourceType => RESOURCES.find((r) => r.kind === kind && r.group === group)!;
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const obj = (kind: string, body: Record<string, unknown>, meta: Record<string, unknown> = {}): ApiObject =>
  ({ kind, metadata: { name: 'x', namespace: 'demo', creationTimestamp: ago(30), ...meta }, ...structuredClone(body) }) as ApiObject;
/** Cells of the table row for `o`, by column name (wide columns included). */
const cells = (t: ResourceType, o: ApiObject) => Object.fromEntries(t.columns.map((c) => [c.name, c.cell(o)]));
/** The object after the kind's defaults. */
const defaulted = (t: ResourceType, o: ApiObject, old?: ApiObject) => applyDefaults(t, o, old);
/** "field: message" lines of what the server would answer, after defaulting as the server does. */
const errors = (t: ResourceType, o: ApiObject, old?: ApiObject) => validate(t, defaulted(t, o, old), old).map((e) => `${e.field}: ${e.message}`);
/** The kind's own rules only (for kinds whose schemas reach definitions owned elsewhere). */
const rules = (t: ResourceType, o: ApiObject, old?: ApiObject) => t.validate!(defaulted(t, o, old), old).map((e) => `${e.field}: ${e.message}`);

describe('resource quantities', () => {
  it.each([
    ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['1000m', '1'], ['0.5', '500m'], ['1500', '1500'],
    ['1000', '1k'], ['1e3', '1e3'], ['1000M', '1G'], ['512', '512'], ['100Ki', '100Ki'], ['0.1', '100m'], ['-2k', '-2k'], ['0', '0'], [1.5, '1500m'],
  ])('prints %s as %s', (input, canonical) => {
    expect(formatQuantity(parseQuantity(input)!)).toBe(canonical);
  });

  it('compares quantities across notations and rejects what is not one', () => {
    const q = (s: string) => parseQuantity(s)!;
    expect(compareQuantities(q('1Gi'), q('1000Mi'))).toBe(1);
    expect(compareQuantities(q('1G'), q('1000M'))).toBe(0);
    expect(compareQuantities(q('500m'), q('1'))).toBe(-1);
    expect(parseQuantity('1 Gi')).toBeUndefined();
    expect(parseQuantity('Gi')).toBeUndefined();
  });
});

describe('Service', () => {
  const svc = type('Service');

  it.each([
    ['a ClusterIP service', { spec: { ports: [{ port: 80 }], selector: { app: 'web' } } }, {
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' },
    }],
    ['a NodePort service', { spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }] } }, {
      type: 'NodePort', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 'http', nodePort: 30080 }],
    }],
    ['a LoadBalancer with client IP affinity', { spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443, protocol: 'TCP' }] } }, {
      type: 'LoadBalancer', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
    }],
    ['a headless service without selector', { spec: { clusterIP: 'None' } }, {
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'],
    }],
    ['an ExternalName service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, { type: 'ExternalName', sessionAffinity: 'None', externalName: 'db.example.com' }],
    ['a service with a chosen IP', { spec: { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] } }, {
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      ports: [{ port: 53, protocol: 'UDP', targetPort: 53 }],
    }],
  ])('defaults %s', (_, body, spec) => {
    expect(defaulted(svc, obj('Service', body)).spec).toEqual(spec);
  });

  it('keeps assigned IPs and node ports on updates that leave them out, and wipes them when the type no longer uses them', () => {
    const old = defaulted(svc, obj('Service', { spec: { type: 'NodePort', clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 80, nodePort: 30080 }] } }));
    const put = defaulted(svc, obj('Service', { spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }] } }), old);
    expect(put.spec).toMatchObject({ clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ports: [{ nodePort: 30080 }] });
    const toClusterIP = defaulted(svc, { ...structuredClone(old), spec: { ...structuredClone(old.spec as object), type: 'ClusterIP' } }, old);
    expect((toClusterIP.spec as { ports: object[] }).ports[0]).not.toHaveProperty('nodePort');
    expect(toClusterIP.spec).not.toHaveProperty('externalTrafficPolicy');
    expect(errors(svc, toClusterIP, old)).toEqual([]);
  });

  it.each([
    ['no ports', { spec: { selector: { app: 'web' } } }, ['spec.ports: Required value']],
    ['unnamed ports', { spec: { ports: [{ port: 80 }, { port: 443 }] } }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['repeated port names', { spec: { ports: [{ name: 'web', port: 80 }, { name: 'web', port: 81 }] } }, ['spec.ports[1].name: Duplicate value: "web"']],
    ['a port out of range', { spec: { ports: [{ port: 70000 }] } }, ['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['a node port on a ClusterIP service', { spec: { ports: [{ port: 80, nodePort: 30001 }] } }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['an unknown type', { spec: { type: 'Public', ports: [{ port: 80 }] } }, ['spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['an ExternalName without a name', { spec: { type: 'ExternalName' } }, ['spec.externalName: Required value']],
    ['a bad selector', { spec: { ports: [{ port: 80 }], selector: { app: 'web app' } } }, [expect.stringMatching(/^spec\.selector: Invalid value: "web app": a valid label must be/)]],
    ['the same port twice', { spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] } }, ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']],
    ['a bad target port name', { spec: { ports: [{ port: 80, targetPort: 'Web_Port' }] } }, [expect.stringMatching(/^spec\.ports\[0\]\.targetPort: Invalid value: "Web_Port"/)]],
    ['a headless NodePort', { spec: { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] } }, ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
  ])('rejects %s', (_, body, expected) => {
    expect(errors(svc, obj('Service', body))).toEqual(expected);
  });

  it('accepts a realistic service and refuses to change its cluster IP', () => {
    const good = obj('Service', { spec: { type: 'NodePort', clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'https', port: 443 }] } });
    expect(errors(svc, good)).toEqual([]);
    const old = defaulted(svc, structuredClone(good));
    const moved = obj('Service', { spec: { ...structuredClone(old.spec as object), clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21'] } });
    expect(errors(svc, moved, old)).toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set']);
    const external = obj('Service', { spec: { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' } });
    expect(errors(svc, external, old)).toEqual([]);
  });

  it.each([
    ['ClusterIP', { spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 80, protocol: 'TCP' }], selector: { b: '2', a: '1' } } }, { Type: 'ClusterIP', 'Cluster-IP': '10.96.0.1', 'External-IP': '<none>', 'Port(s)': '80/TCP', Selector: 'a=1,b=2' }],
    ['NodePort', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } }, { 'Cluster-IP': '<none>', 'Port(s)': '80:30080/TCP,53/UDP', Selector: '<none>' }],
    ['pending LoadBalancer', { spec: { type: 'LoadBalancer', ports: [] } }, { 'External-IP': '<pending>', 'Port(s)': '<none>' }],
    ['LoadBalancer with an address', { spec: { type: 'LoadBalancer', externalIPs: ['192.0.2.9'] }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } }, { 'External-IP': '203.0.113.7,192.0.2.9' }],
    ['ExternalName', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, { 'External-IP': 'db.example.com' }],
  ])('prints a %s service as kubectl does', (_, body, expected) => {
    expect(cells(svc, obj('Service', body))).toMatchObject({ Name: 'x', Age: '30s', ...expected });
  });

  it('decodes the protobuf body kubectl create service sends', () => {
    const int = vint;
    const port = Buffer.concat([str(1, '80-8080'), str(2, 'TCP'), int(3, 80), field(4, Buffer.concat([int(1, 0), int(2, 8080)])), int(5, 0)]);
    const spec = Buffer.concat([field(1, port), field(2, Buffer.concat([str(1, 'app'), str(2, 'web')])), str(3, ''), str(4, 'NodePort'), str(7, '')]);
    const body = Buffer.concat([field(1, str(1, 'web')), field(2, spec), field(3, field(1, Buffer.alloc(0)))]);
    expect(decodeMessage(body, namedMessage('io.k8s.api.core.v1.Service'))).toEqual({
      metadata: { name: 'web' },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'NodePort' },
      status: { loadBalancer: {} },
    });
  });
});

describe('Endpoints and EndpointSlices', () => {
  const ep = type('Endpoints');
  const slice = type('EndpointSlice', 'discovery.k8s.io');

  it('prints up to three endpoints and defaults port protocols', () => {
    const o = defaulted(ep, obj('Endpoints', { subsets: [{ addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip) => ({ ip })), ports: [{ port: 80 }, { name: 'b', port: 81 }] }] }));
    expect((o.subsets as { ports: unknown[] }[])[0]!.ports).toEqual([{ port: 80, protocol: 'TCP' }, { name: 'b', port: 81, protocol: 'TCP' }]);
    expect(cells(ep, o).Endpoints).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...');
    expect(cells(ep, obj('Endpoints', {})).Endpoints).toBe('<none>');
  });

  it.each([
    ['a loopback address', { subsets: [{ addresses: [{ ip: '127.0.0.1' }] }] }, ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['a subset without addresses', { subsets: [{ ports: [{ port: 80 }] }] }, ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']],
    ['unnamed ports', { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 81 }] }] }, ['subsets[0].ports[0].name: Required value', 'subsets[0].ports[1].name: Required value']],
  ])('rejects Endpoints with %s', (_, body, expected) => {
    expect(errors(ep, obj('Endpoints', body))).toEqual(expected);
  });

  it('defaults slice ports, prints them, and checks addresses against the address type', () => {
    const o = defaulted(slice, obj('EndpointSlice', { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], deprecatedTopology: { a: 'b' } }, { addresses: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] }], ports: [{ port: 80 }, { name: 'https', port: 443 }] }));
    expect(o.ports).toEqual([{ name: '', protocol: 'TCP', port: 80 }, { name: 'https', protocol: 'TCP', port: 443 }]);
    expect((o.endpoints as object[])[0]).not.toHaveProperty('deprecatedTopology');
    expect(cells(slice, o)).toMatchObject({ AddressType: 'IPv4', Ports: '80,443', Endpoints: '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...' });
    expect(cells(slice, obj('EndpointSlice', { addressType: 'IPv4' }))).toMatchObject({ Ports: '<unset>', Endpoints: '<unset>' });
    const bad = obj('EndpointSlice', { addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1'] }, { addresses: [] }], ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] });
    expect(errors(slice, bad)).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses: Required value: must contain at least 1 address',
      'ports[1].name: Duplicate value: "a"',
    ]);
    const moved = obj('EndpointSlice', { addressType: 'IPv6', endpoints: [] });
    expect(errors(slice, moved, o)).toEqual(['addressType: Invalid value: "IPv6": field is immutable']);
  });
});

describe('Node', () => {
  const node = type('Node');
  const ready = (status: string) => ({ conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status }] });

  it.each([
    ['a ready node', { status: ready('True') }, {}, 'Ready', '<none>'],
    ['a cordoned control plane', { spec: { unschedulable: true }, status: ready('True') }, { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/etcd': '' }, 'Ready,SchedulingDisabled', 'control-plane,etcd'],
    ['a node that stopped reporting', { status: ready('Unknown') }, { 'kubernetes.io/role': 'worker' }, 'NotReady', 'worker'],
    ['a node without conditions', {}, {}, 'Unknown', '<none>'],
  ])('prints %s', (_, body, labels, status, roles) => {
    expect(cells(node, obj('Node', body, { namespace: undefined, labels }))).toMatchObject({ Status: status, Roles: roles });
  });

  it('prints the wide columns from addresses and node info', () => {
    const o = obj('Node', { status: { addresses: [{ type: 'Hostname', address: 'a' }, { type: 'InternalIP', address: '172.18.0.2' }], nodeInfo: { kubeletVersion: 'v1.34.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://2.1.0' } } });
    expect(cells(node, o)).toMatchObject({ Version: 'v1.34.0', 'Internal-IP': '172.18.0.2', 'External-IP': '<none>', 'OS-Image': 'Debian GNU/Linux 12', 'Kernel-Version': '6.8.0', 'Container-Runtime': 'containerd://2.1.0' });
    expect(cells(node, obj('Node', {}))).toMatchObject({ Version: '', 'OS-Image': '<unknown>' });
  });

  it('defaults pod CIDRs and allocatable, and drops retired dynamic configuration on create', () => {
    const o = defaulted(node, obj('Node', { spec: { podCIDR: '10.244.1.0/24', configSource: { configMap: { name: 'k' } } }, status: { capacity: { cpu: '4' }, config: {} } }));
    expect(o.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(o.status).toEqual({ capacity: { cpu: '4' }, allocatable: { cpu: '4' } });
  });

  it.each([
    ['a repeated taint', { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', value: 'x', effect: 'NoSchedule' }] } }, undefined,
      ['metadata.taints[1]: Duplicate value: {"key":"a","value":"x","effect":"NoSchedule"}: taints must be unique by key and effect pair']],
    ['a bad pod CIDR', { spec: { podCIDRs: ['10.244.0.0/33'] } }, undefined, ['spec.podCIDRs[0]: Invalid value: "10.244.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['two IPv4 pod CIDRs', { spec: { podCIDRs: ['10.244.0.0/24', '10.245.0.0/24'] } }, undefined, ['spec.podCIDRs: Invalid value: ["10.244.0.0/24","10.245.0.0/24"]: may specify no more than one CIDR for each IP family']],
    ['a changed pod CIDR', { spec: { podCIDR: '10.244.9.0/24' } }, { spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } },
      ['spec.podCIDRs[0]: Forbidden: node updates may not change podCIDR except from "" to valid']],
    ['a changed provider ID', { spec: { providerID: 'kind://b' } }, { spec: { providerID: 'kind://a' } }, ['spec.providerID: Forbidden: node updates may not change providerID except from "" to valid']],
  ])('rejects %s', (_, body, old, expected) => {
    expect(errors(node, obj('Node', body), old ? obj('Node', old) : undefined)).toEqual(expected);
  });
});

describe('PersistentVolume and PersistentVolumeClaim', () => {
  const pv = type('PersistentVolume');
  const pvc = type('PersistentVolumeClaim');
  const hostPV = { spec: { capacity: { storage: '1024Mi' }, accessModes: ['ReadOnlyMany', 'ReadWriteOnce'], hostPath: { path: '/data' } } };

  it('defaults a volume and prints it as kubectl does', () => {
    const o = defaulted(pv, obj('PersistentVolume', hostPV));
    expect(o.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { path: '/data', type: '' } });
    expect(o.status).toEqual({ phase: 'Pending' });
    expect(cells(pv, o)).toMatchObject({ Capacity: '1Gi', 'Access Modes': 'RWO,ROX', 'Reclaim Policy': 'Retain', Status: 'Pending', Claim: '', StorageClass: '', VolumeAttributesClass: '<unset>', Reason: '', VolumeMode: 'Filesystem' });
    const bound = obj('PersistentVolume', { spec: { ...hostPV.spec, claimRef: { namespace: 'demo', name: 'data' }, storageClassName: 'standard' }, status: { phase: 'Bound' } }, { deletionTimestamp: ago(1) });
    expect(cells(pv, bound)).toMatchObject({ Claim: 'demo/data', StorageClass: 'standard', Status: 'Terminating' });
  });

  it.each([
    ['no source', { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }, ['spec: Required value: must specify a volume type']],
    ['two sources', { spec: { ...hostPV.spec, nfs: { server: 'nfs', path: '/x' } } }, ['spec.nfs: Forbidden: may not specify more than 1 volume type']],
    ['no capacity', { spec: { accessModes: ['ReadWriteOnce'], hostPath: { path: '/d' } } }, ['spec.capacity: Required value', 'spec.capacity: Unsupported value: {}: supported values: "storage"']],
    ['a zero size', { spec: { ...hostPV.spec, capacity: { storage: '0' } } }, ['spec.capacity[storage]: Invalid value: "0": must be greater than zero']],
    ['no access modes', { spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/d' } } }, ['spec.accessModes: Required value']],
    ['a local volume without node affinity', { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disk' } } }, ['spec.nodeAffinity: Required value: Local volume requires node affinity']],
    ['ReadWriteOncePod with another mode', { spec: { ...hostPV.spec, accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'] } }, ['spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes']],
  ])('rejects a volume with %s', (_, body, expected) => {
    expect(rules(pv, obj('PersistentVolume', body))).toEqual(expected);
  });

  it('keeps the source of a volume fixed', () => {
    const old = defaulted(pv, obj('PersistentVolume', hostPV));
    const changed = obj('PersistentVolume', { spec: { ...structuredClone(old.spec as object), hostPath: { path: '/other', type: '' } } });
    expect(rules(pv, changed, old)).toEqual(['spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation']);
  });

  const claim = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' } };

  it('defaults a claim and prints it pending and bound', () => {
    const o = defaulted(pvc, obj('PersistentVolumeClaim', { spec: { ...claim.spec, dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } } }));
    expect(o.spec).toMatchObject({ volumeMode: 'Filesystem', dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'src' } });
    expect(o.status).toEqual({ phase: 'Pending' });
    expect(cells(pvc, o)).toMatchObject({ Status: 'Pending', Volume: '', Capacity: '', 'Access Modes': '', StorageClass: 'standard', VolumeAttributesClass: '<unset>' });
    const bound = obj('PersistentVolumeClaim', { spec: { ...claim.spec, volumeName: 'pv-1' }, status: { phase: 'Bound', capacity: { storage: '2048Mi' }, accessModes: ['ReadWriteOnce'] } });
    expect(cells(pvc, bound)).toMatchObject({ Status: 'Bound', Volume: 'pv-1', Capacity: '2Gi', 'Access Modes': 'RWO' });
  });

  it.each([
    ['no access modes', { spec: { resources: { requests: { storage: '1Gi' } } } }, undefined, ['spec.accessModes: Required value: at least 1 access mode is required']],
    ['no size', { spec: { accessModes: ['ReadWriteOnce'] } }, undefined, ['spec.resources[storage]: Required value']],
    ['an unknown access mode', { spec: { ...claim.spec, accessModes: ['ReadWriteSometimes'] } }, undefined,
      ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"']],
    ['a changed access mode', { spec: { ...claim.spec, accessModes: ['ReadWriteMany'] } }, claim,
      ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  accessModes: ["ReadWriteOnce"] -> ["ReadWriteMany"]']],
    ['growing an unbound claim', { spec: { ...claim.spec, resources: { requests: { storage: '2Gi' } } } }, claim,
      ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  resources: {"requests":{"storage":"1Gi"}} -> {"requests":{"storage":"2Gi"}}']],
    ['shrinking a bound claim below its capacity', { spec: { ...claim.spec, resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } },
      { spec: { ...claim.spec, resources: { requests: { storage: '2Gi' } } }, status: { phase: 'Bound', capacity: { storage: '2Gi' } } },
      ['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']],
  ])('rejects a claim with %s', (_, body, old, expected) => {
    expect(rules(pvc, obj('PersistentVolumeClaim', body), old ? defaulted(pvc, obj('PersistentVolumeClaim', old)) : undefined)).toEqual(expected);
  });

  it('lets a bound claim grow and get its volume name once', () => {
    const old = defaulted(pvc, obj('PersistentVolumeClaim', { ...claim, status: { phase: 'Bound', capacity: { storage: '1Gi' } } }));
    const grown = obj('PersistentVolumeClaim', { spec: { ...structuredClone(old.spec as object), volumeName: 'pv-1', resources: { requests: { storage: '5Gi' } } }, status: old.status });
    expect(rules(pvc, grown, old)).toEqual([]);
  });
});

describe('LimitRange and ResourceQuota', () => {
  const limits = type('LimitRange');
  const quota = type('ResourceQuota');

  it('defaults container limits and requests from max, default and min', () => {
    const o = defaulted(limits, obj('LimitRange', { spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { memory: '256Mi' } }, { type: 'Pod', max: { cpu: '4' } }] } }));
    expect(o.spec).toEqual({
      limits: [
        { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { memory: '256Mi', cpu: '2' }, defaultRequest: { memory: '256Mi', cpu: '2' } },
        { type: 'Pod', max: { cpu: '4' } },
      ],
    });
    expect(cells(limits, o)['Created At']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each([
    ['min above max', [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }], [
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      'spec.limits[0].defaultRequest[cpu]: Invalid value: "1": min value 2 is greater than default request value 1',
      'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1',
    ]],
    ['defaults for pods', [{ type: 'Pod', default: { cpu: '1' } }], ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"]],
    ['an unknown type', [{ type: 'Deployment' }], ['spec.limits[0].type: Invalid value: "Deployment": must be a standard limit type or fully qualified']],
    ['a claim limit without storage', [{ type: 'PersistentVolumeClaim', max: { cpu: '1' } }], ['spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided']],
    ['a ratio below one', [{ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }], ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1']],
  ])('rejects %s', (_, items, expected) => {
    expect(errors(limits, obj('LimitRange', { spec: { limits: items } }))).toEqual(expected);
  });

  it.each([
    ['an unknown resource', { hard: { gpus: '1' } }, ['spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota']],
    ['a negative amount', { hard: { 'requests.cpu': '-1' } }, ['spec.hard[requests.cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    ['a fractional count', { hard: { pods: '1.5' } }, ['spec.hard[pods]: Invalid value: "1.5": must be an integer']],
    ['conflicting scopes', { hard: { pods: '5' }, scopes: ['BestEffort', 'NotBestEffort'] }, ['spec.scopes: Invalid value: ["BestEffort","NotBestEffort"]: conflicting scopes']],
    ['a scope that cannot count the resource', { hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] }, ['spec.scopes: Invalid value: ["BestEffort"]: unsupported scope applied to resource']],
    ['a scope selector without values', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } },
      ["spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"]],
  ])('rejects a quota with %s', (_, spec, expected) => {
    expect(errors(quota, obj('ResourceQuota', { spec }))).toEqual(expected);
  });

  it('accepts object counts by type and prints use against limits', () => {
    expect(errors(quota, obj('ResourceQuota', { spec: { hard: { 'count/deployments.apps': '3', 'requests.storage': '10Gi', services: '5' } } }))).toEqual([]);
    const o = obj('ResourceQuota', { status: { hard: { pods: '10', 'limits.cpu': '2', services: '5', 'limits.memory': '2048Mi' }, used: { pods: '1', 'limits.memory': '512Mi' } } });
    expect(cells(quota, o)).toMatchObject({ Request: 'pods: 1/10, services: 0/5', Limit: 'limits.cpu: 0/2, limits.memory: 512Mi/2Gi' });
  });
});

describe('Events', () => {
  const ev = type('Event');
  const v1 = type('Event', 'events.k8s.io');
  const coreEvent = { involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'demo', fieldPath: 'spec.containers{web}' }, reason: 'Pulled', message: ' Pulled image ', type: 'Normal', source: { component: 'kubelet', host: 'node-a' } };

  it('prints the table of kubectl get events, wide columns included', () => {
    const o = obj('Event', { ...coreEvent, firstTimestamp: ago(300), lastTimestamp: ago(65), count: 3 });
    expect(ev.columns.map((c) => `${c.name}${c.wide ? '*' : ''}`)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
    expect(cells(ev, o)).toEqual({ 'Last Seen': '65s', Type: 'Normal', Reason: 'Pulled', Object: 'pod/web-1', Subobject: 'spec.containers{web}', Source: 'kubelet, node-a', Message: 'Pulled image', 'First Seen': '5m', Count: 3, Name: 'x' });
    const series = obj('Event', { ...coreEvent, eventTime: '2026-01-01T00:00:00.000000Z', series: { count: 7, lastObservedTime: ago(10) } });
    expect(cells(ev, series)).toMatchObject({ 'Last Seen': '10s', Count: 7 });
  });

  it.each([
    ['an object in another namespace', { ...coreEvent, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } }, ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']],
    ['no involved object', { reason: 'X' }, ['involvedObject: Required value', 'involvedObject.namespace: Invalid value: "": does not match event.namespace']],
    ['an event time but no reporter', { ...coreEvent, eventTime: '2026-01-01T00:00:00.000000Z', action: 'Pull' }, [
      'reportingComponent: Required value',
      expect.stringMatching(/^reportingComponent: Invalid value: "": name part must/),
      'reportingInstance: Required value',
    ]],
  ])('rejects a core event with %s', (_, body, expected) => {
    expect(rules(ev, obj('Event', body))).toEqual(expected);
  });

  const structured = { eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'example.com/ctl', reportingInstance: 'ctl-1', action: 'Sync', reason: 'Synced', type: 'Normal', regarding: { kind: 'Pod', name: 'web-1', namespace: 'demo' }, note: 'done' };

  it('prints and checks events.k8s.io events with the stricter rules of that API', () => {
    expect(cells(v1, obj('Event', structured))).toMatchObject({ Type: 'Normal', Reason: 'Synced', Object: 'pod/web-1', Message: 'done', Source: 'example.com/ctl, ctl-1', Count: 1 });
    expect(rules(v1, obj('Event', structured))).toEqual([]);
    expect(rules(v1, obj('Event', { ...structured, type: 'Info', deprecatedCount: 2, series: { count: 1, lastObservedTime: structured.eventTime } }))).toEqual([
      'series.count: Invalid value: "": should be at least 2',
      'type: Invalid value: "": has invalid value: Info',
      'count: Invalid value: "": needs to be unset',
    ]);
    const old = obj('Event', structured);
    expect(rules(v1, obj('Event', { ...structured, note: 'changed' }), old)).toEqual(['message: Invalid value: "changed": field is immutable']);
  });
});

describe('ServiceAccount, ComponentStatus and ReplicationController', () => {
  it('counts service account secrets and reads component health', () => {
    expect(cells(type('ServiceAccount'), obj('ServiceAccount', { secrets: [{ name: 'a' }, { name: 'b' }] }))).toMatchObject({ Secrets: 2 });
    const cs = type('ComponentStatus');
    expect(cs.verbs).toEqual(['get', 'list']);
    expect(cells(cs, obj('ComponentStatus', { conditions: [{ type: 'Healthy', status: 'False', message: 'down', error: 'dial tcp: refused' }] }))).toEqual({ Name: 'x', Status: 'Unhealthy', Message: 'down', Error: 'dial tcp: refused' });
    expect(cells(cs, obj('ComponentStatus', {}))).toMatchObject({ Status: 'Unknown' });
  });

  const rc = type('ReplicationController');
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };

  it('defaults replicas, selector and labels from the template, and prints the counts', () => {
    const o = defaulted(rc, obj('ReplicationController', { spec: { template } }));
    expect(o.spec).toMatchObject({ replicas: 1, selector: { app: 'web' } });
    expect(o.metadata.labels).toEqual({ app: 'web' });
    expect(cells(rc, o)).toMatchObject({ Desired: 1, Current: 0, Ready: 0, Containers: 'web,log', Images: 'nginx:1.27,busybox', Selector: 'app=web' });
    expect(defaulted(rc, obj('ReplicationController', { spec: { replicas: 0, template } })).spec).toMatchObject({ replicas: 0 });
    expect(rc.subresources?.scale).toEqual({ specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' });
  });

  it.each([
    ['a selector that does not match the template', { selector: { app: 'db' }, template }, ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    ['no selector and no template labels', { template: { spec: template.spec } }, ['spec.selector: Required value']],
    ['no template', { selector: { app: 'web' } }, ['spec.template: Required value']],
    ['negative replicas', { replicas: -1, template }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['pods that never restart', { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
  ])('rejects %s', (_, spec, expected) => {
    expect(rules(rc, obj('ReplicationController', { spec }))).toEqual(expected);
  });
});

describe('discovery of the core kinds', () => {
  it.each([
    ['services', ['svc'], ['all'], true], ['endpoints', ['ep'], [], true], ['nodes', ['no'], [], false], ['events', ['ev'], [], true],
    ['serviceaccounts', ['sa'], [], true], ['persistentvolumes', ['pv'], [], false], ['persistentvolumeclaims', ['pvc'], [], true],
    ['limitranges', ['limits'], [], true], ['resourcequotas', ['quota'], [], true], ['componentstatuses', ['cs'], [], false],
    ['replicationcontrollers', ['rc'], ['all'], true],
  ])('serves %s with its short names, categories and scope', (resource, shortNames, categories, namespaced) => {
    const t = RESOURCES.find((r) => r.group === '' && r.resource === resource)!;
    expect({ shortNames: t.shortNames, categories: t.categories, namespaced: t.namespaced, schema: t.schemaName }).toEqual({ shortNames, categories, namespaced, schema: `io.k8s.api.core.v1.${t.kind}` });
  });
});
