// The editor tab: the object's YAML in a textarea, applied with PUT; the server's Status message
// shows inline on error (a 409 when the object changed meanwhile: reload and edit again).
import { useState } from 'react';
import { errorText } from '../../api/http';
import { replaceObject } from '../../api/k8s';
import type { KindInfo } from '../../api/kinds';
import type { KubeObject } from '../../api/types';
import { objectYaml, parseEdited } from './yaml-text';

/** Edits `obj` (the live object; the text starts from it and is kept while the user edits). */
export function YamlEditor({ cluster, kind, obj }: { cluster: string; kind: KindInfo; obj: KubeObject }) {
  const [base, setBase] = useState(obj);
  const [text, setText] = useState(() => objectYaml(kind, obj));
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const stale = obj.metadata.resourceVersion !== base.metadata.resourceVersion;

  const reload = () => {
    setBase(obj);
    setText(objectYaml(kind, obj));
    setError(undefined);
    setNotice(undefined);
  };

  const apply = async () => {
    setError(undefined);
    setNotice(undefined);
    const edited = parseEdited(text, { name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) });
    if (!edited.ok) {
      setError(edited.error);
      return;
    }
    setBusy(true);
    try {
      const saved = await replaceObject(cluster, kind, edited.object);
      setBase(saved);
      setText(objectYaml(kind, saved));
      setNotice(`Applied: resourceVersion ${saved.metadata.resourceVersion ?? '?'}.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="yaml-editor">
      <label htmlFor="yaml-editor-text" className="visually-hidden">
        YAML of {kind.kind} {obj.metadata.name}
      </label>
      <textarea id="yaml-editor-text" data-testid="yaml-editor" className="code editor" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      {stale && (
        <p className="warn-text" role="status">
          The {kind.kind} changed since you opened the editor; applying now may be refused as a conflict.{' '}
          <button type="button" className="link-button" onClick={reload}>
            Reload from the cluster
          </button>
        </p>
      )}
      <div className="editor-actions">
        <button type="button" className="primary" data-testid="yaml-apply" disabled={busy} onClick={() => void apply()}>
          {busy ? 'Applying…' : 'Apply'}
        </button>
        <button type="button" onClick={reload} disabled={busy}>
          Revert
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text" data-testid="yaml-error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="ok-text" data-testid="yaml-applied">
          {notice}
        </p>
      )}
    </div>
  );
}
