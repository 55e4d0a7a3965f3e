// The app: sidebar, banners, and the view the route names, for the selected cluster.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Banners } from './components/Banners';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Sidebar } from './components/Sidebar';
import { useClusters } from './hooks/use-clusters';
import { useEngineHealth } from './hooks/use-engine-health';
import { useRoute } from './hooks/use-route';
import { ClustersList } from './views/clusters/List';
import type { TrackedOperation } from './views/clusters/OperationProgress';
import { GraphsView } from './views/graphs/Graphs';
import { LogsView } from './views/logs/Logs';
import { ResourceView } from './views/resources/ResourceView';
import { TopologyView } from './views/topology/Topology';

// The terminal (xterm.js, a third of the bundle) loads the first time its view is opened, so the
// other views start without it.
const TerminalView = lazy(() => import('./views/terminal/TerminalView').then((m) => ({ default: m.TerminalView })));

/** The whole UI. */
export function App() {
  const [route, navigate] = useRoute();
  const { clusters, error: clustersError, refresh } = useClusters();
  const engine = useEngineHealth();
  const [operations, setOperations] = useState<TrackedOperation[]>([]);
  const track = useCallback((op: TrackedOperation) => setOperations((ops) => [...ops.filter((o) => o.id !== op.id), op]), []);
  const dismiss = useCallback((id: string) => setOperations((ops) => ops.filter((o) => o.id !== id)), []);
  const cluster = clusters?.find((c) => c.name === route.cluster);

  // First visit without a location: open the first running cluster's pods, if there is one, unless
  // the user went somewhere before the clusters arrived.
  const initial = useRef(location.hash === '' || location.hash === '#');
  useEffect(() => {
    if (!initial.current || !clusters) return;
    initial.current = false;
    if (location.hash !== '' && location.hash !== '#') return;
    const first = clusters.find((c) => c.state === 'running') ?? clusters[0];
    if (first) navigate({ view: 'resources', cluster: first.name, kind: 'pods' }, true);
  }, [clusters, navigate]);

  const needsCluster = route.view !== 'clusters';
  let body;
  if (route.view === 'clusters') {
    body = (
      <ClustersList
        clusters={clusters}
        loadError={clustersError}
        selected={route.cluster}
        operations={operations}
        onTrack={(op) => {
          track(op);
          refresh();
        }}
        onDismiss={dismiss}
        onRefresh={refresh}
        onOpen={(name) => navigate({ cluster: name, view: 'resources', kind: 'pods', name: undefined, pod: undefined, container: undefined })}
      />
    );
  } else if (!route.cluster) {
    body = (
      <div className="view">
        <p className="empty">
          {clusters === undefined ? 'Loading clusters…' : clusters.length ? 'Choose a cluster in the sidebar.' : 'There is no cluster yet.'}{' '}
          <a href="#/clusters">Manage clusters</a>
        </p>
      </div>
    );
  } else if (route.view === 'topology') body = <TopologyView cluster={route.cluster} route={route} navigate={navigate} clusters={clusters} onRefresh={refresh} />;
  else if (route.view === 'logs') body = <LogsView cluster={route.cluster} route={route} navigate={navigate} />;
  else if (route.view === 'terminal')
    body = (
      <Suspense fallback={<div className="view"><p className="empty">Loading the terminal…</p></div>}>
        <TerminalView cluster={route.cluster} route={route} navigate={navigate} />
      </Suspense>
    );
  else if (route.view === 'graphs') body = <GraphsView cluster={route.cluster} route={route} navigate={navigate} />;
  else body = <ResourceView cluster={route.cluster} route={route} navigate={navigate} />;

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <Sidebar route={route} clusters={clusters} />
      <div className="main-column">
        <Banners
          engine={engine}
          cluster={needsCluster ? cluster : undefined}
          clusterName={needsCluster ? route.cluster : undefined}
          clustersLoaded={clusters !== undefined}
          onStarted={(id, name) => track({ id, kind: 'start', cluster: name })}
        />
        <main id="main" tabIndex={-1}>
          <ErrorBoundary key={`${route.view}/${route.cluster ?? ''}`}>{body}</ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
