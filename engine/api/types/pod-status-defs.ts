// core/v1 PodStatus as data: conditions, addresses and the status of every container. Kubernetes
// 1.34's fields; written by the scheduler and the kubelet, read by everyone.
import { def, f, type Definitions } from '../schema.js';

const C = 'io.k8s.api.core.v1.';
const ref = (n: number, type: string, d: string) => f.ref(n, `${C}${type}`, d);

/** Pod status definitions. */
export const POD_STATUS_DEFINITIONS: Definitions = {
  [`${C}PodStatus`]: def('What a pod is doing now.', {
    observedGeneration: f.int64(17, 'The metadata.generation this status was computed from.'),
    phase: f.str(1, 'Summary of the pod\'s lifecycle: Pending, Running, Succeeded, Failed or Unknown.', { enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] }),
    conditions: f.list(2, 'Conditions of the pod: PodScheduled, Initialized, ContainersReady, Ready…', `${C}PodCondition`, { mergeKey: 'type' }),
    message: f.str(3, 'Why the pod is in this state, for people.'),
    reason: f.str(4, 'Why the pod is in this state, in one CamelCase word, e.g. Evicted.'),
    nominatedNodeName: f.str(11, 'Node the pod should land on after it preempted pods there; not a promise.'),
    hostIP: f.str(5, 'Primary IP address of the node the pod runs on.'),
    hostIPs: f.list(16, 'IP addresses of the node; the first is hostIP.', `${C}HostIP`, { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' }),
    podIP: f.str(6, 'Primary IP address of the pod.'),
    podIPs: f.list(12, 'IP addresses of the pod, at most one per family; the first is podIP.', `${C}PodIP`, { mergeKey: 'ip' }),
    startTime: f.time(7, 'When the kubelet accepted the pod, before pulling images.'),
    initContainerStatuses: f.list(10, 'Status of each init container.', `${C}ContainerStatus`, { listType: 'atomic' }),
    containerStatuses: f.list(8, 'Status of each main container.', `${C}ContainerStatus`, { listType: 'atomic' }),
    qosClass: f.str(9, 'Quality of service class from the resource requests and limits: Guaranteed, Burstable or BestEffort.', {
      enum: ['BestEffort', 'Burstable', 'Guaranteed'],
    }),
    ephemeralContainerStatuses: f.list(13, 'Status of each ephemeral container.', `${C}ContainerStatus`, { listType: 'atomic' }),
    resize: f.str(14, 'Old summary of a pending resize; replaced by the PodResizePending and PodResizeInProgress conditions.'),
    resourceClaimStatuses: f.list(15, 'Names of the ResourceClaims generated for the pod\'s claim templates.', `${C}PodResourceClaimStatus`, {
      mergeKey: 'name',
      patchStrategy: 'merge,retainKeys',
    }),
    extendedResourceClaimStatus: ref(18, 'PodExtendedResourceClaimStatus', 'The ResourceClaim generated for extended resources backed by dynamic resource allocation.'),
  }),
  [`${C}PodCondition`]: def('One observation about a pod.', {
    type: f.str(1, 'What the condition is about, e.g. Ready.'),
    observedGeneration: f.int64(7, 'The metadata.generation the condition was computed from.'),
    status: f.str(2, 'True, False or Unknown.'),
    lastProbeTime: f.time(3, 'When the condition was last checked.'),
    lastTransitionTime: f.time(4, 'When status last changed.'),
    reason: f.str(5, 'Why, in one CamelCase word.'),
    message: f.str(6, 'Why, for people.'),
  }),
  [`${C}PodIP`]: def('An IP address of a pod.', { ip: f.str(1, 'The address.') }),
  [`${C}HostIP`]: def('An IP address of the node of a pod.', { ip: f.str(1, 'The address.') }),
  [`${C}ContainerStatus`]: def('What one container is doing.', {
    name: f.str(1, 'Name of the container.'),
    state: ref(2, 'ContainerState', 'Current state.'),
    lastState: ref(3, 'ContainerState', 'How the previous run of the container ended, to debug restarts.'),
    ready: f.bool(4, 'Whether the container passes its readiness probe (or has started, without one).', { keepZero: true }),
    restartCount: f.int32(5, 'How many times the container was restarted.', { keepZero: true }),
    image: f.str(6, 'Image the container runs, as the runtime resolved it.'),
    imageID: f.str(7, 'ID of the image the container runs.'),
    containerID: f.str(8, 'ID of the container, as <runtime>://<id>.'),
    started: f.bool(9, 'Whether the container has passed its postStart hook and startup probe.', { keepZero: true }),
    allocatedResources: f.map(10, 'Resources the node allocated to the container.', 'quantity'),
    resources: ref(11, 'ResourceRequirements', 'Requests and limits in effect for the running container.'),
    volumeMounts: f.list(12, 'Status of the container\'s volume mounts.', `${C}VolumeMountStatus`, { mergeKey: 'mountPath' }),
    user: ref(13, 'ContainerUser', 'Identity of the container\'s first process.'),
    allocatedResourcesStatus: f.list(14, 'Health of the resources allocated to the container.', `${C}ResourceStatus`, { mergeKey: 'name' }),
    stopSignal: f.str(15, 'Signal that stops the container.'),
  }),
  [`${C}ContainerState`]: def('State of a container: one of waiting, running or terminated (waiting when none is set).', {
    waiting: ref(1, 'ContainerStateWaiting', 'The container is not running yet.'),
    running: ref(2, 'ContainerStateRunning', 'The container is running.'),
    terminated: ref(3, 'ContainerStateTerminated', 'The container has exited.'),
  }),
  [`${C}ContainerStateWaiting`]: def('A container that is not running yet.', {
    reason: f.str(1, 'Why, e.g. ContainerCreating, ImagePullBackOff or CrashLoopBackOff.'),
    message: f.str(2, 'Details, for people.'),
  }),
  [`${C}ContainerStateRunning`]: def('A running container.', { startedAt: f.time(1, 'When the container last started.') }),
  [`${C}ContainerStateTerminated`]: def('A container that has exited.', {
    exitCode: f.int32(1, 'Exit code of the process.', { keepZero: true }),
    signal: f.int32(2, 'Signal that ended the process.'),
    reason: f.str(3, 'Why, e.g. Completed, Error or OOMKilled.'),
    message: f.str(4, 'Details, e.g. the termination message.'),
    startedAt: f.time(5, 'When the container started.'),
    finishedAt: f.time(6, 'When the container exited.'),
    containerID: f.str(7, 'ID of the container, as <runtime>://<id>.'),
  }),
  [`${C}ContainerUser`]: def('Identity of a container\'s first process.', { linux: ref(1, 'LinuxContainerUser', 'Linux user and groups.') }),
  [`${C}LinuxContainerUser`]: def('Linux identity of a container\'s first process.', {
    uid: f.int64(1, 'User ID.', { keepZero: true }),
    gid: f.int64(2, 'Primary group ID.', { keepZero: true }),
    supplementalGroups: f.list(3, 'Supplementary group IDs.', 'int64', { listType: 'atomic' }),
  }),
  [`${C}ResourceStatus`]: def('Health of the devices behind one resource of a container.', {
    name: f.str(1, 'Resource name, or claim:<claim>/<request> for a dynamically allocated one.'),
    resources: f.list(2, 'Health of each device.', `${C}ResourceHealth`, { listType: 'map', listMapKeys: ['resourceID'] }),
  }),
  [`${C}ResourceHealth`]: def('Health of one device.', {
    resourceID: f.str(1, 'Identifier of the device.'),
    health: f.str(2, 'Healthy, Unhealthy or Unknown.'),
  }),
  [`${C}VolumeMountStatus`]: def('Status of a volume mount.', {
    name: f.str(1, 'Name of the mount\'s volume.'),
    mountPath: f.str(2, 'Path of the mount.'),
    readOnly: f.bool(3, 'Whether the mount is read-only.'),
    recursiveReadOnly: f.str(4, 'Disabled or Enabled: whether the read-only mount is read-only below too.'),
  }),
  [`${C}PodResourceClaimStatus`]: def('The ResourceClaim generated for one of a pod\'s claims.', {
    name: f.str(1, 'Name of the entry in spec.resourceClaims.'),
    resourceClaimName: f.str(2, 'Name of the generated ResourceClaim; unset when none was needed.'),
  }),
  [`${C}PodExtendedResourceClaimStatus`]: def('The ResourceClaim generated for a pod\'s extended resources.', {
    requestMappings: f.list(1, 'Which request of the claim serves which extended resource of which container.', `${C}ContainerExtendedResourceRequest`, {
      listType: 'atomic',
    }),
    resourceClaimName: f.str(2, 'Name of the generated ResourceClaim.'),
  }),
  [`${C}ContainerExtendedResourceRequest`]: def('An extended resource of a container and the claim request serving it.', {
    containerName: f.str(1, 'Name of the container.'),
    resourceName: f.str(2, 'Name of the extended resource.'),
    requestName: f.str(3, 'Name of the request in the generated ResourceClaim.'),
  }),
};
