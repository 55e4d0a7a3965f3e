// The left sidebar: clusters (with state), then the selected cluster's views and resource kinds.
// Plain links (Tab and Enter work); ArrowUp/ArrowDown move between them too.
import type { KeyboardEvent } from 'react';
import type { ClusterSummary } from '../../engine/dashboard/contract';
import { KINDS, type KindInfo } from '../api/kinds';
import { formatRoute, type Route } from '../route';
import { groupCrdKinds } from '../views/customresourcedefinitions/crd-kinds';
import { useCrdKinds } from '../views/customresourcedefinitions/use-crd-kinds';

const SECTIONS: KindInfo['section'][] = ['Cluster', 'Workloads', 'Network', 'Config', 'Storage', 'Events', 'Custom resources'];

function onArrows(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('a[href]')];
  const i = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (i < 0) return;
  e.preventDefault();
  links[e.key === 'ArrowDown' ? Math.min(links.length - 1, i + 1) : Math.max(0, i - 1)]?.focus();
}

/** The sidebar for `route`. */
export function Sidebar({ route, clusters }: { route: Route; clusters?: ClusterSummary[] }) {
  const href = (p: Partial<Route>) => formatRoute({ ...route, name: undefined, ...p });
  const current = (p: boolean) => (p ? ('page' as const) : undefined);
  // A cluster that is gone (deleted here or elsewhere) keeps no views in the sidebar; while the list is loading, trust the route.
  const cluster = route.cluster && (!clusters || clusters.some((c) => c.name === route.cluster)) ? route.cluster : undefined;
  // The cluster's CRDs, live (not while it is stopped: the watch would only fail and retry).
  const stopped = clusters?.find((c) => c.name === cluster)?.state === 'stopped';
  const crdGroups = groupCrdKinds(useCrdKinds(cluster && !stopped ? cluster : undefined).kinds);
  return (
    <nav className="sidebar" aria-label="Main" onKeyDown={onArrows} data-testid="sidebar">
      <div className="brand">kubelab</div>
      <h2 className="nav-title">Clusters</h2>
      <ul>
        <li>
          <a href={href({ view: 'clusters' })} aria-current={current(route.view === 'clusters')} data-testid="nav-clusters">
            Manage clusters
          </a>
        </li>
        {(clusters ?? []).map((c) => (
          <li key={c.name}>
            <a
              href={href({ cluster: c.name, view: route.view === 'clusters' ? 'resources' : route.view, pod: undefined, container: undefined })}
              className={c.name === cluster ? 'current-cluster' : undefined}
              data-testid="nav-cluster"
              data-name={c.name}
            >
              <span className={`dot dot-${c.state}`} aria-hidden="true" />
              {c.name} <span className="muted">({c.state})</span>
            </a>
          </li>
        ))}
      </ul>
      {cluster && (
        <>
          <h2 className="nav-title">{cluster}</h2>
          <ul>
            <li>
              <a href={href({ view: 'topology' })} aria-current={current(route.view === 'topology')} data-testid="nav-topology">
                Topology
              </a>
            </li>
            <li>
              <a href={href({ view: 'logs' })} aria-current={current(route.view === 'logs')} data-testid="nav-logs">
                Logs
              </a>
            </li>
            <li>
              <a href={href({ view: 'terminal' })} aria-current={current(route.view === 'terminal')} data-testid="nav-terminal">
                Terminal
              </a>
            </li>
            <li>
              <a href={href({ view: 'graphs' })} aria-current={current(route.view === 'graphs')} data-testid="nav-graphs">
                Graphs
              </a>
            </li>
          </ul>
          {SECTIONS.map((section) => (
            <div key={section}>
              <h3 className="nav-subtitle">{section}</h3>
              <ul>
                {KINDS.filter((k) => k.section === section).map((k) => (
                  <li key={k.plural}>
                    <a
                      href={href({ view: 'resources', kind: k.plural })}
                      aria-current={current(route.view === 'resources' && route.kind === k.plural)}
                      data-testid={`nav-kind-${k.plural}`}
                    >
                      {k.label}
                    </a>
                  </li>
                ))}
              </ul>
              {section === 'Custom resources' &&
                crdGroups.map((g) => (
                  <div key={g.group} className="nav-group">
                    <h4 className="nav-group-title">{g.group}</h4>
                    <ul aria-label={`Custom resources of ${g.group}`}>
                      {g.kinds.map((k) => (
                        <li key={k.key}>
                          <a
                            href={href({ view: 'resources', kind: k.key })}
                            aria-current={current(route.view === 'resources' && route.kind === k.key)}
                            data-testid={`nav-crd-${k.key}`}
                            title={`${k.kind.kind} (${k.kind.apiVersion}, ${k.kind.namespaced ? 'namespaced' : 'cluster-scoped'})`}
                          >
                            {k.kind.label}
                          </a>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
            </div>
          ))}
        </>
      )}
    </nav>
  );
}
