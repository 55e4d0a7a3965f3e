// core/v1 containers as data: Container, EphemeralContainer and what they hold (ports, environment,
// resources, probes, lifecycle hooks, security contexts). Field numbers are Kubernetes 1.34's.
import { def, f, type Definitions, type FieldSchema } from '../schema.js';

const C = 'io.k8s.api.core.v1.';
const ref = (n: number, type: string, d: string, x?: Parameters<typeof f.ref>[3]) => f.ref(n, `${C}${type}`, d, x);

/** Container fields by JSON name with their protobuf numbers; ephemeral containers carry them inlined (see pod-embedded.ts). */
function containerFields(ephemeral: boolean): Record<string, FieldSchema> {
  const n = (num: number) => (ephemeral ? 0 : num);
  const no = (what: string) => (ephemeral ? `${what} Not allowed for ephemeral containers.` : what);
  return {
    name: f.str(n(1), ephemeral ? 'Name of the ephemeral container, a DNS label unique among all containers of the pod.' : 'Name of the container, a DNS label unique among all containers of the pod. Cannot be changed.'),
    image: f.str(n(2), 'Container image to run, e.g. nginx:1.27 or registry.example.com/app@sha256:….'),
    command: f.list(n(3), 'Entrypoint to run instead of the image\'s ENTRYPOINT, without a shell; $(VAR) refers to an environment variable.', 'string', { listType: 'atomic' }),
    args: f.list(n(4), 'Arguments to the entrypoint instead of the image\'s CMD; $(VAR) refers to an environment variable.', 'string', { listType: 'atomic' }),
    workingDir: f.str(n(5), 'Working directory of the process; the image\'s default when empty.'),
    ports: f.list(n(6), no('Ports the container listens on, for information and for naming them; listing a port does not open or close it.'), `${C}ContainerPort`, {
      mergeKey: 'containerPort',
      listMapKeys: ['containerPort', 'protocol'],
    }),
    envFrom: f.list(n(19), 'ConfigMaps and Secrets whose keys all become environment variables; env entries win over these.', `${C}EnvFromSource`, { listType: 'atomic' }),
    env: f.list(n(7), 'Environment variables to set in the container.', `${C}EnvVar`, { mergeKey: 'name' }),
    resources: ref(n(8), 'ResourceRequirements', no('Compute resources the container requests and may use at most.')),
    resizePolicy: f.list(n(23), no('Whether resizing CPU or memory in place restarts the container.'), `${C}ContainerResizePolicy`, { listType: 'atomic' }),
    restartPolicy: f.str(n(24), no('Restart behaviour of this container alone; Always on an init container makes it a sidecar that keeps running beside the main containers.')),
    restartPolicyRules: f.list(n(25), no('Rules on exit codes that decide whether the container is restarted, checked in order (needs the ContainerRestartRules feature).'), `${C}ContainerRestartRule`, { listType: 'atomic' }),
    volumeMounts: f.list(n(9), 'Pod volumes to mount into the container\'s filesystem.', `${C}VolumeMount`, { mergeKey: 'mountPath' }),
    volumeDevices: f.list(n(21), 'Raw block devices from the pod\'s volume claims to expose in the container.', `${C}VolumeDevice`, { mergeKey: 'devicePath' }),
    livenessProbe: ref(n(10), 'Probe', no('Periodic check that the container is alive; it is restarted when the check fails.')),
    readinessProbe: ref(n(11), 'Probe', no('Periodic check that the container can serve; it is taken out of Service endpoints while the check fails.')),
    startupProbe: ref(n(22), 'Probe', no('Check that the container has started; the other probes wait until it succeeds, and the container is restarted if it fails.')),
    lifecycle: ref(n(12), 'Lifecycle', no('Actions to run right after the container starts and right before it stops.')),
    terminationMessagePath: f.str(n(13), 'File in the container whose content becomes the termination message; /dev/termination-log by default.'),
    terminationMessagePolicy: f.str(n(20), 'File reads the message from terminationMessagePath; FallbackToLogsOnError uses the end of the log when that file is empty and the container failed.', {
      enum: ['FallbackToLogsOnError', 'File'],
    }),
    imagePullPolicy: f.str(n(14), 'When to pull the image: Always, IfNotPresent or Never. Defaults to Always for :latest or untagged images, IfNotPresent otherwise.', {
      enum: ['Always', 'IfNotPresent', 'Never'],
    }),
    securityContext: ref(n(15), 'SecurityContext', 'Security settings of the container; they override the pod\'s.'),
    stdin: f.bool(n(16), 'Whether the container gets a stdin buffer; without it reads from stdin see end of file.'),
    stdinOnce: f.bool(n(17), 'Whether stdin closes after the first attached client disconnects.'),
    tty: f.bool(n(18), 'Whether the container gets a terminal; needs stdin too.'),
  };
}

/** Container definitions. */
export const CONTAINER_DEFINITIONS: Definitions = {
  [`${C}Container`]: def('One application container of a pod.', containerFields(false), { required: ['name'] }),
  [`${C}EphemeralContainer`]: def(
    'A temporary container added to a running pod, e.g. for debugging; it is never restarted and gets no resources of its own.',
    {
      ...containerFields(true),
      targetContainerName: f.str(2, 'Container of the pod whose namespaces (process, IPC…) the ephemeral container joins.'),
    },
    { required: ['name'] },
  ),
  [`${C}ContainerPort`]: def(
    'A network port of a container.',
    {
      name: f.str(1, 'Name of the port, an IANA service name (≤ 15 characters) that Services can refer to.'),
      hostPort: f.int32(2, 'Port to open on the node for this container port; most pods do not need one.'),
      containerPort: f.int32(3, 'Port number on the pod\'s IP address, 1-65535.', { keepZero: true }),
      protocol: f.str(4, 'TCP (the default), UDP or SCTP.', { enum: ['SCTP', 'TCP', 'UDP'], default: 'TCP' }),
      hostIP: f.str(5, 'Node address the host port binds to.'),
    },
    { required: ['containerPort'] },
  ),
  [`${C}EnvVar`]: def(
    'An environment variable of a container.',
    {
      name: f.str(1, 'Name of the variable: printable ASCII characters except "=".'),
      value: f.str(2, 'Literal value; $(VAR) refers to variables defined earlier, $$ escapes a $.'),
      valueFrom: ref(3, 'EnvVarSource', 'Where to read the value from instead of value.'),
    },
    { required: ['name'] },
  ),
  [`${C}EnvVarSource`]: def('Where an environment variable\'s value comes from; exactly one field is set.', {
    fieldRef: ref(1, 'ObjectFieldSelector', 'A field of the pod, e.g. metadata.name, status.podIP or metadata.labels[\'app\'].'),
    resourceFieldRef: ref(2, 'ResourceFieldSelector', 'A resource request or limit of a container, e.g. limits.memory.'),
    configMapKeyRef: ref(3, 'ConfigMapKeySelector', 'A key of a ConfigMap in the pod\'s namespace.'),
    secretKeyRef: ref(4, 'SecretKeySelector', 'A key of a Secret in the pod\'s namespace.'),
    fileKeyRef: ref(5, 'FileKeySelector', 'A key of an env file in one of the pod\'s volumes (needs the EnvFiles feature).'),
  }),
  [`${C}ConfigMapKeySelector`]: def(
    'One key of a ConfigMap.',
    {
      name: f.str(0, 'Name of the ConfigMap.'),
      key: f.str(2, 'The key whose value is used.'),
      optional: f.bool(3, 'Whether the ConfigMap or key may be missing.', { keepZero: true }),
    },
    { required: ['key'], mapType: 'atomic' },
  ),
  [`${C}SecretKeySelector`]: def(
    'One key of a Secret.',
    {
      name: f.str(0, 'Name of the Secret.'),
      key: f.str(2, 'The key whose value is used.'),
      optional: f.bool(3, 'Whether the Secret or key may be missing.', { keepZero: true }),
    },
    { required: ['key'], mapType: 'atomic' },
  ),
  [`${C}ObjectFieldSelector`]: def(
    'A field of the pod, by path.',
    {
      apiVersion: f.str(1, 'API version the path is written against; v1 by default.'),
      fieldPath: f.str(2, 'Path of the field, e.g. metadata.namespace.'),
    },
    { required: ['fieldPath'], mapType: 'atomic' },
  ),
  [`${C}ResourceFieldSelector`]: def(
    'A resource request or limit of a container, scaled by a divisor.',
    {
      containerName: f.str(1, 'Container to read from; required in volumes, the current container for environment variables.'),
      resource: f.str(2, 'Which value, e.g. limits.cpu or requests.memory.'),
      divisor: f.quantity(3, 'Unit the value is expressed in, e.g. 1m or 1Mi; 1 by default.'),
    },
    { required: ['resource'], mapType: 'atomic' },
  ),
  [`${C}FileKeySelector`]: def(
    'One key of an env file in a volume.',
    {
      volumeName: f.str(1, 'Volume holding the file.'),
      path: f.str(2, 'Relative path of the file inside the volume.'),
      key: f.str(3, 'Key in the file whose value is used.'),
      optional: f.bool(4, 'Whether the file or key may be missing; the variable is then left out.', { keepZero: true }),
    },
    { required: ['volumeName', 'path', 'key'], mapType: 'atomic' },
  ),
  [`${C}EnvFromSource`]: def('A ConfigMap or Secret whose keys become environment variables.', {
    prefix: f.str(1, 'Text put before every variable name.'),
    configMapRef: ref(2, 'ConfigMapEnvSource', 'The ConfigMap to read.'),
    secretRef: ref(3, 'SecretEnvSource', 'The Secret to read.'),
  }),
  [`${C}ConfigMapEnvSource`]: def('A ConfigMap whose keys become environment variables.', {
    name: f.str(0, 'Name of the ConfigMap.'),
    optional: f.bool(2, 'Whether the ConfigMap may be missing.', { keepZero: true }),
  }),
  [`${C}SecretEnvSource`]: def('A Secret whose keys become environment variables.', {
    name: f.str(0, 'Name of the Secret.'),
    optional: f.bool(2, 'Whether the Secret may be missing.', { keepZero: true }),
  }),
  [`${C}ResourceRequirements`]: def('Compute resources requested and allowed at most.', {
    limits: f.map(1, 'Most of each resource that may be used, e.g. cpu: 500m, memory: 256Mi.', 'quantity'),
    requests: f.map(2, 'Resources to reserve, used for scheduling; they default to the limits when only limits are given and may not exceed them.', 'quantity'),
    claims: f.list(3, 'Resource claims of the pod (spec.resourceClaims) this container uses.', `${C}ResourceClaim`, { listType: 'map', listMapKeys: ['name'] }),
  }),
  [`${C}ResourceClaim`]: def(
    'A use of one of the pod\'s resource claims.',
    {
      name: f.str(1, 'Name of an entry of the pod\'s spec.resourceClaims.'),
      request: f.str(2, 'One request of the claim to use; the whole claim when empty.'),
    },
    { required: ['name'] },
  ),
  [`${C}ContainerResizePolicy`]: def(
    'What happens when a resource of a running container is resized.',
    {
      resourceName: f.str(1, 'cpu or memory.'),
      restartPolicy: f.str(2, 'NotRequired (resize in place) or RestartContainer.', { enum: ['NotRequired', 'RestartContainer'] }),
    },
    { required: ['resourceName', 'restartPolicy'] },
  ),
  [`${C}ContainerRestartRule`]: def(
    'A rule deciding whether an exited container is restarted.',
    {
      action: f.str(1, 'What to do when the rule matches; only Restart.'),
      exitCodes: ref(2, 'ContainerRestartRuleOnExitCodes', 'Exit codes the rule matches.'),
    },
    { required: ['action'] },
  ),
  [`${C}ContainerRestartRuleOnExitCodes`]: def(
    'A condition on a container\'s exit code.',
    {
      operator: f.str(1, 'In (the code is one of values) or NotIn.', { enum: ['In', 'NotIn'] }),
      values: f.list(2, 'Exit codes to compare with, at most 255.', 'int32', { listType: 'set' }),
    },
    { required: ['operator'] },
  ),
  [`${C}VolumeMount`]: def(
    'A pod volume mounted into a container.',
    {
      name: f.str(1, 'Name of the pod volume.'),
      readOnly: f.bool(2, 'Whether the mount is read-only.'),
      recursiveReadOnly: f.str(7, 'For read-only mounts: whether mounts below are read-only too (Disabled, IfPossible or Enabled).'),
      mountPath: f.str(3, 'Path in the container to mount at; may not contain ":".'),
      subPath: f.str(4, 'Path inside the volume to mount instead of its root.'),
      mountPropagation: f.str(5, 'How mounts propagate between host and container: None (the default), HostToContainer or Bidirectional.', {
        enum: ['Bidirectional', 'HostToContainer', 'None'],
      }),
      subPathExpr: f.str(6, 'Like subPath, with $(VAR) references to the container\'s environment expanded; not with subPath.'),
    },
    { required: ['name', 'mountPath'] },
  ),
  [`${C}VolumeDevice`]: def(
    'A raw block device from a volume claim, exposed in a container.',
    {
      name: f.str(1, 'Name of a pod volume backed by a persistentVolumeClaim.'),
      devicePath: f.str(2, 'Path of the device in the container.'),
    },
    { required: ['name', 'devicePath'] },
  ),
  [`${C}Probe`]: def('A periodic health check of a container: exactly one of exec, httpGet, tcpSocket or grpc.', {
    exec: ref(0, 'ExecAction', 'Run a command in the container; exit code 0 is success.'),
    httpGet: ref(0, 'HTTPGetAction', 'Send an HTTP GET; a status of 200-399 is success.'),
    tcpSocket: ref(0, 'TCPSocketAction', 'Open a TCP connection; connecting is success.'),
    grpc: ref(0, 'GRPCAction', 'Call the gRPC health service.'),
    initialDelaySeconds: f.int32(2, 'Seconds to wait after the container starts before the first check.'),
    timeoutSeconds: f.int32(3, 'Seconds a check may take; 1 by default.'),
    periodSeconds: f.int32(4, 'Seconds between checks; 10 by default.'),
    successThreshold: f.int32(5, 'Successes in a row that count as passing after a failure; 1 by default, and must be 1 for liveness and startup probes.'),
    failureThreshold: f.int32(6, 'Failures in a row that count as failing; 3 by default.'),
    terminationGracePeriodSeconds: f.int64(7, 'Grace period for stopping the container after this probe failed, instead of the pod\'s.', { keepZero: true }),
  }),
  [`${C}ExecAction`]: def('A command run in the container.', {
    command: f.list(1, 'Command and arguments, run without a shell in the container\'s root directory.', 'string', { listType: 'atomic' }),
  }),
  [`${C}HTTPGetAction`]: def(
    'An HTTP GET request.',
    {
      path: f.str(1, 'Path to request; / by default.'),
      port: f.intOrString(2, 'Port number (1-65535) or name of a container port.'),
      host: f.str(3, 'Host to connect to; the pod IP by default (set a Host header to change the virtual host instead).'),
      scheme: f.str(4, 'HTTP (the default) or HTTPS.', { enum: ['HTTP', 'HTTPS'] }),
      httpHeaders: f.list(5, 'Extra request headers; a name may repeat.', `${C}HTTPHeader`, { listType: 'atomic' }),
    },
    { required: ['port'] },
  ),
  [`${C}HTTPHeader`]: def(
    'A header of an HTTP probe request.',
    {
      name: f.str(1, 'Header name; case does not matter.'),
      value: f.str(2, 'Header value.'),
    },
    { required: ['name'] },
  ),
  [`${C}TCPSocketAction`]: def(
    'A TCP connection attempt.',
    {
      port: f.intOrString(1, 'Port number (1-65535) or name of a container port.'),
      host: f.str(2, 'Host to connect to; the pod IP by default.'),
    },
    { required: ['port'] },
  ),
  [`${C}GRPCAction`]: def(
    'A call to the standard gRPC health checking service.',
    {
      port: f.int32(1, 'Port of the gRPC server, 1-65535.', { keepZero: true }),
      service: f.str(2, 'Service name sent in the health check request; empty asks about the server as a whole.', { keepZero: true }),
    },
    { required: ['port'] },
  ),
  [`${C}Lifecycle`]: def('Hooks run when a container starts and stops.', {
    postStart: ref(1, 'LifecycleHandler', 'Runs right after the container is created; if it fails the container is killed and restarted as its policy says.'),
    preStop: ref(2, 'LifecycleHandler', 'Runs before the container is stopped by the system (not when it exits by itself), within the termination grace period.'),
    stopSignal: f.str(3, 'Signal sent to stop the container, e.g. SIGTERM; the runtime\'s default when empty. Needs spec.os.name.'),
  }),
  [`${C}LifecycleHandler`]: def('An action of a lifecycle hook: exactly one of exec, httpGet or sleep (tcpSocket is accepted but never run).', {
    exec: ref(1, 'ExecAction', 'Run a command in the container.'),
    httpGet: ref(2, 'HTTPGetAction', 'Send an HTTP GET request.'),
    tcpSocket: ref(3, 'TCPSocketAction', 'Kept for compatibility; not supported as a hook.'),
    sleep: ref(4, 'SleepAction', 'Wait for a number of seconds.'),
  }),
  [`${C}SleepAction`]: def('A pause.', {
    seconds: f.int64(1, 'Seconds to sleep.', { keepZero: true }),
  }),
  [`${C}SecurityContext`]: def('Security settings of one container; they take precedence over the pod\'s.', {
    capabilities: ref(1, 'Capabilities', 'Linux capabilities to add and drop; the runtime\'s default set otherwise.'),
    privileged: f.bool(2, 'Run with nearly all the host\'s privileges.', { keepZero: true }),
    seLinuxOptions: ref(3, 'SELinuxOptions', 'SELinux labels of the container.'),
    windowsOptions: ref(10, 'WindowsSecurityContextOptions', 'Settings for Windows containers.'),
    runAsUser: f.int64(4, 'User ID the process runs as; the image\'s user by default.', { keepZero: true }),
    runAsGroup: f.int64(8, 'Group ID the process runs as; the runtime\'s default otherwise.', { keepZero: true }),
    runAsNonRoot: f.bool(5, 'Refuse to start the container if it would run as user 0.', { keepZero: true }),
    readOnlyRootFilesystem: f.bool(6, 'Mount the container\'s root filesystem read-only.', { keepZero: true }),
    allowPrivilegeEscalation: f.bool(7, 'Whether a process may gain more privileges than its parent (the no_new_privs flag); always true when privileged or with CAP_SYS_ADMIN.', { keepZero: true }),
    procMount: f.str(9, 'Default masks parts of /proc as usual; Unmasked does not.', { enum: ['Default', 'Unmasked'] }),
    seccompProfile: ref(11, 'SeccompProfile', 'Seccomp profile of the container; overrides the pod\'s.'),
    appArmorProfile: ref(12, 'AppArmorProfile', 'AppArmor profile of the container; overrides the pod\'s.'),
  }),
  [`${C}PodSecurityContext`]: def('Security settings of a pod, and defaults for the security settings of its containers.', {
    seLinuxOptions: ref(1, 'SELinuxOptions', 'SELinux labels of every container.'),
    windowsOptions: ref(8, 'WindowsSecurityContextOptions', 'Settings for Windows containers.'),
    runAsUser: f.int64(2, 'User ID processes run as.', { keepZero: true }),
    runAsGroup: f.int64(6, 'Group ID processes run as.', { keepZero: true }),
    runAsNonRoot: f.bool(3, 'Refuse to start containers that would run as user 0.', { keepZero: true }),
    supplementalGroups: f.list(4, 'Extra group IDs of the first process of every container.', 'int64', { listType: 'atomic' }),
    supplementalGroupsPolicy: f.str(12, 'Merge adds supplementalGroups to the groups of the image\'s user; Strict uses only the ones given.', { enum: ['Merge', 'Strict'] }),
    fsGroup: f.int64(5, 'Group that owns supporting volumes, and an extra group of every container.', { keepZero: true }),
    sysctls: f.list(7, 'Namespaced kernel parameters to set for the pod.', `${C}Sysctl`, { listType: 'atomic' }),
    fsGroupChangePolicy: f.str(9, 'Always changes volume ownership to fsGroup on every mount; OnRootMismatch only when the root of the volume does not match.', {
      enum: ['Always', 'OnRootMismatch'],
    }),
    seccompProfile: ref(10, 'SeccompProfile', 'Seccomp profile of every container.'),
    appArmorProfile: ref(11, 'AppArmorProfile', 'AppArmor profile of every container.'),
    seLinuxChangePolicy: f.str(13, 'How volumes get the pod\'s SELinux label: MountOption (mount with the label) or Recursive (relabel every file).'),
  }),
  [`${C}Capabilities`]: def('Linux capabilities to add and remove.', {
    add: f.list(1, 'Capabilities to add, e.g. NET_ADMIN.', 'string', { listType: 'atomic' }),
    drop: f.list(2, 'Capabilities to remove, e.g. ALL.', 'string', { listType: 'atomic' }),
  }),
  [`${C}SELinuxOptions`]: def('SELinux labels.', {
    user: f.str(1, 'SELinux user label.'),
    role: f.str(2, 'SELinux role label.'),
    type: f.str(3, 'SELinux type label.'),
    level: f.str(4, 'SELinux level label.'),
  }),
  [`${C}SeccompProfile`]: def(
    'A seccomp profile.',
    {
      type: f.str(1, 'RuntimeDefault, Unconfined, or Localhost for a profile file on the node.', { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
      localhostProfile: f.str(2, 'Path of the profile, relative to the kubelet\'s seccomp directory; only with type Localhost.'),
    },
    { required: ['type'] },
  ),
  [`${C}AppArmorProfile`]: def(
    'An AppArmor profile.',
    {
      type: f.str(1, 'RuntimeDefault, Unconfined, or Localhost for a profile loaded on the node.', { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
      localhostProfile: f.str(2, 'Name of the loaded profile; only with type Localhost.'),
    },
    { required: ['type'] },
  ),
  [`${C}WindowsSecurityContextOptions`]: def('Settings for Windows containers.', {
    gmsaCredentialSpecName: f.str(1, 'Name of the GMSA credential spec to use.'),
    gmsaCredentialSpec: f.str(2, 'Content of the GMSA credential spec, filled in by the GMSA webhook.'),
    runAsUserName: f.str(3, 'Windows user name the process runs as.'),
    hostProcess: f.bool(4, 'Run as a host process container; needs hostNetwork, and every container of the pod must agree.', { keepZero: true }),
  }),
  [`${C}Sysctl`]: def(
    'A kernel parameter.',
    {
      name: f.str(1, 'Name of the parameter, e.g. net.core.somaxconn.'),
      value: f.str(2, 'Value to set.'),
    },
    { required: ['name'] },
  ),
};
