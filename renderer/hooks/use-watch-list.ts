// useWatchList: the live items of a kind in a namespace of a cluster, from the shared watch store.
import { useCallback, useSyncExternalStore } from 'react';
import { collectionPath, k8sUrl, type KindInfo } from '../api/kinds';
import type { KubeObject } from '../api/types';
import { useServices } from './services';
import type { WatchSnapshot } from './watch-store';

const IDLE: WatchSnapshot = { items: [], phase: 'loading', listed: false };

/**
 * Watches `kind` in `namespace` ('' = all namespaces; ignored for cluster-scoped kinds) of
 * `cluster`; `query` adds selectors (e.g. "fieldSelector=spec.nodeName%3Dn1"). No cluster → idle.
 */
export function useWatchList<T extends KubeObject = KubeObject>(
  cluster: string | undefined,
  kind: Pick<KindInfo, 'apiVersion' | 'plural' | 'namespaced'>,
  namespace: string,
  query = '',
): WatchSnapshot<T> {
  const { watches } = useServices();
  const url = cluster ? k8sUrl(cluster, collectionPath(kind, namespace)) + (query ? `?${query}` : '') : '';
  const subscribe = useCallback((cb: () => void) => (url && cluster ? watches.subscribe(cluster, url, cb) : () => undefined), [watches, url, cluster]);
  const get = useCallback(() => (url ? watches.snapshot(url) : IDLE), [watches, url]);
  return useSyncExternalStore(subscribe, get) as WatchSnapshot<T>;
}
