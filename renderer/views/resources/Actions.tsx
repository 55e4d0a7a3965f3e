// The action bar of the details pane: delete (confirmed), scale, restart rollout, cordon/uncordon,
// logs. Each shows its outcome (or the server's error) inline.
import { useState } from 'react';
import { errorText } from '../../api/http';
import { deleteObject, restartRollout, scale, setCordoned } from '../../api/k8s';
import { isBuiltinKind, type KindInfo } from '../../api/kinds';
import type { KubeObject, Node, Workload } from '../../api/types';
import { ConfirmDialog } from '../../components/Dialog';
import type { Route } from '../../route';

const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets']);
const RESTARTABLE = new Set(['deployments', 'statefulsets', 'daemonsets']);

/** Actions on `obj` of `kind` in `cluster`. */
export function Actions({ cluster, kind, obj, navigate }: { cluster: string; kind: KindInfo; obj: KubeObject; navigate(p: Partial<Route>): void }) {
  const ns = obj.metadata.namespace;
  const name = obj.metadata.name;
  // A CRD may reuse a built-in plural ("pods.example.com"): built-in actions only for built-in kinds.
  const plural = isBuiltinKind(kind) ? kind.plural : '';
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [replicas, setReplicas] = useState(String((obj as Workload).spec?.replicas ?? 1));

  const act = async (what: string, call: () => Promise<unknown>) => {
    setBusy(true);
    setResult(undefined);
    try {
      await call();
      setResult({ ok: true, text: what });
      return true;
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const cordoned = Boolean((obj as Node).spec?.unschedulable);
  const n = Number(replicas);
  const replicasValid = replicas.trim() !== '' && Number.isInteger(n) && n >= 0;

  return (
    <div className="actions-bar" role="group" aria-label="Actions">
      {plural === 'pods' && (
        <button type="button" data-testid="action-logs" onClick={() => navigate({ view: 'logs', namespace: ns ?? 'default', pod: name, container: undefined, name: undefined })}>
          Logs
        </button>
      )}
      {SCALABLE.has(plural) && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (replicasValid) void act(`Scaled to ${n} replicas.`, () => scale(cluster, kind, ns, name, n));
          }}
        >
          <label htmlFor="scale-replicas">Replicas</label>
          <input id="scale-replicas" data-testid="scale-replicas" type="number" min={0} value={replicas} aria-invalid={!replicasValid} onChange={(e) => setReplicas(e.target.value)} />
          <button type="submit" data-testid="action-scale" disabled={busy || !replicasValid}>
            Scale
          </button>
        </form>
      )}
      {RESTARTABLE.has(plural) && (
        <button type="button" data-testid="action-restart" disabled={busy} onClick={() => void act('Restart requested: new pods replace the old ones.', () => restartRollout(cluster, kind, ns, name))}>
          Restart rollout
        </button>
      )}
      {plural === 'nodes' && (
        <button
          type="button"
          data-testid="action-cordon"
          disabled={busy}
          onClick={() => void act(cordoned ? 'Uncordoned: new pods may be scheduled here.' : 'Cordoned: no new pods will be scheduled here.', () => setCordoned(cluster, name, !cordoned))}
        >
          {cordoned ? 'Uncordon' : 'Cordon'}
        </button>
      )}
      <button type="button" className="danger" data-testid="action-delete" disabled={busy} onClick={() => setConfirm(true)}>
        Delete
      </button>
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok-text' : 'error-text'} data-testid="action-result">
          {result.text}
        </p>
      )}
      {confirm && (
        <ConfirmDialog
          title={`Delete ${kind.kind} ${name}?`}
          message={<p>{plural === 'pods' ? 'If a controller owns this pod, it creates a replacement.' : 'Objects it owns are deleted with it.'}</p>}
          confirmLabel={`Delete ${kind.kind}`}
          busy={busy}
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            void act(`Deletion requested.`, () => deleteObject(cluster, kind, ns, name));
          }}
        />
      )}
    </div>
  );
}
