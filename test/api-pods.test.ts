// Pods, PodTemplates and their whole spec tree on the apiserver with a real etcd, driven by real
// kubectl 1.34: protobuf creates, strict-validation applies of a realistic manifest, server-side
// rejections, printer columns and explain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
let kc: string;
const NS = 'pods';

const FULL_POD = `apiVersion: v1
kind: Pod
metadata:
  name: shop
  namespace: ${NS}
  labels: {app: shop, tier: web}
  annotations: {example.com/owner: team-a}
spec:
  initContainers:
  - name: migrate
    image: registry.example.com/shop/migrate:2.3
    command: ["/bin/migrate", "--to=latest"]
    envFrom:
    - configMapRef: {name: shop-config}
    - secretRef: {name: shop-db, optional: true}
      prefix: DB_
  - name: log-shipper
    image: fluent/fluent-bit:3.1
    restartPolicy: Always
    volumeMounts:
    - {name: logs, mountPath: /var/log/shop, readOnly: true}
    startupProbe:
      exec: {command: ["/fluent-bit/bin/fluent-bit", "--version"]}
  containers:
  - name: web
    image: registry.example.com/shop/web:2.3
    imagePullPolicy: Always
    args: ["--port=8080"]
    workingDir: /app
    ports:
    - {name: http, containerPort: 8080}
    - {name: metrics, containerPort: 9090, protocol: TCP}
    - {name: dns, containerPort: 5353, protocol: UDP}
    env:
    - {name: MODE, value: production}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: MEM_LIMIT
      valueFrom: {resourceFieldRef: {containerName: web, resource: limits.memory, divisor: 1Mi}}
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: shop-db, key: password}}
    - name: FEATURE
      valueFrom: {configMapKeyRef: {name: shop-config, key: feature, optional: true}}
    resources:
      requests: {cpu: 250m, memory: 256Mi}
      limits: {cpu: "1", memory: 512Mi, ephemeral-storage: 1Gi}
    resizePolicy:
    - {resourceName: cpu, restartPolicy: NotRequired}
    - {resourceName: memory, restartPolicy: RestartContainer}
    volumeMounts:
    - {name: data, mountPath: /app/data}
    - {name: config, mountPath: /app/config, readOnly: true}
    - {name: logs, mountPath: /var/log/shop}
    - {name: projected, mountPath: /var/run/shop}
    - {name: cache, mountPath: /cache, subPath: web}
    livenessProbe:
      httpGet:
        path: /healthz
        port: http
        httpHeaders: [{name: X-Probe, value: liveness}]
      initialDelaySeconds: 10
      periodSeconds: 20
      terminationGracePeriodSeconds: 15
    readinessProbe:
      grpc: {port: 9090, service: shop}
      failureThreshold: 5
    startupProbe:
      tcpSocket: {port: 8080}
      failureThreshold: 30
      periodSeconds: 2
    lifecycle:
      postStart:
        exec: {command: ["/bin/sh", "-c", "echo started"]}
      preStop:
        sleep: {seconds: 5}
    securityContext:
      runAsNonRoot: true
      runAsUser: 1000
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
      seccompProfile: {type: RuntimeDefault}
    terminationMessagePolicy: FallbackToLogsOnError
    stdin: false
    tty: false
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: shop-data}
  - name: config
    configMap:
      name: shop-config
      items: [{key: app.yaml, path: app.yaml, mode: 0444}]
  - name: logs
    emptyDir: {medium: Memory, sizeLimit: 64Mi}
  - name: projected
    projected:
      defaultMode: 0440
      sources:
      - serviceAccountToken: {audience: shop, expirationSeconds: 7200, path: token}
      - secret:
          name: shop-tls
          items: [{key: tls.crt, path: tls.crt}]
      - downwardAPI:
          items: [{path: labels, fieldRef: {apiVersion: v1, fieldPath: metadata.labels}}]
      - configMap: {name: shop-ca}
  - name: cache
    ephemeral:
      volumeClaimTemplate:
        metadata: {labels: {app: shop}}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: fast
          resources: {requests: {storage: 5Gi}}
  - name: host-certs
    hostPath: {path: /etc/ssl/certs, type: Directory}
  - name: secret-files
    secret: {secretName: shop-files, optional: true}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - {key: kubernetes.io/os, operator: In, values: [linux]}
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 50
        preference:
          matchExpressions: [{key: node-type, operator: NotIn, values: [spot]}]
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector: {matchLabels: {app: shop}}
  tolerations:
  - {key: dedicated, operator: Equal, value: shop, effect: NoSchedule}
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 120}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector: {matchLabels: {app: shop}}
    nodeAffinityPolicy: Honor
  securityContext:
    fsGroup: 2000
    runAsGroup: 3000
    supplementalGroups: [4000]
    fsGroupChangePolicy: OnRootMismatch
    sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65000"}]
  dnsPolicy: None
  dnsConfig:
    nameservers: [10.96.0.10]
    searches: [shop.svc.cluster.local]
    options: [{name: ndots, value: "2"}]
  hostAliases:
  - {ip: 10.0.0.5, hostnames: [db.internal]}
  imagePullSecrets: [{name: registry-creds}]
  serviceAccountName: shop
  automountServiceAccountToken: false
  priorityClassName: system-cluster-critical
  readinessGates: [{conditionType: example.com/lb-ready}]
  terminationGracePeriodSeconds: 45
  activeDeadlineSeconds: 86400
  restartPolicy: Always
  os: {name: linux}
  enableServiceLinks: false
  shareProcessNamespace: true
  hostname: shop-0
  subdomain: shop
`;

/** A minimal protobuf writer for the test's hand-made bodies. */
const varint = (n: number): Buffer => {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
};
const bytes = (field: number, b: Buffer | string): Buffer => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([varint((field << 3) | 2), varint(buf.length), buf]);
};
const msg = (field: number, ...parts: Buffer[]): Buffer => bytes(field, Buffer.concat(parts));
const num = (field: number, n: number): Buffer => Buffer.concat([varint(field << 3), varint(n)]);
const entry = (field: number, key: string, value: Buffer) => msg(field, bytes(1, key), value);

/** A Pod as client-go's protobuf encoding writes it, with the field numbers of Kubernetes 1.34. */
function protobufPod(): Buffer {
  const quantity = (s: string) => msg(2, bytes(1, s));
  const container = msg(
    2,
    bytes(1, 'app'),
    bytes(2, 'busybox:1.36'),
    bytes(3, 'sleep'),
    bytes(3, '3600'),
    msg(6, bytes(1, 'http'), num(3, 8080), bytes(4, 'TCP')),
    msg(7, bytes(1, 'GREETING'), bytes(2, 'hello')),
    msg(8, entry(1, 'cpu', quantity('500m')), entry(2, 'memory', quantity('64Mi'))),
    msg(9, bytes(1, 'scratch'), num(2, 1), bytes(3, '/scratch')),
    bytes(14, 'Always'),
    msg(15, num(4, 0), num(5, 1)),
  );
  const init = msg(20, bytes(1, 'sidecar'), bytes(2, 'envoy:1.31'), bytes(24, 'Always'));
  const spec = msg(
    2,
    msg(1, bytes(1, 'scratch')),
    container,
    init,
    bytes(3, 'OnFailure'),
    num(4, 0),
    entry(7, 'disk', bytes(2, 'ssd')),
    msg(22, bytes(1, 'dedicated'), bytes(2, 'Exists'), bytes(4, 'NoExecute'), num(5, 30)),
    num(30, 0),
    bytes(41, 'custom-host'),
  );
  const pod = Buffer.concat([msg(1, bytes(1, 'proto'), entry(11, 'via', bytes(2, 'protobuf'))), spec]);
  const envelope = Buffer.concat([msg(1, bytes(1, 'v1'), bytes(2, 'Pod')), bytes(2, pod)]);
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), envelope]);
}

describe.sequential('pods with real kubectl', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
    kc = api.kubeconfig;
    const ns = await kubectl(kc, ['create', 'namespace', NS]);
    expect(ns.code, ns.stderr).toBe(0);
    // FULL_POD runs as its own service account; admission refuses pods whose account is missing.
    const sa = await kubectl(kc, ['-n', NS, 'create', 'serviceaccount', 'shop']);
    expect(sa.code, sa.stderr).toBe(0);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('creates a pod with kubectl run and stores the upstream defaults', async () => {
    const run = await kubectl(kc, ['-n', NS, 'run', 'web', '--image=nginx:1.27', '--port=80', '--labels=app=web']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('pod/web created');
    const yaml = await kubectl(kc, ['-n', NS, 'get', 'pod', 'web', '-o', 'yaml']);
    expect(yaml.code, yaml.stderr).toBe(0);
    const pod = parse(yaml.stdout);
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    expect(pod.spec).toMatchObject({
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(pod.metadata.generation).toBe(1);
  });

  it('decodes a protobuf Pod with upstream field numbers', async () => {
    const r = await api.raw('POST', `/api/v1/namespaces/${NS}/pods`, { body: protobufPod(), contentType: 'application/vnd.kubernetes.protobuf', accept: 'application/json' });
    expect(r.code, r.body).toBe(201);
    const pod = JSON.parse(r.body);
    expect(pod.metadata).toMatchObject({ name: 'proto', labels: { via: 'protobuf' } });
    expect(pod.spec).toMatchObject({
      // Service-account admission adds the API access volume and mounts it in every container.
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: expect.stringMatching(/^kube-api-access-/), projected: expect.objectContaining({ defaultMode: 420 }) }],
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          command: ['sleep', '3600'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'GREETING', value: 'hello' }],
          resources: { limits: { cpu: '500m' }, requests: { cpu: '500m', memory: '64Mi' } },
          volumeMounts: [{ name: 'scratch', readOnly: true, mountPath: '/scratch' }, { name: expect.stringMatching(/^kube-api-access-/), readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
          imagePullPolicy: 'Always',
          securityContext: { runAsUser: 0, runAsNonRoot: true },
        },
      ],
      initContainers: [{ name: 'sidecar', image: 'envoy:1.31', restartPolicy: 'Always' }],
      restartPolicy: 'OnFailure',
      terminationGracePeriodSeconds: 0,
      nodeSelector: { disk: 'ssd' },
      tolerations: [
        { key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
        // DefaultTolerationSeconds admission.
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      enableServiceLinks: false,
      hostnameOverride: 'custom-host',
    });
    expect(pod.status.qosClass).toBe('Burstable');
    expect((await kubectl(kc, ['-n', NS, 'delete', 'pod', 'proto'])).code).toBe(0);
  });

  it('applies a large realistic pod under strict validation and round-trips it', async () => {
    const first = await kubectl(kc, ['apply', '-f', '-'], FULL_POD);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('pod/shop created');
    expect(first.stderr).toBe('');
    const again = await kubectl(kc, ['apply', '-f', '-'], FULL_POD);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('pod/shop unchanged');

    const pod = JSON.parse((await kubectl(kc, ['-n', NS, 'get', 'pod', 'shop', '-o', 'json'])).stdout);
    const sent = parse(FULL_POD);
    const web = pod.spec.containers[0];
    expect(web.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
    ]);
    expect(web.env).toEqual(sent.spec.containers[0].env.map((e: { valueFrom?: { fieldRef?: object } }) => (e.valueFrom?.fieldRef ? { ...e, valueFrom: { fieldRef: { apiVersion: 'v1', ...e.valueFrom.fieldRef } } } : e)));
    expect(web.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '1Gi' } });
    expect(web.resizePolicy).toEqual(sent.spec.containers[0].resizePolicy);
    expect(web.livenessProbe).toEqual({ ...sent.spec.containers[0].livenessProbe, httpGet: { ...sent.spec.containers[0].livenessProbe.httpGet, scheme: 'HTTP' }, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(web.readinessProbe).toEqual({ grpc: { port: 9090, service: 'shop' }, failureThreshold: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1 });
    expect(web.lifecycle).toEqual(sent.spec.containers[0].lifecycle);
    expect(web.securityContext).toEqual(sent.spec.containers[0].securityContext);
    expect(pod.spec.initContainers[1]).toMatchObject({ name: 'log-shipper', restartPolicy: 'Always' });
    expect(pod.spec.volumes.map((v: Record<string, unknown>) => Object.keys(v).find((k) => k !== 'name'))).toEqual(['persistentVolumeClaim', 'configMap', 'emptyDir', 'projected', 'ephemeral', 'hostPath', 'secret']);
    expect(pod.spec.volumes[1].configMap).toEqual({ name: 'shop-config', items: [{ key: 'app.yaml', path: 'app.yaml', mode: 0o444 }], defaultMode: 420 });
    expect(pod.spec.volumes[3].projected.defaultMode).toBe(0o440);
    expect(pod.spec.volumes[4].ephemeral.volumeClaimTemplate.spec).toEqual({ ...sent.spec.volumes[4].ephemeral.volumeClaimTemplate.spec, volumeMode: 'Filesystem' });
    expect(pod.spec.volumes[6].secret).toEqual({ secretName: 'shop-files', optional: true, defaultMode: 420 });
    // The pod tolerates not-ready and unreachable nodes itself: admission adds no default tolerations.
    for (const key of ['affinity', 'tolerations', 'topologySpreadConstraints', 'securityContext', 'dnsConfig', 'hostAliases', 'imagePullSecrets', 'readinessGates', 'os']) {
      expect(pod.spec[key], key).toEqual(sent.spec[key]);
    }
    expect(pod.spec).toMatchObject({ priority: 2000000000, enableServiceLinks: false, terminationGracePeriodSeconds: 45, dnsPolicy: 'None', shareProcessNamespace: true });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'Burstable' });
  });

  it('rejects broken pods with 422 and the cause paths', async () => {
    const bad = `apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: ${NS}}
spec:
  containers:
  - {name: web, image: nginx, ports: [{containerPort: 70000}]}
  - {name: web}
`;
    const r = await kubectl(kc, ['apply', '-f', '-'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Pod "bad" is invalid');
    expect(r.stderr).toContain('spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
    expect(r.stderr).toContain('spec.containers[1].image: Required value');
    expect(r.stderr).toContain('spec.containers[1].name: Duplicate value: "web"');

    const post = await api.raw('POST', `/api/v1/namespaces/${NS}/pods`, {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad2' }, spec: { containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }], restartPolicy: 'Sometimes' } }),
    });
    expect(post.code).toBe(422);
    const status = JSON.parse(post.body);
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'spec.restartPolicy', reason: 'FieldValueNotSupported' })]));
    const strict = await kubectl(kc, ['apply', '-f', '-'], `apiVersion: v1\nkind: Pod\nmetadata: {name: typo, namespace: ${NS}}\nspec:\n  containers:\n  - {name: c, image: x, imagePullPolcy: Always}\n`);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('unknown field "spec.containers[0].imagePullPolcy"');
    const mount = await api.raw('POST', `/api/v1/namespaces/${NS}/pods`, {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad3' }, spec: { containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } }),
    });
    expect(mount.code).toBe(422);
    expect(JSON.parse(mount.body).details.causes).toEqual([{ reason: 'FieldValueNotFound', message: 'Not found: "data"', field: 'spec.containers[0].volumeMounts[0].name' }]);
    const list = JSON.parse((await kubectl(kc, ['-n', NS, 'get', 'pods', '-o', 'json'])).stdout);
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort()).toEqual(['shop', 'web']);
  });

  it('lets updates change images and refuses other spec changes', async () => {
    const ok = await kubectl(kc, ['-n', NS, 'patch', 'pod', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.28"}]']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await kubectl(kc, ['-n', NS, 'get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image} {.metadata.generation}'])).stdout).toBe('nginx:1.28 2');
    const no = await kubectl(kc, ['-n', NS, 'patch', 'pod', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/containers/0/ports/0/containerPort","value":81}]']);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`');
  });

  it('prints kubectl get pods columns, wide ones included', async () => {
    const g = await kubectl(kc, ['-n', NS, 'get', 'pods']);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(g.stdout).toMatch(/^shop\s+0\/2\s+Pending\s+0\s+\d+s$/m);
    expect(g.stdout).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const w = await kubectl(kc, ['-n', NS, 'get', 'pods', '-o', 'wide']);
    expect(w.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
    expect(w.stdout).toMatch(/^shop\s+0\/2\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+0\/1$/m);
    expect(w.stdout).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/m);
    const short = await kubectl(kc, ['-n', NS, 'get', 'po', '-l', 'app=web', '-o', 'name']);
    expect(short.stdout.trim()).toBe('pod/web');
  });

  it('stores pod templates and lists them as kubectl does', async () => {
    const t = await kubectl(
      kc,
      ['apply', '-f', '-'],
      `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: batch, namespace: ${NS}}\ntemplate:\n  metadata: {labels: {app: batch, tier: jobs}}\n  spec:\n    restartPolicy: Never\n    containers:\n    - {name: work, image: busybox:1.36, command: [sh, -c, "echo hi"]}\n    - {name: side, image: envoy:1.31}\n`,
    );
    expect(t.code, t.stderr).toBe(0);
    const g = await kubectl(kc, ['-n', NS, 'get', 'podtemplates']);
    expect(g.stdout).toMatch(/^NAME\s+CONTAINERS\s+IMAGES\s+POD LABELS$/m);
    expect(g.stdout).toMatch(/^batch\s+work,side\s+busybox:1\.36,envoy:1\.31\s+app=batch,tier=jobs$/m);
    const spec = JSON.parse((await kubectl(kc, ['-n', NS, 'get', 'podtemplate', 'batch', '-o', 'json'])).stdout).template.spec;
    expect(spec).toMatchObject({ restartPolicy: 'Never', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
    expect(spec.enableServiceLinks).toBeUndefined();
    expect(spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  it('explains the pod schema from OpenAPI', async () => {
    const e = await kubectl(kc, ['explain', 'pod.spec.containers.livenessProbe']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/KIND:\s+Pod/);
    expect(e.stdout).toMatch(/FIELD:\s+livenessProbe <Probe>/);
    for (const field of ['exec', 'failureThreshold', 'grpc', 'httpGet', 'initialDelaySeconds', 'periodSeconds', 'successThreshold', 'tcpSocket', 'terminationGracePeriodSeconds', 'timeoutSeconds']) {
      expect(e.stdout).toMatch(new RegExp(`^ {2}${field}\\s+<`, 'm'));
    }
    const ports = await kubectl(kc, ['explain', 'pod.spec.containers.ports.protocol']);
    expect(ports.stdout).toMatch(/ENUM:\s*\n\s+SCTP\s*\n\s+TCP\s*\n\s+UDP/);
    const vol = await kubectl(kc, ['explain', 'pod.spec.volumes.hostPath']);
    expect(vol.stdout).toMatch(/^ {2}path\s+<string> -required-$/m);
    expect(vol.stdout).toMatch(/^ {2}type\s+<string>$/m);
  });

  it('lists pods, podtemplates and bindings in api-resources', async () => {
    const r = await kubectl(kc, ['api-resources', '--api-group=']);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).toMatch(/^podtemplates\s+v1\s+true\s+PodTemplate$/m);
    expect(r.stdout).toMatch(/^bindings\s+v1\s+true\s+Binding$/m);
  });
});
