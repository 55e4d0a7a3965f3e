// The topology for learning: nodes as boxes holding their pods (colour and text by status, pod
// IPs), pods waiting for a node, and Services with the pods they select. Everything follows the
// watches, so a scale, a rolling update, a crash restart or a node failure shows as it happens.
import { memo, useCallback, useMemo, useState } from 'react';
import { errorText } from '../../api/http';
import { deleteObject } from '../../api/k8s';
import { kindByPlural } from '../../api/kinds';
import type { Node, Pod, Service } from '../../api/types';
import { ListStatus } from '../../components/ListStatus';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { ToneText } from '../../components/Tone';
import { useWatchList } from '../../hooks/use-watch-list';
import type { Route } from '../../route';
import { groupByNode, serviceLinks, type NodeBox, type PodChip } from './topology-plan';

const NODES = kindByPlural('nodes')!;
const PODS = kindByPlural('pods')!;
const SERVICES = kindByPlural('services')!;

type ChipProps = PodChip & { onOpen(ns: string, name: string): void; onKill(ns: string, name: string): void };

const PodChipView = memo(function PodChipView({ name, namespace, ip, status, ready, restarts, tone, terminating, onOpen, onKill }: ChipProps) {
  return (
    <li className={`pod-chip tone-bg-${tone}${terminating ? ' terminating' : ''}`} data-testid="topology-pod" data-name={name} data-status={status}>
      <button type="button" className="pod-name link-button" title={`${namespace}/${name}`} onClick={() => onOpen(namespace, name)}>
        {name}
      </button>
      <span className="pod-facts">
        <ToneText tone={tone}>{status}</ToneText> · {ready}
        {restarts > 0 && ` · ${restarts} restart${restarts === 1 ? '' : 's'}`}
      </span>
      <span className="pod-ip">{ip ?? 'no IP yet'}</span>
      {!terminating && (
        <button type="button" className="kill-button" data-testid="kill-pod" aria-label={`Kill pod ${name}`} onClick={() => onKill(namespace, name)}>
          Kill
        </button>
      )}
    </li>
  );
});

function NodeBoxView({ box, onOpen, onKill }: { box: NodeBox; onOpen: ChipProps['onOpen']; onKill: ChipProps['onKill'] }) {
  const tone = !box.ready ? 'bad' : box.cordoned ? 'warn' : 'ok';
  return (
    <section className={`node-box node-${tone}`} aria-label={`Node ${box.name}`} data-testid="topology-node" data-name={box.name}>
      <header className="node-header">
        <h2>{box.name}</h2>
        <ToneText tone={tone}>{box.status}</ToneText>
        <span className="muted">
          {box.roles !== '<none>' ? box.roles : 'worker'} · {box.ip ?? 'no IP'}
          {box.podCIDR ? ` · pods ${box.podCIDR}` : ''}
        </span>
      </header>
      {box.pods.length === 0 ? (
        <p className="muted">No pods here.</p>
      ) : (
        <ul className="pod-chips" aria-label={`Pods on ${box.name}`}>
          {box.pods.map((p) => (
            <PodChipView {...p} key={p.key} onOpen={onOpen} onKill={onKill} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The topology view of `cluster`, pods of `route.namespace` ('' = all). */
export function TopologyView({ cluster, route, navigate }: { cluster: string; route: Route; navigate(p: Partial<Route>): void }) {
  const nodes = useWatchList<Node>(cluster, NODES, '');
  const pods = useWatchList<Pod>(cluster, PODS, route.namespace);
  const services = useWatchList<Service>(cluster, SERVICES, route.namespace);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const topology = useMemo(() => groupByNode(nodes.items, pods.items), [nodes.items, pods.items]);
  const links = useMemo(() => serviceLinks(services.items, pods.items), [services.items, pods.items]);

  const onOpen = useCallback((ns: string, name: string) => navigate({ view: 'resources', kind: 'pods', name: `${ns}/${name}` }), [navigate]);
  const onKill = useCallback(
    (ns: string, name: string) => {
      setMessage(undefined);
      deleteObject(cluster, PODS, ns, name).then(
        () => setMessage({ ok: true, text: `Killed pod ${name}. If a controller owns it, watch the replacement appear.` }),
        (err: unknown) => setMessage({ ok: false, text: `Could not kill ${name}: ${errorText(err)}` }),
      );
    },
    [cluster],
  );

  const where = route.namespace ? `in ${route.namespace}` : 'in all namespaces';
  return (
    <div className="view topology-view" data-testid="topology-view">
      <header className="view-header">
        <h1>Topology</h1>
        <NamespaceSelect cluster={cluster} value={route.namespace} onChange={(ns) => navigate({ namespace: ns })} />
        <span className="muted legend" aria-hidden="true">
          <span className="tone tone-ok">running</span> <span className="tone tone-progress">starting</span> <span className="tone tone-warn">not ready</span>{' '}
          <span className="tone tone-bad">failing</span> <span className="tone tone-muted">done</span>
        </span>
      </header>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok-text' : 'error-text'} data-testid="topology-message">
          {message.text}
        </p>
      )}
      <ListStatus snapshot={nodes} what="nodes" />
      {pods.phase === 'failing' && <ListStatus snapshot={pods} what={`pods ${where}`} />}
      <div className="node-grid">
        {topology.nodes.map((box) => (
          <NodeBoxView key={box.name} box={box} onOpen={onOpen} onKill={onKill} />
        ))}
        {topology.unplaced.length > 0 && (
          <section className="node-box node-pending" aria-label="Pods waiting for a node" data-testid="topology-unplaced">
            <header className="node-header">
              <h2>Not on a node yet</h2>
              <span className="muted">waiting for the scheduler, or their node is gone</span>
            </header>
            <ul className="pod-chips">
              {topology.unplaced.map((p) => (
                <PodChipView {...p} key={p.key} onOpen={onOpen} onKill={onKill} />
              ))}
            </ul>
          </section>
        )}
      </div>
      <h2 className="section-title">Services {where}</h2>
      {!services.listed ? (
        <p className="muted">Loading services…</p>
      ) : links.length === 0 ? (
        <p className="muted">No services {where}.</p>
      ) : (
        <ul className="service-list" data-testid="topology-services">
          {links.map((s) => (
            <li key={s.key} className="service-item" data-name={s.name}>
              <strong>{s.name}</strong> <span className="muted">{s.type} {s.clusterIP}</span> →{' '}
              {s.pods === undefined ? (
                <span className="muted">no selector</span>
              ) : s.pods.length === 0 ? (
                <span className="muted">no pods match (no endpoints)</span>
              ) : (
                s.pods.map((p) => (
                  <span key={p.key} className={`endpoint tone-bg-${p.tone}`}>
                    {p.name} <span className="muted">{p.ip ?? 'no IP'}</span>
                  </span>
                ))
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
