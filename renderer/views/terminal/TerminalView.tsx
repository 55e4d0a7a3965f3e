// The terminal view: tabs of terminals (a host shell for the cluster, a shell in a node, a shell in
// a pod's container), each running on while other tabs or views are shown; a "New terminal" menu.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { kindByPlural } from '../../api/kinds';
import type { KubeObject, Pod } from '../../api/types';
import { useWatchList } from '../../hooks/use-watch-list';
import { sortByNamespaceName } from '../../hooks/watch-reducer';
import type { Route } from '../../route';
import { terminalSessions } from './sessions';
import { parseTerminalSpec, targetIn, type TerminalRequest } from './terminal-target';

const PODS = kindByPlural('pods')!;
const NODES = kindByPlural('nodes')!;

/** The "New terminal" menu: host shell, node shell (pick a node), pod exec (pick pod and container). */
function NewTerminalMenu({ cluster, namespace, onOpen }: { cluster: string; namespace: string; onOpen(r: TerminalRequest): void }) {
  const [open, setOpen] = useState(false);
  const nodes = useWatchList<KubeObject>(open ? cluster : undefined, NODES, '');
  const pods = useWatchList<Pod>(open ? cluster : undefined, PODS, namespace);
  const [node, setNode] = useState('');
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const running = sortByNamespaceName(pods.items.filter((p) => p.status?.phase === 'Running'));
  const chosenPod = running.find((p) => `${p.metadata.namespace}/${p.metadata.name}` === pod) ?? running[0];
  const containers = chosenPod?.spec?.containers?.map((c) => c.name) ?? [];
  const chosenNode = node || nodes.items[0]?.metadata.name || '';
  const pick = (r: TerminalRequest) => {
    setOpen(false);
    onOpen(r);
  };
  return (
    <div className="terminal-menu">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="terminal-new">
        New terminal
      </button>
      {open && (
        <div className="terminal-menu-panel" role="group" aria-label="New terminal">
          <div className="terminal-menu-row">
            <button type="button" onClick={() => pick({ kind: 'host' })} data-testid="terminal-new-host">
              Host shell for {cluster}
            </button>
            <span className="muted">kubectl and docker point at this cluster</span>
          </div>
          <div className="terminal-menu-row">
            <label>
              Node{' '}
              <select value={chosenNode} onChange={(e) => setNode(e.target.value)} data-testid="terminal-node-select">
                {nodes.items.map((n) => (
                  <option key={n.metadata.name}>{n.metadata.name}</option>
                ))}
              </select>
            </label>
            <button type="button" disabled={!chosenNode} onClick={() => pick({ kind: 'node', node: chosenNode })} data-testid="terminal-new-node">
              Shell in node
            </button>
          </div>
          <div className="terminal-menu-row">
            <label>
              Pod{' '}
              <select value={chosenPod ? `${chosenPod.metadata.namespace}/${chosenPod.metadata.name}` : ''} onChange={(e) => setPod(e.target.value)} data-testid="terminal-pod-select">
                {running.map((p) => {
                  const key = `${p.metadata.namespace}/${p.metadata.name}`;
                  return (
                    <option key={key} value={key}>
                      {namespace ? p.metadata.name : key}
                    </option>
                  );
                })}
              </select>
            </label>
            <label>
              Container{' '}
              <select value={containers.includes(container) ? container : (containers[0] ?? '')} onChange={(e) => setContainer(e.target.value)} data-testid="terminal-container-select">
                {containers.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={!chosenPod}
              onClick={() =>
                chosenPod &&
                pick({ kind: 'pod', namespace: chosenPod.metadata.namespace ?? 'default', pod: chosenPod.metadata.name, container: containers.includes(container) ? container : containers[0] })
              }
              data-testid="terminal-new-pod"
            >
              Exec in pod
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/** The terminal view of `cluster`. */
export function TerminalView({ cluster, route, navigate }: { cluster: string; route: Route; navigate(patch: Partial<Route>, replace?: boolean): void }) {
  const { sessions, active } = useSyncExternalStore(terminalSessions.subscribe, terminalSessions.snapshot);
  const screen = useRef<HTMLDivElement>(null);

  // A route asking for a terminal (the pod's Exec button, a node's Shell button) opens one tab, once.
  useEffect(() => {
    if (!route.terminal) return;
    const req = parseTerminalSpec(route.terminal);
    navigate({ terminal: undefined }, true);
    if (req) terminalSessions.open(targetIn(cluster, req));
  }, [route.terminal, cluster, navigate]);

  useEffect(() => {
    const el = screen.current;
    if (!el) return;
    if (!active) return void el.replaceChildren();
    terminalSessions.attach(active, el);
    const observer = new ResizeObserver(() => terminalSessions.fit(active));
    observer.observe(el);
    return () => observer.disconnect();
  }, [active]);

  const current = sessions.find((s) => s.id === active);
  return (
    <div className="view terminal-view">
      <div className="toolbar">
        <h1>Terminal</h1>
        <NewTerminalMenu cluster={cluster} namespace={route.namespace} onOpen={(r) => terminalSessions.open(targetIn(cluster, r))} />
      </div>
      <div className="terminal-tabs" role="group" aria-label="Terminals">
        {sessions.map((s) => (
          <div key={s.id} className={`terminal-tab${s.id === active ? ' active' : ''}`} data-testid="terminal-tab" data-title={s.title} data-state={s.state} data-exit-code={s.exit?.code}>
            <button type="button" aria-pressed={s.id === active} onClick={() => terminalSessions.select(s.id)} title={s.target.cluster}>
              <span className={`dot dot-${s.state === 'running' ? 'running' : s.state === 'exited' ? 'stopped' : 'degraded'}`} aria-hidden="true" />
              {s.title}
            </button>
            <button type="button" className="terminal-tab-close" aria-label={`Close terminal ${s.title}`} onClick={() => terminalSessions.close(s.id)} data-testid="terminal-tab-close">
              ×
            </button>
          </div>
        ))}
      </div>
      {!current && <p className="empty">No terminal open. Use “New terminal” for a shell on this machine, in a node or in a pod.</p>}
      <div ref={screen} className="terminal-screen" data-testid="terminal-screen" data-session={current?.id} hidden={!current} />
    </div>
  );
}
