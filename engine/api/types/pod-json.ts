// The JSON shapes of pod objects as the pod rules read them: every field optional, as a client may
// send anything the schema allows.
type Quantities = Record<string, string | number>;

export interface PortJson { name?: string; containerPort?: number; hostPort?: number; protocol?: string; hostIP?: string }
export interface HttpGetJson { path?: string; port?: number | string; host?: string; scheme?: string; httpHeaders?: { name?: string; value?: string }[] }
export interface HandlerJson {
  exec?: { command?: string[] };
  httpGet?: HttpGetJson;
  tcpSocket?: { port?: number | string; host?: string };
  grpc?: { port?: number; service?: string };
  sleep?: { seconds?: number };
}
export interface ProbeJson extends HandlerJson {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}
export interface ResourcesJson { limits?: Quantities; requests?: Quantities; claims?: { name?: string; request?: string }[] }
export interface KeyRefJson { name?: string; key?: string; optional?: boolean }
export interface FieldRefJson { apiVersion?: string; fieldPath?: string }
export interface ResourceFieldRefJson { containerName?: string; resource?: string; divisor?: string | number }
export interface EnvVarJson {
  name?: string;
  value?: string;
  valueFrom?: { fieldRef?: FieldRefJson; resourceFieldRef?: ResourceFieldRefJson; configMapKeyRef?: KeyRefJson; secretKeyRef?: KeyRefJson; fileKeyRef?: Record<string, unknown> };
}
export interface ProfileJson { type?: string; localhostProfile?: string }
export interface SecurityContextJson {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  runAsUser?: number;
  runAsGroup?: number;
  seccompProfile?: ProfileJson;
  appArmorProfile?: ProfileJson;
  [field: string]: unknown;
}
export interface MountJson { name?: string; mountPath?: string; subPath?: string; subPathExpr?: string; readOnly?: boolean; recursiveReadOnly?: string; mountPropagation?: string }
export interface ContainerJson {
  name?: string;
  image?: string;
  ports?: PortJson[];
  env?: EnvVarJson[];
  envFrom?: { prefix?: string; configMapRef?: KeyRefJson; secretRef?: KeyRefJson }[];
  resources?: ResourcesJson;
  resizePolicy?: { resourceName?: string; restartPolicy?: string }[];
  restartPolicy?: string;
  restartPolicyRules?: unknown[];
  volumeMounts?: MountJson[];
  volumeDevices?: { name?: string; devicePath?: string }[];
  livenessProbe?: ProbeJson;
  readinessProbe?: ProbeJson;
  startupProbe?: ProbeJson;
  lifecycle?: { postStart?: HandlerJson; preStop?: HandlerJson; stopSignal?: string };
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  imagePullPolicy?: string;
  securityContext?: SecurityContextJson;
  targetContainerName?: string;
  [field: string]: unknown;
}
export interface VolumeJson { name?: string; [source: string]: unknown }
export interface SelectorJson { matchLabels?: Record<string, string>; matchExpressions?: { key?: string; operator?: string; values?: string[] }[] }
export interface NodeSelectorTermJson { matchExpressions?: NodeRequirementJson[]; matchFields?: NodeRequirementJson[] }
export interface NodeRequirementJson { key?: string; operator?: string; values?: string[] }
export interface AffinityTermJson {
  labelSelector?: SelectorJson;
  namespaceSelector?: SelectorJson;
  namespaces?: string[];
  topologyKey?: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}
export interface PodAffinityJson { requiredDuringSchedulingIgnoredDuringExecution?: AffinityTermJson[]; preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; podAffinityTerm?: AffinityTermJson }[] }
export interface AffinityJson {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTermJson[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number; preference?: NodeSelectorTermJson }[];
  };
  podAffinity?: PodAffinityJson;
  podAntiAffinity?: PodAffinityJson;
}
export interface TolerationJson { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }
export interface SpreadJson { maxSkew?: number; topologyKey?: string; whenUnsatisfiable?: string; minDomains?: number; labelSelector?: SelectorJson; matchLabelKeys?: string[] }
export interface PodSpecJson {
  volumes?: VolumeJson[];
  initContainers?: ContainerJson[];
  containers?: ContainerJson[];
  ephemeralContainers?: ContainerJson[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  activeDeadlineSeconds?: number;
  dnsPolicy?: string;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name?: string; value?: string }[] };
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  nodeName?: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  shareProcessNamespace?: boolean;
  securityContext?: SecurityContextJson & { fsGroup?: number; supplementalGroups?: number[]; sysctls?: { name?: string; value?: string }[] };
  hostname?: string;
  subdomain?: string;
  affinity?: AffinityJson;
  schedulerName?: string;
  tolerations?: TolerationJson[];
  hostAliases?: { ip?: string; hostnames?: string[] }[];
  priorityClassName?: string;
  priority?: number;
  readinessGates?: { conditionType?: string }[];
  enableServiceLinks?: boolean;
  preemptionPolicy?: string;
  overhead?: Quantities;
  topologySpreadConstraints?: SpreadJson[];
  os?: { name?: string };
  schedulingGates?: { name?: string }[];
  resourceClaims?: { name?: string; resourceClaimName?: string; resourceClaimTemplateName?: string }[];
  resources?: ResourcesJson;
  [field: string]: unknown;
}
export interface ContainerStatusJson {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateJson;
  lastState?: ContainerStateJson;
}
export interface ContainerStateJson {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string };
}
export interface PodStatusJson {
  phase?: string;
  reason?: string;
  nominatedNodeName?: string;
  podIP?: string;
  podIPs?: { ip?: string }[];
  conditions?: { type?: string; status?: string; reason?: string; [field: string]: unknown }[];
  initContainerStatuses?: ContainerStatusJson[];
  containerStatuses?: ContainerStatusJson[];
  [field: string]: unknown;
}

/** The containers of every kind in a spec, with the list each is in. */
export function allContainers(spec: PodSpecJson): { list: 'initContainers' | 'containers' | 'ephemeralContainers'; index: number; c: ContainerJson }[] {
  const out: { list: 'initContainers' | 'containers' | 'ephemeralContainers'; index: number; c: ContainerJson }[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const cs = spec[list];
    if (Array.isArray(cs)) cs.forEach((c, index) => c && typeof c === 'object' && out.push({ list, index, c }));
  }
  return out;
}
