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
import { KIND_VIEWS } from '../registry';
import { ApplyDialog } from './ApplyDialog';
import { DetailsPane } from './DetailsPane';

/** The resource view of `route.kind` in `route.namespace` of `cluster`. */
export function ResourceView({ cluster, route, navigate }: { cluster: string; route: Route; navigate(p: Partial<Route>): void }) {
  const kind = kindByPlural(route.kind) ?? kindByPlural('pods')!;
  const view = KIND_VIEWS[kind.plural]!;
  const namespace = kind.namespaced ? route.namespace : '';
  const snapshot = useWatchList(cluster, kind, namespace);
  const [applying, setApplying] = useState(false);

  const items = useMemo(() => (view.sort ?? sortByNamespaceName)(snapshot.items), [snapshot.items, view]);
  const columns = useMemo(() => (kind.namespaced && !namespace ? [namespaceColumn, ...view.columns] : view.columns), [kind, namespace, view]);
  const selected = route.name ? items.find((o) => routeName(o) === route.name) : undefined;
  const onOpen = useCallback((o: KubeObject) => navigate({ name: routeName(o) }), [navigate]);
  const where = kind.namespaced ? (namespace ? `in ${namespace}` : 'in all namespaces') : 'in the cluster';

  return (
    <div className={`view resource-view${route.name ? ' with-drawer' : ''}`} data-testid="resource-view">
      <div className="view-main">
        <header className="view-header">
          <h1>{kind.label}</h1>
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
