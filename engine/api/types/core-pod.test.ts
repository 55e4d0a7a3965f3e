import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults.js';
import { namedMessage } from '../proto-schemas.js';
import { DEFINITIONS, findKind, type ApiObject } from '../registry.js';
import { validate } from '../validation.js';
import { podSummary } from './pod-columns.js';
import { imageTag, podQOS } from './pod-defaults.js';
import { POD_EMBEDDED_PROTO } from './pod-embedded.js';
import type { PodSpecJson } from './pod-json.js';
import { podSpecErrors, podTemplateErrors } from './pod-rules.js';

const POD = findKind('v1', 'Pod')!;
const TEMPLATE = findKind('v1', 'PodTemplate')!;
const web = { name: 'web', image: 'nginx:1.27' };

/** A pod as the server stores it after defaulting on create. */
function created(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): ApiObject {
  const pod: ApiObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...meta }, spec: structuredClone(spec) };
  applyDefaults(POD, pod);
  return pod;
}

/** "field: message" of every error of a new pod with `spec`. */
const errorsOf = (spec: Record<string, unknown>) => validate(POD, created(spec)).map((e) => `${e.field}: ${e.message}`);

describe('pod defaults', () => {
  it('fills what kubectl get -o yaml shows for a minimal pod', () => {
    const pod = created({ containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] });
    expect(pod.spec).toEqual({
      containers: [
        { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry.local:5000/app', 'Always'],
    ['registry.local:5000/app:v2', 'IfNotPresent'],
    ['app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ])('pull policy of %s is %s', (image, policy) => {
    const pod = created({ containers: [{ name: 'c', image }] });
    expect((pod.spec as PodSpecJson).containers![0]!.imagePullPolicy).toBe(policy);
  });

  it('keeps a given pull policy and finds tags after registry ports', () => {
    expect(imageTag('localhost:5000/x')).toBe('latest');
    expect(imageTag('localhost:5000/x:1')).toBe('1');
    const pod = created({ containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Never' }] });
    expect((pod.spec as PodSpecJson).containers![0]!.imagePullPolicy).toBe('Never');
  });

  it('defaults probes, httpGet, grpc and downward API versions', () => {
    const pod = created({
      containers: [
        {
          ...web,
          livenessProbe: { httpGet: { port: 8080 } },
          readinessProbe: { grpc: { port: 9090 }, periodSeconds: 5 },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } },
        },
      ],
    });
    const c = (pod.spec as PodSpecJson).containers![0]!;
    expect(c.livenessProbe).toEqual({ httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.readinessProbe).toEqual({ grpc: { port: 9090, service: '' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
    expect(c.env![0]!.valueFrom!.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'spec.nodeName' });
    expect(c.lifecycle!.preStop!.httpGet).toEqual({ port: 80, path: '/stop', scheme: 'HTTP' });
  });

  it('defaults volume sources', () => {
    const pod = created({
      containers: [web],
      volumes: [
        { name: 'scratch' },
        { name: 'cfg', configMap: { name: 'app' } },
        { name: 'sec', secret: { secretName: 'db', defaultMode: 256 } },
        { name: 'host', hostPath: { path: '/var/log' } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
        { name: 'claim', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
      ],
    });
    const v = (pod.spec as PodSpecJson).volumes!;
    expect(v[0]).toEqual({ name: 'scratch', emptyDir: {} });
    expect(v[1]).toEqual({ name: 'cfg', configMap: { name: 'app', defaultMode: 420 } });
    expect(v[2]).toEqual({ name: 'sec', secret: { secretName: 'db', defaultMode: 256 } });
    expect(v[3]).toEqual({ name: 'host', hostPath: { path: '/var/log', type: '' } });
    expect(v[4]).toEqual({
      name: 'token',
      projected: {
        defaultMode: 420,
        sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }],
      },
    });
    expect((v[5]!.ephemeral as { volumeClaimTemplate: { spec: { volumeMode: string } } }).volumeClaimTemplate.spec.volumeMode).toBe('Filesystem');
  });

  it('copies limits to requests and adds resize policies on pods only', () => {
    const spec = { containers: [{ ...web, resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } }] };
    const pod = created(spec);
    const c = (pod.spec as PodSpecJson).containers![0]!;
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    expect(c.resizePolicy).toEqual([
      { resourceName: 'cpu', restartPolicy: 'NotRequired' },
      { resourceName: 'memory', restartPolicy: 'NotRequired' },
    ]);
    const tpl: ApiObject = { metadata: { name: 't' }, template: { spec: structuredClone(spec) } };
    applyDefaults(TEMPLATE, tpl);
    const tc = (tpl.template as { spec: PodSpecJson }).spec.containers![0]!;
    expect(tc.resources!.requests).toEqual({ cpu: '250m' });
    expect(tc.resizePolicy).toBeUndefined();
    expect((tpl.template as { spec: PodSpecJson }).spec.enableServiceLinks).toBeUndefined();
  });

  it.each([
    ['BestEffort', [{ ...web }]],
    ['Guaranteed', [{ ...web, resources: { limits: { cpu: '1', memory: '1Gi' } } }]],
    ['Burstable', [{ ...web, resources: { requests: { cpu: '100m' } } }]],
    ['Burstable', [{ ...web, resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'side', image: 'x', resources: { requests: { memory: '10Mi' } } }]],
    ['Guaranteed', [{ ...web, resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } } }]],
  ])('QoS class %s', (qos, containers) => {
    expect((created({ containers }).status as { qosClass: string }).qosClass).toBe(qos);
  });

  it('computes QoS from pod-level resources when they are set', () => {
    expect(podQOS({ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, containers: [web] })).toBe('Guaranteed');
  });

  it('sets priority from the built-in classes and leaves user classes to admission', () => {
    expect((created({ containers: [web], priorityClassName: 'system-node-critical' }).spec as PodSpecJson).priority).toBe(2000001000);
    const user = created({ containers: [web], priorityClassName: 'batch-low' }).spec as PodSpecJson;
    expect(user.priority).toBeUndefined();
  });

  it('marks gated pods, merges matchLabelKeys and mirrors AppArmor profiles', () => {
    const pod = created(
      {
        containers: [{ ...web, securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }],
        schedulingGates: [{ name: 'example.com/wait' }],
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['rev'] }] } },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['rev'] }],
      },
      { labels: { app: 'web', rev: 'abc' } },
    );
    expect((pod.status as { conditions: unknown[] }).conditions).toEqual([
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
    const spec = pod.spec as PodSpecJson;
    expect(spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!.labelSelector!.matchExpressions).toEqual([{ key: 'rev', operator: 'In', values: ['abc'] }]);
    expect(spec.topologySpreadConstraints![0]!.labelSelector!.matchExpressions).toEqual([{ key: 'rev', operator: 'In', values: ['abc'] }]);
    expect(pod.metadata.annotations).toEqual({ 'container.apparmor.security.beta.kubernetes.io/web': 'runtime/default' });
    expect(podSummary(pod).status).toBe('SchedulingGated');
  });

  it('drops restart rules, whose feature is off in 1.34', () => {
    const pod = created({ containers: [{ ...web, restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] }] });
    expect((pod.spec as PodSpecJson).containers![0]!.restartPolicyRules).toBeUndefined();
  });

  it('defaults host ports of host-network pods to the container ports', () => {
    const pod = created({ hostNetwork: true, containers: [{ ...web, ports: [{ containerPort: 8080 }] }] });
    expect((pod.spec as PodSpecJson).containers![0]!.ports![0]).toEqual({ containerPort: 8080, protocol: 'TCP', hostPort: 8080 });
  });
});

describe('pod validation', () => {
  it('accepts a complete realistic pod', () => {
    expect(
      errorsOf({
        initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }, { name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 9901 } } }],
        containers: [
          {
            ...web,
            ports: [{ name: 'http', containerPort: 80 }],
            env: [{ name: 'A', value: '1' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/app', readOnly: true }],
            livenessProbe: { httpGet: { port: 'http', path: '/healthz' } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
          },
        ],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'app' } }],
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }, { operator: 'Exists' }],
      }),
    ).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no containers', { containers: [] }, 'spec.containers: Required value'],
    ['no spec', {}, 'spec.containers: Required value'],
    ['missing image', { containers: [{ name: 'web' }] }, 'spec.containers[0].image: Required value'],
    ['missing name', { containers: [{ image: 'x' }] }, 'spec.containers[0].name: Required value'],
    ['bad container name', { containers: [{ name: 'Web_1', image: 'x' }] }, 'spec.containers[0].name: Invalid value: "Web_1"'],
    ['duplicate names', { containers: [web, { ...web }] }, 'spec.containers[1].name: Duplicate value: "web"'],
    ['init name taken', { containers: [web], initContainers: [{ ...web }] }, 'spec.initContainers[0].name: Duplicate value: "web"'],
    ['port too big', { containers: [{ ...web, ports: [{ containerPort: 70000 }] }] }, 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['port zero', { containers: [{ ...web, ports: [{ containerPort: 0 }] }] }, 'spec.containers[0].ports[0].containerPort: Required value'],
    ['port missing', { containers: [{ ...web, ports: [{ name: 'http' }] }] }, 'spec.containers[0].ports[0].containerPort: Required value'],
    ['protocol', { containers: [{ ...web, ports: [{ containerPort: 80, protocol: 'tcp' }] }] }, 'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ['port name too long', { containers: [{ ...web, ports: [{ containerPort: 80, name: 'a-very-long-port-name' }] }] }, 'spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
    ['port name dup', { containers: [{ ...web, ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }] }] }, 'spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ['env name', { containers: [{ ...web, env: [{ name: 'A=B' }] }] }, `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    ['env two sources', { containers: [{ ...web, env: [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }, 'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ['env field path', { containers: [{ ...web, env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }] }] }, 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.hostname"'],
    ['volume mount unknown', { containers: [{ ...web, volumeMounts: [{ name: 'data', mountPath: '/data' }] }] }, 'spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ['mount path missing', { containers: [{ ...web, volumeMounts: [{ name: 'd' }] }], volumes: [{ name: 'd' }] }, 'spec.containers[0].volumeMounts[0].mountPath: Required value'],
    ['mount path twice', { containers: [{ ...web, volumeMounts: [{ name: 'd', mountPath: '/x' }, { name: 'd', mountPath: '/x' }] }], volumes: [{ name: 'd' }] }, 'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/x": must be unique'],
    ['sub path escapes', { containers: [{ ...web, volumeMounts: [{ name: 'd', mountPath: '/x', subPath: '../etc' }] }], volumes: [{ name: 'd' }] }, `spec.containers[0].volumeMounts.subPath: Invalid value: "../etc": must not contain '..'`],
    ['volume name dup', { containers: [web], volumes: [{ name: 'd' }, { name: 'd' }] }, 'spec.volumes[1].name: Duplicate value: "d"'],
    ['volume name bad', { containers: [web], volumes: [{ name: 'D' }] }, 'spec.volumes[0].name: Invalid value: "D"'],
    ['two sources', { containers: [web], volumes: [{ name: 'd', emptyDir: {}, hostPath: { path: '/x' } }] }, 'spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type'],
    ['configMap name', { containers: [web], volumes: [{ name: 'd', configMap: {} }] }, 'spec.volumes[0].configMap.name: Required value'],
    ['nfs relative', { containers: [web], volumes: [{ name: 'd', nfs: { server: 'nfs', path: 'data' } }] }, 'spec.volumes[0].nfs.path: Invalid value: "data": must be an absolute path'],
    ['file mode', { containers: [web], volumes: [{ name: 'd', secret: { secretName: 's', defaultMode: 1000 } }] }, 'spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive'],
    ['ephemeral claim', { containers: [web], volumes: [{ name: 'd', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }] }, 'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value'],
    ['restart policy', { containers: [web], restartPolicy: 'Sometimes' }, 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"'],
    ['container restart policy', { containers: [{ ...web, restartPolicy: 'Always' }] }, 'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ['init restart policy', { containers: [web], initContainers: [{ name: 'i', image: 'x', restartPolicy: 'Never' }] }, 'spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['init probe', { containers: [web], initContainers: [{ name: 'i', image: 'x', livenessProbe: { exec: { command: ['true'] } } }] }, 'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    ['dns policy', { containers: [web], dnsPolicy: 'Cluster' }, 'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"'],
    ['dns none', { containers: [web], dnsPolicy: 'None' }, 'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    ['probe without handler', { containers: [{ ...web, livenessProbe: { periodSeconds: 5 } }] }, 'spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    ['probe two handlers', { containers: [{ ...web, readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }] }, 'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    ['liveness success', { containers: [{ ...web, livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }] }, 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ['probe port name', { containers: [{ ...web, livenessProbe: { httpGet: { port: 'Http_Port' } } }] }, 'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "Http_Port"'],
    ['requests over limits', { containers: [{ ...web, resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }, 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ['extended resource', { containers: [{ ...web, resources: { limits: { 'example.com/gpu': '1' }, requests: { 'example.com/gpu': '2' } } }] }, 'spec.containers[0].resources.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1'],
    ['bad quantity', { containers: [{ ...web, resources: { limits: { cpu: 'lots' } } }] }, 'spec.containers[0].resources.limits[cpu]: Invalid value: "lots"'],
    ['deadline', { containers: [web], activeDeadlineSeconds: 0 }, 'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ['toleration empty key', { containers: [web], tolerations: [{ operator: 'Equal', value: 'x' }] }, 'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty'],
    ['toleration seconds', { containers: [web], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"],
    ['node terms', { containers: [web], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term'],
    ['node operator', { containers: [web], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } } }, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['affinity weight', { containers: [web], affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 200, podAffinityTerm: { topologyKey: 'zone' } }] } } }, 'spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 200: must be in the range 1-100'],
    ['topology key', { containers: [web], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {}, topologyKey: '' }] } } }, 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty'],
    ['spread skew', { containers: [web], topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }, 'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero'],
    ['spread repeat', { containers: [web], topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }, { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }, 'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"'],
    ['host alias', { containers: [web], hostAliases: [{ ip: 'nope', hostnames: ['a'] }] }, 'spec.hostAliases[0].ip: Invalid value: "nope": must be valid IP address'],
    ['seccomp', { containers: [web], securityContext: { seccompProfile: { type: 'Localhost' } } }, 'spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost'],
    ['ephemeral on create', { containers: [web], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }, 'spec.ephemeralContainers: Forbidden: cannot be set on create'],
  ])('rejects %s', (_what, spec, expected) => {
    const errs = errorsOf(spec);
    expect(errs.some((e) => e.startsWith(expected)), `${expected}\n  got: ${errs.join('\n       ')}`).toBe(true);
  });

  it('validates templates with the caller\'s restart policies and label rules', () => {
    const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [web], restartPolicy: 'Never', dnsPolicy: 'ClusterFirst' } };
    expect(podTemplateErrors('spec.template', tpl, ['Always']).map((e) => `${e.field}: ${e.message}`)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
    expect(podTemplateErrors('spec.template', tpl, ['OnFailure', 'Never'])).toEqual([]);
    expect(podTemplateErrors('spec.template', { metadata: { labels: { 'bad key!': 'x' } }, spec: { containers: [web], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } })[0]!.field).toBe('spec.template.metadata.labels');
    expect(podTemplateErrors('spec.template', undefined).map((e) => e.field)).toContain('spec.template.spec.containers');
    expect(podSpecErrors('spec', { containers: [{ name: 'c' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }).map((e) => e.field)).toEqual(['spec.containers[0].image']);
  });
});

describe('pod updates', () => {
  const base = created({ containers: [web], tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }], activeDeadlineSeconds: 100, schedulingGates: [{ name: 'g' }] });
  const update = (change: (spec: PodSpecJson) => void) => {
    const next = structuredClone(base);
    change(next.spec as PodSpecJson);
    applyDefaults(POD, next, base);
    return validate(POD, next, base).map((e) => `${e.field}: ${e.message}`);
  };

  it.each<[string, (s: PodSpecJson) => void]>([
    ['a new image', (s) => (s.containers![0]!.image = 'nginx:1.28')],
    ['a shorter deadline', (s) => (s.activeDeadlineSeconds = 50)],
    ['an added toleration', (s) => s.tolerations!.push({ key: 'b', operator: 'Exists' })],
    ['a removed scheduling gate', (s) => (s.schedulingGates = [])],
    ['a shorter tolerationSeconds', (s) => (s.tolerations![0]!.tolerationSeconds = 30)],
  ])('allows %s', (_what, change) => {
    expect(update(change)).toEqual([]);
  });

  it.each<[string, (s: PodSpecJson) => void, string]>([
    ['a port change', (s) => (s.containers![0]!.ports = [{ containerPort: 81 }]), 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'],
    ['an empty image', (s) => (s.containers![0]!.image = ''), 'spec.containers[0].image: Required value'],
    ['a longer deadline', (s) => (s.activeDeadlineSeconds = 200), 'spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value'],
    ['a dropped deadline', (s) => delete s.activeDeadlineSeconds, 'spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value'],
    ['a removed toleration', (s) => (s.tolerations = []), 'spec.tolerations[0]: Forbidden: existing toleration can not be modified except its tolerationSeconds'],
    ['an added gate', (s) => s.schedulingGates!.push({ name: 'h' }), "spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate 'h'"],
  ])('refuses %s', (_what, change, expected) => {
    const errs = update(change);
    expect(errs.some((e) => e.startsWith(expected)), errs.join('\n')).toBe(true);
  });

  it('names the changed field in the diff', () => {
    expect(update((s) => (s.nodeName = 'n1'))[0]).toContain('+ \tnodeName: "n1"');
  });
});

describe('kubectl get pods columns', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const pod = (spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): ApiObject => ({ metadata: { name: 'p', ...meta }, spec, status });
  const running = (name: string, extra: Record<string, unknown> = {}) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: at(10) } }, ...extra });
  const two = { containers: [{ name: 'a' }, { name: 'b' }] };

  it.each<[string, ApiObject, string, string, string]>([
    ['pending', pod(two, { phase: 'Pending' }), '0/2', 'Pending', '0'],
    ['creating', pod(two, { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }, { name: 'b', state: { waiting: { reason: 'ContainerCreating' } } }] }), '0/2', 'ContainerCreating', '0'],
    ['running', pod(two, { phase: 'Running', containerStatuses: [running('a'), running('b')] }), '2/2', 'Running', '0'],
    ['crash looping', pod(two, { phase: 'Running', containerStatuses: [running('a'), { name: 'b', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(5) } } }] }), '1/2', 'CrashLoopBackOff', '5 (5m ago)'],
    ['completed', pod({ containers: [{ name: 'a' }] }, { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), '0/1', 'Completed', '0'],
    ['error', pod({ containers: [{ name: 'a' }] }, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2, reason: 'Error' } } }] }), '0/1', 'Error', '0'],
    ['exit code', pod({ containers: [{ name: 'a' }] }, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }] }), '0/1', 'ExitCode:3', '0'],
    ['initializing', pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] }), '0/1', 'Init:1/2', '0'],
    ['init failed', pod({ initContainers: [{ name: 'i1' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 2, state: { terminated: { exitCode: 1, reason: 'Error' } }, lastState: { terminated: { exitCode: 1, finishedAt: at(120) } } }] }), '0/1', 'Init:Error', '2 (120m ago)'],
    ['init crash loop', pod({ initContainers: [{ name: 'i1' }], containers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), '0/1', 'Init:CrashLoopBackOff', '0'],
    ['sidecar', pod({ initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] }, { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [running('s', { started: true, restartCount: 1 })], containerStatuses: [running('a')] }), '2/2', 'Running', '1'],
    ['terminating', pod(two, { phase: 'Running', containerStatuses: [running('a'), running('b')] }, { deletionTimestamp: at(1) }), '2/2', 'Terminating', '0'],
    ['node lost', pod(two, { phase: 'Running', reason: 'NodeLost' }), '0/2', 'NodeLost', '0'],
    ['node lost while deleting', pod(two, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: at(1) }), '0/2', 'Unknown', '0'],
    ['evicted', pod(two, { phase: 'Failed', reason: 'Evicted' }, { deletionTimestamp: at(1) }), '0/2', 'Evicted', '0'],
    ['completed but one running', pod(two, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [running('a'), { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), '1/2', 'NotReady', '0'],
  ])('%s', (_what, p, ready, status, restarts) => {
    expect(podSummary(p, now)).toEqual({ ready, status, restarts });
  });

  it('prints the wide columns with <none> for what is not there yet', () => {
    const cells = POD.columns.map((c) => c.cell({ metadata: { name: 'p', creationTimestamp: new Date().toISOString() }, spec: { containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'x/y' }] }, status: { phase: 'Pending', conditions: [{ type: 'x/y', status: 'True' }] } }));
    expect(POD.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '1/1']);
    expect(POD.columns.filter((c) => c.wide).length).toBe(4);
  });

  it('prints pod templates as kubectl does', () => {
    const t: ApiObject = { metadata: { name: 't' }, template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [web, { name: 'side', image: 'envoy' }] } } };
    expect(TEMPLATE.columns.map((c) => [c.name, c.cell(t)])).toEqual([['Name', 't'], ['Containers', 'web,side'], ['Images', 'nginx:1.27,envoy'], ['Pod Labels', 'a=1,b=2']]);
  });
});

describe('pod schemas', () => {
  it('serves pods, podtemplates and create-only bindings as upstream discovery does', () => {
    expect(POD).toMatchObject({ resource: 'pods', shortNames: ['po'], categories: ['all'], subresources: { status: true } });
    expect(findKind('v1', 'Binding')).toMatchObject({ resource: 'bindings', verbs: ['create'] });
  });

  it('validates binding targets', () => {
    const binding = findKind('v1', 'Binding')!;
    const errs = (target: Record<string, unknown>) => validate(binding, { metadata: { name: 'p', namespace: 'default' }, target }).map((e) => `${e.field}: ${e.message}`);
    expect(errs({ kind: 'Node', name: 'n1' })).toEqual([]);
    expect(errs({ kind: 'Node' })).toEqual(['target.name: Required value']);
    expect(errs({ kind: 'Pod', name: 'x' })).toEqual(['target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"']);
  });

  it('has upstream protobuf numbers and merge semantics on the fields kubectl sends', () => {
    const spec = namedMessage('io.k8s.api.core.v1.PodSpec');
    expect([spec[2]?.name, spec[20]?.name, spec[34]?.name, spec[41]?.name]).toEqual(['containers', 'initContainers', 'ephemeralContainers', 'hostnameOverride']);
    const c = namedMessage('io.k8s.api.core.v1.Container');
    expect([c[1]?.name, c[2]?.name, c[6]?.name, c[19]?.name, c[24]?.name, c[25]?.name]).toEqual(['name', 'image', 'ports', 'envFrom', 'restartPolicy', 'restartPolicyRules']);
    const ports = DEFINITIONS['io.k8s.api.core.v1.Container']!.properties!.ports!;
    expect(ports).toMatchObject({ patchMergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] });
    expect(DEFINITIONS['io.k8s.api.core.v1.PodSpec']!.properties!.volumes).toMatchObject({ patchStrategy: 'merge,retainKeys', listMapKeys: ['name'] });
    expect(DEFINITIONS['io.k8s.api.core.v1.PodSpec']!.properties!.nodeSelector!.mapType).toBe('atomic');
  });

  it('lists where protobuf nests the inlined fields, for every inlined field', () => {
    for (const [schema, nested] of Object.entries(POD_EMBEDDED_PROTO)) {
      const props = DEFINITIONS[schema]!.properties!;
      for (const fields of Object.values(nested)) {
        for (const name of Object.keys(fields)) expect(props[name]?.proto, `${schema}.${name}`).toBeUndefined();
      }
      const unnumbered = Object.entries(props).filter(([, s]) => !s.proto).map(([k]) => k);
      expect(unnumbered.sort(), schema).toEqual(Object.values(nested).flatMap((f) => Object.keys(f)).sort());
    }
    expect(POD_EMBEDDED_PROTO['io.k8s.api.core.v1.Volume']![2]!.configMap).toBe(19);
    expect(POD_EMBEDDED_PROTO['io.k8s.api.core.v1.EphemeralContainer']![1]!.image).toBe(2);
  });
});
