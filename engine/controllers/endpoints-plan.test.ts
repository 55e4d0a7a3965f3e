import { describe, expect, it } from 'vitest';
import {
  endpointsSubsets,
  MAX_ENDPOINTS_PER_SLICE,
  planEndpoints,
  resolveTargetPort,
  selectedPods,
  selectsPods,
  type EndpointSlice,
  type Service,
} from './endpoints-plan.js';
import { planSlices, type SlicePlan } from './endpointslice-plan.js';
import type { Pod } from './workload-util.js';

interface PodOpts {
  ip?: string | null;
  ready?: boolean;
  phase?: string;
  deleting?: boolean;
  labels?: Record<string, string>;
  ns?: string;
  node?: string;
  httpPort?: number;
  hostname?: string;
  subdomain?: string;
}
const pod = (name: string, o: PodOpts = {}): Pod => ({
  metadata: { name, namespace: o.ns ?? 'ns', uid: `u-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec: {
    nodeName: o.node ?? 'n1',
    containers: [{ name: 'c', ports: o.httpPort === undefined ? [] : [{ name: 'http', containerPort: o.httpPort, protocol: 'TCP' }] }],
    ...(o.hostname ? { hostname: o.hostname } : {}),
    ...(o.subdomain ? { subdomain: o.subdomain } : {}),
  },
  status: {
    phase: o.phase ?? 'Running',
    ...(o.ip === null ? {} : { podIP: o.ip ?? `10.244.0.${Number(name.replace(/\D/g, '')) || 1}` }),
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
  },
});
/** `n` ready pods p1..pn with distinct addresses. */
const manyPods = (n: number) => Array.from({ length: n }, (_, i) => pod(`p${i + 1}`, { ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
const svc = (spec: Service['spec'] = {}, labels?: Record<string, string>): Service => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-1', ...(labels ? { labels } : {}) },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
});

/** What the server would hold after `plan` is carried out on `existing`. */
let serial = 0;
function apply(existing: EndpointSlice[], plan: SlicePlan): EndpointSlice[] {
  const gone = new Set([...plan.remove, ...plan.update].map((s) => s.metadata.name));
  const made = plan.create.map((s) => ({ ...s, metadata: { ...s.metadata, name: `web-${++serial}` } }));
  return [...existing.filter((s) => !gone.has(s.metadata.name)), ...plan.update, ...made].map((s) => JSON.parse(JSON.stringify(s)) as EndpointSlice);
}
const writes = (p: SlicePlan) => p.create.length + p.update.length + p.remove.length;
const names = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => e.targetRef?.name);
const allEndpoints = (slices: EndpointSlice[]) => slices.flatMap((s) => s.endpoints ?? []);

describe('selection', () => {
  it('needs a selector and no ExternalName', () => {
    expect(selectsPods(svc())).toBe(true);
    expect(selectsPods(svc({ selector: undefined }))).toBe(false);
    expect(selectsPods(svc({ selector: {} }))).toBe(false);
    expect(selectsPods(svc({ type: 'ExternalName', externalName: 'example.com' }))).toBe(false);
  });

  it('takes matching pods of its namespace that have an address and have not finished', () => {
    const pods = [
      pod('p1'),
      pod('p2', { labels: { app: 'db' } }),
      pod('p3', { ns: 'other' }),
      pod('p4', { ip: null }),
      pod('p5', { phase: 'Succeeded' }),
      pod('p6', { phase: 'Failed' }),
      pod('p7', { ready: false }),
      pod('p8', { deleting: true }),
    ];
    expect(selectedPods(svc(), pods).map((p) => p.metadata.name)).toEqual(['p1', 'p7', 'p8']);
  });
});

describe('planSlices', () => {
  it('creates one labelled, owned slice with each pod as an endpoint', () => {
    const plan = planSlices(svc({}, { team: 'a' }), [pod('p2', { ready: false, node: 'n2' }), pod('p1')], []);
    expect(plan.update).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(plan.create).toHaveLength(1);
    const [slice] = plan.create;
    expect(slice!.metadata).toEqual({
      generateName: 'web-',
      namespace: 'ns',
      labels: { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-1', controller: true, blockOwnerDeletion: true }],
    });
    expect(slice!.addressType).toBe('IPv4');
    expect(slice!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice!.endpoints).toEqual([
      { addresses: ['10.244.0.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p1', uid: 'u-p1' } },
      { addresses: ['10.244.0.2'], conditions: { ready: false, serving: false, terminating: false }, nodeName: 'n2', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p2', uid: 'u-p2' } },
    ]);
  });

  it('marks terminating pods not ready but still serving while ready', () => {
    const [slice] = planSlices(svc(), [pod('p1', { deleting: true }), pod('p2', { deleting: true, ready: false })], []).create;
    expect(slice!.endpoints!.map((e) => e.conditions)).toEqual([
      { ready: false, serving: true, terminating: true },
      { ready: false, serving: false, terminating: true },
    ]);
  });

  it('marks every pod ready when the service publishes not-ready addresses', () => {
    const [slice] = planSlices(svc({ publishNotReadyAddresses: true }), [pod('p1', { ready: false }), pod('p2', { deleting: true, ready: false })], []).create;
    expect(slice!.endpoints!.map((e) => e.conditions.ready)).toEqual([true, true]);
    expect(slice!.endpoints!.map((e) => e.conditions.serving)).toEqual([false, false]);
  });

  it('sets the hostname only for pods whose subdomain is the service', () => {
    const [slice] = planSlices(svc(), [pod('p1', { hostname: 'a', subdomain: 'web' }), pod('p2', { hostname: 'b', subdomain: 'other' }), pod('p3', { subdomain: 'web' })], []).create;
    expect(slice!.endpoints!.map((e) => e.hostname)).toEqual(['a', undefined, undefined]);
  });

  it('copies name, protocol and appProtocol of every service port', () => {
    const s = svc({ ports: [{ name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }, { name: 'web', port: 80, appProtocol: 'http' }] });
    expect(planSlices(s, [pod('p1')], []).create[0]!.ports).toEqual([
      { name: 'dns', port: 5353, protocol: 'UDP' },
      { name: 'web', port: 80, protocol: 'TCP', appProtocol: 'http' },
    ]);
  });

  it('resolves a named targetPort per pod and splits pods that differ', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    expect(resolveTargetPort(pod('p1', { httpPort: 8080 }), s.spec!.ports![0]!)).toBe(8080);
    expect(resolveTargetPort(pod('p1', { httpPort: 8080 }), { port: 80, targetPort: 'http', protocol: 'UDP' })).toBeUndefined();
    const plan = planSlices(s, [pod('p1', { httpPort: 8080 }), pod('p2', { httpPort: 9090 }), pod('p3', { httpPort: 8080 }), pod('p4')], []);
    const byPort = Object.fromEntries(plan.create.map((sl) => [JSON.stringify(sl.ports), names(sl)]));
    expect(byPort).toEqual({
      [JSON.stringify([{ name: 'http', port: 8080, protocol: 'TCP' }])]: ['p1', 'p3'],
      [JSON.stringify([{ name: 'http', port: 9090, protocol: 'TCP' }])]: ['p2'],
      // A pod without the named port still is an endpoint, of no port.
      '[]': ['p4'],
    });
  });

  it('resolves named ports of sidecar init containers', () => {
    const p = pod('p1');
    p.spec!.initContainers = [{ name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'http', containerPort: 15001 }] }];
    expect(resolveTargetPort(p, { port: 80, targetPort: 'http' })).toBe(15001);
  });

  it(`packs at most ${MAX_ENDPOINTS_PER_SLICE} endpoints in a slice`, () => {
    const plan = planSlices(svc(), manyPods(250), []);
    expect(plan.create.map((s) => s.endpoints!.length)).toEqual([100, 100, 50]);
    expect(new Set(allEndpoints(plan.create).map((e) => e.addresses[0])).size).toBe(250);
  });

  it('writes nothing when the slices are right already', () => {
    const s = svc({}, { team: 'a' });
    for (const pods of [[], [pod('p1'), pod('p2', { ready: false })], manyPods(250)]) {
      const slices = apply([], planSlices(s, pods, []));
      expect(writes(planSlices(s, pods, slices))).toBe(0);
      // Fields the server adds or orders differently are no change either.
      const served = slices.map((sl) => ({ ...sl, metadata: { ...sl.metadata, resourceVersion: '7' }, endpoints: sl.endpoints?.map((e) => ({ zone: 'z', ...e })) ?? null }));
      expect(writes(planSlices(s, pods, served))).toBe(0);
    }
  });

  it('rewrites only the slice of a pod whose readiness flipped', () => {
    const pods = manyPods(250);
    const slices = apply([], planSlices(svc(), pods, []));
    pods[120] = pod('p121', { ip: pods[120]!.status!.podIP as string, ready: false });
    const plan = planSlices(svc(), pods, slices);
    expect(plan.create).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]!.metadata.name).toBe(slices.find((s) => names(s).includes('p121'))!.metadata.name);
    expect(plan.update[0]!.endpoints!.find((e) => e.targetRef?.name === 'p121')!.conditions.ready).toBe(false);
  });

  it('puts new pods into a slice with room instead of making another', () => {
    const slices = apply([], planSlices(svc(), manyPods(150), []));
    const plan = planSlices(svc(), manyPods(160), slices);
    expect(plan.create).toEqual([]);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]!.endpoints).toHaveLength(60);
  });

  it('deletes surplus slices and slices it does not own', () => {
    const slices = apply([], planSlices(svc(), manyPods(150), []));
    const stranger = { ...slices[0]!, metadata: { ...slices[0]!.metadata, name: 'web-old', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'older', controller: true }] } };
    const kept = new Set(names(slices[0]!));
    const plan = planSlices(svc(), manyPods(150).filter((p) => kept.has(p.metadata.name)), [...slices, stranger]);
    expect(plan.remove.map((s) => s.metadata.name).sort()).toEqual([slices[1]!.metadata.name, 'web-old'].sort());
    expect(plan.create).toEqual([]);
    expect(plan.update).toEqual([]);
  });

  it('drops removed pods and rewrites a slice rather than delete one and create another', () => {
    const s = svc();
    const slices = apply([], planSlices(s, [pod('p1', { httpPort: 8080 })], []));
    // The port changes: the old slice's port set is gone, a new one is needed.
    const moved = svc({ ports: [{ name: 'http', port: 80, targetPort: 9000 }] });
    const plan = planSlices(moved, [pod('p1')], slices);
    expect(plan.remove).toEqual([]);
    expect(plan.create).toEqual([]);
    expect(plan.update.map((sl) => [sl.metadata.name, sl.ports])).toEqual([[slices[0]!.metadata.name, [{ name: 'http', port: 9000, protocol: 'TCP' }]]]);
  });

  it('keeps one empty slice when no pod is selected', () => {
    const created = planSlices(svc(), [], []);
    expect(created.create).toHaveLength(1);
    expect(created.create[0]).toMatchObject({ endpoints: [], ports: [] });
    const empty = apply([], created);
    expect(writes(planSlices(svc(), [pod('p9', { labels: { app: 'db' } })], empty))).toBe(0);
    // The last pod going empties the slice in place.
    const one = apply([], planSlices(svc(), [pod('p1')], []));
    const plan = planSlices(svc(), [], one);
    expect(plan).toMatchObject({ create: [], remove: [] });
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]).toMatchObject({ metadata: { name: one[0]!.metadata.name }, endpoints: [], ports: [] });
  });

  it('follows label changes of the service', () => {
    const slices = apply([], planSlices(svc(), [pod('p1')], []));
    const plan = planSlices(svc({ clusterIP: 'None' }, { tier: 'x' }), [pod('p1')], slices);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]!.metadata.labels).toEqual({ tier: 'x', 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  });
});

describe('endpointsSubsets', () => {
  const addr = (name: string, ip: string, extra: Record<string, unknown> = {}) => ({ ip, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name, uid: `u-${name}` }, ...extra });

  it('splits ready and not-ready pods and leaves out terminating ones', () => {
    const subsets = endpointsSubsets(svc(), [pod('p2'), pod('p1', { ready: false }), pod('p3', { deleting: true }), pod('p4', { hostname: 'h', subdomain: 'web' })]);
    expect(subsets).toEqual([
      { addresses: [addr('p2', '10.244.0.2'), addr('p4', '10.244.0.4', { hostname: 'h' })], notReadyAddresses: [addr('p1', '10.244.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    ]);
  });

  it('lists every pod, terminating ones too, as ready when the service publishes not-ready addresses', () => {
    const [subset] = endpointsSubsets(svc({ publishNotReadyAddresses: true }), [pod('p1', { ready: false }), pod('p2', { deleting: true })]);
    expect(subset!.addresses!.map((a) => a.ip)).toEqual(['10.244.0.1', '10.244.0.2']);
    expect(subset!.notReadyAddresses).toBeUndefined();
  });

  it('groups addresses by the ports they offer', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9100 }] });
    const subsets = endpointsSubsets(s, [pod('p1', { httpPort: 8080 }), pod('p2', { httpPort: 9090 }), pod('p3', { httpPort: 8080 })]);
    const view = subsets.map((ss) => [ss.addresses!.map((a) => a.targetRef!.name), ss.ports!.map((p) => `${p.name}:${p.port}`)]);
    expect(view).toEqual([
      [['p1', 'p2', 'p3'], ['metrics:9100']],
      [['p1', 'p3'], ['http:8080']],
      [['p2'], ['http:9090']],
    ]);
  });

  it('gives a headless service without ports one subset without ports', () => {
    expect(endpointsSubsets(svc({ clusterIP: 'None', ports: [] }), [pod('p1')])).toEqual([{ addresses: [addr('p1', '10.244.0.1')] }]);
    expect(endpointsSubsets(svc({ ports: [] }), [pod('p1')])).toEqual([]);
  });

  it('leaves out the name of a lone unnamed port', () => {
    const [subset] = endpointsSubsets(svc({ ports: [{ port: 80 }] }), [pod('p1')]);
    expect(subset!.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });
});

describe('planEndpoints', () => {
  const labels = { team: 'a', 'endpointslice.kubernetes.io/skip-mirror': 'true', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };

  it('creates Endpoints named like the service, even with no pods', () => {
    expect(planEndpoints(svc({}, { team: 'a' }), [], undefined)).toEqual({ verb: 'create', endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'ns', labels } } });
  });

  it('updates only when subsets or labels differ', () => {
    const s = svc({}, { team: 'a' });
    const pods = [pod('p1'), pod('p2', { ready: false })];
    const made = planEndpoints(s, pods, undefined)!.endpoints;
    const current = { ...JSON.parse(JSON.stringify(made)), metadata: { ...made.metadata, resourceVersion: '5', annotations: { keep: 'me' } } };
    expect(planEndpoints(s, pods, current)).toBeUndefined();
    const next = planEndpoints(s, [pod('p1'), pod('p2')], current)!;
    expect(next.verb).toBe('update');
    expect(next.endpoints.metadata).toEqual(current.metadata);
    expect(next.endpoints.subsets![0]!.addresses).toHaveLength(2);
    expect(planEndpoints(s, [], current)!.endpoints.subsets).toBeUndefined();
    expect(planEndpoints(svc({ clusterIP: 'None' }, { team: 'a' }), pods, current)!.endpoints.metadata.labels).toEqual({ ...labels, 'service.kubernetes.io/headless': '' });
  });
});
