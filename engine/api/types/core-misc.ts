// core/v1 ServiceAccount, ComponentStatus and ReplicationController.
import { labelMapErrors, nonNegative, selectorMatches } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';
import { formatLabels, rec, recs } from './core-checks.js';
import { defaultPodTemplate, podTemplateErrors } from './pod-rules.js';

const CORE = 'io.k8s.api.core.v1.';

/** The Status, Message and Error cells of `kubectl get componentstatuses`, from the Healthy condition. */
export function componentHealth(obj: ApiObject): { status: string; message: string; error: string } {
  const healthy = recs(obj.conditions).find((c) => c.type === 'Healthy');
  if (!healthy) return { status: 'Unknown', message: '', error: '' };
  return { status: healthy.status === 'True' ? 'Healthy' : 'Unhealthy', message: String(healthy.message ?? ''), error: String(healthy.error ?? '') };
}

/** Fills a ReplicationController's defaults: one replica; selector and labels from the pod template's labels. */
export function defaultReplicationController(rc: ApiObject): void {
  const spec = rec(rc.spec);
  rc.spec = spec;
  const labels = rec(rec(spec.template).metadata).labels as Record<string, string> | undefined;
  if (labels) {
    if (Object.keys(rec(spec.selector)).length === 0) spec.selector = { ...labels };
    if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
  }
  spec.replicas ??= 1;
  if (spec.template !== undefined) defaultPodTemplate(rec(spec.template));
}

/** Everything wrong with a ReplicationController: a non-empty selector matching the template, counts ≥ 0, pods that always restart. */
export function replicationControllerErrors(rc: ApiObject): FieldError[] {
  const spec = rec(rc.spec);
  const errs = [...nonNegative('spec.minReadySeconds', spec.minReadySeconds), ...nonNegative('spec.replicas', spec.replicas)];
  const selector = rec(spec.selector) as Record<string, string>;
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  errs.push(...labelMapErrors('spec.selector', spec.selector));
  if (spec.template === undefined) return [...errs, required('spec.template')];
  const template = rec(spec.template);
  const labels = rec(rec(template.metadata).labels) as Record<string, string>;
  if (Object.keys(selector).length > 0 && !selectorMatches({ matchLabels: selector }, labels)) {
    errs.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...podTemplateErrors('spec.template', template));
  const podSpec = rec(template.spec);
  if (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined) errs.push(forbiddenValue('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  return errs;
}

const containers = (o: ApiObject) => recs(rec(rec(rec(o.spec).template).spec).containers);

/** ServiceAccount, ComponentStatus and ReplicationController. */
export const CORE_MISC: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', singular: 'serviceaccount', namespaced: true,
      shortNames: ['sa'], categories: [], schemaName: `${CORE}ServiceAccount`,
      description: 'An identity for processes in pods, which the API server can authenticate and authorize.',
      columns: [nameColumn, column('Secrets', 'Number of secrets listed by the account.', (o) => recs(o.secrets).length, { type: 'integer' }), ageColumn],
    },
    {
      group: '', version: 'v1', kind: 'ComponentStatus', resource: 'componentstatuses', singular: 'componentstatus', namespaced: false,
      shortNames: ['cs'], categories: [], schemaName: `${CORE}ComponentStatus`, verbs: ['get', 'list'],
      description: 'Health of a control-plane component (deprecated).',
      columns: [
        nameColumn,
        column('Status', 'Healthy, Unhealthy or Unknown.', (o) => componentHealth(o).status),
        column('Message', 'What the health check said.', (o) => componentHealth(o).message),
        column('Error', 'What went wrong with the health check.', (o) => componentHealth(o).error),
      ],
    },
    {
      group: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers', singular: 'replicationcontroller', namespaced: true,
      shortNames: ['rc'], categories: ['all'], schemaName: `${CORE}ReplicationController`,
      subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' } },
      description: 'Keeps a number of pod replicas running (the older form of a ReplicaSet).',
      columns: [
        nameColumn,
        column('Desired', 'Replicas asked for.', (o) => Number(rec(o.spec).replicas ?? 0), { type: 'integer' }),
        column('Current', 'Replicas that exist.', (o) => Number(rec(o.status).replicas ?? 0), { type: 'integer' }),
        column('Ready', 'Replicas that are ready.', (o) => Number(rec(o.status).readyReplicas ?? 0), { type: 'integer' }),
        ageColumn,
        column('Containers', 'Names of the containers in the template.', (o) => containers(o).map((c) => c.name).join(','), { wide: true }),
        column('Images', 'Images of the containers in the template.', (o) => containers(o).map((c) => c.image).join(','), { wide: true }),
        column('Selector', 'Labels of the pods it manages.', (o) => formatLabels(rec(o.spec).selector), { wide: true }),
      ],
      defaults: defaultReplicationController,
      validate: replicationControllerErrors,
    },
  ],
  definitions: {
    [`${CORE}ServiceAccount`]: def('An identity for processes in pods, which the API server can authenticate and authorize.', {
      metadata: metadataField(),
      secrets: f.list(2, 'Secrets pods of this account may use (enforced only with the kubernetes.io/enforce-mountable-secrets annotation).', `${CORE}ObjectReference`, {
        mergeKey: 'name',
      }),
      imagePullSecrets: f.list(3, 'Secrets for pulling images, added to pods of this account.', `${CORE}LocalObjectReference`, { listType: 'atomic' }),
      automountServiceAccountToken: f.bool(4, "Whether pods of this account get an API token mounted; pods can override it.", { keepZero: true }),
    }),
    [`${CORE}ComponentStatus`]: def('Health of a control-plane component (deprecated).', {
      metadata: metadataField(),
      conditions: f.list(2, 'Observations about the component.', `${CORE}ComponentCondition`, { mergeKey: 'type' }),
    }),
    [`${CORE}ComponentCondition`]: def(
      'One observation about a component.',
      {
        type: f.str(1, 'What the condition is about; only Healthy.'),
        status: f.str(2, 'True, False or Unknown.'),
        message: f.str(3, 'What the health check said.'),
        error: f.str(4, 'What went wrong with the health check.'),
      },
      { required: ['type', 'status'] },
    ),
    [`${CORE}ReplicationController`]: def('Keeps a number of pod replicas running (the older form of a ReplicaSet).', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}ReplicationControllerSpec`, 'How many pods, of which template.'),
      status: f.ref(3, `${CORE}ReplicationControllerStatus`, 'How many pods there are.'),
    }),
    [`${CORE}ReplicationControllerSpec`]: def('How many pods a replication controller keeps, of which template.', {
      replicas: f.int32(1, 'Number of pods to keep; default 1.', { keepZero: true }),
      minReadySeconds: f.int32(4, 'Seconds a new pod must be ready, without crashing, to count as available.'),
      selector: f.map(2, 'Labels of the pods it manages; defaults to the template labels.', 'string', { mapType: 'atomic' }),
      template: f.ref(3, `${CORE}PodTemplateSpec`, 'The pods to create; their restartPolicy must be Always.'),
    }),
    [`${CORE}ReplicationControllerStatus`]: def('How many pods a replication controller has.', {
      replicas: f.int32(1, 'Pods that exist.'),
      fullyLabeledReplicas: f.int32(2, 'Pods whose labels match the template labels.'),
      readyReplicas: f.int32(4, 'Pods that are ready.'),
      availableReplicas: f.int32(5, 'Pods that have been ready for minReadySeconds.'),
      observedGeneration: f.int64(3, 'The generation the status was computed for.'),
      conditions: f.list(6, 'Observations about the controller.', `${CORE}ReplicationControllerCondition`, { mergeKey: 'type' }),
    }),
    [`${CORE}ReplicationControllerCondition`]: def('One observation about a replication controller.', {
      type: f.str(1, 'What the condition is about, e.g. ReplicaFailure.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastTransitionTime: f.time(3, 'When status last changed.'),
      reason: f.str(4, 'Why, in one CamelCase word.'),
      message: f.str(5, 'Why, for people.'),
    }),
  },
};
