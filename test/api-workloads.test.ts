// Workload kinds (apps, batch, autoscaling, policy) on a real apiserver and etcd, driven by real
// kubectl 1.34: protobuf creates, upstream defaults in -o yaml, printer columns, strict apply of
// full manifests, 422s with cause paths, explain and `get all`. No controllers run here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
const NS = 'work';
const k = (...args: string[]) => kubectl(api.kubeconfig, ['-n', NS, ...args]);
const apply = (manifest: string) => kubectl(api.kubeconfig, ['-n', NS, 'apply', '-f', '-'], manifest);
/** Runs kubectl and fails with its stderr unless it succeeds. */
async function ok(...args: string[]): Promise<string> {
  const r = await k(...args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}
const json = async (...args: string[]) => JSON.parse(await ok(...args, '-o', 'json'));

const STATEFULSET = `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels: {app: web-db}
spec:
  serviceName: web
  replicas: 2
  minReadySeconds: 5
  podManagementPolicy: Parallel
  selector:
    matchLabels: {app: web-db}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {partition: 1}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}
  ordinals: {start: 0}
  revisionHistoryLimit: 5
  template:
    metadata:
      labels: {app: web-db}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: db
        image: postgres:16
        ports:
        - {name: pg, containerPort: 5432}
        env:
        - {name: PGDATA, value: /var/lib/postgresql/data/pgdata}
        volumeMounts:
        - {name: data, mountPath: /var/lib/postgresql/data}
  volumeClaimTemplates:
  - metadata:
      name: data
      labels: {app: web-db}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: standard
      resources:
        requests: {storage: 1Gi}
`;

const DAEMONSET = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 25%}
  minReadySeconds: 3
  template:
    metadata:
      labels: {app: agent}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      tolerations:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
      hostNetwork: true
      containers:
      - name: agent
        image: fluent/fluent-bit:3.0
        resources:
          limits: {memory: 200Mi}
          requests: {cpu: 100m, memory: 100Mi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log, readOnly: true}
      volumes:
      - name: varlog
        hostPath: {path: /var/log}
`;

const REPLICASET = `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
  labels: {tier: frontend}
spec:
  replicas: 3
  minReadySeconds: 2
  selector:
    matchLabels: {tier: frontend}
    matchExpressions:
    - {key: env, operator: In, values: [prod, staging]}
  template:
    metadata:
      labels: {tier: frontend, env: prod}
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
`;

describe.sequential('workload API types with real kubectl', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
    const ns = await kubectl(api.kubeconfig, ['create', 'namespace', NS]);
    expect(ns.code, ns.stderr).toBe(0);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('lists the kinds in discovery with their short names', async () => {
    const r = await kubectl(api.kubeconfig, ['api-resources']);
    expect(r.code, r.stderr).toBe(0);
    for (const line of [
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m,
      /^replicasets\s+rs\s+apps\/v1\s+true\s+ReplicaSet$/m,
      /^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m,
      /^daemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet$/m,
      /^controllerrevisions\s+apps\/v1\s+true\s+ControllerRevision$/m,
      /^jobs\s+batch\/v1\s+true\s+Job$/m,
      /^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/m,
      /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m,
      /^poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget$/m,
    ]) {
      expect(r.stdout).toMatch(line);
    }
    const versions = await kubectl(api.kubeconfig, ['api-versions']);
    expect(versions.stdout).toContain('autoscaling/v1\nautoscaling/v2\n');
  });

  it('creates a Deployment from a protobuf body and shows the upstream defaults', async () => {
    expect((await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3')).trim()).toBe('deployment.apps/web created');
    const yaml = await ok('get', 'deploy', 'web', '-o', 'yaml');
    for (const line of ['  replicas: 3', '  revisionHistoryLimit: 10', '  progressDeadlineSeconds: 600', '      maxSurge: 25%', '      maxUnavailable: 25%', '    type: RollingUpdate', '      app: web', '  generation: 1']) {
      expect(yaml.split('\n')).toContain(line);
    }
    const d = await json('get', 'deploy', 'web');
    expect(d.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.27' });
    expect(d.status).toEqual({});
  });

  it('prints Deployments with kubectl\'s columns', async () => {
    expect(await ok('get', 'deploy')).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/3\s+0\s+0\s+\d+s\n$/);
    expect(await ok('get', 'deploy', '-o', 'wide')).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+0\/3\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.27\s+app=web\n$/);
  });

  it('keeps a Deployment\'s selector and counts spec changes in its generation', async () => {
    const moved = await k('patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}');
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/The Deployment "web" is invalid: spec\.selector: Invalid value: .*: field is immutable/);
    await ok('patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":4}}');
    expect(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation} {.spec.replicas}')).toBe('2 4');
  });

  it('creates a Job with a generated selector and prints its status', async () => {
    expect((await ok('create', 'job', 'pi', '--image=busybox:1.36', '--', 'echo', 'hi')).trim()).toBe('job.batch/pi created');
    const j = await json('get', 'job', 'pi');
    const uid = j.metadata.uid as string;
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(j.spec.manualSelector).toBeUndefined();
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    expect(j.spec.template.metadata.labels).toEqual(labels);
    expect(j.metadata.labels).toEqual(labels);
    expect(await ok('get', 'jobs')).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\npi\s+Running\s+0\/1\s+\d+s\n$/);
    const changed = await k('patch', 'job', 'pi', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:1.37"}]');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/The Job "pi" is invalid: spec\.template: Invalid value: .*: field is immutable/);
  });

  it('creates a CronJob and rejects a schedule cron cannot parse', async () => {
    expect((await ok('create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'date')).trim()).toBe('cronjob.batch/tick created');
    const c = await json('get', 'cronjob', 'tick');
    expect(c.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(c.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(await ok('get', 'cj')).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ntick\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\n$/);
    const bad = await k('create', 'cronjob', 'late', '--image=busybox:1.36', '--schedule=61 * * * *');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/CronJob(\.batch)? "late" is invalid: spec\.schedule: Invalid value: "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/);
  });

  it('applies an autoscaling/v2 HPA, filling in its scaling behavior, and prints its targets', async () => {
    const manifest = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 200Mi}}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 120
      tolerance: "0.05"
`;
    const r = await apply(manifest);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/api created');
    const h = await json('get', 'hpa', 'api');
    expect(h.spec.minReplicas).toBe(1);
    expect(h.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', tolerance: '50m', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(await ok('get', 'hpa', 'api')).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\napi\s+Deployment\/web\s+cpu: <unknown>\/50%, memory: <unknown>\/200Mi\s+1\s+10\s+0\s+\d+s\n$/);
    const bad = await apply(manifest.replace('maxReplicas: 10', 'maxReplicas: 10\n  minReplicas: 11'));
    expect(bad.stderr).toContain('spec.maxReplicas: Invalid value: 10: must be greater than or equal to `minReplicas`');
    const v1 = JSON.parse((await api.raw('GET', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers`)).body);
    expect(v1.kind).toBe('HorizontalPodAutoscalerList');
  });

  it('autoscales a Deployment with kubectl autoscale', async () => {
    expect((await ok('autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu=60%')).trim()).toBe('horizontalpodautoscaler.autoscaling/web autoscaled');
    const h = await json('get', 'hpa', 'web');
    expect(h.apiVersion).toBe('autoscaling/v2');
    expect(h.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 });
    expect(h.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    expect(await ok('get', 'hpa', 'web')).toMatch(/\nweb\s+Deployment\/web\s+cpu: <unknown>\/60%\s+2\s+5\s+0\s+\d+s\n$/);
  });

  it('creates a PodDisruptionBudget and prints its columns', async () => {
    expect((await ok('create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=1')).trim()).toBe('poddisruptionbudget.policy/web-pdb created');
    expect(await ok('get', 'pdb')).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb-pdb\s+1\s+N\/A\s+0\s+\d+s\n$/);
    const both = await k('patch', 'pdb', 'web-pdb', '--type=merge', '-p', '{"spec":{"maxUnavailable":1}}');
    expect(both.stderr).toContain('minAvailable and maxUnavailable cannot be both set');
  });

  it('applies full StatefulSet, DaemonSet and ReplicaSet manifests under strict validation', async () => {
    for (const [manifest, name] of [[STATEFULSET, 'statefulset.apps/web'], [DAEMONSET, 'daemonset.apps/agent'], [REPLICASET, 'replicaset.apps/frontend']] as const) {
      const first = await apply(manifest);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout.trim()).toBe(`${name} created`);
      const before = (await json('get', name)).spec;
      const again = await apply(manifest);
      // volumeClaimTemplates is an atomic list that the server fills with defaults, so kubectl
      // re-sends it (and says "configured", as against a real cluster); the spec stays the same.
      expect(again.stdout.trim(), again.stderr).toBe(`${name} ${name.startsWith('statefulset') ? 'configured' : 'unchanged'}`);
      expect((await json('get', name)).spec).toEqual(before);
    }
    const sts = await json('get', 'sts', 'web');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
    expect(sts.spec.volumeClaimTemplates[0]).toMatchObject({ spec: { volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } });
    expect(await ok('get', 'sts', '-o', 'wide')).toMatch(/^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\nweb\s+0\/2\s+\d+s\s+db\s+postgres:16\n$/);
    const ds = await json('get', 'ds', 'agent');
    expect(ds.metadata.annotations['deprecated.daemonset.template.generation']).toBe('1');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } });
    expect(await ok('get', 'ds')).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nagent\s+0\s+0\s+0\s+0\s+0\s+kubernetes\.io\/os=linux\s+\d+s\n$/);
    expect(await ok('get', 'rs', '-o', 'wide')).toMatch(/\nfrontend\s+3\s+0\s+0\s+\d+s\s+php-redis\s+\S+gb-frontend:v5\s+env in \(prod,staging\),tier=frontend\n$/);
  });

  it('counts DaemonSet template changes and forbids changing a StatefulSet\'s service', async () => {
    await ok('patch', 'ds', 'agent', '--type=merge', '-p', '{"spec":{"template":{"metadata":{"labels":{"app":"agent","v":"2"}}}}}');
    expect(await ok('get', 'ds', 'agent', '-o', 'jsonpath={.metadata.annotations.deprecated\\.daemonset\\.template\\.generation} {.metadata.generation}')).toBe('2 2');
    const renamed = await k('patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"serviceName":"other"}}');
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toContain("The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    await ok('patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}');
  });

  it('applies a ControllerRevision owned by the StatefulSet and prints its controller', async () => {
    const uid = await ok('get', 'sts', 'web', '-o', 'jsonpath={.metadata.uid}');
    const revision = `apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: web-6c9b8f7d4
  labels: {app: web-db, controller.kubernetes.io/hash: 6c9b8f7d4}
  ownerReferences:
  - {apiVersion: apps/v1, kind: StatefulSet, name: web, uid: ${uid}, controller: true, blockOwnerDeletion: true}
revision: 1
data:
  spec:
    template:
      $patch: replace
      metadata: {labels: {app: web-db}}
      spec:
        containers: [{name: db, image: "postgres:16"}]
`;
    const r = await apply(revision);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('controllerrevision.apps/web-6c9b8f7d4 created');
    expect(await ok('get', 'controllerrevisions')).toMatch(/^NAME\s+CONTROLLER\s+REVISION\s+AGE\nweb-6c9b8f7d4\s+statefulset\.apps\/web\s+1\s+\d+s\n$/);
    const changed = await k('patch', 'controllerrevision', 'web-6c9b8f7d4', '--type=merge', '-p', '{"data":{"spec":null}}');
    expect(changed.stderr).toMatch(/The ControllerRevision "web-6c9b8f7d4" is invalid: data: Invalid value: .*: field is immutable/);
  });

  it.each([
    [
      'a Deployment whose selector misses its pods',
      'apps/v1', 'deployments',
      { kind: 'Deployment', metadata: { name: 'lost' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
      { reason: 'FieldValueInvalid', field: 'spec.template.metadata.labels' },
      '`selector` does not match template `labels`',
    ],
    [
      'a CronJob with a schedule of six fields',
      'batch/v1', 'cronjobs',
      { kind: 'CronJob', metadata: { name: 'six' }, spec: { schedule: '0 0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } },
      { reason: 'FieldValueInvalid', field: 'spec.schedule' },
      'expected exactly 5 fields, found 6: [0 0 * * * *]',
    ],
    [
      'a Job whose pods restart forever',
      'batch/v1', 'jobs',
      { kind: 'Job', metadata: { name: 'forever' }, spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'busybox' }] } } } },
      { reason: 'FieldValueRequired', field: 'spec.template.spec.restartPolicy' },
      'Required value: valid values: "OnFailure", "Never"',
    ],
  ])('rejects %s with 422 and the cause, and stores nothing', async (_what, apiVersion, resource, body, cause, message) => {
    const r = await api.raw('POST', `/apis/${apiVersion}/namespaces/${NS}/${resource}`, { body: JSON.stringify({ apiVersion, ...body }) });
    expect(r.code, r.body).toBe(422);
    const status = JSON.parse(r.body);
    expect(status).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { name: body.metadata.name } });
    expect(status.details.causes).toContainEqual(expect.objectContaining({ ...cause, message: expect.stringContaining(message) }));
    const manifest = JSON.stringify({ apiVersion, ...body });
    const viaKubectl = await apply(manifest);
    expect(viaKubectl.code).toBe(1);
    expect(viaKubectl.stderr).toContain(`is invalid: ${cause.field}:`);
    expect((await api.raw('GET', `/apis/${apiVersion}/namespaces/${NS}/${resource}/${body.metadata.name}`)).code).toBe(404);
  });

  it('rejects unknown fields in workload manifests under strict validation', async () => {
    const r = await apply(REPLICASET.replace('minReadySeconds: 2', 'minReadySeconds: 2\n  minReadySecs: 3'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown field "spec.minReadySecs"');
  });

  it('explains the deployment strategy from its OpenAPI schema', async () => {
    const e = await kubectl(api.kubeconfig, ['explain', 'deployment.spec.strategy']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    expect(e.stdout).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
    expect(e.stdout).toContain('How running pods are replaced by new ones.');
    expect(e.stdout).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
    expect(e.stdout).toMatch(/type\s+<string>\n\s+enum: Recreate, RollingUpdate/);
    const hpa = await kubectl(api.kubeconfig, ['explain', 'hpa.spec.behavior.scaleUp.tolerance']);
    expect(hpa.stdout).toMatch(/GROUP:\s+autoscaling\nKIND:\s+HorizontalPodAutoscaler\nVERSION:\s+v2\n/);
  });

  it('lists every workload with kubectl get all', async () => {
    const all = await ok('get', 'all');
    for (const name of ['deployment.apps/web', 'replicaset.apps/frontend', 'statefulset.apps/web', 'daemonset.apps/agent', 'job.batch/pi', 'cronjob.batch/tick', 'horizontalpodautoscaler.autoscaling/api']) {
      expect(all).toMatch(new RegExp(`^${name.replace(/[./]/g, '\\$&')}\\s`, 'm'));
    }
    expect(all).not.toContain('poddisruptionbudget');
    expect(all).not.toContain('controllerrevision');
  });
});
