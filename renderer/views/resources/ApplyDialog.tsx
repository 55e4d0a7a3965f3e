// "Apply YAML": paste a manifest (one or more documents) and server-side apply it, like
// `kubectl apply --server-side`; each document's outcome or error is listed.
import { useState } from 'react';
import { applyManifest, parseManifest, type ApplyResult } from '../../api/apply';
import { errorText } from '../../api/http';
import { Dialog } from '../../components/Dialog';
import { useServices } from '../../hooks/services';

/** The dialog; namespaced documents without a namespace go to `namespace`. */
export function ApplyDialog({ cluster, namespace, onClose }: { cluster: string; namespace: string; onClose(): void }) {
  const { discovery } = useServices();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<ApplyResult[]>();
  const [error, setError] = useState<string>();

  const apply = async () => {
    setBusy(true);
    setError(undefined);
    setResults(undefined);
    try {
      const docs = parseManifest(text);
      if (docs.length === 0) setError('The manifest is empty.');
      else setResults(await applyManifest(cluster, docs, namespace, discovery));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Apply YAML" onClose={onClose} testId="apply-dialog">
      <div className="dialog-body">
        <label htmlFor="apply-text">
          Manifest (YAML or JSON; several documents separated by ---). Objects without a namespace go to <strong>{namespace}</strong>.
        </label>
        <textarea id="apply-text" data-testid="apply-text" data-autofocus className="code editor" spellCheck={false} rows={18} value={text} onChange={(e) => setText(e.target.value)} />
        {error && (
          <p role="alert" className="error-text" data-testid="apply-error">
            {error}
          </p>
        )}
        {/* One live region, always present, so the outcome is announced when it arrives. */}
        <div role="status">
          {results && (
            <ul className="plain-list" data-testid="apply-results">
              {results.map((r, i) => (
                <li key={i} className={r.ok ? 'ok-text' : 'error-text'}>
                  {r.ok ? `${r.name} ${r.message}` : `${r.name}: ${r.message}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <footer className="dialog-footer">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="button" className="primary" data-testid="apply-submit" disabled={busy || !text.trim()} onClick={() => void apply()}>
          {busy ? 'Applying…' : 'Apply'}
        </button>
      </footer>
    </Dialog>
  );
}
