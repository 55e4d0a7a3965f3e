// What every namespace gets: a `default` ServiceAccount (pods run as it unless they say
// otherwise) and the `kube-root-ca.crt` ConfigMap with the cluster CA, so pods can verify the
// apiserver. Level-triggered: reconcile(namespace) creates or repairs what is missing or wrong.
import { ApiRequestError, type RestClient } from '../client/rest-client.js';

/** The name of the ConfigMap that carries the cluster CA into every namespace. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

/** What the reconciler reads: the caches of namespaces, service accounts and ConfigMaps. */
export interface NamespaceDefaultsView {
  namespace(name: string): { metadata: { deletionTimestamp?: string }; status?: { phase?: string } } | undefined;
  serviceAccount(namespace: string, name: string): object | undefined;
  configMap(namespace: string, name: string): { data?: Record<string, string> } | undefined;
}

const ignoreExisting = (err: unknown) => {
  if (!(err instanceof ApiRequestError && (err.code === 409 || err.code === 403))) throw err;
};

/** Makes one namespace have its default ServiceAccount and CA ConfigMap (nothing for terminating namespaces). */
export async function reconcileNamespaceDefaults(ns: string, view: NamespaceDefaultsView, client: RestClient, caPem: string): Promise<void> {
  const namespace = view.namespace(ns);
  if (!namespace || namespace.metadata.deletionTimestamp || namespace.status?.phase === 'Terminating') return;
  const base = `/api/v1/namespaces/${encodeURIComponent(ns)}`;
  if (!view.serviceAccount(ns, 'default')) {
    await client.create(`${base}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }).catch(ignoreExisting);
  }
  const cm = view.configMap(ns, ROOT_CA_CONFIGMAP);
  const want = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROOT_CA_CONFIGMAP, annotations: { 'kubernetes.io/description': 'The cluster CA, for clients in pods to verify the apiserver at kubernetes.default.svc.' } },
    data: { 'ca.crt': caPem },
  };
  if (!cm) await client.create(`${base}/configmaps`, want).catch(ignoreExisting);
  else if (cm.data?.['ca.crt'] !== caPem) await client.patch(`${base}/configmaps/${ROOT_CA_CONFIGMAP}`, { data: want.data });
}
