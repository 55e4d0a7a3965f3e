// useCrdKinds: the cluster's CRDs as kinds of the resource view, live from one shared watch of
// apiextensions.k8s.io/v1 customresourcedefinitions (the sidebar and the resource view share it).
import { useMemo } from 'react';
import { kindByPlural } from '../../api/kinds';
import { useWatchList } from '../../hooks/use-watch-list';
import { crdKinds, type CrdKind, type CustomResourceDefinition } from './crd-kinds';

const CRDS = kindByPlural('customresourcedefinitions')!;

/** The CRD kinds of `cluster` (none and idle without a cluster); `listed` once the first list arrived. */
export function useCrdKinds(cluster: string | undefined): { kinds: CrdKind[]; listed: boolean } {
  const snapshot = useWatchList<CustomResourceDefinition>(cluster, CRDS, '');
  const kinds = useMemo(() => crdKinds(snapshot.items), [snapshot.items]);
  return { kinds, listed: snapshot.listed };
}
