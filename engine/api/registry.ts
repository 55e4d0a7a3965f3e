// The served API types, as data. Field names and structure follow Kubernetes; the words are ours.
// Validation, defaulting, discovery and table printing read from here, so adding a kind is one entry.
import { KIND_SCHEMAS } from './schemas.js';

/** A printer column of `kubectl get`: its header and how to read the cell from an object. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  description: string;
  /** Only shown with `-o wide`. */
  wide?: boolean;
  cell(obj: ApiObject): string | number;
}

/** Any API object. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The standard object metadata. */
export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [field: string]: unknown;
}

/** One served resource type. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** Plural, lowercase: the path segment. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** OpenAPI component name of the kind's schema, e.g. io.k8s.api.core.v1.ConfigMap. */
  schemaName: string;
  columns: Column[];
  /** One-line summary of the kind. */
  description: string;
}

/** Human-readable age as kubectl prints it: 5s, 3m, 2d4h… */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y${d % 365 ? `${d % 365}d` : ''}`;
}

const nameColumn: Column = { name: 'Name', type: 'string', description: 'Name of the object, unique in its namespace.', cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', type: 'date', description: 'Time since the object was created.', cell: (o) => age(o.metadata.creationTimestamp) };
const count = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v).length : 0);

/** Every served resource type. */
export const RESOURCES: ResourceType[] = [
  {
    group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false,
    shortNames: ['ns'], categories: [], schemaName: 'io.k8s.api.core.v1.Namespace',
    description: 'A named scope that groups objects and separates them from those of other namespaces.',
    columns: [nameColumn, { name: 'Status', type: 'string', description: 'Lifecycle phase: Active or Terminating.', cell: (o) => String((o.status as { phase?: string } | undefined)?.phase ?? '') }, ageColumn],
  },
  {
    group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true,
    shortNames: ['cm'], categories: [], schemaName: 'io.k8s.api.core.v1.ConfigMap',
    description: 'Configuration as key-value pairs, for pods to read as files or environment variables.',
    columns: [nameColumn, { name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData.', cell: (o) => count(o.data) + count(o.binaryData) }, ageColumn],
  },
  {
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', singular: 'lease', namespaced: true,
    shortNames: [], categories: [], schemaName: 'io.k8s.api.coordination.v1.Lease',
    description: 'A lock with an expiry: node heartbeats and leader election use it.',
    columns: [nameColumn, { name: 'Holder', type: 'string', description: 'Identity of the current holder.', cell: (o) => String((o.spec as { holderIdentity?: string } | undefined)?.holderIdentity ?? '') }, ageColumn],
  },
  {
    group: '', version: 'v1', kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true,
    shortNames: [], categories: [], schemaName: 'io.k8s.api.core.v1.Secret',
    description: 'Sensitive key-value data (passwords, tokens, keys), base64-encoded in data.',
    columns: [
      nameColumn,
      { name: 'Type', type: 'string', description: 'What the secret holds, e.g. Opaque or kubernetes.io/tls.', cell: (o) => String(o.type ?? '') },
      { name: 'Data', type: 'integer', description: 'Number of keys in data.', cell: (o) => count(o.data) },
      ageColumn,
    ],
  },
];

/** Top-level fields of a kind (besides apiVersion and kind); anything else is an unknown field. */
export function kindFields(type: ResourceType): string[] {
  return Object.keys(KIND_SCHEMAS[type.kind] ?? {});
}

/** apiVersion string of a type: "v1" for the core group, "group/version" otherwise. */
export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Finds a type by group, version and plural resource name. */
export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}
