// What the registry knows about one served type: names, scope, printer columns, and the hooks
// for defaulting and validation that are particular to the kind.
import type { FieldError } from './field-error.js';

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
  /** Verbs served (discovery); every verb when absent. */
  verbs?: string[];
  /** Subresources served besides the object itself. */
  subresources?: { status?: boolean; scale?: ScalePaths };
  /** For a version kept in another version's store: how objects convert (apiserver reads and writes through it). */
  conversion?: import('./conversion.js').Conversion;
  /** What names must look like: a DNS subdomain (the default), a DNS label, or any path segment. */
  nameFormat?: 'subdomain' | 'label' | 'path-segment';
  /** Served from a CustomResourceDefinition. */
  custom?: boolean;
  /** Keep the status a client sends on create (Nodes register with theirs); otherwise it is cleared. */
  createWithStatus?: boolean;
  /** Kind-specific defaults, applied after the generic ones on create and update; `old` on updates. */
  defaults?(obj: ApiObject, old?: ApiObject): void;
  /** Kind-specific validation; `old` is the stored object on updates. */
  validate?(obj: ApiObject, old?: ApiObject): FieldError[];
}

/** Where a kind keeps the numbers the scale subresource reads and writes (dotted paths). */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** The types of one API group (or part of one), with the named schemas they use. */
export interface TypeGroup {
  resources: ResourceType[];
  definitions: Record<string, import('./schema.js').FieldSchema>;
  /** Schemas whose JSON flattens messages protobuf nests (by schema name), for protobuf decoding. */
  embeddedProto?: Record<string, import('./schema.js').EmbeddedProto>;
  /** Kinds that are sent as request bodies but not stored as resources (Scale, Eviction, Binding…), for protobuf decoding; apiVersion '*' matches any. */
  bodyKinds?: { apiVersion: string; kind: string; schemaName: string }[];
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

/** The Name column every table starts with. */
export const nameColumn: Column = { name: 'Name', type: 'string', description: 'Name of the object, unique in its namespace.', cell: (o) => o.metadata.name };
/** The Age column. */
export const ageColumn: Column = { name: 'Age', type: 'date', description: 'Time since the object was created.', cell: (o) => age(o.metadata.creationTimestamp) };
/** Number of keys of a map (0 when absent). */
export const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

/** A printer column reading `cell`; `wide` ones show only with `-o wide`. */
export function column(name: string, description: string, cell: (o: ApiObject) => string | number | undefined, opts: { type?: Column['type']; wide?: boolean } = {}): Column {
  return { name, type: opts.type ?? 'string', description, ...(opts.wide ? { wide: true } : {}), cell: (o) => cell(o) ?? '' };
}

/** The value at a dotted path of an object (`spec.replicas`), or undefined. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

