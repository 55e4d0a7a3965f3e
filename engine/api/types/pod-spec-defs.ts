// core/v1 Pod, PodSpec, PodTemplate, Binding and the scheduling types a PodSpec holds (affinity,
// tolerations, topology spread, DNS…), plus the shared object references. Kubernetes 1.34's fields.
import { def, f, LABEL_SELECTOR, metadataField, OBJECT_META, type Definitions } from '../schema.js';

const C = 'io.k8s.api.core.v1.';
const ref = (n: number, type: string, d: string) => f.ref(n, `${C}${type}`, d);

/** Pod, PodSpec and the scheduling definitions. */
export const POD_SPEC_DEFINITIONS: Definitions = {
  [`${C}Pod`]: def('A group of containers that run together on one node, sharing network and volumes.', {
    metadata: metadataField(),
    spec: ref(2, 'PodSpec', 'What the pod should run.'),
    status: ref(3, 'PodStatus', 'What the pod is doing now, as the kubelet and scheduler report it.'),
  }),
  [`${C}PodTemplate`]: def('A stored pod template, to create pods from.', {
    metadata: metadataField(),
    template: ref(2, 'PodTemplateSpec', 'The pods to create from this template.'),
  }),
  [`${C}PodTemplateSpec`]: def('Metadata and spec of the pods a workload creates.', {
    metadata: f.ref(1, OBJECT_META, 'Labels and annotations of the pods created from the template.'),
    spec: ref(2, 'PodSpec', 'Spec of the pods created from the template.'),
  }),
  [`${C}Binding`]: def(
    'Ties one object to another; the scheduler binds a pod to a node with it.',
    {
      metadata: metadataField(),
      target: ref(2, 'ObjectReference', 'The object to bind to, e.g. a Node.'),
    },
    { required: ['target'] },
  ),
  [`${C}PodSpec`]: def(
    'What a pod runs and how: containers, volumes, scheduling constraints and settings.',
    {
      volumes: f.list(1, 'Volumes the pod\'s containers can mount.', `${C}Volume`, { mergeKey: 'name', patchStrategy: 'merge,retainKeys' }),
      initContainers: f.list(20, 'Containers run one after another before the main containers start; each must succeed (restartPolicy Always makes one a sidecar instead).', `${C}Container`, {
        mergeKey: 'name',
      }),
      containers: f.list(2, 'The main containers; at least one. Cannot be added or removed later.', `${C}Container`, { mergeKey: 'name' }),
      ephemeralContainers: f.list(34, 'Temporary containers added to the running pod, e.g. by kubectl debug; only through the ephemeralcontainers subresource.', `${C}EphemeralContainer`, {
        mergeKey: 'name',
      }),
      restartPolicy: f.str(3, 'When containers are restarted after they exit: Always (the default), OnFailure or Never.', { enum: ['Always', 'Never', 'OnFailure'] }),
      terminationGracePeriodSeconds: f.int64(4, 'Seconds between the stop signal and killing the processes; 30 by default, 0 kills at once.', { keepZero: true }),
      activeDeadlineSeconds: f.int64(5, 'Seconds the pod may be active on a node before it is marked failed and its containers killed.', { keepZero: true }),
      dnsPolicy: f.str(6, 'DNS setup of the pod: ClusterFirst (the default), ClusterFirstWithHostNet, Default (the node\'s) or None (only dnsConfig).', {
        enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
      }),
      nodeSelector: f.map(7, 'Labels a node must have for the pod to be scheduled there.', 'string', { mapType: 'atomic' }),
      serviceAccountName: f.str(8, 'ServiceAccount the pod runs as.'),
      serviceAccount: f.str(9, 'Old name of serviceAccountName; use that instead.'),
      automountServiceAccountToken: f.bool(21, 'Whether to mount an API token of the service account into the containers.', { keepZero: true }),
      nodeName: f.str(10, 'Node the pod runs on; set by the scheduler, or by hand to skip scheduling.'),
      hostNetwork: f.bool(11, 'Use the node\'s network namespace; host ports then equal container ports.'),
      hostPID: f.bool(12, 'Use the node\'s process namespace.'),
      hostIPC: f.bool(13, 'Use the node\'s IPC namespace.'),
      shareProcessNamespace: f.bool(27, 'Put all containers in one process namespace, so they see and can signal each other\'s processes; not with hostPID.', { keepZero: true }),
      securityContext: ref(14, 'PodSecurityContext', 'Security settings of the pod and defaults for its containers.'),
      imagePullSecrets: f.list(15, 'Secrets in the pod\'s namespace with registry credentials for pulling the images.', `${C}LocalObjectReference`, { mergeKey: 'name' }),
      hostname: f.str(16, 'Host name of the pod; the pod name by default.'),
      subdomain: f.str(17, 'Subdomain that gives the pod the name <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.'),
      affinity: ref(18, 'Affinity', 'Rules on which nodes, and next to which other pods, the pod may or should run.'),
      schedulerName: f.str(19, 'Scheduler that places the pod; default-scheduler by default.'),
      tolerations: f.list(22, 'Node taints the pod tolerates.', `${C}Toleration`, { listType: 'atomic' }),
      hostAliases: f.list(23, 'Extra entries for the pod\'s /etc/hosts.', `${C}HostAlias`, { mergeKey: 'ip' }),
      priorityClassName: f.str(24, 'PriorityClass giving the pod its priority; system-node-critical and system-cluster-critical are built in.'),
      priority: f.int32(25, 'Priority of the pod, filled in from priorityClassName when the pod is created; higher is more important.', { keepZero: true }),
      dnsConfig: ref(26, 'PodDNSConfig', 'DNS settings added to those the dnsPolicy gives.'),
      readinessGates: f.list(28, 'Extra pod conditions that must be True for the pod to be ready.', `${C}PodReadinessGate`, { listType: 'atomic' }),
      runtimeClassName: f.str(29, 'RuntimeClass (node.k8s.io) to run the pod with; the default runtime when empty.'),
      enableServiceLinks: f.bool(30, 'Whether Services\' addresses are put into environment variables, as Docker links did; true by default.', { keepZero: true }),
      preemptionPolicy: f.str(31, 'Whether the pod may evict lower-priority pods to be scheduled: PreemptLowerPriority (the default) or Never.', {
        enum: ['Never', 'PreemptLowerPriority'],
      }),
      overhead: f.map(32, 'Resources the pod\'s runtime uses besides its containers, filled in from its RuntimeClass.', 'quantity'),
      topologySpreadConstraints: f.list(33, 'How matching pods should spread across zones, nodes or other topology domains.', `${C}TopologySpreadConstraint`, {
        mergeKey: 'topologyKey',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      }),
      setHostnameAsFQDN: f.bool(35, 'Make the pod\'s fully qualified domain name its host name.', { keepZero: true }),
      os: ref(36, 'PodOS', 'Operating system the containers need; some fields are only allowed for one of them.'),
      hostUsers: f.bool(37, 'Use the node\'s user namespace (true by default); false gives the pod a user namespace of its own.', { keepZero: true }),
      schedulingGates: f.list(38, 'Gates that keep the pod from being scheduled until they are all removed; set only at creation.', `${C}PodSchedulingGate`, { mergeKey: 'name' }),
      resourceClaims: f.list(39, 'Resource claims (dynamic resource allocation) the pod needs; containers use them by name.', `${C}PodResourceClaim`, {
        mergeKey: 'name',
        patchStrategy: 'merge,retainKeys',
      }),
      resources: ref(40, 'ResourceRequirements', 'CPU and memory for the pod as a whole, shared by its containers (pod-level resources).'),
      hostnameOverride: f.str(41, 'Host name for the pod instead of hostname and subdomain; not with hostNetwork or setHostnameAsFQDN (needs the HostnameOverride feature).'),
    },
    { required: ['containers'] },
  ),
  [`${C}LocalObjectReference`]: def('A reference to an object in the same namespace, by name.', { name: f.str(1, 'Name of the object.') }, { mapType: 'atomic' }),
  [`${C}ObjectReference`]: def(
    'A reference to any object, or a part of it.',
    {
      kind: f.str(1, 'Kind of the object.'),
      namespace: f.str(2, 'Namespace of the object.'),
      name: f.str(3, 'Name of the object.'),
      uid: f.str(4, 'UID of the object.'),
      apiVersion: f.str(5, 'API version of the object.'),
      resourceVersion: f.str(6, 'A resourceVersion of the object, when the reference is to one version.'),
      fieldPath: f.str(7, 'Part of the object referred to, e.g. spec.containers{web}.'),
    },
    { mapType: 'atomic' },
  ),
  [`${C}TypedLocalObjectReference`]: def(
    'A reference to an object of any kind in the same namespace.',
    {
      apiGroup: f.str(1, 'API group of the object; empty for the core group.'),
      kind: f.str(2, 'Kind of the object.'),
      name: f.str(3, 'Name of the object.'),
    },
    { required: ['kind', 'name'], mapType: 'atomic' },
  ),
  [`${C}TypedObjectReference`]: def(
    'A reference to an object of any kind, possibly in another namespace.',
    {
      apiGroup: f.str(1, 'API group of the object; empty for the core group.'),
      kind: f.str(2, 'Kind of the object.'),
      name: f.str(3, 'Name of the object.'),
      namespace: f.str(4, 'Namespace of the object; another namespace needs a ReferenceGrant there (CrossNamespaceVolumeDataSource feature).'),
    },
    { required: ['kind', 'name'] },
  ),
  [`${C}Affinity`]: def('Scheduling rules relative to nodes and to other pods.', {
    nodeAffinity: ref(1, 'NodeAffinity', 'Rules on node labels.'),
    podAffinity: ref(2, 'PodAffinity', 'Rules for running near certain other pods.'),
    podAntiAffinity: ref(3, 'PodAntiAffinity', 'Rules for running away from certain other pods.'),
  }),
  [`${C}NodeAffinity`]: def('Rules on the labels of the node a pod runs on.', {
    requiredDuringSchedulingIgnoredDuringExecution: ref(1, 'NodeSelector', 'Nodes the pod may be scheduled on; not rechecked once it runs.'),
    preferredDuringSchedulingIgnoredDuringExecution: f.list(2, 'Weighted preferences: nodes matching more weight are favoured.', `${C}PreferredSchedulingTerm`, {
      listType: 'atomic',
    }),
  }),
  [`${C}NodeSelector`]: def(
    'Selects nodes: any one of the terms must match.',
    { nodeSelectorTerms: f.list(1, 'Terms, ORed.', `${C}NodeSelectorTerm`, { listType: 'atomic' }) },
    { required: ['nodeSelectorTerms'], mapType: 'atomic' },
  ),
  [`${C}NodeSelectorTerm`]: def(
    'Conditions on a node that must all hold; an empty term matches no node.',
    {
      matchExpressions: f.list(1, 'Conditions on node labels.', `${C}NodeSelectorRequirement`, { listType: 'atomic' }),
      matchFields: f.list(2, 'Conditions on node fields (metadata.name).', `${C}NodeSelectorRequirement`, { listType: 'atomic' }),
    },
    { mapType: 'atomic' },
  ),
  [`${C}NodeSelectorRequirement`]: def(
    'One condition on a node label or field.',
    {
      key: f.str(1, 'Label key or field name.'),
      operator: f.str(2, 'In, NotIn, Exists, DoesNotExist, Gt or Lt.', { enum: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] }),
      values: f.list(3, 'Values for In and NotIn; none for Exists and DoesNotExist; one integer for Gt and Lt.', 'string', { listType: 'atomic' }),
    },
    { required: ['key', 'operator'] },
  ),
  [`${C}PreferredSchedulingTerm`]: def(
    'A weighted node preference.',
    {
      weight: f.int32(1, 'Weight, 1-100.', { keepZero: true }),
      preference: ref(2, 'NodeSelectorTerm', 'Nodes the preference is about.'),
    },
    { required: ['weight', 'preference'] },
  ),
  [`${C}PodAffinity`]: def('Rules for running in the same topology domain as certain pods.', {
    requiredDuringSchedulingIgnoredDuringExecution: f.list(1, 'Terms that must all hold at scheduling time.', `${C}PodAffinityTerm`, { listType: 'atomic' }),
    preferredDuringSchedulingIgnoredDuringExecution: f.list(2, 'Weighted preferences.', `${C}WeightedPodAffinityTerm`, { listType: 'atomic' }),
  }),
  [`${C}PodAntiAffinity`]: def('Rules for staying out of the topology domains of certain pods.', {
    requiredDuringSchedulingIgnoredDuringExecution: f.list(1, 'Terms that must all hold at scheduling time.', `${C}PodAffinityTerm`, { listType: 'atomic' }),
    preferredDuringSchedulingIgnoredDuringExecution: f.list(2, 'Weighted preferences.', `${C}WeightedPodAffinityTerm`, { listType: 'atomic' }),
  }),
  [`${C}PodAffinityTerm`]: def(
    'A set of pods, and the node label that defines "the same place" as them.',
    {
      labelSelector: f.ref(1, LABEL_SELECTOR, 'Pods the term is about; none when unset.'),
      namespaces: f.list(2, 'Namespaces to look for the pods in; with namespaceSelector unset and this empty, the pod\'s own.', 'string', { listType: 'atomic' }),
      topologyKey: f.str(3, 'Node label whose value defines a domain, e.g. kubernetes.io/hostname or topology.kubernetes.io/zone.'),
      namespaceSelector: f.ref(4, LABEL_SELECTOR, 'Namespaces to look for the pods in, by label; {} means all.'),
      matchLabelKeys: f.list(5, 'Label keys of the incoming pod whose values are added to labelSelector (key in value).', 'string', { listType: 'atomic' }),
      mismatchLabelKeys: f.list(6, 'Label keys of the incoming pod whose values are added to labelSelector (key notin value).', 'string', { listType: 'atomic' }),
    },
    { required: ['topologyKey'] },
  ),
  [`${C}WeightedPodAffinityTerm`]: def(
    'A weighted pod affinity preference.',
    {
      weight: f.int32(1, 'Weight, 1-100.', { keepZero: true }),
      podAffinityTerm: ref(2, 'PodAffinityTerm', 'The preference.'),
    },
    { required: ['weight', 'podAffinityTerm'] },
  ),
  [`${C}Toleration`]: def('Lets a pod run on nodes with a matching taint.', {
    key: f.str(1, 'Taint key; empty with operator Exists matches every taint.'),
    operator: f.str(2, 'Equal (the default) compares value; Exists matches any value.', { enum: ['Equal', 'Exists'] }),
    value: f.str(3, 'Taint value to match; empty with Exists.'),
    effect: f.str(4, 'Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.', { enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
    tolerationSeconds: f.int64(5, 'For NoExecute: seconds the pod stays after the taint appears; forever when unset.', { keepZero: true }),
  }),
  [`${C}TopologySpreadConstraint`]: def(
    'How evenly matching pods must or should spread over the domains of a node label.',
    {
      maxSkew: f.int32(1, 'Largest allowed difference between the number of matching pods in any domain and the fewest in one; at least 1.', { keepZero: true }),
      topologyKey: f.str(2, 'Node label whose values are the domains, e.g. topology.kubernetes.io/zone.'),
      whenUnsatisfiable: f.str(3, 'DoNotSchedule keeps the pod pending; ScheduleAnyway only prefers less skew.', { enum: ['DoNotSchedule', 'ScheduleAnyway'] }),
      labelSelector: f.ref(4, LABEL_SELECTOR, 'Pods that are counted.'),
      minDomains: f.int32(5, 'Fewest eligible domains to assume; only with DoNotSchedule.', { keepZero: true }),
      nodeAffinityPolicy: f.str(6, 'Honor (the default) counts only nodes matching the pod\'s node affinity; Ignore counts all.', { enum: ['Honor', 'Ignore'] }),
      nodeTaintsPolicy: f.str(7, 'Honor counts only nodes whose taints the pod tolerates; Ignore (the default) counts all.', { enum: ['Honor', 'Ignore'] }),
      matchLabelKeys: f.list(8, 'Label keys of the incoming pod whose values narrow the pods counted.', 'string', { listType: 'atomic' }),
    },
    { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
  ),
  [`${C}HostAlias`]: def(
    'An /etc/hosts entry.',
    {
      ip: f.str(1, 'IP address of the entry.'),
      hostnames: f.list(2, 'Host names for the address.', 'string', { listType: 'atomic' }),
    },
    { required: ['ip'] },
  ),
  [`${C}PodDNSConfig`]: def('DNS settings of a pod, added to those its dnsPolicy gives.', {
    nameservers: f.list(1, 'Name server addresses (at most 3 in all).', 'string', { listType: 'atomic' }),
    searches: f.list(2, 'Search domains.', 'string', { listType: 'atomic' }),
    options: f.list(3, 'Resolver options, e.g. ndots.', `${C}PodDNSConfigOption`, { listType: 'atomic' }),
  }),
  [`${C}PodDNSConfigOption`]: def('A resolver option.', {
    name: f.str(1, 'Option name, e.g. ndots.'),
    value: f.str(2, 'Option value, e.g. "2".'),
  }),
  [`${C}PodReadinessGate`]: def('An extra condition for pod readiness.', { conditionType: f.str(1, 'Type of a pod condition that must be True.') }, { required: ['conditionType'] }),
  [`${C}PodOS`]: def('The operating system a pod needs.', { name: f.str(1, 'linux or windows.') }, { required: ['name'] }),
  [`${C}PodSchedulingGate`]: def('A gate that holds a pod back from scheduling.', { name: f.str(1, 'Name of the gate, unique in the pod.') }, { required: ['name'] }),
  [`${C}PodResourceClaim`]: def(
    'A resource claim of a pod: an existing ResourceClaim, or one made from a template for this pod.',
    {
      name: f.str(1, 'Name containers use for the claim, a DNS label unique in the pod.'),
      resourceClaimName: f.str(3, 'An existing ResourceClaim in the pod\'s namespace.'),
      resourceClaimTemplateName: f.str(4, 'A ResourceClaimTemplate to create a claim from for this pod.'),
    },
    { required: ['name'] },
  ),
};
