// core/v1 Node: schema, defaults, validation and the columns of `kubectl get nodes`.
import { labelValueErrors, qualifiedNameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';
import { cidrErrors, ipFamilyOf, rec, recs } from './core-checks.js';

const CORE = 'io.k8s.api.core.v1.';
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** The Status cell: Ready, NotReady or Unknown from the Ready condition, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: ApiObject): string {
  const ready = recs(rec(node.status).conditions).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (rec(node.spec).unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/** The Roles cell: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted, or <none>. */
export function nodeRoles(node: ApiObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (node: ApiObject, type: string) => String(recs(rec(node.status).addresses).find((a) => a.type === type)?.address ?? '<none>');
const info = (node: ApiObject, key: string) => String(rec(rec(node.status).nodeInfo)[key] || '<unknown>');

/** Fills a Node's defaults: podCIDRs from podCIDR (and back), allocatable from capacity; drops the retired dynamic config. */
export function defaultNode(node: ApiObject, old?: ApiObject): void {
  const spec = rec(node.spec);
  node.spec = spec;
  const cidrs = spec.podCIDRs as string[] | undefined;
  if (spec.podCIDR && !cidrs?.length) spec.podCIDRs = [spec.podCIDR];
  else if (cidrs?.length && !spec.podCIDR) spec.podCIDR = cidrs[0];
  const status = node.status === undefined ? undefined : rec(node.status);
  if (status && status.allocatable === undefined && status.capacity !== undefined) status.allocatable = structuredClone(status.capacity);
  if (!old) {
    delete spec.configSource;
    if (status) delete status.config;
  } else if (rec(old.spec).configSource === undefined) delete spec.configSource;
}

/** Taints must have a valid key and value, a known effect, and be unique by key and effect. */
function taintErrors(taints: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  recs(taints).forEach((t, i) => {
    // Upstream reports taints under metadata, not spec.
    const at = `metadata.taints[${i}]`;
    errs.push(...qualifiedNameErrors(`${at}.key`, String(t.key ?? '')));
    if (t.value !== undefined) errs.push(...labelValueErrors(`${at}.value`, t.value));
    if (!t.effect) errs.push(required(`${at}.effect`));
    else if (!TAINT_EFFECTS.includes(String(t.effect))) errs.push(notSupported(`${at}.effect`, t.effect, TAINT_EFFECTS));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) errs.push({ reason: 'FieldValueDuplicate', field: at, message: `Duplicate value: ${JSON.stringify(t)}: taints must be unique by key and effect pair` });
    seen.add(key);
  });
  return errs;
}

/** Everything wrong with a Node; on updates, pod CIDRs, provider ID and external ID cannot change once set. */
export function nodeErrors(node: ApiObject, old?: ApiObject): FieldError[] {
  const spec = rec(node.spec);
  const errs = taintErrors(spec.taints);
  const cidrs = (spec.podCIDRs as string[] | undefined) ?? [];
  cidrs.forEach((c, i) => errs.push(...cidrErrors(`spec.podCIDRs[${i}]`, c)));
  if (cidrs.length > 1) {
    const families = new Set(cidrs.map((c) => ipFamilyOf(c.split('/')[0] ?? '')));
    if (cidrs.length > 2 || families.size !== cidrs.length) errs.push(invalidValue('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  }
  if (!old) return errs;
  const seen = new Set<string>();
  recs(rec(node.status).addresses).forEach((a, i) => {
    const key = `${a.type}\u0000${a.address}`;
    if (seen.has(key)) errs.push({ reason: 'FieldValueDuplicate', field: `status.addresses[${i}]`, message: `Duplicate value: ${JSON.stringify(a)}` });
    seen.add(key);
  });
  const before = rec(old.spec);
  const oldCIDRs = (before.podCIDRs as string[] | undefined) ?? [];
  const why = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== cidrs.length) errs.push(forbiddenValue('spec.podCIDRs', why));
    else oldCIDRs.forEach((c, i) => c !== cidrs[i] && errs.push(forbiddenValue(`spec.podCIDRs[${i}]`, why)));
  }
  if (before.providerID && before.providerID !== spec.providerID) errs.push(forbiddenValue('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  if ((before.externalID ?? '') !== (spec.externalID ?? '')) errs.push(forbiddenValue('spec.externalID', 'may not be updated'));
  return errs;
}

/** Node. */
export const CORE_NODE: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'Node', resource: 'nodes', singular: 'node', namespaced: false,
      shortNames: ['no'], categories: [], schemaName: `${CORE}Node`, subresources: { status: true }, createWithStatus: true,
      description: 'A machine that runs pods, registered by its kubelet.',
      columns: [
        nameColumn,
        column('Status', 'Whether the node is ready, and whether new pods may be scheduled to it.', nodeStatus),
        column('Roles', 'Roles of the node, from its node-role.kubernetes.io labels.', nodeRoles),
        ageColumn,
        column('Version', 'Version of the kubelet.', (o) => String(rec(rec(o.status).nodeInfo).kubeletVersion ?? '')),
        column('Internal-IP', 'Address of the node inside the cluster network.', (o) => address(o, 'InternalIP'), { wide: true }),
        column('External-IP', 'Address of the node outside the cluster.', (o) => address(o, 'ExternalIP'), { wide: true }),
        column('OS-Image', 'Operating system the node runs.', (o) => info(o, 'osImage'), { wide: true }),
        column('Kernel-Version', 'Kernel version of the node.', (o) => info(o, 'kernelVersion'), { wide: true }),
        column('Container-Runtime', 'Container runtime and its version.', (o) => info(o, 'containerRuntimeVersion'), { wide: true }),
      ],
      defaults: defaultNode,
      validate: nodeErrors,
    },
  ],
  definitions: {
    [`${CORE}Node`]: def('A machine that runs pods, registered by its kubelet.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}NodeSpec`, 'How the node should be used: pod address ranges, taints, cordoning.'),
      status: f.ref(3, `${CORE}NodeStatus`, 'What the kubelet reports about the node.'),
    }),
    [`${CORE}NodeSpec`]: def('How a node should be used.', {
      podCIDR: f.str(1, 'Address range for pods on this node.'),
      podCIDRs: f.list(7, 'Address ranges for pods on this node, at most one per IP family; the first equals podCIDR.', 'string', { listType: 'set', patchStrategy: 'merge' }),
      providerID: f.str(3, 'ID of the machine at its cloud provider, as <provider>://<id>.'),
      unschedulable: f.bool(4, 'When true (cordoned), no new pods are scheduled to the node.'),
      taints: f.list(5, 'Taints that keep away pods which do not tolerate them.', `${CORE}Taint`, { listType: 'atomic' }),
      configSource: f.ref(6, `${CORE}NodeConfigSource`, 'Retired: where dynamic kubelet configuration came from.'),
      externalID: f.str(2, 'Retired: an external ID of the node.'),
    }),
    [`${CORE}Taint`]: def(
      'A mark on a node that repels pods without a matching toleration.',
      {
        key: f.str(1, 'The taint key.'),
        value: f.str(2, 'The taint value.'),
        effect: f.str(3, 'NoSchedule, PreferNoSchedule or NoExecute: what happens to pods that do not tolerate it.', { enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
        timeAdded: f.time(4, 'When the taint was added (NoExecute taints).'),
      },
      { required: ['key', 'effect'] },
    ),
    [`${CORE}NodeConfigSource`]: def('Retired: where dynamic kubelet configuration came from.', {
      configMap: f.ref(2, `${CORE}ConfigMapNodeConfigSource`, 'A ConfigMap holding kubelet configuration.'),
    }),
    [`${CORE}ConfigMapNodeConfigSource`]: def('Retired: a ConfigMap holding kubelet configuration.', {
      namespace: f.str(1, 'Namespace of the ConfigMap.'),
      name: f.str(2, 'Name of the ConfigMap.'),
      uid: f.str(3, 'UID of the ConfigMap (status only).'),
      resourceVersion: f.str(4, 'Resource version of the ConfigMap (status only).'),
      kubeletConfigKey: f.str(5, 'Key of the ConfigMap holding the configuration.'),
    }),
    [`${CORE}NodeStatus`]: def('What the kubelet reports about a node.', {
      capacity: f.map(1, 'Total resources of the node.', 'quantity'),
      allocatable: f.map(2, 'Resources available to pods; defaults to capacity.', 'quantity'),
      phase: f.str(3, 'Retired lifecycle phase; never set.', { enum: ['Pending', 'Running', 'Terminated'] }),
      conditions: f.list(4, 'Observations such as Ready, MemoryPressure or DiskPressure.', `${CORE}NodeCondition`, { mergeKey: 'type' }),
      addresses: f.list(5, 'Addresses the node is reachable at.', `${CORE}NodeAddress`, { mergeKey: 'type' }),
      daemonEndpoints: f.ref(6, `${CORE}NodeDaemonEndpoints`, 'Ports of daemons on the node, such as the kubelet.'),
      nodeInfo: f.ref(7, `${CORE}NodeSystemInfo`, 'Versions and IDs of the machine and its software.'),
      images: f.list(8, 'Container images present on the node.', `${CORE}ContainerImage`, { listType: 'atomic' }),
      volumesInUse: f.list(9, 'Attachable volumes mounted on the node.', 'string', { listType: 'atomic' }),
      volumesAttached: f.list(10, 'Volumes attached to the node.', `${CORE}AttachedVolume`, { listType: 'atomic' }),
      config: f.ref(11, `${CORE}NodeConfigStatus`, 'Retired: state of dynamic kubelet configuration.'),
      runtimeHandlers: f.list(12, 'Runtime handlers the container runtime offers.', `${CORE}NodeRuntimeHandler`, { listType: 'atomic' }),
      features: f.ref(13, `${CORE}NodeFeatures`, 'Features the container runtime implements.'),
    }),
    [`${CORE}NodeCondition`]: def('One observation about a node.', {
      type: f.str(1, 'What the condition is about, e.g. Ready.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastHeartbeatTime: f.time(3, 'When the kubelet last reported the condition.'),
      lastTransitionTime: f.time(4, 'When status last changed.'),
      reason: f.str(5, 'Why, in one CamelCase word.'),
      message: f.str(6, 'Why, for people.'),
    }),
    [`${CORE}NodeAddress`]: def('One address of a node.', {
      type: f.str(1, 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
      address: f.str(2, 'The address.'),
    }),
    [`${CORE}NodeDaemonEndpoints`]: def('Ports of daemons on a node.', {
      kubeletEndpoint: f.ref(1, `${CORE}DaemonEndpoint`, 'Where the kubelet listens.'),
    }),
    [`${CORE}DaemonEndpoint`]: def('Where one daemon listens.', { Port: f.int32(1, 'The port number.') }),
    [`${CORE}NodeSystemInfo`]: def('Versions and IDs of a machine and its software.', {
      machineID: f.str(1, 'Machine ID from /etc/machine-id.'),
      systemUUID: f.str(2, 'System UUID from the firmware.'),
      bootID: f.str(3, 'ID of the current boot.'),
      kernelVersion: f.str(4, 'Kernel version, as uname -r prints it.'),
      osImage: f.str(5, 'Operating system, from /etc/os-release.'),
      containerRuntimeVersion: f.str(6, 'Container runtime and version, e.g. containerd://2.1.0.'),
      kubeletVersion: f.str(7, 'Version of the kubelet.'),
      kubeProxyVersion: f.str(8, 'Deprecated: version of kube-proxy.'),
      operatingSystem: f.str(9, 'Operating system family, e.g. linux.'),
      architecture: f.str(10, 'CPU architecture, e.g. amd64.'),
      swap: f.ref(11, `${CORE}NodeSwapStatus`, 'Swap memory of the node.'),
    }),
    [`${CORE}NodeSwapStatus`]: def('Swap memory of a node.', { capacity: f.int64(1, 'Total swap in bytes.', { keepZero: true }) }),
    [`${CORE}ContainerImage`]: def('A container image present on a node.', {
      names: f.list(1, 'Names the image is known by.', 'string', { listType: 'atomic' }),
      sizeBytes: f.int64(2, 'Size of the image in bytes.'),
    }),
    [`${CORE}AttachedVolume`]: def('A volume attached to a node.', {
      name: f.str(1, 'Name of the volume.'),
      devicePath: f.str(2, 'Device path the volume is available at.'),
    }),
    [`${CORE}NodeConfigStatus`]: def('Retired: state of dynamic kubelet configuration.', {
      assigned: f.ref(1, `${CORE}NodeConfigSource`, 'Configuration the node will try to use.'),
      active: f.ref(2, `${CORE}NodeConfigSource`, 'Configuration the node uses now.'),
      lastKnownGood: f.ref(3, `${CORE}NodeConfigSource`, 'Configuration the node falls back to.'),
      error: f.str(4, 'Problem applying the configuration.'),
    }),
    [`${CORE}NodeRuntimeHandler`]: def('A runtime handler of the container runtime.', {
      name: f.str(1, 'Name of the handler; empty for the default one.'),
      features: f.ref(2, `${CORE}NodeRuntimeHandlerFeatures`, 'Features the handler supports.'),
    }),
    [`${CORE}NodeRuntimeHandlerFeatures`]: def('Features a runtime handler supports.', {
      recursiveReadOnlyMounts: f.bool(1, 'Whether it supports recursively read-only mounts.', { keepZero: true }),
      userNamespaces: f.bool(2, 'Whether it supports user namespaces, including for volumes.', { keepZero: true }),
    }),
    [`${CORE}NodeFeatures`]: def('Features the container runtime implements.', {
      supplementalGroupsPolicy: f.bool(1, 'Whether it supports supplementalGroupsPolicy and reporting container users.', { keepZero: true }),
    }),
  },
};
