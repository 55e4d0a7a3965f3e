// An object as the YAML the details pane shows and edits, and the edited text back as an object.
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../api/types';

/** The YAML of `obj` with kind/apiVersion first; managedFields left out unless asked for. */
export function objectYaml(typeMeta: { apiVersion: string; kind: string }, obj: KubeObject, opts: { managedFields?: boolean } = {}): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const meta = { ...metadata };
  if (!opts.managedFields) delete meta.managedFields;
  const out = { apiVersion: apiVersion ?? typeMeta.apiVersion, kind: kind ?? typeMeta.kind, metadata: meta, ...rest };
  return stringify(out, { lineWidth: 0 });
}

/** The result of reading the editor's text. */
export type Edited = { ok: true; object: KubeObject } | { ok: false; error: string };

/** Parses edited YAML: exactly one object with metadata.name, named as `expected` (renames are refused). */
export function parseEdited(text: string, expected: { name: string; namespace?: string }): Edited {
  const nonEmpty = parseAllDocuments(text).filter((d) => d.contents !== null || d.errors.length);
  if (nonEmpty.length !== 1) return { ok: false, error: 'The editor must hold exactly one object.' };
  const doc = nonEmpty[0]!;
  if (doc.errors.length) return { ok: false, error: `YAML error: ${doc.errors[0]!.message}` };
  const value: unknown = doc.toJS();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'The YAML is not an object.' };
  const obj = value as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') return { ok: false, error: 'metadata is missing.' };
  if (obj.metadata.name !== expected.name) return { ok: false, error: `metadata.name must stay ${expected.name} (to make a copy, use Apply YAML).` };
  if ((obj.metadata.namespace ?? expected.namespace) !== expected.namespace) {
    return { ok: false, error: `metadata.namespace must stay ${expected.namespace ?? '(none)'}.` };
  }
  return { ok: true, object: obj };
}
