// The resource view: the namespace selector, a live table of the chosen kind (all its columns as
// kubectl prints them), the details drawer, and "Apply YAML".
import { useCallback, useMemo, useState } from 'react';
import { kindByPlural, objectKey } from '../../api/kinds';
import type { KubeObject } from '../../api/types';
import { ListStatus } from '../../components/ListStatus';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { ResourceTable } from '../../components/ResourceTable';
import { namespaceColumn } from '../../format/column';
import { useWatchList } from '../../hooks/use-watch-list';
import { sortByNamespaceName } from '../../hooks/watch-reducer';
import { routeName, type Route } from '../../route';
import { isCrdKey } from '../customresourcedefinitions/crd-kinds';
import { useCrdKinds } from '../customresourcedefinitions/use-crd-kinds';
import { KIND_VIEWS, type KindView } from '../registry';
import { GenericDetails } from './GenericDetails';
import { ApplyDialog } from './ApplyDialog';
import { DetailsPane } from './DetailsPane';

/** The resource view of `route.kind` in `route.namespace` of `cluster`. */
export function ResourceView({ cluster, route, navigate }: { cluster: string; route: Route; navigate(p: Partial<Route>): void }) {
  // A CRD's objects (route kind "<plural>.<group>") are shown once the CRD watch names the kind.
  const crdKey = isCrdKey(route.kind);
  const crds = useCrdKinds(crdKey ? cluster : undefined);
  const crd = crdKey ? crds.kinds.find((k) => k.key === route.kind) : undefined;
  const kind = crd?.kind ?? kindByPlural(route.kind) ?? kindByPlural('pods')!;
  const view = useMemo<KindView>(() => (crd ? { columns: crd.columns, Details: GenericDetails } : KIND_VIEWS[kind.plural]!), [crd, kind]);
  const namespace = kind.namespaced ? route.namespace : '';
  const snapshot = useWatchList(crdKey && !crd ? undefined : cluster, kind, namespace);
  const [applying, setApplying] = useState(false);

  const items = useMemo(() => (view.sort ?? sortByNamespaceName)(snapshot.items), [snapshot.items, view]);
  const columns = useMemo(() => (kind.namespaced && !namespace ? [namespaceColumn, ...view.columns] : view.columns), [kind, namespace, view]);
  const selected = route.name ? items.find((o) => routeName(o) === route.name) : undefined;
  const onOpen = useCallback((o: KubeObject) => navigate({ name: routeName(o) }), [navigate]);
  const where = kind.namespaced ? (namespace ? `in ${namespace}` : 'in all namespaces') : 'in the cluster';

  if (crdKey && !crd) {
    return (
      <div className="view resource-view" data-testid="resource-view">
        <header className="view-header">
          <h1>{route.kind}</h1>
        </header>
        <p className="empty" role="status" data-testid="crd-missing">
          {crds.listed ? `There is no CustomResourceDefinition ${route.kind} in ${cluster} (any more).` : `Loading the custom resource ${route.kind}…`}
        </p>
      </div>
    );
  }

  return (
    <div className={`view resource-view${route.name ? ' with-drawer' : ''}`} data-testid="resource-view">
      <div className="view-main">
        <header className="view-header">
          <h1>
            {kind.label}
            {crd && <span className="muted"> ({crd.key}, {crd.version})</span>}
          </h1>
          {kind.namespaced && <NamespaceSelect cluster={cluster} value={route.namespace} onChange={(ns) => navigate({ namespace: ns, name: undefined })} />}
          <span className="count muted" aria-live="polite">
            {snapshot.listed ? `${items.length} ${items.length === 1 ? 'object' : 'objects'}` : ''}
          </span>
          <button type="button" className="primary push-right" data-testid="apply-yaml" onClick={() => setApplying(true)}>
            Apply YAML
          </button>
        </header>
        <ListStatus snapshot={snapshot} what={`${kind.label.toLowerCase()} ${where}`} />
        {items.length > 0 && (
          <div className="table-scroll">
            <ResourceTable label={`${kind.label} ${where}`} columns={columns} items={items} selectedKey={selected ? objectKey(selected) : undefined} onOpen={onOpen} />
          </div>
        )}
      </div>
      {route.name && (
        <DetailsPane
          key={`${kind.plural}/${route.name}`}
          cluster={cluster}
          kind={kind}
          name={route.name}
          obj={selected}
          listed={snapshot.listed}
          onClose={() => {
            const key = selected ? objectKey(selected) : undefined;
            navigate({ name: undefined });
            // Back to the row the drawer was opened from, for keyboard users.
            if (key) requestAnimationFrame(() => document.querySelector<HTMLElement>(`tr[data-key="${CSS.escape(key)}"]`)?.focus());
          }}
          navigate={navigate}
        />
      )}
      {applying && <ApplyDialog cluster={cluster} namespace={route.namespace || 'default'} onClose={() => setApplying(false)} />}
    </div>
  );
}
