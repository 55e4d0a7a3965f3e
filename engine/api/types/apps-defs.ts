// Named schemas of apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
import { def, f, LABEL_SELECTOR, metadataField, type Definitions } from '../schema.js';

const APPS = 'io.k8s.api.apps.v1.';
const CORE = 'io.k8s.api.core.v1.';
const TEMPLATE = `${CORE}PodTemplateSpec`;

/** A workload condition with the usual five fields (numbers as apps/v1 gives them). */
const condition = (what: string) =>
  def(
    `One observation about a ${what}.`,
    {
      type: f.str(1, 'What the condition is about.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastTransitionTime: f.time(3, 'When status last changed.'),
      reason: f.str(4, 'Why, in one CamelCase word.'),
      message: f.str(5, 'Why, for people.'),
    },
    { required: ['type', 'status'] },
  );

const conditions = (n: number, what: string) => f.list(n, `The controller's latest observations about the ${what}.`, `${APPS}${what}Condition`, { mergeKey: 'type' });

/** Named schemas of apps/v1. */
export const APPS_DEFINITIONS: Definitions = {
  [`${APPS}Deployment`]: def('Keeps a number of identical pods running through ReplicaSets and rolls out changes to them gradually.', {
    metadata: metadataField(),
    spec: f.ref(2, `${APPS}DeploymentSpec`, 'The pods to run and how changes roll out.'),
    status: f.ref(3, `${APPS}DeploymentStatus`, 'What the deployment controller last saw.'),
  }),
  [`${APPS}DeploymentSpec`]: def(
    'The pods a deployment runs and how changes roll out.',
    {
      replicas: f.int32(1, 'How many pods to run; 1 when unset.', { keepZero: true }),
      selector: f.ref(2, LABEL_SELECTOR, 'Which pods belong to the deployment. Must match the template labels; cannot change after creation.'),
      template: f.ref(3, TEMPLATE, 'The pods to create. Their restartPolicy must be Always.'),
      strategy: f.ref(4, `${APPS}DeploymentStrategy`, 'How running pods are replaced by new ones.', { patchStrategy: 'retainKeys' }),
      minReadySeconds: f.int32(5, 'Seconds a new pod must stay ready before it counts as available; 0 when unset.'),
      revisionHistoryLimit: f.int32(6, 'How many old ReplicaSets to keep for rollbacks; 10 when unset.', { keepZero: true }),
      paused: f.bool(7, 'When true, template changes are not rolled out until the deployment is resumed.'),
      progressDeadlineSeconds: f.int32(9, 'Seconds a rollout may go without progress before it is reported as stalled; 600 when unset.', { keepZero: true }),
    },
    { required: ['selector'] },
  ),
  [`${APPS}DeploymentStrategy`]: def('How a deployment replaces running pods with new ones.', {
    type: f.str(1, 'RollingUpdate (the default) replaces pods a few at a time; Recreate stops all old pods before starting new ones.', { enum: ['Recreate', 'RollingUpdate'] }),
    rollingUpdate: f.ref(2, `${APPS}RollingUpdateDeployment`, 'Limits of a rolling update; only with type RollingUpdate.'),
  }),
  [`${APPS}RollingUpdateDeployment`]: def('How fast a rolling update may go.', {
    maxUnavailable: f.intOrString(1, 'How many pods (a number, or a percentage rounded down) may be unavailable during the update; 25% when unset. Not 0 when maxSurge is 0.', { keepZero: true }),
    maxSurge: f.intOrString(2, 'How many pods (a number, or a percentage rounded up) may run above the desired count during the update; 25% when unset.', { keepZero: true }),
  }),
  [`${APPS}DeploymentStatus`]: def('What the deployment controller last saw.', {
    observedGeneration: f.int64(1, 'The metadata.generation this status describes.'),
    replicas: f.int32(2, 'Pods (not terminating) that the selector matches.'),
    updatedReplicas: f.int32(3, 'Pods (not terminating) that run the current template.'),
    readyReplicas: f.int32(7, 'Pods (not terminating) that are ready.'),
    availableReplicas: f.int32(4, 'Pods (not terminating) that have been ready for at least minReadySeconds.'),
    unavailableReplicas: f.int32(5, 'Pods still missing before the deployment is fully available.'),
    terminatingReplicas: f.int32(9, 'Pods that are shutting down (alpha: filled only with the DeploymentPodReplacementPolicy feature).', { keepZero: true }),
    conditions: conditions(6, 'Deployment'),
    collisionCount: f.int32(8, 'Counter that makes new ReplicaSet names unique after hash collisions.', { keepZero: true }),
  }),
  [`${APPS}DeploymentCondition`]: def(
    'One observation about a deployment, e.g. Available or Progressing.',
    {
      type: f.str(1, 'What the condition is about: Available, Progressing or ReplicaFailure.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastUpdateTime: f.time(6, 'When the condition was last written.'),
      lastTransitionTime: f.time(7, 'When status last changed.'),
      reason: f.str(4, 'Why, in one CamelCase word.'),
      message: f.str(5, 'Why, for people.'),
    },
    { required: ['type', 'status'] },
  ),

  [`${APPS}ReplicaSet`]: def('Keeps a number of pods matching its selector running.', {
    metadata: metadataField(),
    spec: f.ref(2, `${APPS}ReplicaSetSpec`, 'How many pods to keep and what they look like.'),
    status: f.ref(3, `${APPS}ReplicaSetStatus`, 'What the ReplicaSet controller last saw.'),
  }),
  [`${APPS}ReplicaSetSpec`]: def(
    'How many pods a ReplicaSet keeps and what they look like.',
    {
      replicas: f.int32(1, 'How many pods to run; 1 when unset.', { keepZero: true }),
      minReadySeconds: f.int32(4, 'Seconds a new pod must stay ready before it counts as available; 0 when unset.'),
      selector: f.ref(2, LABEL_SELECTOR, 'Which pods belong to the ReplicaSet. Must match the template labels.'),
      template: f.ref(3, TEMPLATE, 'The pods to create when too few are running.'),
    },
    { required: ['selector'] },
  ),
  [`${APPS}ReplicaSetStatus`]: def('What the ReplicaSet controller last saw.', {
    replicas: f.int32(1, 'Pods (not terminating) that the selector matches.', { keepZero: true }),
    fullyLabeledReplicas: f.int32(2, 'Pods (not terminating) whose labels match all the template labels.'),
    readyReplicas: f.int32(4, 'Pods (not terminating) that are ready.'),
    availableReplicas: f.int32(5, 'Pods (not terminating) that have been ready for at least minReadySeconds.'),
    terminatingReplicas: f.int32(7, 'Pods that are shutting down (alpha: filled only with the DeploymentPodReplacementPolicy feature).', { keepZero: true }),
    observedGeneration: f.int64(3, 'The metadata.generation this status describes.'),
    conditions: conditions(6, 'ReplicaSet'),
  }),
  [`${APPS}ReplicaSetCondition`]: condition('ReplicaSet, e.g. ReplicaFailure'),

  [`${APPS}StatefulSet`]: def('Runs pods with stable names, network identities and storage, created and replaced in order.', {
    metadata: metadataField(),
    spec: f.ref(2, `${APPS}StatefulSetSpec`, 'The pods, their storage and how they are updated.'),
    status: f.ref(3, `${APPS}StatefulSetStatus`, 'What the StatefulSet controller last saw.'),
  }),
  [`${APPS}StatefulSetSpec`]: def(
    'The pods of a StatefulSet, their storage and how they are updated.',
    {
      replicas: f.int32(1, 'How many pods to run; 1 when unset.', { keepZero: true }),
      selector: f.ref(2, LABEL_SELECTOR, 'Which pods belong to the set. Must match the template labels.'),
      template: f.ref(3, TEMPLATE, 'The pods to create; pod N of set "web" is named web-N. Their restartPolicy must be Always.'),
      volumeClaimTemplates: f.list(4, 'Claims each pod gets its own copy of, named <claim>-<pod>; mounted by name like volumes.', `${CORE}PersistentVolumeClaim`, { listType: 'atomic' }),
      serviceName: f.str(5, 'Headless service that gives the pods their DNS names (pod.service.namespace.svc).'),
      podManagementPolicy: f.str(6, 'OrderedReady (the default) starts and stops pods one at a time in order; Parallel does all at once.', { enum: ['OrderedReady', 'Parallel'] }),
      updateStrategy: f.ref(7, `${APPS}StatefulSetUpdateStrategy`, 'How pods are replaced when the template changes.'),
      revisionHistoryLimit: f.int32(8, 'How many old revisions to keep; 10 when unset.', { keepZero: true }),
      minReadySeconds: f.int32(9, 'Seconds a new pod must stay ready before it counts as available; 0 when unset.'),
      persistentVolumeClaimRetentionPolicy: f.ref(10, `${APPS}StatefulSetPersistentVolumeClaimRetentionPolicy`, 'What happens to the claims from volumeClaimTemplates when the set is deleted or scaled down.'),
      ordinals: f.ref(11, `${APPS}StatefulSetOrdinals`, 'How the pods are numbered.'),
    },
    { required: ['selector'] },
  ),
  [`${APPS}StatefulSetUpdateStrategy`]: def('How a StatefulSet replaces pods when its template changes.', {
    type: f.str(1, 'RollingUpdate (the default) replaces pods in reverse order; OnDelete waits until each pod is deleted by hand.', { enum: ['OnDelete', 'RollingUpdate'] }),
    rollingUpdate: f.ref(2, `${APPS}RollingUpdateStatefulSetStrategy`, 'Limits of a rolling update; only with type RollingUpdate.'),
  }),
  [`${APPS}RollingUpdateStatefulSetStrategy`]: def('Limits of a StatefulSet rolling update.', {
    partition: f.int32(1, 'Only pods with an ordinal at or above this are updated; 0 when unset.', { keepZero: true }),
    maxUnavailable: f.intOrString(2, 'How many pods (a number, or a percentage rounded up) may be unavailable during the update; not 0. Alpha: honoured only with the MaxUnavailableStatefulSet feature.', { keepZero: true }),
  }),
  [`${APPS}StatefulSetPersistentVolumeClaimRetentionPolicy`]: def('What happens to the claims made from volumeClaimTemplates.', {
    whenDeleted: f.str(1, 'Retain (the default) keeps the claims when the set is deleted; Delete removes them.'),
    whenScaled: f.str(2, 'Retain (the default) keeps the claims of removed pods on scale-down; Delete removes them.'),
  }),
  [`${APPS}StatefulSetOrdinals`]: def('How the pods of a StatefulSet are numbered.', {
    start: f.int32(1, 'Number of the first pod; pods are numbered start … start+replicas-1. 0 when unset.', { keepZero: true }),
  }),
  [`${APPS}StatefulSetStatus`]: def('What the StatefulSet controller last saw.', {
    observedGeneration: f.int64(1, 'The metadata.generation this status describes.'),
    replicas: f.int32(2, 'Pods the controller has created.', { keepZero: true }),
    readyReplicas: f.int32(3, 'Pods that are ready.'),
    currentReplicas: f.int32(4, 'Pods created from currentRevision.'),
    updatedReplicas: f.int32(5, 'Pods created from updateRevision.'),
    currentRevision: f.str(6, 'Revision of the pods numbered below currentReplicas.'),
    updateRevision: f.str(7, 'Revision the pods are being updated to.'),
    collisionCount: f.int32(9, 'Counter that makes new ControllerRevision names unique after hash collisions.', { keepZero: true }),
    conditions: conditions(10, 'StatefulSet'),
    availableReplicas: f.int32(11, 'Pods that have been ready for at least minReadySeconds.', { keepZero: true }),
  }),
  [`${APPS}StatefulSetCondition`]: condition('StatefulSet'),

  [`${APPS}DaemonSet`]: def('Runs one copy of a pod on every node (or every node its template selects).', {
    metadata: metadataField(),
    spec: f.ref(2, `${APPS}DaemonSetSpec`, 'The pod to run on each node and how it is updated.'),
    status: f.ref(3, `${APPS}DaemonSetStatus`, 'What the DaemonSet controller last saw.'),
  }),
  [`${APPS}DaemonSetSpec`]: def(
    'The pod a DaemonSet runs on each node and how it is updated.',
    {
      selector: f.ref(1, LABEL_SELECTOR, 'Which pods belong to the DaemonSet. Must match the template labels; cannot change after creation.'),
      template: f.ref(2, TEMPLATE, 'The pod to run on each selected node. Its restartPolicy must be Always.'),
      updateStrategy: f.ref(3, `${APPS}DaemonSetUpdateStrategy`, 'How pods are replaced when the template changes.'),
      minReadySeconds: f.int32(4, 'Seconds a new pod must stay ready before it counts as available; 0 when unset.'),
      revisionHistoryLimit: f.int32(6, 'How many old revisions to keep for rollbacks; 10 when unset.', { keepZero: true }),
    },
    { required: ['selector'] },
  ),
  [`${APPS}DaemonSetUpdateStrategy`]: def('How a DaemonSet replaces its pods when the template changes.', {
    type: f.str(1, 'RollingUpdate (the default) replaces pods node by node; OnDelete waits until each pod is deleted by hand.', { enum: ['OnDelete', 'RollingUpdate'] }),
    rollingUpdate: f.ref(2, `${APPS}RollingUpdateDaemonSet`, 'Limits of a rolling update; only with type RollingUpdate.'),
  }),
  [`${APPS}RollingUpdateDaemonSet`]: def('How fast a DaemonSet rolling update may go.', {
    maxUnavailable: f.intOrString(1, 'How many nodes (a number, or a percentage rounded up) may be without an available pod during the update; 1 when unset.', { keepZero: true }),
    maxSurge: f.intOrString(2, 'How many nodes (a number, or a percentage rounded up) may run an old and a new pod at once; 0 when unset. Only one of maxSurge and maxUnavailable may be non-zero.', { keepZero: true }),
  }),
  [`${APPS}DaemonSetStatus`]: def('What the DaemonSet controller last saw.', {
    currentNumberScheduled: f.int32(1, 'Nodes that should run the pod and run at least one.', { keepZero: true }),
    numberMisscheduled: f.int32(2, 'Nodes that run the pod but should not.', { keepZero: true }),
    desiredNumberScheduled: f.int32(3, 'Nodes that should run the pod.', { keepZero: true }),
    numberReady: f.int32(4, 'Nodes that should run the pod and have a ready one.', { keepZero: true }),
    observedGeneration: f.int64(5, 'The metadata.generation this status describes.'),
    updatedNumberScheduled: f.int32(6, 'Nodes running a pod from the current template.'),
    numberAvailable: f.int32(7, 'Nodes whose pod has been ready for at least minReadySeconds.'),
    numberUnavailable: f.int32(8, 'Nodes that should run the pod and have no available one.'),
    collisionCount: f.int32(9, 'Counter that makes new ControllerRevision names unique after hash collisions.', { keepZero: true }),
    conditions: conditions(10, 'DaemonSet'),
  }),
  [`${APPS}DaemonSetCondition`]: condition('DaemonSet'),

  [`${APPS}ControllerRevision`]: def('A saved, unchangeable snapshot of a StatefulSet or DaemonSet template, used for updates and rollbacks.', {
    metadata: metadataField(),
    data: f.json(2, 'The snapshot, as the owning controller wrote it. Cannot change.'),
    revision: f.int64(3, 'Revision number of the snapshot.', { keepZero: true }),
  }),
};
