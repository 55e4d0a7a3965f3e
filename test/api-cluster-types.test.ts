// networking, storage, RBAC, CRDs, scheduling and the review kinds, on a real etcd, driven by real
// kubectl 1.34: protobuf bodies from `kubectl create`, full manifests under strict field
// validation, the columns of `kubectl get`, OpenAPI through `kubectl explain`, discovery through
// `kubectl api-resources`, and 422 answers with the causes users see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
let kc: string;
const k = (...args: string[]) => kubectl(kc, args);
const apply = (manifest: string) => kubectl(kc, ['apply', '-f', '-'], manifest);
const NS = 'cluster-types';

/** Posts `body` as JSON and returns the status code and the causes of a 422. */
async function post(path: string, body: unknown): Promise<{ code: number; causes: { field: string; message: string }[] }> {
  const r = await api.raw('POST', path, { body: JSON.stringify(body) });
  return { code: r.code, causes: (JSON.parse(r.body) as { details?: { causes?: { field: string; message: string }[] } }).details?.causes ?? [] };
}

const STORAGE_CLASS = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
parameters:
  nodePath: /var/local-path
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
mountOptions: [noatime]
allowedTopologies:
- matchLabelExpressions:
  - key: topology.kubernetes.io/zone
    values: [zone-a, zone-b]
`;

const NETWORK_POLICY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-allow
  namespace: ${NS}
spec:
  podSelector:
    matchLabels: { app: api }
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: { team: web }
      podSelector:
        matchExpressions:
        - { key: tier, operator: In, values: [front] }
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.1.0.0/16]
    ports:
    - { protocol: TCP, port: 8080, endPort: 8090 }
    - { port: http }
  egress:
  - to:
    - ipBlock: { cidr: 0.0.0.0/0 }
    ports:
    - { protocol: UDP, port: 53 }
`;

const INGRESS_CLASS = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
  parameters:
    apiGroup: k8s.example.com
    kind: IngressParameters
    name: external
    scope: Namespace
    namespace: ${NS}
`;

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: ${NS}
spec:
  ingressClassName: nginx
  defaultBackend:
    service: { name: web, port: { number: 80 } }
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service: { name: api, port: { name: http } }
      - path: /static
        pathType: ImplementationSpecific
        backend:
          resource: { apiGroup: k8s.example.com, kind: StorageBucket, name: static }
  - host: "*.shop.example.com"
    http:
      paths:
      - { path: /, pathType: Exact, backend: { service: { name: web, port: { number: 80 } } } }
`;

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    kind: Widget
    shortNames: [wd]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - { name: Size, type: integer, jsonPath: .spec.size }
    - { name: Mode, type: string, jsonPath: .spec.mode, priority: 1 }
    - { name: Age, type: date, jsonPath: .metadata.creationTimestamp }
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
    schema:
      openAPIV3Schema:
        type: object
        description: A widget.
        properties:
          spec:
            type: object
            required: [size]
            x-kubernetes-validations:
            - rule: self.size >= 0
              message: size may not be negative
            properties:
              size: { type: integer, minimum: 0, default: 1 }
              replicas: { type: integer, format: int32 }
              mode: { type: string, enum: [fast, slow] }
              port:
                x-kubernetes-int-or-string: true
                anyOf: [{ type: integer }, { type: string }]
              settings:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              labels:
                type: object
                additionalProperties: { type: string }
              parts:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: { type: string }
                    count: { type: integer }
          status:
            type: object
            properties:
              replicas: { type: integer }
              selector: { type: string }
`;

describe.sequential('cluster-wide API types with real kubectl', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
    kc = api.kubeconfig;
    const ns = await k('create', 'namespace', NS);
    expect(ns.code, ns.stderr).toBe(0);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('lists every kind in discovery with its short names', async () => {
    const r = await k('api-resources');
    expect(r.code, r.stderr).toBe(0);
    for (const line of [
      /^ingresses\s+ing\s+networking\.k8s\.io\/v1\s+true\s+Ingress$/m,
      /^ingressclasses\s+networking\.k8s\.io\/v1\s+false\s+IngressClass$/m,
      /^networkpolicies\s+netpol\s+networking\.k8s\.io\/v1\s+true\s+NetworkPolicy$/m,
      /^ipaddresses\s+ip\s+networking\.k8s\.io\/v1\s+false\s+IPAddress$/m,
      /^servicecidrs\s+networking\.k8s\.io\/v1\s+false\s+ServiceCIDR$/m,
      /^storageclasses\s+sc\s+storage\.k8s\.io\/v1\s+false\s+StorageClass$/m,
      /^csidrivers\s+storage\.k8s\.io\/v1\s+false\s+CSIDriver$/m,
      /^csistoragecapacities\s+storage\.k8s\.io\/v1\s+true\s+CSIStorageCapacity$/m,
      /^volumeattributesclasses\s+vac\s+storage\.k8s\.io\/v1\s+false\s+VolumeAttributesClass$/m,
      /^roles\s+rbac\.authorization\.k8s\.io\/v1\s+true\s+Role$/m,
      /^clusterrolebindings\s+rbac\.authorization\.k8s\.io\/v1\s+false\s+ClusterRoleBinding$/m,
      /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
      /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview$/m,
      /^localsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+true\s+LocalSubjectAccessReview$/m,
      /^tokenreviews\s+authentication\.k8s\.io\/v1\s+false\s+TokenReview$/m,
      /^priorityclasses\s+pc\s+scheduling\.k8s\.io\/v1\s+false\s+PriorityClass$/m,
    ]) {
      expect(r.stdout).toMatch(line);
    }
  });

  it('creates an Ingress with kubectl create (protobuf) and prints it', async () => {
    const c = await k('-n', NS, 'create', 'ingress', 'web', '--class=nginx', '--rule=foo.example.com/api*=api:8080', '--rule=bar.example.com/=web:http,tls=web-tls', '-v=7');
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('ingress.networking.k8s.io/web created');
    expect(c.stderr).toMatch(/verb="POST" url="[^"]*\/ingresses\?[^"]*fieldValidation=Strict" headers=<\n(?:\t.*\n)*?\tContent-Type: application\/vnd\.kubernetes\.protobuf\n/);
    const g = await k('-n', NS, 'get', 'ing');
    expect(g.stdout).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\nweb\s+nginx\s+foo\.example\.com,bar\.example\.com\s+80, 443\s+\d+s$/m);
    const rules = JSON.parse((await k('-n', NS, 'get', 'ing', 'web', '-o', 'jsonpath={.spec.rules}')).stdout);
    expect(rules).toEqual([
      { host: 'foo.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } },
      { host: 'bar.example.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } }] } },
    ]);
  });

  it('creates roles and bindings with kubectl create (protobuf) and prints them', async () => {
    for (const args of [
      ['-n', NS, 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods,pods/log'],
      ['create', 'clusterrole', 'health-reader', '--verb=get', '--non-resource-url=/healthz,/livez'],
      ['-n', NS, 'create', 'rolebinding', 'readers', '--role=pod-reader', '--user=alice', '--user=bob', '--group=devs', `--serviceaccount=${NS}:ci`],
      ['create', 'clusterrolebinding', 'health', '--clusterrole=health-reader', '--group=system:authenticated'],
    ]) {
      const c = await k(...args);
      expect(c.code, c.stderr).toBe(0);
    }
    expect((await k('-n', NS, 'get', 'roles')).stdout).toMatch(/^NAME\s+CREATED AT\npod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect((await k('get', 'clusterrole', 'health-reader')).stdout).toMatch(/^health-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    const rules = JSON.parse((await k('get', 'clusterrole', 'health-reader', '-o', 'jsonpath={.rules}')).stdout);
    expect(rules).toEqual([{ nonResourceURLs: ['/healthz', '/livez'], verbs: ['get'] }]);
    expect((await k('-n', NS, 'get', 'rolebindings')).stdout).toMatch(/^NAME\s+ROLE\s+AGE\nreaders\s+Role\/pod-reader\s+\d+s$/m);
    expect((await k('-n', NS, 'get', 'rolebinding', 'readers', '-o', 'wide')).stdout).toMatch(/^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\nreaders\s+Role\/pod-reader\s+\d+s\s+alice, bob\s+devs\s+cluster-types\/ci$/m);
    expect((await k('get', 'clusterrolebinding', 'health')).stdout).toMatch(/^health\s+ClusterRole\/health-reader\s+\d+s$/m);
    const subjects = JSON.parse((await k('-n', NS, 'get', 'rolebinding', 'readers', '-o', 'jsonpath={.subjects}')).stdout);
    expect(subjects).toContainEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' });
    expect(subjects).toContainEqual({ kind: 'ServiceAccount', name: 'ci', namespace: NS });
  });

  it('keeps the role a binding grants', async () => {
    const p = await k('-n', NS, 'patch', 'rolebinding', 'readers', '--type=merge', '-p', '{"roleRef":{"name":"other"}}');
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef');
  });

  it('creates a PriorityClass with kubectl create (protobuf) and prints it', async () => {
    const c = await k('create', 'priorityclass', 'batch-low', '--value=100', '--description=for batch jobs', '--preemption-policy=Never');
    expect(c.code, c.stderr).toBe(0);
    const d = await k('create', 'priorityclass', 'default-prio', '--value=1000', '--global-default');
    expect(d.code, d.stderr).toBe(0);
    const g = await k('get', 'pc');
    expect(g.stdout).toMatch(/^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/m);
    expect(g.stdout).toMatch(/^batch-low\s+100\s+false\s+\d+s\s+Never$/m);
    expect(g.stdout).toMatch(/^default-prio\s+1000\s+true\s+\d+s\s+PreemptLowerPriority$/m);
    const bad = await k('create', 'priorityclass', 'too-high', '--value=2000000000');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
  });

  it('applies full manifests under strict validation and prints them', async () => {
    for (const [manifest, created] of [
      [STORAGE_CLASS, 'storageclass.storage.k8s.io/local created'],
      [NETWORK_POLICY, 'networkpolicy.networking.k8s.io/api-allow created'],
      [INGRESS_CLASS, 'ingressclass.networking.k8s.io/nginx created'],
      [INGRESS, 'ingress.networking.k8s.io/shop created'],
    ]) {
      const a = await apply(manifest!);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout.trim()).toBe(created);
    }
    expect((await k('get', 'sc')).stdout).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\nlocal \(default\)\s+rancher\.io\/local-path\s+Retain\s+WaitForFirstConsumer\s+true\s+\d+s$/m);
    expect((await k('-n', NS, 'get', 'netpol')).stdout).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\napi-allow\s+app=api\s+\d+s$/m);
    expect((await k('get', 'ingressclass')).stdout).toMatch(/^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\nnginx\s+k8s\.io\/ingress-nginx\s+IngressParameters\.k8s\.example\.com\/external\s+\d+s$/m);
    expect((await k('-n', NS, 'get', 'ing', 'shop')).stdout).toMatch(/^shop\s+nginx\s+shop\.example\.com,\*\.shop\.example\.com\s+80, 443\s+\d+s$/m);
    const np = JSON.parse((await k('-n', NS, 'get', 'netpol', 'api-allow', '-o', 'json')).stdout);
    expect(np.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080, endPort: 8090 }, { protocol: 'TCP', port: 'http' }]);
    const typo = await apply(STORAGE_CLASS.replace('local', 'typo').replace('mountOptions', 'mountOption'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('unknown field "mountOption"');
  });

  it('rejects changes to a StorageClass provisioner', async () => {
    const p = await k('patch', 'sc', 'local', '--type=merge', '-p', '{"provisioner":"example.com/other","parameters":{"nodePath":"/x"}}');
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('parameters: Forbidden: updates to parameters are forbidden.');
    expect(p.stderr).toContain('provisioner: Forbidden: updates to provisioner are forbidden.');
  });

  it('applies a CRD with a rich schema and round-trips it', async () => {
    const a = await apply(CRD);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    expect((await k('get', 'crd')).stdout).toMatch(/^NAME\s+CREATED AT\nwidgets\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    const y = await k('get', 'crd', 'widgets.example.com', '-o', 'yaml');
    expect(y.code, y.stderr).toBe(0);
    for (const line of [
      /^\s+x-kubernetes-int-or-string: true$/m,
      /^\s+x-kubernetes-preserve-unknown-fields: true$/m,
      /^\s+x-kubernetes-list-map-keys:\n\s+- name$/m,
      /^\s+x-kubernetes-list-type: map$/m,
      /^\s+enum:\n\s+- fast\n\s+- slow$/m,
      /^\s+x-kubernetes-validations:\n\s+- message: size may not be negative\n\s+rule: self\.size >= 0$/m,
      /^\s+scale:\n\s+labelSelectorPath: \.status\.selector$/m,
      /^ {4}listKind: WidgetList$/m,
      /^ {4}singular: widget$/m,
      /^ {4}strategy: None$/m,
      /^ {2}storedVersions:\n {2}- v1$/m,
    ]) {
      expect(y.stdout).toMatch(line);
    }
    const spec = JSON.parse((await k('get', 'crd', 'widgets.example.com', '-o', 'json')).stdout).spec;
    expect(spec.versions[0].additionalPrinterColumns).toEqual([
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
      { name: 'Mode', type: 'string', jsonPath: '.spec.mode', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
    expect(spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.port).toEqual({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size).toEqual({ type: 'integer', minimum: 0, default: 1 });
  });

  it('rejects bad CRDs with 422 and the paths Kubernetes reports', async () => {
    const crd = JSON.parse(JSON.stringify((await import('yaml')).parse(CRD)));
    const badName = structuredClone(crd);
    badName.metadata.name = 'widget.example.com';
    const r1 = await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', badName);
    expect(r1.code).toBe(422);
    expect(r1.causes).toContainEqual(expect.objectContaining({ field: 'metadata.name', message: 'Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group' }));

    const twoStorage = structuredClone(crd);
    twoStorage.metadata.name = 'gadgets.example.com';
    twoStorage.spec.names = { plural: 'gadgets', kind: 'Gadget' };
    twoStorage.spec.versions.push({ ...structuredClone(crd.spec.versions[0]), name: 'v2' });
    const r2 = await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', twoStorage);
    expect(r2.code).toBe(422);
    expect(r2.causes.map((c) => c.field)).toContain('spec.versions');
    expect(r2.causes.find((c) => c.field === 'spec.versions')?.message).toMatch(/must have exactly one version marked as storage version$/);

    const nonStructural = structuredClone(crd);
    nonStructural.metadata.name = 'things.example.com';
    nonStructural.spec.names = { plural: 'things', kind: 'Thing' };
    delete nonStructural.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.labels.type;
    const r3 = await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', nonStructural);
    expect(r3.code).toBe(422);
    expect(r3.causes).toContainEqual(expect.objectContaining({ field: 'spec.validation.openAPIV3Schema.properties[spec].properties[labels].type', message: 'Required value: must not be empty for specified object fields' }));

    const viaKubectl = await apply(CRD.replace('name: widgets.example.com', 'name: widget.example.com'));
    expect(viaKubectl.code).toBe(1);
    expect(viaKubectl.stderr).toContain('The CustomResourceDefinition "widget.example.com" is invalid: metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group');
    expect((await k('get', 'crd', '-o', 'name')).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com');
  });

  it('rejects a RoleBinding without roleRef with 422', async () => {
    const r = await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'orphan' }, subjects: [{ kind: 'User', name: 'alice' }],
    });
    expect(r.code).toBe(422);
    expect(r.causes.map((c) => `${c.field}: ${c.message}`)).toEqual(['roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"', 'roleRef.name: Required value']);
    const bad = await apply(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: broken\n  namespace: ${NS}\nrules:\n- resources: [pods]\n  apiGroups: [""]\n`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('rules[0].verbs: Required value: verbs must contain at least one value');
  });

  it('explains the CRD schema fields from OpenAPI', async () => {
    const e = await k('explain', 'crd.spec.versions.schema');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/GROUP:\s+apiextensions\.k8s\.io/);
    expect(e.stdout).toMatch(/KIND:\s+CustomResourceDefinition/);
    expect(e.stdout).toMatch(/FIELD:\s+schema <CustomResourceValidation>/);
    expect(e.stdout).toMatch(/openAPIV3Schema\s+<JSONSchemaProps>/);
    const deep = await k('explain', 'crd.spec.versions.schema.openAPIV3Schema.x-kubernetes-int-or-string');
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toContain('The value is a whole number or a string.');
    const ing = await k('explain', 'ingress.spec.rules.http.paths.pathType');
    expect(ing.code, ing.stderr).toBe(0);
    expect(ing.stdout).toContain('How path matches');
  });
});
