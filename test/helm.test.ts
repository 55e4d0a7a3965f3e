// Real helm against a running kubelab cluster: a chart made here, with a ConfigMap, a Secret, a
// Service and a Deployment, installed, upgraded, rolled back, listed, and uninstalled. Twice: with
// helm 3 (client-side three-way strategic merge patches) and helm 4 (server-side apply).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterTarget, type ApiTarget } from './helpers/cluster-target.js';
import { kubectl, run, testClient, type KubectlResult } from './helpers/kubectl.js';

let api: ApiTarget;
let chart: string;

let which: 'helm' | 'helm3' = 'helm3';

async function helm(args: string[]): Promise<KubectlResult> {
  const home = dirname(api.kubeconfig);
  return run(await testClient(which), args, { KUBECONFIG: api.kubeconfig, HOME: home, HELM_CACHE_HOME: join(home, 'helm-cache'), HELM_CONFIG_HOME: join(home, 'helm-config'), HELM_DATA_HOME: join(home, 'helm-data') });
}

/** Writes a small chart: values drive the ConfigMap, the Secret, the Service port and the Deployment. */
function makeChart(dir: string): string {
  const root = join(dir, 'shop');
  mkdirSync(join(root, 'templates'), { recursive: true });
  writeFileSync(join(root, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\nappVersion: "1.0"\n');
  writeFileSync(join(root, 'values.yaml'), 'greeting: hello\nreplicas: 1\nimage: nginx:1.27\nport: 80\npassword: s3cret\n');
  writeFileSync(
    join(root, 'templates', 'all.yaml'),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | quote }}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-secret
type: Opaque
stringData:
  password: {{ .Values.password | quote }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector: { app: {{ .Release.Name }} }
  ports:
  - port: {{ .Values.port }}
    targetPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels: { app: {{ .Release.Name }} }
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers:
      - name: web
        image: {{ .Values.image }}
        envFrom:
        - configMapRef: { name: {{ .Release.Name }}-config }
        - secretRef: { name: {{ .Release.Name }}-secret }
`,
  );
  return root;
}

const get = async (kind: string, name: string) => JSON.parse((await kubectl(api.kubeconfig, ['-n', 'apps', 'get', kind, name, '-o', 'json'])).stdout || 'null');

describe.sequential.each(['helm3', 'helm'] as const)('%s', (client) => {
  beforeAll(async () => {
    which = client;
    api = await startClusterTarget(client === 'helm3' ? 'h3' : 'h4');
    chart = makeChart(api.dir);
    const v = await helm(['version', '--short']);
    expect(v.stdout).toMatch(client === 'helm3' ? /^v3\./ : /^v4\./);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('installs a chart into a new namespace', async () => {
    const r = await helm(['install', 'demo', chart, '--namespace', 'apps', '--create-namespace']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/STATUS: deployed/);
    expect((await get('configmap', 'demo-config')).data).toEqual({ greeting: 'hello' });
    expect(Buffer.from((await get('secret', 'demo-secret')).data.password, 'base64').toString()).toBe('s3cret');
    expect((await get('service', 'demo-web')).spec.ports[0]).toMatchObject({ port: 80, targetPort: 80, protocol: 'TCP' });
    expect((await get('deployment', 'demo-web')).spec.replicas).toBe(1);
    expect((await get('deployment', 'demo-web')).metadata.labels['app.kubernetes.io/managed-by']).toBe('Helm');
  });

  it('upgrades with new values, and lists the release', async () => {
    const r = await helm(['upgrade', 'demo', chart, '-n', 'apps', '--set', 'greeting=hi', '--set', 'replicas=3', '--set', 'image=nginx:1.28']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/REVISION: 2/);
    expect((await get('configmap', 'demo-config')).data).toEqual({ greeting: 'hi' });
    const d = await get('deployment', 'demo-web');
    expect([d.spec.replicas, d.spec.template.spec.containers[0].image]).toEqual([3, 'nginx:1.28']);
    const list = await helm(['list', '-n', 'apps', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'demo', namespace: 'apps', revision: '2', status: 'deployed', chart: 'shop-0.1.0', app_version: '1.0' })]);
  });

  it('rolls back to the first revision, and keeps the history', async () => {
    const r = await helm(['rollback', 'demo', '1', '-n', 'apps']);
    expect(r.code, r.stderr).toBe(0);
    expect((await get('configmap', 'demo-config')).data).toEqual({ greeting: 'hello' });
    const d = await get('deployment', 'demo-web');
    expect([d.spec.replicas, d.spec.template.spec.containers[0].image]).toEqual([1, 'nginx:1.27']);
    const h = JSON.parse((await helm(['history', 'demo', '-n', 'apps', '-o', 'json'])).stdout) as Array<{ revision: number; status: string; description: string }>;
    expect(h.map((x) => [x.revision, x.status])).toEqual([[1, 'superseded'], [2, 'superseded'], [3, 'deployed']]);
    expect(h[2]!.description).toMatch(/Rollback to 1/);
  });

  it('uninstalls the release and everything it made', async () => {
    const r = await helm(['uninstall', 'demo', '-n', 'apps']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/release "demo" uninstalled/);
    for (const [kind, name] of [['configmap', 'demo-config'], ['secret', 'demo-secret'], ['service', 'demo-web'], ['deployment', 'demo-web']]) {
      expect(await get(kind!, name!), `${kind} ${name}`).toBeNull();
    }
    expect(JSON.parse((await helm(['list', '-n', 'apps', '-o', 'json'])).stdout)).toEqual([]);
  });
});
