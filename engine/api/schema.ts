// The vocabulary the served types are written in: one FieldSchema per field, carrying its JSON
// type, its protobuf field number, its list/map merge semantics and its description. OpenAPI,
// validation, protobuf decoding, strategic merge patch and server-side apply all read it.

/** How a field is encoded in protobuf when its JSON type alone does not say. */
export type ProtoKind = 'quantity' | 'intOrString' | 'time' | 'microtime' | 'duration' | 'rawjson' | 'bytes' | 'double';

/** The schema of one field (an OpenAPI v3 subset plus Kubernetes' extensions). */
export interface FieldSchema {
  type?: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'number';
  format?: string;
  description: string;
  /** A named schema (its OpenAPI component name) instead of an inline one. */
  ref?: string;
  items?: FieldSchema;
  additionalProperties?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  /** Names of properties that must be present (objects only). */
  required?: string[];
  enum?: string[];
  /** Protobuf field number inside the parent message. */
  proto?: number;
  /** Protobuf encoding when the JSON type does not determine it. */
  protoKind?: ProtoKind;
  /** Keep a zero value decoded from protobuf (Go pointer fields: `replicas: 0` means zero, not unset). */
  keepZero?: boolean;
  /** x-kubernetes-list-type. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys (listType map). */
  listMapKeys?: string[];
  /** x-kubernetes-map-type. */
  mapType?: 'atomic' | 'granular';
  /** Strategic merge patch: x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key. */
  patchStrategy?: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
  patchMergeKey?: string;
  /** x-kubernetes-int-or-string: a number or a string. */
  intOrString?: boolean;
  /** x-kubernetes-preserve-unknown-fields: any JSON is kept as it is. */
  preserveUnknown?: boolean;
  /** x-kubernetes-embedded-resource (CRD schemas). */
  embeddedResource?: boolean;
  /**
   * Messages protobuf nests but JSON flattens into this object (Go's `json:",inline"` embedding,
   * e.g. Volume's VolumeSource at field 2): nested field number → this object's JSON field → its
   * number inside the nested message.
   */
  protoEmbedded?: EmbeddedProto;
  /** JSON default (CRD schemas; built-in defaults live in code). */
  default?: unknown;
  /** CRD structural-schema validation keywords. */
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

/** Where protobuf nests fields JSON shows flat: nested message number → JSON field → number inside it. */
export type EmbeddedProto = Record<number, Record<string, number>>;

/** Extra attributes a builder accepts. */
export type Extra = Partial<Omit<FieldSchema, 'description' | 'proto'>>;

/** Merge semantics of a list: how strategic merge patch and apply treat its items. */
export interface ListOpts extends Extra {
  /** The item field identifying an item (x-kubernetes-patch-merge-key). Sets listType map and strategy merge unless given. */
  mergeKey?: string;
}

const field = (proto: number, description: string, base: Omit<FieldSchema, 'description'>, extra?: Extra): FieldSchema => ({
  ...base,
  ...extra,
  description,
  ...(proto ? { proto } : {}),
});

/** Item or value schemas by short name; anything else is a named schema reference. */
function itemSchema(of: string | FieldSchema): FieldSchema {
  if (typeof of !== 'string') return of;
  switch (of) {
    case 'string':
      return { type: 'string', description: '' };
    case 'bytes':
      return { type: 'string', format: 'byte', description: '', protoKind: 'bytes' };
    case 'int32':
      return { type: 'integer', format: 'int32', description: '' };
    case 'int64':
      return { type: 'integer', format: 'int64', description: '' };
    case 'quantity':
      return { ref: QUANTITY, description: '' };
    default:
      return { ref: of, description: '' };
  }
}

/** OpenAPI names of the shared value types. */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
export const LABEL_SELECTOR = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector';
export const CONDITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition';

/**
 * Field builders. Every builder takes the field's protobuf number first (0 when the field has
 * none, e.g. for CRD-only schemas), then its description in kubelab's words.
 */
export const f = {
  str: (n: number, d: string, x?: Extra) => field(n, d, { type: 'string' }, x),
  int32: (n: number, d: string, x?: Extra) => field(n, d, { type: 'integer', format: 'int32' }, x),
  int64: (n: number, d: string, x?: Extra) => field(n, d, { type: 'integer', format: 'int64' }, x),
  double: (n: number, d: string, x?: Extra) => field(n, d, { type: 'number', format: 'double', protoKind: 'double' }, x),
  bool: (n: number, d: string, x?: Extra) => field(n, d, { type: 'boolean' }, x),
  bytes: (n: number, d: string, x?: Extra) => field(n, d, { type: 'string', format: 'byte', protoKind: 'bytes' }, x),
  time: (n: number, d: string, x?: Extra) => field(n, d, { ref: TIME }, x),
  microTime: (n: number, d: string, x?: Extra) => field(n, d, { ref: MICRO_TIME }, x),
  duration: (n: number, d: string, x?: Extra) => field(n, d, { type: 'string', protoKind: 'duration' }, x),
  quantity: (n: number, d: string, x?: Extra) => field(n, d, { ref: QUANTITY }, x),
  intOrString: (n: number, d: string, x?: Extra) => field(n, d, { ref: INT_OR_STRING }, x),
  /** Arbitrary JSON kept as it is (RawExtension, apiextensions JSON). */
  json: (n: number, d: string, x?: Extra) => field(n, d, { type: 'object', preserveUnknown: true, protoKind: 'rawjson' }, x),
  /** A named schema. */
  ref: (n: number, name: string, d: string, x?: Extra) => field(n, d, { ref: name }, x),
  /** An inline object. */
  obj: (n: number, d: string, properties: Record<string, FieldSchema>, x?: Extra) => field(n, d, { type: 'object', properties }, x),
  /** A map from string keys to values of `of` ('string', 'bytes', 'quantity' or a named schema). */
  map: (n: number, d: string, of: string | FieldSchema, x?: Extra) => field(n, d, { type: 'object', additionalProperties: itemSchema(of) }, x),
  /** A list of `of` ('string', 'int32', 'int64', 'bytes' or a named schema). */
  list: (n: number, d: string, of: string | FieldSchema, opts: ListOpts = {}): FieldSchema => {
    const { mergeKey, ...x } = opts;
    const merge: Extra = mergeKey ? { patchMergeKey: mergeKey, patchStrategy: 'merge', listType: 'map', listMapKeys: [mergeKey] } : {};
    return field(n, d, { type: 'array', items: itemSchema(of) }, { ...merge, ...x });
  },
};

/** A named schema: an object with properties, in kubelab's words. */
export function def(description: string, properties: Record<string, FieldSchema>, x?: Extra): FieldSchema {
  return { type: 'object', description, properties, ...x };
}

/** Metadata field every kind has, as field 1. */
export const metadataField = (): FieldSchema => f.ref(1, OBJECT_META, "Standard object metadata: name, namespace, labels, annotations and the server's bookkeeping.");

/** Named schemas, keyed by OpenAPI component name. */
export type Definitions = Record<string, FieldSchema>;
