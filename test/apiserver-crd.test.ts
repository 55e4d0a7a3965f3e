// CustomResourceDefinitions served live by a running kubelab cluster, driven by real kubectl:
// the CRD is established, its objects validated, printed, watched, scaled, status-updated, deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterTarget, type ApiTarget } from './helpers/cluster-target.js';
import { kubectl, kubectlStream } from './helpers/kubectl.js';

let api: ApiTarget;
const k = (args: string[], input?: string) => kubectl(api.kubeconfig, args, input);

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.kubelab.dev
spec:
  group: demo.kubelab.dev
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [all] }
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: { specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas }
    additionalPrinterColumns:
    - { name: Size, type: string, jsonPath: .spec.size }
    - { name: Replicas, type: integer, jsonPath: .spec.replicas }
    - { name: Phase, type: string, jsonPath: .status.phase }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: { type: string, enum: [small, large] }
              replicas: { type: integer, minimum: 0, maximum: 10, default: 1 }
              port: { x-kubernetes-int-or-string: true }
          status:
            type: object
            properties:
              phase: { type: string }
              replicas: { type: integer }
`;

const widget = (name: string, spec: string) => `apiVersion: demo.kubelab.dev/v1\nkind: Widget\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}\n`;

describe.sequential('custom resources', () => {
  beforeAll(async () => {
    api = await startClusterTarget('crd');
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('establishes a CRD and lists its resource in discovery', async () => {
    const c = await k(['apply', '-f', '-'], CRD);
    expect(c.code, c.stderr).toBe(0);
    const w = await k(['wait', '--for=condition=Established', 'crd/widgets.demo.kubelab.dev', '--timeout=20s']);
    expect(w.code, w.stderr).toBe(0);
    const r = await k(['api-resources', '--api-group=demo.kubelab.dev']);
    expect(r.stdout).toMatch(/^widgets\s+wd\s+demo\.kubelab\.dev\/v1\s+true\s+Widget$/m);
  });

  it('creates objects with defaults, rejects invalid ones with 422, prunes unknown fields', async () => {
    const ok = await k(['apply', '-f', '-'], widget('small-one', '  size: small\n  port: http'));
    expect(ok.code, ok.stderr).toBe(0);
    const got = JSON.parse((await k(['get', 'widget', 'small-one', '-o', 'json'])).stdout);
    expect(got.spec).toEqual({ size: 'small', port: 'http', replicas: 1 });
    expect(got.metadata.generation).toBe(1);
    const bad = await k(['apply', '-f', '-'], widget('bad', '  size: huge\n  replicas: 50'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/spec\.size: Unsupported value: "huge"/);
    expect(bad.stderr).toMatch(/spec\.replicas: Invalid value: 50/);
    const missing = await k(['create', '-f', '-'], widget('missing', '  replicas: 2'));
    expect(missing.stderr).toMatch(/spec\.size: Required value/);
    const unknown = await k(['create', '-f', '-', '--validate=false'], widget('pruned', '  size: large\n  colour: red'));
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(JSON.parse((await k(['get', 'wd', 'pruned', '-o', 'json'])).stdout).spec.colour).toBeUndefined();
    const strict = await k(['create', '-f', '-'], widget('strict', '  size: large\n  colour: red'));
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/unknown field "spec.colour"/);
  });

  it('prints the printer columns with kubectl get, and lists custom objects in get all', async () => {
    const g = await k(['get', 'widgets']);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout.split('\n')[0]).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+PHASE\s+AGE$/);
    expect(g.stdout).toMatch(/^small-one\s+small\s+1\s+<none>\s+\d+s$/m);
  });

  it('watches, updates status through the status subresource, and scales through scale', async () => {
    const watch = await kubectlStream(api.kubeconfig, ['get', 'widgets', '-w', '--output-watch-events']);
    try {
      const st = await k(['patch', 'widget', 'small-one', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Ready","replicas":1}}']);
      expect(st.code, st.stderr).toBe(0);
      const ignored = await k(['patch', 'widget', 'small-one', '--type=merge', '-p', '{"status":{"phase":"Hacked"}}']);
      expect(ignored.code, ignored.stderr).toBe(0);
      const sc = await k(['scale', 'widget', 'small-one', '--replicas=3']);
      expect(sc.code, sc.stderr).toBe(0);
      const obj = JSON.parse((await k(['get', 'widget', 'small-one', '-o', 'json'])).stdout);
      expect(obj.status.phase).toBe('Ready');
      expect(obj.spec.replicas).toBe(3);
      expect(obj.metadata.generation).toBe(2);
      const deadline = Date.now() + 5000;
      while (!/MODIFIED\s+small-one\s+small\s+3\s+Ready/.test(watch.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(watch.output()).toMatch(/MODIFIED\s+small-one\s+small\s+3\s+Ready/);
    } finally {
      watch.child.kill();
    }
  });

  it('deletes objects, and all of them with their CRD', async () => {
    expect((await k(['delete', 'widget', 'pruned'])).code).toBe(0);
    const d = await k(['delete', 'crd', 'widgets.demo.kubelab.dev', '--timeout=30s']);
    expect(d.code, d.stderr).toBe(0);
    expect(await api.stored('demo.kubelab.dev/widgets/')).toBe(0);
    const gone = await k(['get', 'widgets']);
    expect(gone.code).not.toBe(0);
  });
});
