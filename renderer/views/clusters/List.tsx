// The clusters view: create form, live operation progress, and the list of clusters with their
// actions (open, start, stop, delete with confirmation, use as kubectl's context, copy docker-env).
import { useEffect, useRef, useState } from 'react';
import type { ClusterSummary } from '../../../engine/dashboard/contract';
import { deleteCluster, getDockerEnv, startCluster, stopCluster, switchContext } from '../../api/dashboard';
import { errorText } from '../../api/http';
import { ConfirmDialog } from '../../components/Dialog';
import { ToneText } from '../../components/Tone';
import type { Tone } from '../../format/column';
import { CreateForm } from './CreateForm';
import { OperationProgress, operationTitle, type TrackedOperation } from './OperationProgress';

/** Props of the clusters view. */
export interface ClustersListProps {
  clusters?: ClusterSummary[];
  loadError?: string;
  selected?: string;
  operations: TrackedOperation[];
  onTrack(op: TrackedOperation): void;
  onDismiss(id: string): void;
  onOpen(cluster: string): void;
  /** Fetch the list again now (after a change whose push may come late). */
  onRefresh?(): void;
}

const STATE_TONE: Record<ClusterSummary['state'], Tone> = { running: 'ok', stopped: 'muted', degraded: 'warn' };

function nodesText(c: ClusterSummary): string {
  const ready = c.nodes.filter((n) => n.ready).length;
  return `${ready}/${c.nodes.length} ready`;
}

/** The clusters view. */
export function ClustersList({ clusters, loadError, selected, operations, onTrack, onDismiss, onOpen, onRefresh }: ClustersListProps) {
  const [confirmDelete, setConfirmDelete] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [dockerEnv, setDockerEnv] = useState<{ cluster: string; text?: string; note: string; copied?: boolean }>();
  const [contextNote, setContextNote] = useState<{ ok: boolean; text: string }>();
  const snippet = useRef<HTMLTextAreaElement>(null);
  // When the clipboard refused, the snippet is shown selected, ready for Ctrl+C.
  useEffect(() => {
    if (dockerEnv?.text && !dockerEnv.copied) {
      snippet.current?.focus();
      snippet.current?.select();
    }
  }, [dockerEnv]);

  const switchTo = async (cluster: string) => {
    setContextNote(undefined);
    try {
      const context = await switchContext(cluster);
      setContextNote({ ok: true, text: `kubectl now uses context ${context} (cluster ${cluster}).` });
      onRefresh?.();
    } catch (err) {
      setContextNote({ ok: false, text: `Could not switch kubectl to ${cluster}: ${errorText(err)}` });
    }
  };

  const run = async (kind: TrackedOperation['kind'], cluster: string, call: (n: string) => Promise<string>) => {
    setActionError(undefined);
    try {
      onTrack({ id: await call(cluster), kind, cluster });
      return true;
    } catch (err) {
      setActionError(`Could not ${kind} ${cluster}: ${errorText(err)}`);
      return false;
    }
  };

  const copyDockerEnv = async (cluster: string) => {
    setDockerEnv({ cluster, note: 'Fetching…' });
    try {
      const text = await getDockerEnv(cluster);
      let note = 'Copied to the clipboard. Paste it into a shell to point docker at this cluster.';
      let copied = true;
      try {
        if (!navigator.clipboard) throw new Error('no clipboard');
        await navigator.clipboard.writeText(text);
      } catch {
        copied = false;
        note = 'The clipboard is not available here: the snippet below is selected, press Ctrl+C (⌘C) to copy it.';
      }
      setDockerEnv({ cluster, text, note, copied });
    } catch (err) {
      setDockerEnv({ cluster, note: `Could not get docker-env: ${errorText(err)}` });
    }
  };

  const names = (clusters ?? []).map((c) => c.name);
  const busy = (c: ClusterSummary) => c.operation?.state === 'running';
  const untracked = (clusters ?? []).flatMap((c) =>
    c.operation && c.operation.state === 'running' && !operations.some((o) => o.id === c.operation!.id)
      ? [{ id: c.operation.id, kind: c.operation.kind, cluster: c.name, ...(c.operation.node ? { node: c.operation.node } : {}) }]
      : [],
  );

  return (
    <div className="view clusters-view" data-testid="clusters-view">
      <header className="view-header">
        <h1>Clusters</h1>
      </header>
      <CreateForm existing={names} onStarted={(id, cluster) => onTrack({ id, kind: 'create', cluster })} />
      {[...operations, ...untracked].map((op) => (
        <OperationProgress key={op.id} op={op} onDismiss={() => onDismiss(op.id)} />
      ))}
      {actionError && (
        <p role="alert" className="error-text" data-testid="cluster-action-error">
          {actionError}
        </p>
      )}
      {contextNote && (
        <p role={contextNote.ok ? 'status' : 'alert'} className={contextNote.ok ? 'ok-text' : 'error-text'} data-testid="use-context-result">
          {contextNote.text}
        </p>
      )}
      {!clusters && !loadError && <p className="empty">Loading clusters…</p>}
      {!clusters && loadError && (
        <p role="alert" className="error-text">
          Could not load the clusters: {loadError}. Retrying…
        </p>
      )}
      {clusters && clusters.length === 0 && <p className="empty">No clusters yet. Create one above: one node is enough to start.</p>}
      {clusters && clusters.length > 0 && (
        <table className="resource-table clusters-table" data-testid="clusters-table">
          <caption className="visually-hidden">Clusters</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Nodes</th>
              <th scope="col">Context</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.name} data-testid="cluster-row" data-name={c.name} className={c.name === selected ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link-button" aria-label={`Open cluster ${c.name}`} data-testid="cluster-open" onClick={() => onOpen(c.name)}>
                    {c.name}
                  </button>
                  {c.name === selected && <span className="badge">selected</span>}
                </td>
                <td>
                  <ToneText tone={STATE_TONE[c.state]}>{c.state}</ToneText>
                  {c.operation?.state === 'running' && <span className="muted"> ({operationTitle(c.operation)} in progress)</span>}
                </td>
                <td title={c.nodes.map((n) => `${n.name}: ${n.state}${n.ready ? ', Ready' : ''}`).join('\n')}>{nodesText(c)}</td>
                <td data-testid="cluster-context" data-current={c.current ? 'true' : undefined}>
                  {c.context ?? <span className="muted">none</span>}
                  {c.current && (
                    <span className="badge current-context" title="kubectl's current context">
                      current
                    </span>
                  )}
                </td>
                <td className="actions">
                  {c.state === 'stopped' ? (
                    <button type="button" data-testid="cluster-start" aria-label={`Start ${c.name}`} disabled={busy(c)} onClick={() => void run('start', c.name, startCluster)}>
                      Start
                    </button>
                  ) : (
                    <button type="button" data-testid="cluster-stop" aria-label={`Stop ${c.name}`} disabled={busy(c)} onClick={() => void run('stop', c.name, stopCluster)}>
                      Stop
                    </button>
                  )}
                  <button
                    type="button"
                    data-testid="use-context"
                    aria-label={`Use context of ${c.name} in kubectl`}
                    aria-pressed={Boolean(c.current)}
                    disabled={!c.context || c.current}
                    title={c.context ? undefined : 'No context yet: start the cluster to write it'}
                    onClick={() => void switchTo(c.name)}
                  >
                    Use context
                  </button>
                  <button type="button" data-testid="copy-docker-env" aria-label={`Copy docker-env of ${c.name}`} disabled={c.state === 'stopped'} onClick={() => void copyDockerEnv(c.name)}>
                    Copy docker-env
                  </button>
                  <button type="button" className="danger" data-testid="cluster-delete" aria-label={`Delete ${c.name}`} disabled={busy(c)} onClick={() => setConfirmDelete(c.name)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dockerEnv && (
        <section className="docker-env" aria-label={`docker-env of ${dockerEnv.cluster}`} data-testid="docker-env">
          <p role="status">{dockerEnv.note}</p>
          {dockerEnv.text && (
            <textarea
              ref={snippet}
              readOnly
              className="code"
              data-testid="docker-env-text"
              rows={Math.min(8, dockerEnv.text.split('\n').length + 1)}
              value={dockerEnv.text}
              aria-label="docker-env snippet"
              onFocus={(e) => e.target.select()}
            />
          )}
        </section>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete cluster ${confirmDelete}?`}
          message={<p>Its node containers, volumes and network are removed, with every object in it. This cannot be undone.</p>}
          confirmLabel="Delete cluster"
          onCancel={() => setConfirmDelete(undefined)}
          onConfirm={() => {
            const name = confirmDelete;
            setConfirmDelete(undefined);
            void run('delete', name, deleteCluster);
          }}
        />
      )}
    </div>
  );
}
