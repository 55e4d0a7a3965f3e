// The namespace selector: every namespace of the cluster (live), plus "All namespaces".
import { kindByPlural } from '../api/kinds';
import { useWatchList } from '../hooks/use-watch-list';
import { sortByNamespaceName } from '../hooks/watch-reducer';

const NAMESPACES = kindByPlural('namespaces')!;

/** A labelled <select> of namespaces; '' means all namespaces. */
export function NamespaceSelect({ cluster, value, onChange }: { cluster: string; value: string; onChange(ns: string): void }) {
  const { items, phase } = useWatchList(cluster, NAMESPACES, '');
  const names = sortByNamespaceName(items).map((n) => n.metadata.name);
  if (value && !names.includes(value)) names.unshift(value);
  return (
    <div className="field field-inline">
      <label htmlFor="namespace-select">Namespace</label>
      <select id="namespace-select" data-testid="namespace-select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All namespaces</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      {phase === 'loading' && <span className="muted"> loading…</span>}
    </div>
  );
}
