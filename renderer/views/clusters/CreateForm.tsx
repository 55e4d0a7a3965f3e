// The create-cluster form: name and node count, checked as the user types, sent on submit.
import { useState, type FormEvent } from 'react';
import { createCluster } from '../../api/dashboard';
import { errorText } from '../../api/http';
import { MAX_NODES, validateCreate } from './create-validation';

/** Creates a cluster; `onStarted` gets the operation id to follow. */
export function CreateForm({ existing, onStarted }: { existing: readonly string[]; onStarted(operation: string, cluster: string): void }) {
  const [name, setName] = useState('');
  const [nodes, setNodes] = useState('1');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const errors = validateCreate(name, nodes, existing);
  const shown = touched ? errors : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (errors.name || errors.nodes) return;
    setBusy(true);
    setServerError(undefined);
    try {
      const op = await createCluster({ name, nodes: Number(nodes) });
      onStarted(op, name);
      setName('');
      setNodes('1');
      setTouched(false);
    } catch (err) {
      setServerError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="create-form" onSubmit={submit} noValidate aria-label="Create a cluster" data-testid="create-cluster-form">
      <div className="field">
        <label htmlFor="cluster-name">Cluster name</label>
        <input
          id="cluster-name"
          data-testid="create-cluster-name"
          value={name}
          autoComplete="off"
          spellCheck={false}
          placeholder="dev"
          aria-invalid={Boolean(shown.name)}
          aria-describedby={shown.name ? 'cluster-name-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setTouched(true);
          }}
        />
        {shown.name && (
          <p id="cluster-name-error" className="field-error">
            {shown.name}
          </p>
        )}
      </div>
      <div className="field field-narrow">
        <label htmlFor="cluster-nodes">Nodes</label>
        <input
          id="cluster-nodes"
          data-testid="create-cluster-nodes"
          type="number"
          min={1}
          max={MAX_NODES}
          value={nodes}
          aria-invalid={Boolean(shown.nodes)}
          aria-describedby={shown.nodes ? 'cluster-nodes-error' : 'cluster-nodes-help'}
          onChange={(e) => {
            setNodes(e.target.value);
            setTouched(true);
          }}
        />
        {shown.nodes ? (
          <p id="cluster-nodes-error" className="field-error">
            {shown.nodes}
          </p>
        ) : (
          <p id="cluster-nodes-help" className="field-help">
            1 control plane + workers
          </p>
        )}
      </div>
      <button type="submit" className="primary" data-testid="create-cluster-submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create cluster'}
      </button>
      {serverError && (
        <p role="alert" className="error-text form-error" data-testid="create-cluster-error">
          {serverError}
        </p>
      )}
    </form>
  );
}
