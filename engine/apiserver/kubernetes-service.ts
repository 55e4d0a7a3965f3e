// The `kubernetes` Service in `default`: how pods reach the apiserver (10.96.0.1:443, the address
// in KUBERNETES_SERVICE_HOST and in the apiserver's certificate). The apiserver keeps it and its
// Endpoints and EndpointSlice pointing at its own address at every start, as upstream's does;
// the endpoint controllers leave them alone.
import { randomUUID } from 'node:crypto';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { now } from './context.js';
import { KUBERNETES_SERVICE_IP } from './service-alloc.js';

const NAME = 'kubernetes';
const NAMESPACE = 'default';
const PORT_NAME = 'https';

/** Where the apiserver can be reached from other nodes. */
export interface Advertised {
  address: string;
  port: number;
}

function service(): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: KUBERNETES_SERVICE_IP,
      clusterIPs: [KUBERNETES_SERVICE_IP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: PORT_NAME, port: 443, protocol: 'TCP', targetPort: 0 }],
    },
    status: { loadBalancer: {} },
  } as unknown as StoredObject;
}

function endpoints(at: Advertised): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: at.address }], ports: [{ name: PORT_NAME, port: at.port, protocol: 'TCP' }] }],
  } as unknown as StoredObject;
}

function slice(at: Advertised): StoredObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': NAME } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [at.address], conditions: { ready: true } }],
    ports: [{ name: PORT_NAME, port: at.port, protocol: 'TCP' }],
  } as unknown as StoredObject;
}

/** Creates `obj` or, when it exists with other content, rewrites it (keeping its identity). */
async function put(storage: Storage, resource: string, obj: StoredObject, same: (a: StoredObject) => boolean): Promise<void> {
  const ref = { resource, namespace: NAMESPACE };
  let current: StoredObject | undefined;
  try {
    current = await storage.get(ref, obj.metadata.name);
  } catch (err) {
    if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
  }
  if (!current) {
    await storage.create(ref, { ...obj, metadata: { ...obj.metadata, uid: randomUUID(), creationTimestamp: now() } });
    return;
  }
  if (same(current)) return;
  await storage.update(ref, { ...obj, metadata: { ...current.metadata, labels: obj.metadata.labels } } as StoredObject);
}

/** Makes the `kubernetes` Service exist and its endpoints name this apiserver. */
export async function reconcileKubernetesService(storage: Storage, at: Advertised): Promise<void> {
  const svc = service();
  (svc.spec as { ports: { targetPort: number }[] }).ports[0]!.targetPort = at.port;
  // A Service a user changed is put back only when its address or port no longer fit.
  await put(storage, 'services', svc, (cur) => {
    const spec = cur.spec as { clusterIP?: string; ports?: { port?: number; targetPort?: unknown }[] } | undefined;
    return spec?.clusterIP === KUBERNETES_SERVICE_IP && spec.ports?.[0]?.port === 443 && spec.ports[0].targetPort === at.port;
  });
  const eps = endpoints(at);
  await put(storage, 'endpoints', eps, (cur) => JSON.stringify(cur.subsets) === JSON.stringify(eps.subsets));
  const es = slice(at);
  await put(storage, 'discovery.k8s.io/endpointslices', es, (cur) => JSON.stringify([cur.endpoints, cur.ports]) === JSON.stringify([es.endpoints, es.ports]));
}
