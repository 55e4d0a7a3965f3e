// The topology for learning: nodes as boxes holding their pods (colour and text by status, pod
// IPs), pods waiting for a node, and Services with the pods they select. Everything follows the
// watches, so a scale, a rolling update, a crash restart or a node failure shows as it happens.
// Each node box can stop or start its node (its container), to cause a node failure on purpose.
import { memo, useCallback, useMemo, useState } from 'react';
import type { ClusterSummary } from '../../../engine/dashboard/contract';
import { startNode, stopNode } from '../../api/dashboard';
import { errorText } from '../../api/http';
import { deleteObject } from '../../api/k8s';
import { kindByPlural } from '../../api/kinds';
import type { Node, Pod, Service } from '../../api/types';
import { ListStatus } from '../../components/ListStatus';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { ConfirmDialog } from '../../components/Dialog';
import { ToneText } from '../../components/Tone';
import { useWatchList } from '../../hooks/use-watch-list';
import type { Route } from '../../route';
import { OperationProgress, type TrackedOperation } from '../clusters/OperationProgress';
import { poweredBoxes, poweredStatus, type PoweredBox } from './node-power';
import { groupByNode, serviceLinks, type PodChip } from './topology-plan';

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

type PowerAction = (node: string, action: 'stop' | 'start', controlPlane: boolean) => void;

function NodeBoxView({ powered, onOpen, onKill, onPower }: { powered: PoweredBox; onOpen: ChipProps['onOpen']; onKill: ChipProps['onKill']; onPower: PowerAction }) {
  const { box, container, controlPlane, canStop, canStart, busy } = powered;
  const tone = !box.ready || container === 'stopped' ? 'bad' : box.cordoned ? 'warn' : 'ok';
  return (
    <section
      className={`node-box node-${tone}${container === 'stopped' ? ' node-stopped' : ''}`}
      aria-label={`Node ${box.name}`}
      data-testid="topology-node"
      data-name={box.name}
      data-container={container}
      data-status={box.status}
    >
      <header className="node-header">
        <h2>{box.name}</h2>
        <ToneText tone={tone}>{poweredStatus(powered)}</ToneText>
        <span className="muted">
          {box.roles !== '<none>' ? box.roles : 'worker'} · {box.ip ?? 'no IP'}
          {box.podCIDR ? ` · pods ${box.podCIDR}` : ''}
        </span>
        {(canStop || canStart) && (
          <button
            type="button"
            className={`node-power push-right${canStop ? ' danger' : ''}`}
            data-testid={canStop ? 'stop-node' : 'start-node'}
            aria-label={`${canStop ? 'Stop' : 'Start'} node ${box.name}`}
            title={busy ? `Wait: ${busy}` : undefined}
            disabled={Boolean(busy)}
            onClick={() => onPower(box.name, canStop ? 'stop' : 'start', controlPlane)}
          >
            {canStop ? 'Stop node' : 'Start node'}
          </button>
        )}
      </header>
      {container === 'stopped' && (
        <p className="muted node-note">
          The node's container is stopped: its pods are not running. {box.ready ? 'Its Node turns NotReady when the heartbeats stop; ' : ''}
          {controlPlane ? 'the API server is down until it starts again.' : 'the control plane evicts its pods after the eviction timeout.'}
        </p>
      )}
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

/** Props of the topology view; `clusters` (the app's live list) gives each node's container for stop/start. */
export interface TopologyProps {
  cluster: string;
  route: Route;
  navigate(p: Partial<Route>): void;
  clusters?: ClusterSummary[];
  /** Fetch the cluster list again now (after a node operation started). */
  onRefresh?(): void;
}

/** The topology view of `cluster`, pods of `route.namespace` ('' = all). */
export function TopologyView({ cluster, route, navigate, clusters, onRefresh }: TopologyProps) {
  const nodes = useWatchList<Node>(cluster, NODES, '');
  const pods = useWatchList<Pod>(cluster, PODS, route.namespace);
  const services = useWatchList<Service>(cluster, SERVICES, route.namespace);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const summary = clusters?.find((c) => c.name === cluster);
  const [confirmStop, setConfirmStop] = useState<{ node: string; controlPlane: boolean }>();
  const [operations, setOperations] = useState<TrackedOperation[]>([]);

  const topology = useMemo(() => groupByNode(nodes.items, pods.items), [nodes.items, pods.items]);
  const boxes = useMemo(() => poweredBoxes(topology.nodes, summary), [topology.nodes, summary]);
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

  const power = useCallback(
    (node: string, action: 'stop' | 'start') => {
      setMessage(undefined);
      (action === 'stop' ? stopNode : startNode)(cluster, node).then(
        (id) => {
          setOperations((ops) => [...ops, { id, kind: action === 'stop' ? 'node-stop' : 'node-start', cluster, node }]);
          onRefresh?.();
        },
        (err: unknown) => setMessage({ ok: false, text: `Could not ${action} node ${node}: ${errorText(err)}` }),
      );
    },
    [cluster, onRefresh],
  );
  const onPower = useCallback<PowerAction>(
    (node, action, controlPlane) => (action === 'stop' ? setConfirmStop({ node, controlPlane }) : power(node, 'start')),
    [power],
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
      {operations.map((op) => (
        <OperationProgress key={op.id} op={op} onDismiss={() => setOperations((ops) => ops.filter((o) => o.id !== op.id))} />
      ))}
      <ListStatus snapshot={nodes} what="nodes" />
      {pods.phase === 'failing' && <ListStatus snapshot={pods} what={`pods ${where}`} />}
      <div className="node-grid">
        {boxes.map((p) => (
          <NodeBoxView key={p.box.name} powered={p} onOpen={onOpen} onKill={onKill} onPower={onPower} />
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
      {confirmStop && (
        <ConfirmDialog
          title={`Stop node ${confirmStop.node}?`}
          message={
            confirmStop.controlPlane ? (
              <p>
                This node runs the control plane: while it is stopped the API server is gone, so this view, kubectl and NodePort forwarding stop answering until you start it
                again (here, or with <code>kubelab node start {confirmStop.node}</code>).
              </p>
            ) : (
              <p>
                Its container stops, as in a node failure: its pods stop running, the Node turns NotReady after the heartbeat timeout, and the control plane evicts its pods
                after the eviction timeout. Start it again to bring it back.
              </p>
            )
          }
          confirmLabel="Stop node"
          onCancel={() => setConfirmStop(undefined)}
          onConfirm={() => {
            const node = confirmStop.node;
            setConfirmStop(undefined);
            power(node, 'stop');
          }}
        />
      )}
    </div>
  );
}
