// core/v1 Namespace, ConfigMap and Secret.
import { dataKeyErrors, immutable } from '../checks.js';
import type { FieldError } from '../field-error.js';
import { ageColumn, column, count, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';

const CORE = 'io.k8s.api.core.v1.';

/** Data of an immutable ConfigMap or Secret may not change, and it may not become mutable again. */
function immutableDataErrors(obj: ApiObject, old: ApiObject | undefined, fields: string[]): FieldError[] {
  if (old?.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push({ reason: 'FieldValueForbidden', field: 'immutable', message: 'Forbidden: field is immutable when `immutable` is set' });
  for (const field of fields) {
    if (JSON.stringify(obj[field] ?? {}) !== JSON.stringify(old[field] ?? {})) errs.push({ reason: 'FieldValueForbidden', field, message: 'Forbidden: field is immutable when `immutable` is set' });
  }
  return errs;
}

/** Namespace, ConfigMap and Secret. */
export const CORE_CONFIG: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false,
      shortNames: ['ns'], categories: [], schemaName: `${CORE}Namespace`, subresources: { status: true },
      description: 'A named scope that groups objects and separates them from those of other namespaces.',
      columns: [nameColumn, column('Status', 'Lifecycle phase: Active or Terminating.', (o) => (o.status as { phase?: string } | undefined)?.phase), ageColumn],
      defaults(obj) {
        const spec = (obj.spec as { finalizers?: string[] } | undefined) ?? {};
        obj.spec = { ...spec, finalizers: spec.finalizers ?? ['kubernetes'] };
        obj.status = { ...(obj.status as object), phase: obj.metadata.deletionTimestamp ? 'Terminating' : 'Active' };
        obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      },
    },
    {
      group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true,
      shortNames: ['cm'], categories: [], schemaName: `${CORE}ConfigMap`,
      description: 'Configuration as key-value pairs, for pods to read as files or environment variables.',
      columns: [nameColumn, column('Data', 'Number of keys in data and binaryData.', (o) => count(o.data) + count(o.binaryData), { type: 'integer' }), ageColumn],
      validate(obj, old) {
        const errs = [...dataKeyErrors('data', obj.data), ...dataKeyErrors('binaryData', obj.binaryData)];
        const both = Object.keys((obj.data as object) ?? {}).filter((k) => Object.hasOwn((obj.binaryData as object) ?? {}, k));
        for (const k of both) errs.push({ reason: 'FieldValueDuplicate', field: `data[${k}]`, message: `Duplicate value: "${k}": the key is also in binaryData` });
        return [...errs, ...immutableDataErrors(obj, old, ['data', 'binaryData'])];
      },
    },
    {
      group: '', version: 'v1', kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true,
      shortNames: [], categories: [], schemaName: `${CORE}Secret`,
      description: 'Sensitive key-value data (passwords, tokens, keys), base64-encoded in data.',
      columns: [
        nameColumn,
        column('Type', 'What the secret holds, e.g. Opaque or kubernetes.io/tls.', (o) => String(o.type ?? '')),
        column('Data', 'Number of keys in data.', (o) => count(o.data), { type: 'integer' }),
        ageColumn,
      ],
      defaults(obj) {
        if (!obj.type) obj.type = 'Opaque';
        const stringData = obj.stringData as Record<string, string> | undefined;
        if (stringData) {
          const data = { ...(obj.data as Record<string, string> | undefined) };
          for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
          obj.data = data;
          delete obj.stringData;
        }
      },
      validate(obj, old) {
        const errs = [...dataKeyErrors('data', obj.data), ...immutableDataErrors(obj, old, ['data'])];
        if (old) errs.push(...immutable('type', obj.type ?? 'Opaque', old.type ?? 'Opaque'));
        return errs;
      },
    },
  ],
  definitions: {
    [`${CORE}Namespace`]: def('A named scope that groups objects and separates them from those of other namespaces.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}NamespaceSpec`, 'What the namespace should be.'),
      status: f.ref(3, `${CORE}NamespaceStatus`, 'What the namespace is now.'),
    }),
    [`${CORE}NamespaceSpec`]: def('What the namespace should be.', {
      finalizers: f.list(1, 'Cleanups that must finish before the namespace is removed.', 'string', { listType: 'atomic' }),
    }),
    [`${CORE}NamespaceStatus`]: def('What the namespace is now.', {
      phase: f.str(1, 'Active, or Terminating while its contents are being removed.', { enum: ['Active', 'Terminating'] }),
      conditions: f.list(2, 'Observations about the namespace, e.g. content left during deletion.', `${CORE}NamespaceCondition`, { mergeKey: 'type' }),
    }),
    [`${CORE}NamespaceCondition`]: def(
      'One observation about a namespace.',
      {
        type: f.str(1, 'What the condition is about.'),
        status: f.str(2, 'True, False or Unknown.'),
        lastTransitionTime: f.time(4, 'When status last changed.'),
        reason: f.str(5, 'Why, in one CamelCase word.'),
        message: f.str(6, 'Why, for people.'),
      },
      { required: ['type', 'status'] },
    ),
    [`${CORE}ConfigMap`]: def('Configuration as key-value pairs, for pods to read as files or environment variables.', {
      metadata: metadataField(),
      data: f.map(2, 'Configuration values as UTF-8 strings, by key. Keys are letters, digits, "-", "_" and ".".', 'string'),
      binaryData: f.map(3, 'Configuration values as base64-encoded bytes, by key; keys may not repeat those in data.', 'bytes'),
      immutable: f.bool(4, 'When true, data and binaryData can no longer be changed (the object can still be deleted).', { keepZero: true }),
    }),
    [`${CORE}Secret`]: def('Sensitive key-value data (passwords, tokens, keys), base64-encoded in data.', {
      metadata: metadataField(),
      data: f.map(2, 'Secret values as base64-encoded bytes, by key.', 'bytes'),
      stringData: f.map(4, 'Write-only convenience: plain string values, merged into data (base64-encoded) when stored.', 'string'),
      type: f.str(3, 'What the secret holds, e.g. Opaque (the default) or kubernetes.io/tls.'),
      immutable: f.bool(5, 'When true, data can no longer be changed.', { keepZero: true }),
    }),
  },
};
