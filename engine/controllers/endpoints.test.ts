// The controllers' wiring against a pretend apiserver whose watch events arrive late, as a
// loaded cluster's do: which changes reach which Service, and no double writes from a stale cache.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiObject } from '../api/resource-type.js';
import { runController } from '../client/controller.js';
import { SharedInformers } from '../client/informer.js';
import { ApiRequestError, type RestClient, type WatchEvent } from '../client/rest-client.js';
import { endpointsController, endpointSliceController, type Reconciler } from './endpoints.js';
import type { EndpointSlice, Endpoints } from './endpoints-plan.js';

/** Objects by resource/namespace/name, list and watch per resource (with k=v label selectors), writes with optimistic concurrency. */
function fakeApi(lagMs: number) {
  const objects = new Map<string, ApiObject>();
  const watches: Array<{ resource: string; selector?: string; onEvent(e: WatchEvent): void }> = [];
  const writes: string[] = [];
  let rv = 1;
  let uid = 0;
  const parse = (path: string) => {
    const parts = path.split('?')[0]!.split('/');
    const at = parts.indexOf('namespaces');
    return at < 0 ? { resource: parts.at(-1)! } : { ns: parts[at + 1]!, resource: parts[at + 2]!, name: parts[at + 3] };
  };
  const matches = (o: ApiObject, selector?: string) => !selector || selector.split(',').every((kv) => o.metadata.labels?.[kv.split('=')[0]!] === kv.split('=')[1]);
  const emit = (resource: string, type: WatchEvent['type'], object: ApiObject) => {
    const copy = structuredClone(object);
    setTimeout(() => watches.filter((w) => w.resource === resource && matches(copy, w.selector)).forEach((w) => w.onEvent({ type, object: copy })), lagMs);
  };
  const put = (resource: string, obj: ApiObject, verb: string) => {
    const stored = structuredClone({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv), uid: obj.metadata.uid ?? `uid-${++uid}` } });
    const key = `${resource}/${stored.metadata.namespace}/${stored.metadata.name}`;
    const type = objects.has(key) ? 'MODIFIED' : 'ADDED';
    objects.set(key, stored);
    if (verb) writes.push(`${verb} ${resource} ${stored.metadata.name}`);
    emit(resource, type, stored);
    return structuredClone(stored);
  };
  const client = {
    list: async (path: string, q: { labelSelector?: string }) => {
      const { resource } = parse(path);
      const items = [...objects.entries()].filter(([k, o]) => k.startsWith(`${resource}/`) && matches(o, q.labelSelector)).map(([, o]) => structuredClone(o));
      return { metadata: { resourceVersion: String(rv) }, items };
    },
    watch: (path: string, opts: { labelSelector?: string }, onEvent: (e: WatchEvent) => void) => {
      watches.push({ resource: parse(path).resource, selector: opts.labelSelector, onEvent });
      return { stop() {} };
    },
    create: async (path: string, obj: ApiObject) => {
      const { ns, resource } = parse(path);
      const name = obj.metadata.name || `${obj.metadata.generateName}${++uid}`;
      if (objects.has(`${resource}/${ns}/${name}`)) throw new ApiRequestError(409, 'AlreadyExists', `${name} exists`);
      return put(resource, { ...obj, metadata: { ...obj.metadata, name, namespace: ns } }, 'create');
    },
    update: async (path: string, obj: ApiObject) => {
      const { ns, resource, name } = parse(path);
      const old = objects.get(`${resource}/${ns}/${name}`);
      if (!old) throw new ApiRequestError(404, 'NotFound', `${name} not found`);
      if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) throw new ApiRequestError(409, 'Conflict', `${name} changed`);
      return put(resource, obj, 'update');
    },
    delete: async (path: string) => {
      const { ns, resource, name } = parse(path);
      const old = objects.get(`${resource}/${ns}/${name}`);
      if (!old) throw new ApiRequestError(404, 'NotFound', `${name} not found`);
      objects.delete(`${resource}/${ns}/${name}`);
      writes.push(`delete ${resource} ${name}`);
      emit(resource, 'DELETED', old);
      return {};
    },
  };
  const all = <T>(resource: string) => [...objects.entries()].filter(([k]) => k.startsWith(`${resource}/`)).map(([, o]) => o as T);
  return { client, writes, all, put, remove: (resource: string, ns: string, name: string) => client.delete(`/x/namespaces/${ns}/${resource}/${name}`) };
}

const service = { metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } };
const pod = (name: string, ip: string, ready: boolean, labels = { app: 'web' }) => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}`, labels },
  spec: { nodeName: 'n1', containers: [] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function start(lagMs: number) {
  const api = fakeApi(lagMs);
  const client = api.client as unknown as RestClient;
  const informers = new SharedInformers(client);
  const core = (resource: string) => informers.for({ group: '', version: 'v1', resource }) as never;
  const slices = informers.for({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', labelSelector: 'endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io' }) as never;
  const controllers: Reconciler[] = [
    endpointSliceController({ client, services: core('services'), pods: core('pods'), slices }),
    endpointsController({ client, services: core('services'), pods: core('pods'), endpoints: core('endpoints') }),
  ];
  await informers.waitForSync();
  const running = controllers.map((c, i) => runController({ name: `c${i}`, queue: c.queue, workers: 3, reconcile: c.reconcile }));
  stop = async () => {
    for (const c of controllers) c.queue.shutDown();
    await Promise.all(running);
    await informers.stop();
  };
  return api;
}

const readyIps = (api: ReturnType<typeof fakeApi>) =>
  api
    .all<EndpointSlice>('endpointslices')
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions.ready)
    .map((e) => e.addresses[0])
    .sort();

describe('endpoint controllers', () => {
  it('follow pods and services, writing each change once despite a slow cache', async () => {
    const api = await start(40);
    api.put('services', structuredClone(service), '');
    api.put('pods', pod('a', '10.244.0.2', true), '');
    api.put('pods', pod('b', '10.244.0.3', false), '');
    api.put('pods', pod('other', '10.244.0.4', true, { app: 'db' } as never), '');
    await vi.waitFor(() => expect(readyIps(api)).toEqual(['10.244.0.2']));
    await vi.waitFor(() => expect(api.all<Endpoints>('endpoints')[0]?.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual(['10.244.0.3']));

    // Readiness flips reach the slice; a pod leaving the selector leaves it.
    api.put('pods', pod('b', '10.244.0.3', true), '');
    await vi.waitFor(() => expect(readyIps(api)).toEqual(['10.244.0.2', '10.244.0.3']));
    api.put('pods', pod('a', '10.244.0.2', true, { app: 'gone' } as never), '');
    await vi.waitFor(() => expect(readyIps(api)).toEqual(['10.244.0.3']));
    await vi.waitFor(() => expect(api.all<Endpoints>('endpoints')[0]?.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.244.0.3']));
    await new Promise((r) => setTimeout(r, 300));
    expect(api.all('endpointslices')).toHaveLength(1);
    const creates = api.writes.filter((w) => w.startsWith('create')).sort();
    expect(creates).toHaveLength(2);
    expect(creates[0]).toBe('create endpoints web');
    expect(creates[1]).toMatch(/^create endpointslices web-\d+$/);

    // A deleted slice comes back; the service going takes both with it.
    await api.remove('endpointslices', 'ns', api.all<EndpointSlice>('endpointslices')[0]!.metadata.name);
    await vi.waitFor(() => expect(readyIps(api)).toEqual(['10.244.0.3']));
    await api.remove('services', 'ns', 'web');
    await vi.waitFor(() => expect([api.all('endpointslices').length, api.all('endpoints').length]).toEqual([0, 0]));
  });

  it('leaves selectorless services and the apiserver endpoints alone', async () => {
    const api = await start(5);
    api.put('services', { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { ports: [{ name: 'https', port: 443 }] } }, '');
    api.put('endpoints', { metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443 }] }] }, '');
    api.put('services', { metadata: { name: 'ext', namespace: 'ns' }, spec: { ports: [{ port: 80 }] } }, '');
    await new Promise((r) => setTimeout(r, 200));
    expect(api.writes).toEqual([]);
  });
});
