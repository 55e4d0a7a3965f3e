import { field, msg, str, vint } from '../protobuf-encode.js';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults.js';
import { decodeMessage } from '../protobuf.js';
import { kindMessage } from '../proto-schemas.js';
import { RESOURCES, type ApiObject, type ResourceType } from '../registry.js';
import { unknownObjectFields, validate } from '../validation.js';
import { protoSchemaToJson, structuralSchemaErrors } from './apiextensions-schema.js';
import { defaultTokenRequest, tokenRequestErrors } from './authentication.js';
import { canonicalIp } from './networking-rules.js';

const type = (kind: string): ResourceType => RESOURCES.find((r) => r.kind === kind && !r.custom)!;
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const obj = (kind: string, body: Record<string, unknown>, meta: Record<string, unknown> = {}): ApiObject =>
  ({ kind, metadata: { name: 'x', creationTimestamp: ago(30), ...meta }, ...structuredClone(body) }) as ApiObject;
const cells = (t: ResourceType, o: ApiObject) => Object.fromEntries(t.columns.map((c) => [c.name, c.cell(o)]));
const defaulted = (t: ResourceType, o: ApiObject, old?: ApiObject) => applyDefaults(t, o, old);
/** "field: message" lines the server would answer with, after defaulting as the server does. */
const errors = (t: ResourceType, o: ApiObject, old?: ApiObject) => validate(t, defaulted(t, o, old), old).map((e) => `${e.field}: ${e.message}`);

// Protobuf encoding helpers, to build request bodies as Go clients write them.
const entry = (num: number, key: string, value: Buffer) => msg(num, str(1, key), field(2, value));

describe('the kinds and their discovery names', () => {
  it.each([
    ['Ingress', 'networking.k8s.io', 'ingresses', true, ['ing']],
    ['IngressClass', 'networking.k8s.io', 'ingressclasses', false, []],
    ['NetworkPolicy', 'networking.k8s.io', 'networkpolicies', true, ['netpol']],
    ['IPAddress', 'networking.k8s.io', 'ipaddresses', false, ['ip']],
    ['ServiceCIDR', 'networking.k8s.io', 'servicecidrs', false, []],
    ['StorageClass', 'storage.k8s.io', 'storageclasses', false, ['sc']],
    ['CSIDriver', 'storage.k8s.io', 'csidrivers', false, []],
    ['CSINode', 'storage.k8s.io', 'csinodes', false, []],
    ['VolumeAttachment', 'storage.k8s.io', 'volumeattachments', false, []],
    ['CSIStorageCapacity', 'storage.k8s.io', 'csistoragecapacities', true, []],
    ['VolumeAttributesClass', 'storage.k8s.io', 'volumeattributesclasses', false, ['vac']],
    ['Role', 'rbac.authorization.k8s.io', 'roles', true, []],
    ['ClusterRoleBinding', 'rbac.authorization.k8s.io', 'clusterrolebindings', false, []],
    ['CustomResourceDefinition', 'apiextensions.k8s.io', 'customresourcedefinitions', false, ['crd', 'crds']],
    ['LocalSubjectAccessReview', 'authorization.k8s.io', 'localsubjectaccessreviews', true, []],
    ['SelfSubjectReview', 'authentication.k8s.io', 'selfsubjectreviews', false, []],
    ['PriorityClass', 'scheduling.k8s.io', 'priorityclasses', false, ['pc']],
  ])('%s is %s/%s', (kind, group, resource, namespaced, shortNames) => {
    const t = type(kind);
    expect([t.group, t.resource, t.namespaced, t.shortNames]).toEqual([group, resource, namespaced, shortNames]);
  });

  it('serves the reviews with create only', () => {
    for (const k of ['SelfSubjectAccessReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectRulesReview', 'TokenReview', 'SelfSubjectReview']) expect(type(k).verbs).toEqual(['create']);
  });
});

describe('Ingress', () => {
  const t = type('Ingress');
  const backend = { service: { name: 'web', port: { number: 80 } } };
  const rule = (host: string, path = '/') => ({ host, http: { paths: [{ path, pathType: 'Prefix', backend }] } });

  it('prints class, hosts, address and ports as kubectl does', () => {
    const o = obj('Ingress', {
      spec: { ingressClassName: 'nginx', rules: [rule('a.example.com'), rule('b.example.com'), rule('c.example.com'), rule('d.example.com')], tls: [{ hosts: ['a.example.com'] }] },
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.12' }, { hostname: 'lb.example.com' }] } },
    });
    expect(cells(t, o)).toEqual({ Name: 'x', Class: 'nginx', Hosts: 'a.example.com,b.example.com,c.example.com + 1 more...', Address: '10.0.0.12,lb....', Ports: '80, 443', Age: '30s' });
    expect(cells(t, obj('Ingress', { spec: { defaultBackend: backend } }))).toMatchObject({ Class: '<none>', Hosts: '*', Address: '', Ports: '80' });
  });

  it.each([
    ['no rules and no default backend', { spec: {} }, ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['a path without pathType', { spec: { rules: [{ host: 'a.io', http: { paths: [{ path: '/', backend }] } }] } }, ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['a relative Prefix path', { spec: { rules: [rule('a.io', 'app')] } }, ['spec.rules[0].http.paths[0].path: Invalid value: "app": must be an absolute path']],
    ['an IP as host', { spec: { rules: [rule('10.1.2.3')] } }, ['spec.rules[0].host: Invalid value: "10.1.2.3": must be a DNS name, not an IP address']],
    ['a port by name and number', { spec: { defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } } }, ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']],
    ['a service without a port', { spec: { defaultBackend: { service: { name: 'web' } } } }, ['spec.defaultBackend: Required value: port name or number is required']],
    ['an unsupported pathType', { spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Regex', backend }] } }] } }, ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']],
  ])('rejects %s', (_what, body, expected) => {
    expect(errors(t, obj('Ingress', body, { namespace: 'demo' }))).toEqual(expected);
  });

  it('accepts wildcard hosts, TLS and a class', () => {
    expect(errors(t, obj('Ingress', { spec: { ingressClassName: 'nginx', rules: [rule('*.example.com')], tls: [{ hosts: ['*.example.com'], secretName: 'tls' }] } }, { namespace: 'demo' }))).toEqual([]);
  });

  it('decodes the protobuf form of a rule (http inside ingressRuleValue) into http', () => {
    const path = msg(1, str(1, '/api'), str(3, 'Prefix'), msg(2, msg(4, str(1, 'api'), msg(2, vint(2, 8080)))));
    const body = Buffer.concat([msg(1, str(1, 'web'), str(3, 'demo')), msg(2, str(4, 'nginx'), msg(3, str(1, 'foo.com'), msg(2, msg(1, path))))]);
    const o = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...decodeMessage(body, kindMessage('networking.k8s.io/v1', 'Ingress')!) } as ApiObject;
    defaulted(t, o);
    expect(o.spec).toEqual({ ingressClassName: 'nginx', rules: [{ host: 'foo.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }] });
    expect(validate(t, o)).toEqual([]);
  });
});

describe('IngressClass and NetworkPolicy', () => {
  it('defaults the parameters scope and prints the parameters reference', () => {
    const t = type('IngressClass');
    const o = defaulted(t, obj('IngressClass', { spec: { controller: 'example.com/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } } }));
    expect((o.spec as { parameters: { scope: string } }).parameters.scope).toBe('Cluster');
    expect(cells(t, o)).toMatchObject({ Controller: 'example.com/ingress', Parameters: 'Params.k8s.example.com/p' });
    expect(errors(t, obj('IngressClass', { spec: { controller: 'nginx' } }))).toEqual(['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
    const old = obj('IngressClass', { spec: { controller: 'example.com/a' } });
    expect(errors(t, obj('IngressClass', { spec: { controller: 'example.com/b' } }), old)).toEqual(['spec.controller: Invalid value: "example.com/b": field is immutable']);
  });

  it('defaults an empty pod selector, TCP and the policy types', () => {
    const t = type('NetworkPolicy');
    const o = defaulted(t, obj('NetworkPolicy', { spec: { egress: [{ ports: [{ port: 53 }] }] } }, { namespace: 'demo' }));
    expect(o.spec).toEqual({ podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] });
    expect(cells(t, o)['Pod-Selector']).toBe('<none>');
    expect(cells(t, obj('NetworkPolicy', { spec: { podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] } } }))['Pod-Selector']).toBe('app=web,tier in (a,b)');
  });

  it.each([
    ['an empty peer', { ingress: [{ from: [{}] }] }, ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    ['an ipBlock with a selector', { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, ['spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer']],
    ['an exception outside the block', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] }, ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`']],
    ['a bad CIDR', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }] }] }, ['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.300/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['an end port before the port', { ingress: [{ ports: [{ port: 8080, endPort: 80 }] }] }, ['spec.ingress[0].ports[0].endPort: Invalid value: 8080: must be greater than or equal to `port`']],
    ['an end port after a named port', { ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric']],
    ['a bad policy type', { policyTypes: ['Inbound'] }, ['spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Egress", "Ingress"']],
  ])('rejects %s', (_what, spec, expected) => {
    expect(errors(type('NetworkPolicy'), obj('NetworkPolicy', { spec }, { namespace: 'demo' }))).toEqual(expected);
  });
});

describe('IPAddress and ServiceCIDR', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'], ['2001:DB8:0:0:0::1', '2001:db8::1'], ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'], ['fd00:0:0:0:1:0:0:0', 'fd00::1:0:0:0'],
  ])('writes %s canonically as %s', (ip, canonical) => {
    expect(canonicalIp(ip)).toBe(canonical);
  });

  it('checks ServiceCIDR ranges and lets one range grow to two', () => {
    const t = type('ServiceCIDR');
    expect(errors(t, obj('ServiceCIDR', { spec: { cidrs: ['10.96.0.0/12', '10.0.0.0/8'] } }))).toEqual(['spec.cidrs: Invalid value: ["10.96.0.0/12","10.0.0.0/8"]: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64']);
    const old = obj('ServiceCIDR', { spec: { cidrs: ['10.96.0.0/12'] } });
    expect(errors(t, obj('ServiceCIDR', { spec: { cidrs: ['10.96.0.0/12', 'fd00::/108'] } }), old)).toEqual([]);
    expect(errors(t, obj('ServiceCIDR', { spec: { cidrs: ['10.100.0.0/16'] } }), old)).toEqual(['spec.cidrs: Invalid value: ["10.100.0.0/16"]: field is immutable']);
  });
});

describe('storage.k8s.io', () => {
  it('defaults a StorageClass and marks the default one in its name', () => {
    const t = type('StorageClass');
    const o = defaulted(t, obj('StorageClass', { provisioner: 'rancher.io/local-path' }, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }));
    expect([o.reclaimPolicy, o.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(cells(t, o)).toEqual({ Name: 'x (default)', Provisioner: 'rancher.io/local-path', ReclaimPolicy: 'Delete', VolumeBindingMode: 'Immediate', AllowVolumeExpansion: 'false', Age: '30s' });
  });

  it.each([
    ['without a provisioner', {}, undefined, ['provisioner: Required value']],
    ['with Recycle', { provisioner: 'a/b', reclaimPolicy: 'Recycle' }, undefined, ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']],
    ['changing parameters', { provisioner: 'a/b', parameters: { type: 'ssd' } }, { provisioner: 'a/b', parameters: { type: 'hdd' } }, ['parameters: Forbidden: updates to parameters are forbidden.']],
    ['changing the provisioner and policy', { provisioner: 'a/c', reclaimPolicy: 'Retain' }, { provisioner: 'a/b' }, ['provisioner: Forbidden: updates to provisioner are forbidden.', 'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.']],
    ['changing the binding mode', { provisioner: 'a/b', volumeBindingMode: 'WaitForFirstConsumer' }, { provisioner: 'a/b' }, ['volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable']],
  ])('rejects a StorageClass %s', (_what, body, oldBody, expected) => {
    const t = type('StorageClass');
    const old = oldBody ? defaulted(t, obj('StorageClass', oldBody)) : undefined;
    expect(errors(t, obj('StorageClass', body), old)).toEqual(expected);
  });

  it('defaults a CSIDriver as Kubernetes does and prints it', () => {
    const t = type('CSIDriver');
    const o = defaulted(t, obj('CSIDriver', {}, { name: 'ebs.csi.aws.com' }));
    expect(o.spec).toEqual({ attachRequired: true, podInfoOnMount: false, storageCapacity: false, fsGroupPolicy: 'ReadWriteOnceWithFSType', volumeLifecycleModes: ['Persistent'], requiresRepublish: false, seLinuxMount: false });
    expect(cells(t, o)).toMatchObject({ AttachRequired: 'true', PodInfoOnMount: 'false', TokenRequests: '<unset>', Modes: 'Persistent' });
    expect(errors(t, obj('CSIDriver', { spec: { tokenRequests: [{ audience: 'a', expirationSeconds: 60 }] } }))).toEqual(['spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes']);
  });

  it('checks VolumeAttachments, capacities and attribute classes', () => {
    expect(errors(type('VolumeAttachment'), obj('VolumeAttachment', { spec: { attacher: 'csi.example.com', nodeName: 'n', source: {} } }))).toEqual(['spec.source: Invalid value: {}: must specify exactly one of inlineVolumeSpec and persistentVolumeName']);
    expect(errors(type('VolumeAttributesClass'), obj('VolumeAttributesClass', { driverName: 'csi.example.com' }))).toEqual(['parameters: Required value: must contain at least one key/value pair']);
    const cap = obj('CSIStorageCapacity', { storageClassName: 'fast', capacity: '10Gi' }, { namespace: 'demo' });
    expect(cells(type('CSIStorageCapacity'), cap)).toMatchObject({ StorageClassName: 'fast', Capacity: '10Gi' });
    expect(errors(type('CSIStorageCapacity'), obj('CSIStorageCapacity', { storageClassName: 'slow' }, { namespace: 'demo' }), cap)).toEqual(['storageClassName: Invalid value: "slow": field is immutable']);
  });
});

describe('rbac.authorization.k8s.io', () => {
  it('prints roles with their creation time and bindings with their role and subjects', () => {
    const created = '2026-03-04T05:06:07Z';
    expect(cells(type('ClusterRole'), obj('ClusterRole', {}, { creationTimestamp: created }))).toEqual({ Name: 'x', 'Created At': created });
    const b = obj('RoleBinding', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'build' }],
    });
    expect(cells(type('RoleBinding'), b)).toEqual({ Name: 'x', Role: 'ClusterRole/view', Age: '30s', Users: 'alice, bob', Groups: 'devs', ServiceAccounts: 'build/ci' });
    expect(type('RoleBinding').columns.filter((c) => c.wide).map((c) => c.name)).toEqual(['Users', 'Groups', 'ServiceAccounts']);
  });

  it('defaults the API group of the role reference and of subjects by kind', () => {
    const o = defaulted(type('ClusterRoleBinding'), obj('ClusterRoleBinding', { roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'a' }, { kind: 'ServiceAccount', name: 'b', namespace: 'c' }] }));
    expect(o.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
    expect(o.subjects).toEqual([{ kind: 'User', name: 'a', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'b', namespace: 'c' }]);
  });

  it.each([
    ['Role', { rules: [{ apiGroups: [''], resources: ['pods'] }] }, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['Role', { rules: [{ verbs: ['get'] }] }, ['rules[0].apiGroups: Required value: resource rules must supply at least one api group', 'rules[0].resources: Required value: resource rules must supply at least one resource']],
    ['Role', { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }, ['rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs']],
    ['ClusterRole', { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] }] }, ['rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs']],
    ['ClusterRole', { aggregationRule: {} }, ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']],
    ['RoleBinding', { subjects: [{ kind: 'User', name: 'a' }] }, ['roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"', 'roleRef.name: Required value']],
    ['ClusterRoleBinding', { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }, ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"', 'subjects[0].namespace: Required value']],
    ['RoleBinding', { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'Robot', name: 'r2' }, { kind: 'Group', apiGroup: 'x.io', name: 'g' }] }, ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"', 'subjects[1].apiGroup: Unsupported value: "x.io": supported values: "rbac.authorization.k8s.io"']],
  ])('rejects a bad %s', (kind, body, expected) => {
    expect(errors(type(kind), obj(kind, body, type(kind).namespaced ? { namespace: 'demo' } : {}))).toEqual(expected);
  });

  it('refuses to change the role a binding grants', () => {
    const t = type('RoleBinding');
    const old = defaulted(t, obj('RoleBinding', { roleRef: { kind: 'ClusterRole', name: 'view' } }, { namespace: 'demo' }));
    expect(errors(t, obj('RoleBinding', { roleRef: { kind: 'ClusterRole', name: 'edit' } }, { namespace: 'demo' }), old)).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    ]);
  });
});

describe('scheduling.k8s.io PriorityClass', () => {
  const t = type('PriorityClass');
  it('defaults the preemption policy and prints its columns', () => {
    const o = defaulted(t, obj('PriorityClass', { value: 1000, globalDefault: true }));
    expect(cells(t, o)).toEqual({ Name: 'x', Value: 1000, 'Global-Default': 'true', Age: '30s', PreemptionPolicy: 'PreemptLowerPriority' });
  });

  it.each([
    ['a user value above the limit', 'high', { value: 2_000_000_000 }, undefined, ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']],
    ['an unknown system- name', 'system-mine', { value: 1 }, undefined, ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]],
    ['a changed value', 'p', { value: 2 }, { value: 1 }, ['value: Forbidden: may not be changed in an update.']],
    ['a changed policy', 'p', { value: 1, preemptionPolicy: 'Never' }, { value: 1 }, ['preemptionPolicy: Invalid value: "Never": field is immutable']],
  ])('rejects %s', (_what, name, body, oldBody, expected) => {
    const old = oldBody ? defaulted(t, obj('PriorityClass', oldBody, { name })) : undefined;
    expect(errors(t, obj('PriorityClass', body, { name }), old)).toEqual(expected);
  });
});

describe('authorization and authentication reviews', () => {
  it('checks access review specs', () => {
    const sar = type('SubjectAccessReview');
    expect(errors(sar, obj('SubjectAccessReview', { spec: {} }))).toEqual([
      'spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      'spec.user: Invalid value: "": at least one of user or group must be specified',
    ]);
    const local = obj('LocalSubjectAccessReview', { spec: { user: 'a', resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' } } }, { namespace: 'demo' });
    expect(errors(type('LocalSubjectAccessReview'), local)).toEqual(['spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace']);
    expect(errors(type('SelfSubjectAccessReview'), obj('SelfSubjectAccessReview', { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } }))).toEqual([]);
  });

  it('decodes extra values of a protobuf SubjectAccessReview into lists', () => {
    const spec = msg(2, msg(1, str(2, 'get'), str(5, 'pods')), str(3, 'alice'), entry(5, 'scopes', Buffer.concat([str(1, 'a'), str(1, 'b')])));
    const o = { kind: 'SubjectAccessReview', ...decodeMessage(Buffer.concat([msg(1, str(1, 'r')), spec]), kindMessage('authorization.k8s.io/v1', 'SubjectAccessReview')!) } as ApiObject;
    defaulted(type('SubjectAccessReview'), o);
    expect(o.spec).toEqual({ resourceAttributes: { verb: 'get', resource: 'pods' }, user: 'alice', extra: { scopes: ['a', 'b'] } });
    expect(validate(type('SubjectAccessReview'), o)).toEqual([]);
  });

  it('defaults and checks token request lifetimes', () => {
    const o = obj('TokenRequest', { spec: { audiences: ['api'] } });
    defaultTokenRequest(o);
    expect((o.spec as { expirationSeconds: number }).expirationSeconds).toBe(3600);
    expect(tokenRequestErrors(obj('TokenRequest', { spec: { expirationSeconds: 60 } })).map((e) => e.message)).toEqual(['Invalid value: 60: may not specify a duration less than 10 minutes']);
  });
});

describe('CustomResourceDefinition', () => {
  const t = type('CustomResourceDefinition');
  const schema = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } };
  const crd = (spec: Record<string, unknown>, name = 'widgets.example.com') =>
    obj('CustomResourceDefinition', { spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }], ...spec } }, { name });

  it('defaults names, conversion, the webhook port and the stored versions', () => {
    const o = defaulted(t, crd({ conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { namespace: 'a', name: 'b' } }, conversionReviewVersions: ['v1'] } } }));
    const spec = o.spec as { names: unknown; conversion: { webhook: { clientConfig: { service: { port: number } } } } };
    expect(spec.names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect(spec.conversion.webhook.clientConfig.service.port).toBe(443);
    expect(o.status).toEqual({ storedVersions: ['v1'] });
    expect((defaulted(t, crd({})).spec as { conversion: unknown }).conversion).toEqual({ strategy: 'None' });
    expect(errors(t, crd({}))).toEqual([]);
    expect(cells(t, crd({}, 'widgets.example.com'))['Created At']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each([
    ['a name that is not plural.group', {}, 'widget.example.com', ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group']],
    ['a group without a dot', { group: 'example' }, 'widgets.example', ['spec.group: Invalid value: "example": should be a domain with at least one dot']],
    ['two storage versions', { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }, { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: schema } }] }, undefined, ['spec.versions: Invalid value: [{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}},{"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}}]: must have exactly one version marked as storage version', 'status.storedVersions: Invalid value: {"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}}: must have the storage version v2']],
    ['an uppercase plural', { names: { plural: 'Widgets', kind: 'Widget' } }, 'Widgets.example.com', ['metadata.name: Invalid value: "Widgets.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'my-name\', or \'example.com\')']],
    ['a version without a schema', { versions: [{ name: 'v1', served: true, storage: true }] }, undefined, ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']],
    ['a field without a type', { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } } } }] }, undefined, ['spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields']],
    ['a bad printer column', { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, additionalPrinterColumns: [{ name: 'Size', type: 'int', jsonPath: 'spec.size' }] }] }, undefined, ['spec.additionalPrinterColumns[0].type: Unsupported value: "int": supported values: "boolean", "date", "integer", "number", "string"', 'spec.additionalPrinterColumns[0].jsonPath: Invalid value: "spec.size": must be a simple json path starting with .']],
    ['a scale path outside spec', { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } } }] }, undefined, ['spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec']],
    ['a webhook without a client config', { conversion: { strategy: 'Webhook' } }, undefined, ['spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook', 'spec.conversion.conversionReviewVersions: Required value']],
    ['a bad scope', { scope: 'Global' }, undefined, ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
  ])('rejects %s', (_what, spec, name, expected) => {
    expect(errors(t, crd(spec, name))).toEqual(expected);
  });

  it('reports per-version schemas under their own path when versions differ', () => {
    const other = { type: 'object', properties: { spec: { type: 'object', properties: { n: {} } } } };
    const versions = [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }, { name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: other } }];
    expect(errors(t, crd({ versions }))).toEqual(['spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[n].type: Required value: must not be empty for specified object fields']);
  });

  it('keeps group and plural, and once established scope and kind, on updates', () => {
    const old = defaulted(t, crd({}));
    old.status = { ...(old.status as object), conditions: [{ type: 'Established', status: 'True' }] };
    const next = crd({ scope: 'Cluster', names: { plural: 'widgets', kind: 'Gadget' } });
    expect(errors(t, next, old)).toEqual(['spec.scope: Invalid value: "Cluster": field is immutable', 'spec.names.kind: Invalid value: "Gadget": field is immutable']);
  });

  it('adds a new storage version to the stored versions and refuses to drop a stored one', () => {
    const old = defaulted(t, crd({}));
    const next = crd({ versions: [{ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: schema } }] });
    next.status = structuredClone(old.status);
    expect(errors(t, next, old)).toEqual(['status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions']);
    expect(next.status).toEqual({ storedVersions: ['v1', 'v2'] });
  });

  it('accepts JSON-form schemas with their extensions, and strict decoding knows every field', () => {
    const full = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          required: ['size'],
          'x-kubernetes-validations': [{ rule: 'self.size >= 0', message: 'no negative sizes' }],
          properties: {
            size: { type: 'integer', minimum: 0, default: 1 },
            mode: { type: 'string', enum: ['fast', 'slow'] },
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' },
            items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
            template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
        status: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } },
      },
    };
    const o = crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: full } }] });
    expect(unknownObjectFields(t, o)).toEqual([]);
    expect(errors(t, o)).toEqual([]);
    const typo = crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { ...full, typ: 'x' } } }] });
    expect(unknownObjectFields(t, typo)).toEqual(['spec.versions[0].schema.openAPIV3Schema.typ']);
  });

  it('decodes the protobuf wrappers of items, additionalProperties and dependencies into their JSON forms', () => {
    const strSchema = str(5, 'string');
    const jsp = Buffer.concat([
      str(5, 'object'),
      entry(29, 'tags', Buffer.concat([str(5, 'array'), msg(24, msg(1, strSchema))])),
      entry(29, 'labels', Buffer.concat([str(5, 'object'), msg(30, vint(1, 0), msg(2, strSchema))])),
      entry(29, 'open', Buffer.concat([str(5, 'object'), msg(30, vint(1, 0))])),
      entry(29, 'flag', Buffer.concat([str(5, 'boolean'), msg(8, str(1, 'false'))])),
    ]);
    const version = msg(7, str(1, 'v1'), vint(2, 1), vint(3, 1), msg(4, msg(1, jsp)));
    const body = Buffer.concat([msg(1, str(1, 'widgets.example.com')), msg(2, str(1, 'example.com'), msg(3, str(1, 'widgets'), str(4, 'Widget')), str(4, 'Namespaced'), version)]);
    const o = { kind: 'CustomResourceDefinition', ...decodeMessage(body, kindMessage('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!) } as ApiObject;
    defaulted(t, o);
    const props = (o.spec as { versions: { schema: { openAPIV3Schema: { properties: Record<string, unknown> } } }[] }).versions[0]!.schema.openAPIV3Schema.properties;
    expect(props).toEqual({
      tags: { type: 'array', items: { type: 'string' } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      open: { type: 'object', additionalProperties: false },
      flag: { type: 'boolean', default: false },
    });
  });
});

describe('structuralSchemaErrors', () => {
  const at = (s: unknown) => structuralSchemaErrors('s', s).map((e) => `${e.field}: ${e.message}`);
  it.each([
    ['a root that is not an object', { type: 'string' }, ['s.type: Invalid value: "string": must be object at the root']],
    ['a root without type', { properties: {} }, ['s.type: Required value: must not be empty at the root']],
    ['items without type', { type: 'object', properties: { a: { type: 'array', items: {} } } }, ['s.properties[a].items.type: Required value: must not be empty for specified array items']],
    ['an array without items', { type: 'object', properties: { a: { type: 'array' } } }, ['s.properties[a].items: Required value: must be specified']],
    ['a list of item schemas', { type: 'object', properties: { a: { type: 'array', items: [{ type: 'string' }] } } }, ['s.properties[a].items: Forbidden: items must be a schema object and not an array']],
    ['a type inside anyOf', { type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string' }] } } }, ['s.properties[a].anyOf[0].type: Forbidden: must be empty to be structural']],
    ['preserve-unknown-fields false', { type: 'object', 'x-kubernetes-preserve-unknown-fields': false }, ['s.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined']],
    ['properties and additionalProperties', { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }, ['s.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive']],
    ['a $ref', { type: 'object', properties: { a: { $ref: '#/x' } } }, ['s.properties[a].type: Required value: must not be empty for specified object fields', 's.properties[a].$ref: Forbidden: $ref is not supported']],
    ['a list map without keys', { type: 'object', properties: { a: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object' } } } }, ['s.properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map']],
    ['metadata beyond name', { type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }, ['s.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified']],
  ])('rejects %s', (_what, schema, expected) => {
    expect(at(schema)).toEqual(expected);
  });

  it('accepts int-or-string with its anyOf pattern, and schema-less preserved fields', () => {
    expect(at({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, q: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })).toEqual([]);
  });

  it('leaves JSON-form schemas alone when converting protobuf forms', () => {
    const s = { type: 'object', additionalProperties: true, items: { type: 'string' }, dependencies: { a: ['b'] } };
    const copy = structuredClone(s);
    protoSchemaToJson(copy);
    expect(copy).toEqual(s);
  });
});
