// The EndpointSlice and Endpoints controllers: for every Service that selects pods they keep its
// discovery.k8s.io/v1 slices and its core/v1 Endpoints equal to the pods it selects, keyed by the
// Service's namespace/name. Both plan in endpoints-plan.ts; here they read caches and write.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import {
  ENDPOINTS_CONTROLLER_NAME,
  ENDPOINTS_MANAGED_BY_LABEL,
  planEndpoints,
  selectsPods,
  SERVICE_NAME_LABEL,
  type EndpointSlice,
  type Endpoints,
  type Service,
} from './endpoints-plan.js';
import { planSlices } from './endpointslice-plan.js';
import { PendingWrites } from './pending-writes.js';
import { BY_NAMESPACE, ensureIndex, namespaceIndex, selectorMatcher, type Pod } from './workload-util.js';

/** What both controllers read. */
interface ServiceDeps {
  client: RestClient;
  services: Informer<Service>;
  pods: Informer<Pod>;
  log?: Logger;
}

/** What the EndpointSlice controller runs on; `slices` need only hold the slices it manages. */
export interface EndpointSliceControllerDeps extends ServiceDeps {
  slices: Informer<EndpointSlice>;
}

/** What the Endpoints controller runs on. */
export interface EndpointsControllerDeps extends ServiceDeps {
  endpoints: Informer<Endpoints>;
}

/** A controller as the manager runs it. */
export interface Reconciler {
  queue: WorkQueue;
  reconcile(key: string): Promise<ReconcileResult | void>;
}

/** The apiserver owns this one: it lists itself there. */
const APISERVER_ENDPOINTS = 'default/kubernetes';
/** How soon a Service whose own writes have not reached the cache yet is looked at again (ms). */
const PENDING_RETRY_MS = 1000;
const BY_SERVICE = 'service';

const keyOf = (o: ApiObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const splitKey = (key: string) => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)] as const;
};
const nsPath = (group: string, ns: string, resource: string) => `${group}/namespaces/${encodeURIComponent(ns)}/${resource}`;
const slicesPath = (ns: string) => nsPath('/apis/discovery.k8s.io/v1', ns, 'endpointslices');
const endpointsPath = (ns: string) => nsPath('/api/v1', ns, 'endpoints');
const notFound = (err: unknown) => err instanceof ApiRequestError && err.code === 404;
/** Writes into a namespace being deleted are refused; its objects are about to go anyway. */
const namespaceGoing = (err: unknown) => err instanceof ApiRequestError && err.code === 403 && /being terminated/.test(err.message);

/** Feeds `queue` the Services whose endpoints a Service or pod change may alter. */
function watchServicesAndPods(services: Informer<Service>, pods: Informer<Pod>, queue: WorkQueue): void {
  ensureIndex(services, BY_NAMESPACE, namespaceIndex);
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);
  const add = (svc: Service) => queue.add(keyOf(svc));
  services.addHandler({ onAdd: add, onUpdate: (_, svc) => add(svc), onDelete: add });
  /** Services of the pod's namespace selecting any of the label sets. */
  const enqueueFor = (pod: Pod, ...labelSets: Array<Record<string, string> | undefined>) => {
    for (const svc of services.byIndex(BY_NAMESPACE, pod.metadata.namespace ?? '')) {
      if (!selectsPods(svc)) continue;
      const matches = selectorMatcher({ matchLabels: svc.spec?.selector });
      if (labelSets.some((l) => matches(l))) add(svc);
    }
  };
  pods.addHandler({
    onAdd: (pod) => enqueueFor(pod, pod.metadata.labels),
    onUpdate: (old, pod) => old.metadata.resourceVersion !== pod.metadata.resourceVersion && enqueueFor(pod, old.metadata.labels, pod.metadata.labels),
    onDelete: (pod) => enqueueFor(pod, pod.metadata.labels),
  });
}

/** The EndpointSlice controller's queue (Service keys) and reconcile function. */
export function endpointSliceController(deps: EndpointSliceControllerDeps): Reconciler {
  const { client, services, pods, slices } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const pending = new PendingWrites();
  ensureIndex(slices, BY_SERVICE, (s) => {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    return svc ? [`${s.metadata.namespace}/${svc}`] : [];
  });
  watchServicesAndPods(services, pods, queue);
  const sliceChanged = (slice: EndpointSlice, gone: boolean) => {
    pending.observed(keyOf(slice), gone ? undefined : slice);
    const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (svc) queue.add(`${slice.metadata.namespace}/${svc}`);
  };
  slices.addHandler({ onAdd: (s) => sliceChanged(s, false), onUpdate: (_, s) => sliceChanged(s, false), onDelete: (s) => sliceChanged(s, true) });

  const remove = async (key: string, slice: EndpointSlice) => {
    try {
      await client.delete(`${slicesPath(slice.metadata.namespace ?? '')}/${encodeURIComponent(slice.metadata.name)}`);
    } catch (err) {
      if (!notFound(err)) throw new Error(`failed to delete EndpointSlice ${keyOf(slice)}: ${(err as Error).message}`, { cause: err });
    }
    pending.wrote(key, keyOf(slice), undefined, slices.get(keyOf(slice)));
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    if (pending.waiting(key)) return { requeueAfter: PENDING_RETRY_MS };
    const [ns] = splitKey(key);
    const svc = services.get(key);
    const mine = slices.byIndex(BY_SERVICE, key);
    // Slices of a Service that is gone (the garbage collector would get them too) or became an alias.
    if (!svc || svc.spec?.type === 'ExternalName') {
      await Promise.all(mine.map((s) => remove(key, s)));
      return;
    }
    if (!selectsPods(svc)) return;
    const plan = planSlices(svc, pods.byIndex(BY_NAMESPACE, ns), mine);
    const written = (slice: EndpointSlice) => pending.wrote(key, keyOf(slice), slice.metadata.resourceVersion, slices.get(keyOf(slice)));
    try {
      // Add capacity before taking any away.
      await Promise.all(plan.create.map(async (s) => written(await client.create<EndpointSlice>(slicesPath(ns), s))));
      await Promise.all(plan.update.map(async (s) => written(await client.update<EndpointSlice>(`${slicesPath(ns)}/${encodeURIComponent(s.metadata.name)}`, s))));
    } catch (err) {
      if (namespaceGoing(err)) return;
      throw new Error(`failed to write EndpointSlices of service ${key}: ${(err as Error).message}`, { cause: err });
    }
    await Promise.all(plan.remove.map((s) => remove(key, s)));
    const writes = plan.create.length + plan.update.length + plan.remove.length;
    if (writes) log.v(2).info(`endpointslice ${key}: ${plan.create.length} created, ${plan.update.length} updated, ${plan.remove.length} deleted`);
  };

  return { queue, reconcile };
}

/** The Endpoints controller's queue (Service keys) and reconcile function. */
export function endpointsController(deps: EndpointsControllerDeps): Reconciler {
  const { client, services, pods, endpoints } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const pending = new PendingWrites();
  watchServicesAndPods(services, pods, queue);
  const ours = (key: string) => key !== APISERVER_ENDPOINTS && selectsPods(services.get(key) ?? { metadata: { name: '' } });
  endpoints.addHandler({
    onAdd: (ep) => {
      pending.observed(keyOf(ep), ep);
      if (ours(keyOf(ep))) queue.add(keyOf(ep));
    },
    onUpdate: (_, ep) => {
      pending.observed(keyOf(ep), ep);
      if (ours(keyOf(ep))) queue.add(keyOf(ep));
    },
    onDelete: (ep) => {
      pending.observed(keyOf(ep), undefined);
      if (ours(keyOf(ep))) queue.add(keyOf(ep));
    },
  });
  // Endpoints we made for Services deleted while no controller ran are cleaned up once at start.
  void Promise.all([services.waitForSync(), endpoints.waitForSync()])
    .then(() => {
      for (const ep of endpoints.list()) {
        if (ep.metadata.labels?.[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINTS_CONTROLLER_NAME && !services.get(keyOf(ep))) queue.add(keyOf(ep));
      }
    })
    .catch(() => undefined);

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    if (key === APISERVER_ENDPOINTS) return;
    if (pending.waiting(key)) return { requeueAfter: PENDING_RETRY_MS };
    const [ns, name] = splitKey(key);
    const svc = services.get(key);
    const current = endpoints.get(key);
    const path = `${endpointsPath(ns)}/${encodeURIComponent(name)}`;
    if (!svc) {
      if (!current) return;
      await client.delete(path).catch((err) => {
        if (!notFound(err)) throw new Error(`failed to delete Endpoints ${key}: ${(err as Error).message}`, { cause: err });
      });
      pending.wrote(key, key, undefined, endpoints.get(key));
      log.v(2).info(`endpoints ${key}: deleted with its service`);
      return;
    }
    if (!selectsPods(svc)) return;
    const plan = planEndpoints(svc, pods.byIndex(BY_NAMESPACE, ns), current);
    if (!plan) return;
    let result: Endpoints;
    try {
      result = plan.verb === 'create' ? await client.create<Endpoints>(endpointsPath(ns), plan.endpoints) : await client.update<Endpoints>(path, plan.endpoints);
    } catch (err) {
      if (namespaceGoing(err)) return;
      throw new Error(`failed to ${plan.verb} Endpoints ${key}: ${(err as Error).message}`, { cause: err });
    }
    pending.wrote(key, key, result.metadata.resourceVersion, endpoints.get(key));
    log.v(2).info(`endpoints ${key}: ${plan.verb}d`);
  };

  return { queue, reconcile };
}
