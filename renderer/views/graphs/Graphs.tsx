// The Graphs view: CPU and memory of every node, and of the busiest pods of the selected namespace,
// over the last ten minutes, from the history the node agents keep (polled every 5 s through the
// apiserver's nodes/NAME/proxy). Lines break where a node did not report.
import { useMemo, useState } from 'react';
import { kindByPlural } from '../../api/kinds';
import type { Node, Pod } from '../../api/types';
import { ListStatus } from '../../components/ListStatus';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { useWatchList } from '../../hooks/use-watch-list';
import type { Route } from '../../route';
import { nodeSeries, podSeries, topByCpu, type PodSeries } from './history';
import { LineChart } from './LineChart';
import { formatCores, formatMiB } from './scale';
import { useNodeHistory, type NodeHistory } from './use-node-history';

const NODES = kindByPlural('nodes')!;
const PODS = kindByPlural('pods')!;
const TOP_CHOICES = [3, 5, 10, 20];
/** Smallest tops of the value axes: 0.1 core, 64 MiB for nodes; 0.05 core, 8 MiB for pods. */
const NODE_MIN = { cpu: 0.1, memory: 64 };
const POD_MIN = { cpu: 0.05, memory: 8 };

const EMPTY = 'No samples yet: the node agents sample every 5 s.';

function NodeGraphs({ name, history, now, onOpen }: { name: string; history: NodeHistory; now: number; onOpen(): void }) {
  const series = useMemo(() => nodeSeries(name, history.points), [name, history.points]);
  const hasSamples = series.cpu.samples.length > 0;
  return (
    <section className="graph-card" data-testid="graph-node" data-node={name} aria-label={`Node ${name}`}>
      <header className="graph-card-header">
        <h3>
          <button type="button" className="link-button" onClick={onOpen} aria-label={`Open node ${name}`}>
            {name}
          </button>
        </h3>
      </header>
      {history.error && (
        <p role="alert" className="error-text" data-testid="graph-error">
          Could not read the history of {name}: {history.error}.{' '}
          {hasSamples ? 'Showing what arrived before; retrying every 5 s.' : 'Retrying every 5 s.'}
        </p>
      )}
      {!history.loaded ? (
        <p className="muted" role="status">Loading samples…</p>
      ) : !hasSamples ? (
        !history.error && <p className="empty" data-testid="graph-empty">{EMPTY}</p>
      ) : (
        <div className="graph-pair">
          <LineChart title="CPU" subject={`node ${name}`} unit="cores" series={[series.cpu]} to={now} minMax={NODE_MIN.cpu} format={formatCores} />
          <LineChart title="Memory" subject={`node ${name}`} unit="MiB" series={[series.memory]} to={now} minMax={NODE_MIN.memory} format={formatMiB} />
        </div>
      )}
    </section>
  );
}

function PodGraphs({ pod, now, onOpen }: { pod: PodSeries; now: number; onOpen(): void }) {
  return (
    <section className="graph-card" data-testid="graph-pod" data-pod={pod.key} aria-label={`Pod ${pod.key}`}>
      <header className="graph-card-header">
        <h3>
          <button type="button" className="link-button" onClick={onOpen} aria-label={`Open pod ${pod.key}`}>
            {pod.name}
          </button>
        </h3>
        <span className="muted">{pod.namespace}</span>
      </header>
      <div className="graph-pair">
        <LineChart title="CPU" subject={`pod ${pod.key}`} unit="cores" series={[pod.cpu]} to={now} minMax={POD_MIN.cpu} format={formatCores} height={150} />
        <LineChart title="Memory" subject={`pod ${pod.key}`} unit="MiB" series={[pod.memory]} to={now} minMax={POD_MIN.memory} format={formatMiB} height={150} />
      </div>
    </section>
  );
}

/** The Graphs view of `cluster`: every node, then the top pods of `route.namespace` ('' = all) by CPU. */
export function GraphsView({ cluster, route, navigate }: { cluster: string; route: Route; navigate(p: Partial<Route>): void }) {
  const nodes = useWatchList<Node>(cluster, NODES, '');
  const pods = useWatchList<Pod>(cluster, PODS, route.namespace);
  const [top, setTop] = useState(5);
  const names = useMemo(() => nodes.items.map((n) => n.metadata.name).sort(), [nodes.items]);
  const history = useNodeHistory(cluster, names);

  // The namespace selector's pods: those the watch lists (by namespace while it has not listed yet).
  const live = useMemo(() => new Set(pods.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)), [pods.items]);
  const busiest = useMemo(() => {
    const keep = (ns: string, name: string) => (pods.listed ? live.has(`${ns}/${name}`) : !route.namespace || ns === route.namespace);
    return topByCpu(podSeries([...history.byNode.values()].map((h) => h.points), keep), top);
  }, [history.byNode, live, pods.listed, route.namespace, top]);

  const where = route.namespace ? `in ${route.namespace}` : 'in all namespaces';
  const anyLoaded = [...history.byNode.values()].some((h) => h.loaded);
  return (
    <div className="view graphs-view" data-testid="graphs-view">
      <header className="view-header">
        <h1>Graphs</h1>
        <NamespaceSelect cluster={cluster} value={route.namespace} onChange={(ns) => navigate({ namespace: ns })} />
        <div className="field field-inline">
          <label htmlFor="graphs-top">Top pods</label>
          <select id="graphs-top" data-testid="graphs-top" value={top} onChange={(e) => setTop(Number(e.target.value))}>
            {TOP_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <span className="muted">Last 10 minutes, a sample every 5 s; hover a chart for values.</span>
      </header>
      <ListStatus snapshot={nodes} what="nodes" />
      <h2 className="section-title">Nodes</h2>
      <div className="graph-grid">
        {names.map((n) => (
          <NodeGraphs key={n} name={n} history={history.byNode.get(n) ?? { points: [], loaded: false }} now={history.now} onOpen={() => navigate({ view: 'resources', kind: 'nodes', name: n })} />
        ))}
      </div>
      <h2 className="section-title">
        Pods {where} <span className="muted">(top {top} by CPU now)</span>
      </h2>
      {pods.phase === 'failing' && <ListStatus snapshot={pods} what={`pods ${where}`} />}
      {busiest.length === 0 ? (
        <p className="empty" data-testid="graph-pods-empty">
          {anyLoaded ? `No pod samples ${where} yet: the node agents sample every 5 s.` : 'Loading samples…'}
        </p>
      ) : (
        <div className="graph-grid">
          {busiest.map((p) => (
            <PodGraphs key={p.key} pod={p} now={history.now} onOpen={() => navigate({ view: 'resources', kind: 'pods', namespace: p.namespace, name: p.key })} />
          ))}
        </div>
      )}
    </div>
  );
}
