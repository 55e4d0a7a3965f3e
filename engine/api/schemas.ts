// Field schemas of the served kinds, as data (OpenAPI v3 subset). Names and structure follow
// Kubernetes; descriptions are kubelab's own words.

/** The schema of one field. */
export interface FieldSchema {
  type?: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'number';
  format?: string;
  description: string;
  /** A named schema instead of an inline one. */
  ref?: string;
  items?: FieldSchema;
  additionalProperties?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

const str = (description: string): FieldSchema => ({ type: 'string', description });
const strMap = (description: string): FieldSchema => ({ type: 'object', description, additionalProperties: { type: 'string', description: '' } });
const bytesMap = (description: string): FieldSchema => ({ type: 'object', description, additionalProperties: { type: 'string', format: 'byte', description: '' } });

/** Named schemas shared by several kinds, keyed by their OpenAPI component name. */
export const SHARED_SCHEMAS: Record<string, FieldSchema> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    description: 'Standard metadata every stored object carries: identity, labels, annotations and lifecycle markers.',
    properties: {
      name: str('Name of the object, unique among objects of its kind in its namespace. Cannot be changed.'),
      generateName: str('Prefix the server completes with random characters to make a unique name when name is empty.'),
      namespace: str('Namespace the object lives in; empty for cluster-wide kinds.'),
      selfLink: str('Not used any more; always empty.'),
      uid: str('Identifier the server gives the object at creation, unique across time and never reused.'),
      resourceVersion: str('Opaque version of the object, changed by every write. Send it back on updates to detect concurrent changes.'),
      generation: { type: 'integer', format: 'int64', description: 'Counter of changes to the desired state (spec), set by the server.' },
      creationTimestamp: { type: 'string', format: 'date-time', description: 'When the server stored the object first (UTC, RFC 3339).' },
      deletionTimestamp: { type: 'string', format: 'date-time', description: 'When deletion was requested; the object goes once its finalizers are done.' },
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64', description: 'Seconds the object is given to shut down before it is removed.' },
      labels: strMap('Key-value pairs for selecting and grouping objects.'),
      annotations: strMap('Key-value pairs for tools and people; not used for selection.'),
      ownerReferences: {
        type: 'array',
        description: 'Objects this one belongs to; it is garbage-collected when they are gone.',
        items: {
          type: 'object',
          description: 'A reference to an owning object.',
          required: ['apiVersion', 'kind', 'name', 'uid'],
          properties: {
            apiVersion: str('API version of the owner.'),
            kind: str('Kind of the owner.'),
            name: str('Name of the owner.'),
            uid: str('UID of the owner.'),
            controller: { type: 'boolean', description: 'Whether the owner is the managing controller.' },
            blockOwnerDeletion: { type: 'boolean', description: 'Whether foreground deletion of the owner waits for this object.' },
          },
        },
      },
      finalizers: { type: 'array', description: 'Names of cleanups that must finish before the object is removed.', items: str('') },
      managedFields: { type: 'array', description: 'Which manager set which fields (server-side apply bookkeeping).', items: { type: 'object', description: 'One manager\'s fields.' } },
    },
  },
};

const meta: FieldSchema = { ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: 'Standard object metadata.' };

/** Top-level fields of each kind besides apiVersion and kind. */
export const KIND_SCHEMAS: Record<string, Record<string, FieldSchema>> = {
  Namespace: {
    metadata: meta,
    spec: {
      type: 'object',
      description: 'What the namespace should be.',
      properties: { finalizers: { type: 'array', description: 'Cleanups that must finish before the namespace is removed.', items: str('') } },
    },
    status: {
      type: 'object',
      description: 'What the namespace is now.',
      properties: { phase: str('Active, or Terminating while its contents are being removed.') },
    },
  },
  ConfigMap: {
    metadata: meta,
    data: strMap('Configuration values as UTF-8 strings, by key. Keys are letters, digits, "-", "_" and ".".'),
    binaryData: bytesMap('Configuration values as base64-encoded bytes, by key; keys may not repeat those in data.'),
    immutable: { type: 'boolean', description: 'When true, data and binaryData can no longer be changed (the object can still be deleted).' },
  },
  Lease: {
    metadata: meta,
    spec: {
      type: 'object',
      description: 'Who holds the lease and until when.',
      properties: {
        holderIdentity: str('Identity of the current holder.'),
        leaseDurationSeconds: { type: 'integer', format: 'int32', description: 'Seconds others wait after the last renewal before taking the lease.' },
        acquireTime: { type: 'string', format: 'date-time', description: 'When the current holder took the lease (microsecond precision).' },
        renewTime: { type: 'string', format: 'date-time', description: 'When the holder last renewed the lease (microsecond precision).' },
        leaseTransitions: { type: 'integer', format: 'int32', description: 'How many times the lease has changed hands.' },
        strategy: str('How the holder is chosen for coordinated leader election.'),
        preferredHolder: str('Holder the lease should move to, for coordinated leader election.'),
      },
    },
  },
  Secret: {
    metadata: meta,
    data: bytesMap('Secret values as base64-encoded bytes, by key.'),
    stringData: strMap('Write-only convenience: plain string values, merged into data (base64-encoded) when stored.'),
    type: str('What the secret holds, e.g. Opaque (the default) or kubernetes.io/tls.'),
    immutable: { type: 'boolean', description: 'When true, data can no longer be changed.' },
  },
};

/** Field names of ObjectMeta. */
export const META_FIELDS = Object.keys(SHARED_SCHEMAS['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!);
