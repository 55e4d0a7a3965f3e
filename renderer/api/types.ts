// The Kubernetes object shapes the renderer reads: only the fields it shows, all optional as the
// API may omit them. Field names follow the Kubernetes API exactly.

/** Standard object metadata. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind: string; name: string; uid?: string; controller?: boolean }[];
  managedFields?: unknown[];
}

/** Any API object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A list answer of the API. */
export interface KubeList<T extends KubeObject = KubeObject> {
  kind?: string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** A Kubernetes Status (errors and some delete answers). */
export interface KubeStatus {
  kind: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

/** A condition as most kinds report them. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

/** A container of a pod spec. */
export interface Container {
  name: string;
  image?: string;
  restartPolicy?: string;
  ports?: { containerPort: number; protocol?: string; name?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** State of a container, as the node agent reports it. */
export interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

/** A container's status in a pod's status. */
export interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  image?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

/** A pod. */
export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: Container[];
    initContainers?: Container[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    startTime?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** A node. */
export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; podCIDR?: string; taints?: { key: string; value?: string; effect: string }[] };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string; architecture?: string };
  };
}

/** A Service. */
export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: number | string; nodePort?: number; protocol?: string }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** The fields the scalable workloads (Deployment, ReplicaSet, StatefulSet) and DaemonSets share. */
export interface Workload extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> }; spec?: Pod['spec'] & { nodeSelector?: Record<string, string> } };
    paused?: boolean;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: Condition[];
  };
}

/** An Event (core/v1). */
export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}
