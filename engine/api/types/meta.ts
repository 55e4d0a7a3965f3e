// Shared value types of every API group (k8s.io/apimachinery): metadata, selectors, conditions,
// quantities, times.
import { CONDITION, def, f, INT_OR_STRING, LABEL_SELECTOR, LIST_META, MICRO_TIME, OBJECT_META, QUANTITY, TIME, type Definitions } from '../schema.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Named schemas of k8s.io/apimachinery. */
export const META_DEFINITIONS: Definitions = {
  [QUANTITY]: {
    type: 'string',
    protoKind: 'quantity',
    intOrString: true,
    description: 'An amount with an optional suffix: decimal (k, M, G, m for milli) or binary (Ki, Mi, Gi). Numbers are accepted too.',
  },
  [INT_OR_STRING]: { type: 'string', format: 'int-or-string', intOrString: true, protoKind: 'intOrString', description: 'Either a whole number or a string, e.g. a port number or a port name, or a count or a percentage.' },
  [TIME]: { type: 'string', format: 'date-time', protoKind: 'time', description: 'A point in time in RFC 3339 form, to the second, in UTC.' },
  [MICRO_TIME]: { type: 'string', format: 'date-time', protoKind: 'microtime', description: 'A point in time in RFC 3339 form with microseconds, in UTC.' },
  [OBJECT_META]: def('Standard metadata every stored object carries: identity, labels, annotations and lifecycle markers.', {
    name: f.str(1, 'Name of the object, unique among objects of its kind in its namespace. Cannot be changed.'),
    generateName: f.str(2, 'Prefix the server completes with random characters to make a unique name when name is empty.'),
    namespace: f.str(3, 'Namespace the object lives in; empty for cluster-wide kinds.'),
    selfLink: f.str(4, 'Not used any more; always empty.'),
    uid: f.str(5, 'Identifier the server gives the object at creation, unique across time and never reused.'),
    resourceVersion: f.str(6, 'Opaque version of the object, changed by every write. Send it back on updates to detect concurrent changes.'),
    generation: f.int64(7, 'Counter of changes to the desired state (spec), set by the server.'),
    creationTimestamp: f.time(8, 'When the server stored the object first (UTC, RFC 3339).'),
    deletionTimestamp: f.time(9, 'When deletion was requested; the object goes once its finalizers are done.'),
    deletionGracePeriodSeconds: f.int64(10, 'Seconds the object is given to shut down before it is removed.', { keepZero: true }),
    labels: f.map(11, 'Key-value pairs for selecting and grouping objects.', 'string'),
    annotations: f.map(12, 'Key-value pairs for tools and people; not used for selection.', 'string'),
    ownerReferences: f.list(13, 'Objects this one belongs to; it is garbage-collected when they are all gone.', `${META}OwnerReference`, { mergeKey: 'uid' }),
    finalizers: f.list(14, 'Names of cleanups that must finish before the object is removed.', 'string', { listType: 'set', patchStrategy: 'merge' }),
    managedFields: f.list(17, 'Which manager set which fields (server-side apply bookkeeping).', `${META}ManagedFieldsEntry`, { listType: 'atomic' }),
  }),
  [`${META}OwnerReference`]: def(
    'A reference to an owning object, which must be in the same namespace (or cluster-wide).',
    {
      apiVersion: f.str(5, 'API version of the owner.'),
      kind: f.str(1, 'Kind of the owner.'),
      name: f.str(3, 'Name of the owner.'),
      uid: f.str(4, 'UID of the owner.'),
      controller: f.bool(6, 'Whether the owner is the managing controller; at most one owner is.', { keepZero: true }),
      blockOwnerDeletion: f.bool(7, 'Whether foreground deletion of the owner waits for this object to be gone.', { keepZero: true }),
    },
    { required: ['apiVersion', 'kind', 'name', 'uid'], mapType: 'atomic' },
  ),
  [`${META}ManagedFieldsEntry`]: def('The set of fields one manager owns, recorded by server-side apply and updates.', {
    manager: f.str(1, 'Name of the manager (the client, or the fieldManager parameter).'),
    operation: f.str(2, 'Apply or Update: how the fields came to be owned.'),
    apiVersion: f.str(3, 'API version the field set refers to.'),
    time: f.time(4, 'When the manager last changed these fields.'),
    fieldsType: f.str(6, 'Format of fieldsV1; always FieldsV1.'),
    fieldsV1: f.json(7, 'The owned fields as a trie of f:/k:/v: keys.'),
    subresource: f.str(8, 'Subresource the change was made through, e.g. status; empty for the main resource.'),
  }),
  [LIST_META]: def('Metadata of a list answer.', {
    selfLink: f.str(1, 'Not used any more; always empty.'),
    resourceVersion: f.str(2, 'Version of the store the list was read at; watch from it to see later changes.'),
    continue: f.str(3, 'Token for the next page when the list was cut short by limit.'),
    remainingItemCount: f.int64(4, 'How many more items a paged list holds (an estimate when filtering).'),
  }),
  [LABEL_SELECTOR]: def(
    'Picks objects by labels: all of matchLabels and all of matchExpressions must hold. An empty selector matches everything.',
    {
      matchLabels: f.map(1, 'Labels that must be present with exactly these values.', 'string'),
      matchExpressions: f.list(2, 'Conditions on labels that must all hold.', `${META}LabelSelectorRequirement`, { listType: 'atomic' }),
    },
    { mapType: 'atomic' },
  ),
  [`${META}LabelSelectorRequirement`]: def(
    'One condition on a label.',
    {
      key: f.str(1, 'The label key.'),
      operator: f.str(2, 'In, NotIn, Exists or DoesNotExist.'),
      values: f.list(3, 'Values for In and NotIn; empty for Exists and DoesNotExist.', 'string', { listType: 'atomic' }),
    },
    { required: ['key', 'operator'] },
  ),
  [CONDITION]: def(
    'One aspect of an object\'s current state, as the controllers see it.',
    {
      type: f.str(1, 'What the condition is about, in CamelCase, e.g. Available.'),
      status: f.str(2, 'True, False or Unknown.'),
      observedGeneration: f.int64(3, 'The metadata.generation the condition was computed from.'),
      lastTransitionTime: f.time(4, 'When status last changed.'),
      reason: f.str(5, 'Why, in one CamelCase word.'),
      message: f.str(6, 'Why, for people.'),
    },
    { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
  ),
};
