// apiextensions.k8s.io/v1 CustomResourceDefinition. Serving the custom kinds it declares is the
// apiserver's job (engine/api/custom-types.ts); this file describes the CRD object itself.
import { nameColumn, column, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField, type Definitions } from '../schema.js';
import { crdErrors, defaultCrd } from './apiextensions-rules.js';
import { AX, AX_PROTO, SCHEMA_DEFINITIONS } from './apiextensions-schema.js';
import { createdAt } from './rbac-rules.js';

/** The CRD, its spec, versions and validation: the chain from the kind down to the schema. */
function crdChain(p: string): Definitions {
  return {
    [`${p}CustomResourceDefinition`]: def('Declares a custom kind: its group, names, scope, versions and their schemas. Named <plural>.<group>.', {
      metadata: metadataField(),
      spec: f.ref(2, `${p}CustomResourceDefinitionSpec`, 'The custom kind wanted.'),
      status: f.ref(3, `${AX}CustomResourceDefinitionStatus`, 'Whether the kind is served, and under which names.'),
    }),
    [`${p}CustomResourceDefinitionSpec`]: def('The custom kind a CRD declares.', {
      group: f.str(1, 'API group of the kind, a domain with at least one dot, e.g. example.com. Cannot be changed.'),
      names: f.ref(3, `${AX}CustomResourceDefinitionNames`, 'Names of the kind and its resource.'),
      scope: f.str(4, 'Namespaced or Cluster.', { enum: ['Cluster', 'Namespaced'] }),
      versions: f.list(7, 'Versions of the kind; exactly one is the storage version.', `${p}CustomResourceDefinitionVersion`, { listType: 'atomic' }),
      conversion: f.ref(9, `${AX}CustomResourceConversion`, 'How objects are converted between versions; None by default.'),
      preserveUnknownFields: f.bool(10, 'Deprecated: keep unknown fields everywhere; must be false (use x-kubernetes-preserve-unknown-fields in schemas).'),
    }),
    [`${p}CustomResourceDefinitionVersion`]: def('One version of a custom kind.', {
      name: f.str(1, 'Version name, e.g. v1 or v2beta1, served at /apis/<group>/<name>.'),
      served: f.bool(2, 'Whether the version is served.', { keepZero: true }),
      storage: f.bool(3, 'Whether objects are stored in this version; exactly one version is.', { keepZero: true }),
      deprecated: f.bool(7, 'Whether requests to this version get a deprecation warning.'),
      deprecationWarning: f.str(8, 'Warning returned instead of the default one; only for deprecated versions.'),
      schema: f.ref(4, `${p}CustomResourceValidation`, 'Schema objects of this version are validated, pruned and defaulted with.'),
      subresources: f.ref(5, `${AX}CustomResourceSubresources`, 'Subresources served: status and scale.'),
      additionalPrinterColumns: f.list(6, 'Extra columns of kubectl get; only Age when empty.', `${AX}CustomResourceColumnDefinition`, { listType: 'atomic' }),
      selectableFields: f.list(9, 'Fields usable in field selectors (at most 8).', `${AX}SelectableField`, { listType: 'atomic' }),
    }),
    [`${p}CustomResourceValidation`]: def('The schema of a CRD version.', {
      openAPIV3Schema: f.ref(1, `${p}JSONSchemaProps`, 'Structural OpenAPI v3 schema of the objects.'),
    }),
  };
}

const CRD_DEFINITIONS: Definitions = {
  ...crdChain(AX),
  ...crdChain(AX_PROTO),
  ...SCHEMA_DEFINITIONS,
  [`${AX}CustomResourceDefinitionNames`]: def('Names of a custom kind and its resource.', {
    plural: f.str(1, 'Plural lowercase resource name, used in URLs; the CRD is named <plural>.<group>.'),
    singular: f.str(2, 'Singular lowercase name; the lowercased kind by default.'),
    shortNames: f.list(3, 'Short lowercase names for kubectl, e.g. kubectl get <short>.', 'string', { listType: 'atomic' }),
    kind: f.str(4, 'Kind of the objects, usually CamelCase and singular.'),
    listKind: f.str(5, 'Kind of lists of the objects; <kind>List by default.'),
    categories: f.list(6, 'Groups of resources the kind belongs to, e.g. all (kubectl get all).', 'string', { listType: 'atomic' }),
  }),
  [`${AX}CustomResourceDefinitionStatus`]: def('Whether a CRD is served, and under which names.', {
    conditions: f.list(1, 'Observations: NamesAccepted, Established, Terminating.', `${AX}CustomResourceDefinitionCondition`, { listType: 'map', listMapKeys: ['type'] }),
    acceptedNames: f.ref(2, `${AX}CustomResourceDefinitionNames`, 'Names actually served; may differ from spec while names conflict.'),
    storedVersions: f.list(3, 'Versions objects have ever been stored in; trimmed by migration tools.', 'string', { listType: 'atomic' }),
  }),
  [`${AX}CustomResourceDefinitionCondition`]: def(
    'One observation about a CRD.',
    {
      type: f.str(1, 'What the condition is about: Established, NamesAccepted or Terminating.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastTransitionTime: f.time(3, 'When status last changed.'),
      reason: f.str(4, 'Why, in one CamelCase word.'),
      message: f.str(5, 'Why, for people.'),
    },
    { required: ['type', 'status'] },
  ),
  [`${AX}CustomResourceConversion`]: def('How custom objects are converted between versions.', {
    strategy: f.str(1, 'None (only apiVersion changes) or Webhook (a webhook converts).', { enum: ['None', 'Webhook'] }),
    webhook: f.ref(2, `${AX}WebhookConversion`, 'The conversion webhook; required with strategy Webhook.'),
  }),
  [`${AX}WebhookConversion`]: def('How to call a conversion webhook.', {
    clientConfig: f.ref(2, `${AX}WebhookClientConfig`, 'Where the webhook is and how to trust it.'),
    conversionReviewVersions: f.list(3, 'ConversionReview versions the webhook understands, preferred first (v1, v1beta1).', 'string', { listType: 'atomic' }),
  }),
  [`${AX}WebhookClientConfig`]: def('Where a webhook is (a URL or a service, not both) and how to trust its certificate.', {
    url: f.str(3, 'https URL of the webhook, for webhooks outside the cluster.'),
    service: f.ref(1, `${AX}ServiceReference`, 'Service of the webhook, for webhooks in the cluster.'),
    caBundle: f.bytes(2, 'PEM certificates that sign the webhook serving certificate; system roots when empty.'),
  }),
  [`${AX}ServiceReference`]: def('A service a webhook listens behind.', {
    namespace: f.str(1, 'Namespace of the service.'),
    name: f.str(2, 'Name of the service.'),
    path: f.str(3, 'URL path the webhook is called at.'),
    port: f.int32(4, 'Service port; 443 by default.', { keepZero: true }),
  }),
  [`${AX}CustomResourceSubresources`]: def('Subresources of a custom kind version.', {
    status: f.ref(1, `${AX}CustomResourceSubresourceStatus`, 'Serve /status: writes to the object ignore status, writes to /status ignore the rest.'),
    scale: f.ref(2, `${AX}CustomResourceSubresourceScale`, 'Serve /scale (an autoscaling/v1 Scale), for kubectl scale and autoscalers.'),
  }),
  [`${AX}CustomResourceSubresourceStatus`]: def('Turns on the status subresource; has no settings.', {}),
  [`${AX}CustomResourceSubresourceScale`]: def('Where the scale subresource reads and writes replica counts.', {
    specReplicasPath: f.str(1, 'JSON path under .spec of the desired replicas, e.g. .spec.replicas.'),
    statusReplicasPath: f.str(2, 'JSON path under .status of the current replicas, e.g. .status.replicas.'),
    labelSelectorPath: f.str(3, 'JSON path under .spec or .status of the pod selector in string form, for autoscalers.'),
  }),
  [`${AX}CustomResourceColumnDefinition`]: def('An extra column of kubectl get for a custom kind.', {
    name: f.str(1, 'Column header.'),
    type: f.str(2, 'OpenAPI type of the cells: integer, number, string, boolean or date.'),
    format: f.str(3, 'OpenAPI format of the cells, e.g. int64, date-time; name marks the name column.'),
    description: f.str(4, 'What the column shows.'),
    priority: f.int32(5, 'Importance: 0 shows always, higher only with -o wide.'),
    jsonPath: f.str(6, 'Simple JSON path of the value in each object, e.g. .spec.replicas.'),
  }),
  [`${AX}SelectableField`]: def(
    'A field custom objects can be selected by.',
    { jsonPath: f.str(1, 'Simple JSON path of a string, boolean or integer field, e.g. .spec.color.') },
    { required: ['jsonPath'] },
  ),
};

/** The apiextensions.k8s.io/v1 kinds. */
export const APIEXTENSIONS: TypeGroup = {
  resources: [
    {
      group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', singular: 'customresourcedefinition',
      namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], schemaName: `${AX}CustomResourceDefinition`, subresources: { status: true },
      description: 'Declares a custom kind: its group, names, scope, versions and their schemas. Named <plural>.<group>.',
      columns: [nameColumn, column('Created At', 'When the CRD was created.', createdAt, { type: 'date' })],
      defaults: defaultCrd,
      validate: crdErrors,
    },
  ],
  bodyKinds: [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', schemaName: `${AX_PROTO}CustomResourceDefinition` }],
  definitions: CRD_DEFINITIONS,
};

