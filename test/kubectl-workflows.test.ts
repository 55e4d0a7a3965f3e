// The kubectl day-to-day workflows users learn, end to end on a running kubelab cluster with real
// kubectl 1.34: discovery and explain, imperative creates, declarative apply (client- and
// server-side), diff, edit, every patch type, labels, output formats, watches, cascading deletes.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterTarget, type ApiTarget } from './helpers/cluster-target.js';
import { kubectl, kubectlStream } from './helpers/kubectl.js';

let api: ApiTarget;
const k = (args: string[], input?: string, env?: Record<string, string>) => kubectl(api.kubeconfig, ['-n', 'work', ...args], input, env);
const ok = async (args: string[], input?: string, env?: Record<string, string>) => {
  const r = await k(args, input, env);
  expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};

const deployment = (replicas: number, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: { app: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{ containerPort: 80 }]
      - name: sidecar
        image: busybox:1.36
        args: [sleep, infinity]
`;

describe.sequential('kubectl workflows', () => {
  beforeAll(async () => {
    api = await startClusterTarget('kw');
    expect((await kubectl(api.kubeconfig, ['create', 'namespace', 'work'])).code).toBe(0);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('answers version, cluster-info, api-resources and explain', async () => {
    expect(await ok(['version'])).toMatch(/Server Version: v1\.34\.0\+kubelab/);
    expect(await ok(['cluster-info'])).toMatch(/Kubernetes control plane.* is running at .*https:\/\/127\.0\.0\.1:\d+/);
    const res = await ok(['api-resources']);
    for (const line of [/^pods\s+po\s+v1\s+true\s+Pod$/m, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^services\s+svc\s+v1\s+true\s+Service$/m, /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m]) {
      expect(res).toMatch(line);
    }
    const explain = await ok(['explain', 'deployment.spec.strategy']);
    expect(explain).toMatch(/KIND:\s+Deployment/);
    expect(explain).toMatch(/FIELD: strategy <DeploymentStrategy>/);
    expect(explain).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
  });

  it('creates objects imperatively, each printed as kubectl users know', async () => {
    expect(await ok(['create', 'configmap', 'settings', '--from-literal=mode=fast'])).toBe('configmap/settings created\n');
    expect(await ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret'])).toBe('secret/creds created\n');
    expect(await ok(['create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=2'])).toBe('deployment.apps/api created\n');
    expect(await ok(['create', 'service', 'clusterip', 'api', '--tcp=80:8080'])).toBe('service/api created\n');
    const deploys = await ok(['get', 'deployments']);
    expect(deploys).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(deploys).toMatch(/^api\s+0\/2\s+\d+\s+0\s+\d+s$/m);
    expect(await ok(['get', 'svc', 'api'])).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
  });

  it('applies declaratively: created, unchanged, configured', async () => {
    expect(await ok(['apply', '-f', '-'], deployment(2))).toBe('deployment.apps/shop created\n');
    expect(await ok(['apply', '-f', '-'], deployment(2))).toBe('deployment.apps/shop unchanged\n');
    const before = JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'json']));
    expect(await ok(['apply', '-f', '-'], deployment(3))).toBe('deployment.apps/shop configured\n');
    const after = JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'json']));
    expect(after.spec.replicas).toBe(3);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(after.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'sidecar']);
  });

  it('shows what would change with kubectl diff, changing nothing', async () => {
    const r = await k(['diff', '-f', '-'], deployment(3, 'nginx:1.28'), { KUBECTL_EXTERNAL_DIFF: 'diff -u' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^-\s+- image: nginx:1\.27$/m);
    expect(r.stdout).toMatch(/^\+\s+- image: nginx:1\.28$/m);
    expect(JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'json'])).spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('refuses a server-side apply over another manager\'s field until forced', async () => {
    const conflict = await k(['apply', '--server-side', '-f', '-'], deployment(5));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/Apply failed with \d+ conflicts?: conflict with "kubectl-client-side-apply"/);
    expect(conflict.stderr).toMatch(/\.spec\.replicas/);
    expect(await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], deployment(5))).toBe('deployment.apps/shop serverside-applied\n');
    expect(JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'json'])).spec.replicas).toBe(5);
  });

  it('edits with $EDITOR, and patches with all three patch types', async () => {
    const editor = join(api.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 5/replicas: 6/" "$1"\n');
    chmodSync(editor, 0o755);
    expect(await ok(['edit', 'deployment', 'shop'], undefined, { EDITOR: editor, KUBE_EDITOR: editor })).toBe('deployment.apps/shop edited\n');
    expect(await ok(['patch', 'deployment', 'shop', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.29"}]}}}}'])).toBe('deployment.apps/shop patched\n');
    expect(await ok(['patch', 'deployment', 'shop', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}'])).toBe('deployment.apps/shop patched\n');
    expect(await ok(['patch', 'deployment', 'shop', '--type=json', '-p', '[{"op":"add","path":"/spec/minReadySeconds","value":4}]'])).toBe('deployment.apps/shop patched\n');
    const d = JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'json']));
    expect(d.spec.replicas).toBe(6);
    expect(d.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`)).toEqual(['web=nginx:1.29', 'sidecar=busybox:1.36']);
    expect(d.metadata.labels).toEqual({ app: 'shop', tier: 'front' });
    expect(d.spec.minReadySeconds).toBe(4);
  });

  it('labels and annotates, and prints every output format', async () => {
    expect(await ok(['label', 'configmap', 'settings', 'team=core'])).toBe('configmap/settings labeled\n');
    expect(await ok(['annotate', 'configmap', 'settings', 'owner=jane'])).toBe('configmap/settings annotated\n');
    expect(await ok(['get', 'cm', '-l', 'team=core', '-o', 'name'])).toBe('configmap/settings\n');
    expect(await ok(['get', 'cm', 'settings', '-o', 'yaml'])).toMatch(/^  annotations:\n    owner: jane$/m);
    expect(JSON.parse(await ok(['get', 'cm', 'settings', '-o', 'json'])).metadata.labels).toEqual({ team: 'core' });
    expect(await ok(['get', 'deploy', 'shop', '-o', 'wide'])).toMatch(/^shop\s+0\/6\s+\d+\s+0\s+\d+s\s+web,sidecar\s+nginx:1\.29,busybox:1\.36\s+app=shop$/m);
    expect(await ok(['get', 'deploy', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[*].name}'])).toBe('web sidecar');
    expect(await ok(['get', 'deploy', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas'])).toMatch(/^NAME\s+REPLICAS\napi\s+2\nshop\s+6\n$/);
  });

  it('streams changes with get -w', async () => {
    const w = await kubectlStream(api.kubeconfig, ['-n', 'work', 'get', 'configmaps', '-w']);
    try {
      await ok(['create', 'configmap', 'late', '--from-literal=a=b']);
      const deadline = Date.now() + 5000;
      while (!/^late\s+1\s+\d+s$/m.test(w.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(w.output()).toMatch(/^late\s+1\s+\d+s$/m);
    } finally {
      w.child.kill();
    }
  });

  it('lists everything with get all -A, and answers componentstatuses and can-i', async () => {
    const all = await kubectl(api.kubeconfig, ['get', 'all', '-A']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^work\s+deployment\.apps\/shop\s+0\/6/m);
    expect(all.stdout).toMatch(/^work\s+service\/api\s+ClusterIP/m);
    const cs = await kubectl(api.kubeconfig, ['get', 'componentstatuses']);
    expect(cs.stdout).toMatch(/^NAME\s+STATUS\s+MESSAGE\s+ERROR$/m);
    expect(cs.stdout).toMatch(/^etcd-0\s+Healthy\s+ok/m);
    expect((await ok(['auth', 'can-i', 'create', 'deployments'])).trim()).toBe('yes');
  });

  it('serves one HPA through autoscaling/v1 and v2, and one Event through core/v1 and events.k8s.io/v1', async () => {
    await ok(['autoscale', 'deployment', 'shop', '--min=2', '--max=5', '--cpu=60%']);
    const v1 = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'shop', '-o', 'json']));
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    // A change through v1 keeps what only v2 can say.
    await ok(['apply', '-f', '-'], 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: mem}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}\n  maxReplicas: 4\n  metrics:\n  - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 200Mi}}}\n');
    await ok(['patch', 'horizontalpodautoscalers.v1.autoscaling', 'mem', '--type=merge', '-p', '{"spec":{"maxReplicas":6}}']);
    const v2 = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v2.autoscaling', 'mem', '-o', 'json']));
    expect(v2.spec.maxReplicas).toBe(6);
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } }]);
    expect(v2.metadata.annotations?.['autoscaling.alpha.kubernetes.io/metrics']).toBeUndefined();
    await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Event\nmetadata: {name: shop.1}\ninvolvedObject: {kind: Deployment, name: shop, namespace: work}\nreason: Tested\nmessage: seen from both APIs\ntype: Normal\nsource: {component: kubelab-test}\n');
    const ev = JSON.parse(await ok(['get', 'events.v1.events.k8s.io', 'shop.1', '-o', 'json']));
    expect(ev).toMatchObject({ apiVersion: 'events.k8s.io/v1', regarding: { kind: 'Deployment', name: 'shop' }, note: 'seen from both APIs', reason: 'Tested', deprecatedSource: { component: 'kubelab-test' } });
    expect(await ok(['get', 'events'])).toMatch(/Normal\s+Tested\s+deployment\/shop\s+seen from both APIs/);
  });

  it('deletes with --cascade=orphan and --cascade=foreground', async () => {
    const owner = JSON.parse(await ok(['get', 'deploy', 'api', '-o', 'json']));
    const rs = (name: string, uid: string, deploy: string) => `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
  labels: { app: ${deploy} }
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: ${deploy}, uid: ${uid}, controller: true, blockOwnerDeletion: true }]
spec:
  selector: { matchLabels: { app: ${deploy} } }
  template:
    metadata: { labels: { app: ${deploy} } }
    spec: { containers: [{ name: c, image: nginx }] }
`;
    await ok(['apply', '-f', '-'], rs('api-1', owner.metadata.uid, 'api'));
    expect(await ok(['delete', 'deployment', 'api', '--cascade=orphan'])).toMatch(/deployment\.apps "api" deleted/);
    await expect.poll(async () => (await k(['get', 'deploy', 'api'])).code, { timeout: 10_000 }).not.toBe(0);
    expect(JSON.parse(await ok(['get', 'rs', 'api-1', '-o', 'json'])).metadata.ownerReferences).toBeUndefined();
    const shop = JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'json']));
    await ok(['apply', '-f', '-'], rs('shop-1', shop.metadata.uid, 'shop'));
    expect(await ok(['delete', 'deployment', 'shop', '--cascade=foreground', '--timeout=30s'])).toMatch(/deployment\.apps "shop" deleted/);
    await expect.poll(async () => (await k(['get', 'rs', 'shop-1'])).code, { timeout: 10_000 }).not.toBe(0);
    expect((await k(['get', 'deploy', 'shop'])).code).not.toBe(0);
  });

  it('turns bad manifests into clear errors and stores nothing', async () => {
    const before = await api.stored('apps/deployments/work/');
    const yaml = await k(['apply', '-f', '-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [broken\n');
    expect(yaml.code).not.toBe(0);
    expect(yaml.stderr).toMatch(/yaml|json/i);
    const kind = await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n');
    expect(kind.stderr).toMatch(/no matches for kind "Widget" in version "v1"/);
    const version = await k(['apply', '-f', '-'], deployment(1).replace('apps/v1', 'apps/v2'));
    expect(version.stderr).toMatch(/no matches for kind "Deployment" in version "apps\/v2"/);
    const name = await k(['create', 'deployment', 'Bad_Name', '--image=nginx']);
    expect(name.stderr).toMatch(/Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    const missing = await k(['apply', '-f', '-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nosel}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n');
    expect(missing.stderr).toMatch(/spec\.selector: Required value/);
    const typo = await k(['apply', '-f', '-'], deployment(1).replace('replicas:', 'replica:'));
    expect(typo.stderr).toMatch(/unknown field "spec\.replica"/);
    expect(await api.stored('apps/deployments/work/')).toBe(before);
  });

  it('deletes a namespace with everything in it', async () => {
    const r = await kubectl(api.kubeconfig, ['delete', 'namespace', 'work', '--timeout=60s']);
    expect(r.code, r.stderr).toBe(0);
    for (const resource of ['configmaps', 'secrets', 'services', 'apps/replicasets', 'autoscaling/horizontalpodautoscalers', 'events']) {
      expect(await api.stored(`${resource}/work/`), resource).toBe(0);
    }
  });
});
