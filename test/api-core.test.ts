// core/v1 services, endpoints, nodes, storage, quotas, events, service accounts and replication
// controllers, events.k8s.io Events and discovery.k8s.io EndpointSlices, on a real etcd, driven by
// real kubectl 1.34: protobuf bodies from `kubectl create`, full manifests under strict field
// validation, the columns of `kubectl get`, OpenAPI through `kubectl explain`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
let kc: string;
const k = (...args: string[]) => kubectl(kc, args);
const json = async (...args: string[]) => {
  const r = await k(...args, '-o', 'json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

const NS = 'core';
const UID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';

/** Manifests as users write them, with most of each kind's fields set. */
const MANIFESTS = `
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: ${NS}
  labels: { app: shop }
spec:
  type: LoadBalancer
  selector: { app: shop }
  ports:
  - { name: http, port: 80, targetPort: http, protocol: TCP, appProtocol: http }
  - { name: https, port: 443, targetPort: 8443 }
  sessionAffinity: ClientIP
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 3600 } }
  externalTrafficPolicy: Local
  internalTrafficPolicy: Cluster
  loadBalancerSourceRanges: [10.0.0.0/8]
  loadBalancerClass: example.com/lb
  allocateLoadBalancerNodePorts: false
  publishNotReadyAddresses: false
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv4]
  trafficDistribution: PreferClose
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: ${NS} }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  volumeMode: Filesystem
  resources:
    requests: { storage: 3Gi }
    limits: { storage: 5Gi }
  selector: { matchLabels: { type: local } }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: task-pv, labels: { type: local } }
spec:
  storageClassName: manual
  capacity: { storage: 10240Mi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  volumeMode: Filesystem
  mountOptions: [noatime]
  hostPath: { path: /mnt/data, type: DirectoryOrCreate }
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - { key: kubernetes.io/hostname, operator: In, values: [kind-worker] }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: csi-pv }
spec:
  capacity: { storage: 5Gi }
  accessModes: [ReadWriteMany]
  claimRef: { namespace: ${NS}, name: data }
  volumeAttributesClassName: gold
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: nfs.example.com/exports
    fsType: ext4
    volumeAttributes: { server: nfs.example.com, share: /exports }
    nodePublishSecretRef: { name: nfs-creds, namespace: ${NS} }
---
apiVersion: v1
kind: LimitRange
metadata: { name: limits, namespace: ${NS} }
spec:
  limits:
  - type: Container
    max: { cpu: "2", memory: 1Gi }
    min: { cpu: 50m, memory: 32Mi }
    default: { cpu: 500m }
    maxLimitRequestRatio: { cpu: "10" }
  - type: PersistentVolumeClaim
    max: { storage: 20Gi }
    min: { storage: 1Gi }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: compute, namespace: ${NS} }
spec:
  hard: { requests.cpu: "4", requests.memory: 8Gi, limits.cpu: "8", limits.memory: 16Gi, pods: "20", count/deployments.apps: "5" }
  scopeSelector:
    matchExpressions:
    - { scopeName: PriorityClass, operator: In, values: [high, medium] }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: deployer, namespace: ${NS} }
secrets: [{ name: deployer-token }]
imagePullSecrets: [{ name: regcred }]
automountServiceAccountToken: false
---
apiVersion: v1
kind: Endpoints
metadata: { name: legacy, namespace: ${NS} }
subsets:
- addresses:
  - ip: 10.244.1.5
    hostname: web-0
    nodeName: kind-worker
    targetRef: { kind: Pod, name: web-0, namespace: ${NS}, uid: ${UID} }
  notReadyAddresses:
  - ip: 10.244.2.7
  ports:
  - { name: http, port: 8080, protocol: TCP, appProtocol: http }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: shop-abc12
  namespace: ${NS}
  labels: { kubernetes.io/service-name: shop, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io }
addressType: IPv4
endpoints:
- addresses: [10.244.1.5]
  conditions: { ready: true, serving: true, terminating: false }
  hostname: web-0
  nodeName: kind-worker
  zone: zone-a
  targetRef: { kind: Pod, name: web-0, namespace: ${NS}, uid: ${UID} }
  hints: { forZones: [{ name: zone-a }], forNodes: [{ name: kind-worker }] }
- addresses: [10.244.2.7]
  conditions: { ready: false }
ports:
- { name: http, port: 8080, protocol: TCP, appProtocol: http }
---
apiVersion: v1
kind: Node
metadata:
  name: kind-worker
  labels: { kubernetes.io/hostname: kind-worker, kubernetes.io/os: linux, kubernetes.io/arch: amd64, node-role.kubernetes.io/worker: "" }
  annotations: { node.alpha.kubernetes.io/ttl: "0", volumes.kubernetes.io/controller-managed-attach-detach: "true" }
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24]
  providerID: kind://docker/kind/kind-worker
  taints: [{ key: example.com/dedicated, value: batch, effect: NoSchedule }]
status:
  capacity: { cpu: "4", ephemeral-storage: 100Gi, hugepages-2Mi: "0", memory: 16Gi, pods: "110" }
  allocatable: { cpu: "4", ephemeral-storage: 100Gi, hugepages-2Mi: "0", memory: 16Gi, pods: "110" }
  conditions:
  - { type: MemoryPressure, status: "False", lastHeartbeatTime: "2026-01-01T00:00:00Z", lastTransitionTime: "2026-01-01T00:00:00Z", reason: KubeletHasSufficientMemory, message: kubelet has sufficient memory available }
  - { type: Ready, status: "True", lastHeartbeatTime: "2026-01-01T00:00:00Z", lastTransitionTime: "2026-01-01T00:00:00Z", reason: KubeletReady, message: kubelet is posting ready status }
  addresses: [{ type: InternalIP, address: 172.18.0.3 }, { type: Hostname, address: kind-worker }]
  daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }
  nodeInfo:
    machineID: 8d5a3b1e6f2c4b0a9e7d6c5b4a392817
    systemUUID: 4c4c4544-0042-3510-8052-b4c04f4d4d32
    bootID: 0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d
    kernelVersion: 6.8.0-45-generic
    osImage: Debian GNU/Linux 12 (bookworm)
    containerRuntimeVersion: containerd://2.1.3
    kubeletVersion: v1.34.0
    kubeProxyVersion: ""
    operatingSystem: linux
    architecture: amd64
    swap: { capacity: 0 }
  images: [{ names: [registry.k8s.io/kube-proxy:v1.34.0], sizeBytes: 30000000 }]
  volumesInUse: [kubernetes.io/csi/nfs.csi.k8s.io^vol-1]
  volumesAttached: [{ name: kubernetes.io/csi/nfs.csi.k8s.io^vol-1, devicePath: "" }]
  runtimeHandlers: [{ name: runc, features: { recursiveReadOnlyMounts: true, userNamespaces: true } }]
  features: { supplementalGroupsPolicy: true }
---
apiVersion: v1
kind: Event
metadata: { name: web-1.pulled, namespace: ${NS} }
involvedObject: { apiVersion: v1, kind: Pod, name: web-1, namespace: ${NS}, uid: ${UID}, resourceVersion: "1234", fieldPath: "spec.containers{web}" }
reason: Pulled
message: Successfully pulled image "nginx:1.27"
source: { component: kubelet, host: kind-worker }
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:05Z"
count: 2
type: Normal
reportingComponent: kubelet
reportingInstance: kind-worker
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: { name: web-1.scheduled, namespace: ${NS} }
eventTime: "2026-01-01T00:00:00.000000Z"
reportingController: default-scheduler
reportingInstance: default-scheduler-kind-control-plane
action: Binding
reason: Scheduled
type: Normal
regarding: { apiVersion: v1, kind: Pod, name: web-1, namespace: ${NS}, uid: ${UID} }
note: Successfully assigned ${NS}/web-1 to kind-worker
---
apiVersion: v1
kind: ReplicationController
metadata: { name: web-rc, namespace: ${NS} }
spec:
  replicas: 2
  minReadySeconds: 5
  selector: { app: web-rc }
  template:
    metadata: { labels: { app: web-rc } }
    spec:
      containers:
      - { name: web, image: "nginx:1.27", ports: [{ containerPort: 80 }] }
`;

describe.sequential('core/v1, events.k8s.io and discovery.k8s.io with real kubectl', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
    kc = api.kubeconfig;
    const ns = await k('create', 'namespace', NS);
    expect(ns.code, ns.stderr).toBe(0);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('lists the kinds with their short names in kubectl api-resources', async () => {
    const r = await k('api-resources');
    expect(r.code, r.stderr).toBe(0);
    for (const line of [
      /^componentstatuses\s+cs\s+v1\s+false\s+ComponentStatus$/, /^endpoints\s+ep\s+v1\s+true\s+Endpoints$/, /^events\s+ev\s+v1\s+true\s+Event$/,
      /^limitranges\s+limits\s+v1\s+true\s+LimitRange$/, /^nodes\s+no\s+v1\s+false\s+Node$/, /^persistentvolumeclaims\s+pvc\s+v1\s+true\s+PersistentVolumeClaim$/,
      /^persistentvolumes\s+pv\s+v1\s+false\s+PersistentVolume$/, /^replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController$/,
      /^resourcequotas\s+quota\s+v1\s+true\s+ResourceQuota$/, /^serviceaccounts\s+sa\s+v1\s+true\s+ServiceAccount$/, /^services\s+svc\s+v1\s+true\s+Service$/,
      /^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/, /^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/,
    ]) expect(r.stdout).toMatch(new RegExp(line.source, 'm'));
  });

  it('creates services from the protobuf bodies of kubectl create service and prints them', async () => {
    const c = await k('-n', NS, 'create', 'service', 'clusterip', 'web', '--tcp=80:8080');
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('service/web created');
    const n = await k('-n', NS, 'create', 'service', 'nodeport', 'web-np', '--tcp=80:8080', '--node-port=30080');
    expect(n.code, n.stderr).toBe(0);
    const x = await k('-n', NS, 'create', 'service', 'externalname', 'ext', '--external-name', 'db.example.com');
    expect(x.code, x.stderr).toBe(0);
    const g = await k('-n', NS, 'get', 'svc');
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(g.stdout).toMatch(/^web\s+ClusterIP\s+(\d+\.\d+\.\d+\.\d+|<none>)\s+<none>\s+80\/TCP\s+\d+s$/m);
    expect(g.stdout).toMatch(/^web-np\s+NodePort\s+(\d+\.\d+\.\d+\.\d+|<none>)\s+<none>\s+80:30080\/TCP\s+\d+s$/m);
    expect(g.stdout).toMatch(/^ext\s+ExternalName\s+<none>\s+db\.example\.com\s+<none>\s+\d+s$/m);
    const wide = await k('-n', NS, 'get', 'svc', 'web', '-o', 'wide');
    expect(wide.stdout).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\nweb\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\d+s\s+app=web$/m);

    const web = await json('-n', NS, 'get', 'svc', 'web');
    expect(web.spec).toMatchObject({
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      selector: { app: 'web' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    expect(web.spec).not.toHaveProperty('externalTrafficPolicy');
    const np = await json('-n', NS, 'get', 'svc', 'web-np');
    expect(np.spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 30080, targetPort: 8080, protocol: 'TCP' }] });
    const yaml = await k('-n', NS, 'get', 'svc', 'web-np', '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^ {2}externalTrafficPolicy: Cluster$/m);
    expect(yaml.stdout).toMatch(/^ {2}sessionAffinity: None$/m);
  });

  it('applies full manifests of every kind under strict field validation', async () => {
    const a = await kubectl(kc, ['apply', '-f', '-'], MANIFESTS);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout.trim().split('\n')).toEqual([
      'service/shop created', 'persistentvolumeclaim/data created', 'persistentvolume/task-pv created', 'persistentvolume/csi-pv created',
      'limitrange/limits created', 'resourcequota/compute created', 'serviceaccount/deployer created', 'endpoints/legacy created',
      'endpointslice.discovery.k8s.io/shop-abc12 created', 'node/kind-worker created', 'event/web-1.pulled created',
      'event.events.k8s.io/web-1.scheduled created', 'replicationcontroller/web-rc created',
    ]);
    const again = await kubectl(kc, ['apply', '-f', '-'], MANIFESTS);
    expect(again.code, again.stderr).toBe(0);
    // The LimitRange's limits are an atomic list the server fills defaults into, and the PV's
    // capacity 10240Mi is stored canonical (10Gi), so kubectl's three-way patch sends them again on
    // every apply, as it does against a real cluster.
    const changed = again.stdout.trim().split('\n').filter((l) => !l.endsWith(' unchanged'));
    expect(changed).toEqual(['persistentvolume/task-pv configured', 'limitrange/limits configured']);
    const typo = await kubectl(kc, ['apply', '-f', '-'], `apiVersion: v1\nkind: Service\nmetadata: { name: typo, namespace: ${NS} }\nspec:\n  ports: [{ port: 80, targetPort: 80, nodeport: 30001 }]\n`);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('unknown field "spec.ports[0].nodeport"');
  });

  it('prints what was applied in the columns of kubectl get', async () => {
    const rows: [string[], RegExp, RegExp][] = [
      [['-n', NS, 'get', 'svc', 'shop'], /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m, /^shop\s+LoadBalancer\s+\S+\s+<pending>\s+80\/TCP,443\/TCP\s+\d+s$/m],
      [['get', 'pv'], /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE$/m, /^task-pv\s+10Gi\s+RWO\s+Retain\s+Pending\s+manual\s+<unset>\s+\d+s$/m],
      [['get', 'pv', 'csi-pv'], /^NAME\s+CAPACITY/m, /^csi-pv\s+5Gi\s+RWX\s+Retain\s+Pending\s+core\/data\s+gold\s+\d+s$/m],
      [['-n', NS, 'get', 'pvc'], /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/m, /^data\s+Pending\s+manual\s+<unset>\s+\d+s$/m],
      [['-n', NS, 'get', 'limits'], /^NAME\s+CREATED AT$/m, /^limits\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m],
      [['-n', NS, 'get', 'quota'], /^NAME\s+AGE\s+REQUEST\s+LIMIT$/m, /^compute\s+\d+s\s*$/m],
      [['-n', NS, 'get', 'sa', 'deployer'], /^NAME\s+SECRETS\s+AGE$/m, /^deployer\s+1\s+\d+s$/m],
      [['-n', NS, 'get', 'ep', 'legacy'], /^NAME\s+ENDPOINTS\s+AGE$/m, /^legacy\s+10\.244\.1\.5:8080\s+\d+s$/m],
      [['-n', NS, 'get', 'endpointslices'], /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m, /^shop-abc12\s+IPv4\s+8080\s+10\.244\.1\.5,10\.244\.2\.7\s+\d+s$/m],
      [['get', 'nodes'], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m, /^kind-worker\s+Ready\s+worker\s+\d+s\s+v1\.34\.0$/m],
      [['get', 'nodes', '-o', 'wide'], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/m,
        /^kind-worker\s+Ready\s+worker\s+\d+s\s+v1\.34\.0\s+172\.18\.0\.3\s+<none>\s+Debian GNU\/Linux 12 \(bookworm\)\s+6\.8\.0-45-generic\s+containerd:\/\/2\.1\.3$/m],
      [['-n', NS, 'get', 'events'], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m, /^\S+\s+Normal\s+Pulled\s+pod\/web-1\s+Successfully pulled image "nginx:1\.27"$/m],
      [['-n', NS, 'get', 'events.events.k8s.io'], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m, /^\S+\s+Normal\s+Scheduled\s+pod\/web-1\s+Successfully assigned core\/web-1 to kind-worker$/m],
      [['-n', NS, 'get', 'rc'], /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m, /^web-rc\s+2\s+0\s+0\s+\d+s$/m],
    ];
    for (const [args, header, row] of rows) {
      const g = await k(...args);
      expect(g.code, `${args.join(' ')}: ${g.stderr}`).toBe(0);
      expect(g.stdout, args.join(' ')).toMatch(header);
      expect(g.stdout, args.join(' ')).toMatch(row);
    }
    const wideEvents = await k('-n', NS, 'get', 'events', '-o', 'wide');
    expect(wideEvents.stdout).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/m);
    expect(wideEvents.stdout).toMatch(/\s+pod\/web-1\s+spec\.containers\{web\}\s+kubelet, kind-worker\s+Successfully pulled image "nginx:1\.27"\s+\S+\s+2\s+web-1\.pulled$/m);
  });

  it('lists services and replication controllers in kubectl get all', async () => {
    const all = await k('-n', NS, 'get', 'all');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^replicationcontroller\/web-rc\s+2\s+0\s+0\s+\d+s$/m);
    expect(all.stdout).toMatch(/^service\/shop\s+LoadBalancer\s+/m);
    expect(all.stdout).not.toMatch(/^(endpoints|persistentvolumeclaim|serviceaccount)\//m);
  });

  it('fills the defaults users see in kubectl get -o yaml', async () => {
    const pv = await json('get', 'pv', 'csi-pv');
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(pv.status).toEqual({ phase: 'Pending' });
    const pvc = await json('-n', NS, 'get', 'pvc', 'data');
    expect(pvc.status).toEqual({ phase: 'Pending' });
    const limits = await json('-n', NS, 'get', 'limits', 'limits');
    expect(limits.spec.limits[0]).toMatchObject({ default: { cpu: '500m', memory: '1Gi' }, defaultRequest: { cpu: '500m', memory: '1Gi' } });
    const slice = await json('-n', NS, 'get', 'endpointslices', 'shop-abc12');
    expect(slice.endpoints[0]).toMatchObject({ conditions: { ready: true, serving: true, terminating: false }, hints: { forNodes: [{ name: 'kind-worker' }] } });
    const rc = await json('-n', NS, 'get', 'rc', 'web-rc');
    expect(rc.metadata.labels).toEqual({ app: 'web-rc' });
    const node = await json('get', 'node', 'kind-worker');
    expect(node.status.nodeInfo.swap).toEqual({ capacity: 0 });
    expect(node.spec.taints).toEqual([{ key: 'example.com/dedicated', value: 'batch', effect: 'NoSchedule' }]);
    const shop = await json('-n', NS, 'get', 'svc', 'shop');
    expect(shop.spec).toMatchObject({ allocateLoadBalancerNodePorts: false, trafficDistribution: 'PreferClose', sessionAffinityConfig: { clientIP: { timeoutSeconds: 3600 } } });
  });

  it('creates service accounts and quotas from kubectl create, and cordons nodes', async () => {
    const sa = await k('-n', NS, 'create', 'serviceaccount', 'builder');
    expect(sa.code, sa.stderr).toBe(0);
    expect(sa.stdout.trim()).toBe('serviceaccount/builder created');
    expect((await k('-n', NS, 'get', 'sa', 'builder')).stdout).toMatch(/^builder\s+0\s+\d+s$/m);
    const q = await k('-n', NS, 'create', 'quota', 'objects', '--hard=pods=10,requests.cpu=2', '--scopes=NotTerminating');
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout.trim()).toBe('resourcequota/objects created');
    const quota = await json('-n', NS, 'get', 'quota', 'objects');
    expect(quota.spec).toEqual({ hard: { pods: '10', 'requests.cpu': '2' }, scopes: ['NotTerminating'] });
    const bad = await k('-n', NS, 'create', 'quota', 'bad', '--hard=cpu=1', '--scopes=BestEffort');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.scopes: Invalid value: ["BestEffort"]: unsupported scope applied to resource');
    const cordon = await k('patch', 'node', 'kind-worker', '--type=merge', '-p', '{"spec":{"unschedulable":true}}');
    expect(cordon.code, cordon.stderr).toBe(0);
    expect((await k('get', 'nodes')).stdout).toMatch(/^kind-worker\s+Ready,SchedulingDisabled\s+worker\s+/m);
  });

  it('rejects bad services with 422 and the fields at fault', async () => {
    const post = async (spec: Record<string, unknown>) => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec });
      const r = await api.raw('POST', `/api/v1/namespaces/${NS}/services`, { body });
      const status = JSON.parse(r.body);
      return { code: r.code, reason: status.reason, causes: (status.details?.causes ?? []).map((c: { field: string; reason: string }) => `${c.field} ${c.reason}`) };
    };
    expect(await post({ selector: { app: 'x' } })).toEqual({ code: 422, reason: 'Invalid', causes: ['spec.ports FieldValueRequired'] });
    expect(await post({ ports: [{ port: 70000 }, { port: 81 }] })).toEqual({
      code: 422, reason: 'Invalid',
      causes: ['spec.ports[0].name FieldValueRequired', 'spec.ports[0].port FieldValueInvalid', 'spec.ports[0].targetPort FieldValueInvalid', 'spec.ports[1].name FieldValueRequired'],
    });
    expect(await post({ ports: [{ port: 80, nodePort: 30090 }] })).toMatchObject({ code: 422, causes: ['spec.ports[0].nodePort FieldValueForbidden'] });
    expect(await post({ type: 'Public', ports: [{ port: 80 }] })).toMatchObject({ code: 422, causes: ['spec.type FieldValueNotSupported'] });
    expect(await post({ type: 'ExternalName' })).toMatchObject({ code: 422, causes: ['spec.externalName FieldValueRequired'] });
    const applied = await kubectl(kc, ['apply', '-f', '-'], `apiVersion: v1\nkind: Service\nmetadata: { name: noports, namespace: ${NS} }\nspec:\n  selector: { app: x }\n`);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('The Service "noports" is invalid: spec.ports: Required value');
    expect((await k('-n', NS, 'get', 'svc', 'bad')).stderr).toContain('services "bad" not found');
  });

  it('keeps a cluster IP once set', async () => {
    const c = await kubectl(kc, ['apply', '-f', '-'], `apiVersion: v1\nkind: Service\nmetadata: { name: pinned, namespace: ${NS} }\nspec:\n  clusterIP: 10.96.200.10\n  ports: [{ port: 80 }]\n`);
    expect(c.code, c.stderr).toBe(0);
    const svc = await json('-n', NS, 'get', 'svc', 'pinned');
    expect(svc.spec).toMatchObject({ clusterIP: '10.96.200.10', clusterIPs: ['10.96.200.10'] });
    const p = await k('-n', NS, 'patch', 'svc', 'pinned', '--type=merge', '-p', '{"spec":{"clusterIP":"10.96.200.11","clusterIPs":["10.96.200.11"]}}');
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('spec.clusterIPs[0]: Invalid value: ["10.96.200.11"]: may not change once set');
    const relabel = await k('-n', NS, 'label', 'svc', 'pinned', 'tier=front');
    expect(relabel.code, relabel.stderr).toBe(0);
  });

  it('rejects claims and volumes users get wrong', async () => {
    const claim = await kubectl(kc, ['apply', '-f', '-'], `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: nosize, namespace: ${NS} }\nspec:\n  accessModes: [ReadWriteOnce]\n`);
    expect(claim.code).toBe(1);
    expect(claim.stderr).toContain('spec.resources[storage]: Required value');
    const volume = await kubectl(kc, ['apply', '-f', '-'], 'apiVersion: v1\nkind: PersistentVolume\nmetadata: { name: nosource }\nspec:\n  capacity: { storage: 1Gi }\n  accessModes: [ReadWriteOnce]\n');
    expect(volume.code).toBe(1);
    expect(volume.stderr).toContain('spec: Required value: must specify a volume type');
    const grow = await k('-n', NS, 'patch', 'pvc', 'data', '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"4Gi"}}}}');
    expect(grow.code).toBe(1);
    expect(grow.stderr).toContain('spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  });

  it('explains the fields from the OpenAPI schemas', async () => {
    const e = await k('explain', 'service.spec.ports');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/KIND:\s+Service/);
    expect(e.stdout).toMatch(/FIELD:\s+ports <\[\]ServicePort>/);
    expect(e.stdout).toContain('Ports the service exposes');
    expect(e.stdout).toMatch(/port\s+<integer> -required-/);
    expect(e.stdout).toMatch(/targetPort\s+<IntOrString>/);
    const t = await k('explain', 'svc.spec.type');
    expect(t.stdout).toMatch(/ENUM:\s+ClusterIP\s+ExternalName\s+LoadBalancer\s+NodePort/);
    const pv = await k('explain', 'pv.spec.csi');
    expect(pv.stdout).toMatch(/FIELD:\s+csi <CSIPersistentVolumeSource>/);
    expect(pv.stdout).toMatch(/volumeHandle\s+<string> -required-/);
    const slice = await k('explain', 'endpointslices.endpoints.hints');
    expect(slice.stdout).toMatch(/forNodes\s+<\[\]ForNode>/);
  });
});
