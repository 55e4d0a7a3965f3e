// The workload controllers beyond Deployments on a real 3-node kubelab cluster with real kubectl:
// StatefulSets with their own volumes from the default StorageClass (kept across pod deletion and
// a cluster stop/start), DaemonSets following nodes and taints, Jobs and CronJobs, PVC reclaim,
// `kubectl top` from the node agents' figures, a HorizontalPodAutoscaler scaling a busy Deployment
// up and back down, and bad specs refused or reported as upstream does.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.js';
import { clusterName, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { kubectl } from './helpers/kubectl.js';

const home = testHome();
const name = clusterName('sts');
const kubeconfig = join(home, 'kube', 'config');
const env = { KUBECONFIG: kubeconfig };
const cp = `${name}-control-plane`;
const NS = 'lab';
const BUSYBOX = 'kubelab/busybox:1';
const sh = promisify(execFile);

const kTry = (args: string[], input?: string) => kubectl(kubeconfig, ['-n', NS, ...args], input);
async function k(args: string[], input?: string): Promise<string> {
  const r = await kTry(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const apply = (obj: object) => k(['apply', '-f', '-'], JSON.stringify(obj));
const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => JSON.parse(await k([...args, '-o', 'json'])) as T;
const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 120_000) => eventually(what, fn, ms, 1000);
/** A shell line inside a node container. */
const inNode = async (node: string, line: string) => (await sh('docker', ['exec', node, 'sh', '-c', line])).stdout.trim();

interface Pod {
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }> };
}
const pods = async (selector: string) => (await json<{ items: Pod[] }>(['get', 'pods', '-l', selector])).items;
const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const readySince = (p: Pod) => Date.parse(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');

const statefulSet = (replicas: number, extra: Record<string, unknown> = {}, setName = 'web') => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: setName, namespace: NS },
  spec: {
    serviceName: 'web',
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'web',
          image: BUSYBOX,
          command: ['sh', '-c', 'touch /tmp/ready; exec sleep 3600'],
          readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1 },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }],
      },
    },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } }],
    ...extra,
  },
});

describe('StatefulSets, DaemonSets, Jobs, CronJobs, storage, metrics and autoscaling', () => {
  beforeAll(async () => {
    const r = await kubelab(['start', '--name', name, '--nodes', '3', '--hpa-downscale-delay', '20s'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    await until('three Ready nodes', async () => ((await kubectl(kubeconfig, ['get', 'nodes', '--no-headers'])).stdout.match(/ Ready /g)?.length ?? 0) === 3);
    await kubectl(kubeconfig, ['create', 'namespace', NS]);
    await until('the default ServiceAccount', async () => (await kTry(['get', 'serviceaccount', 'default'])).code === 0);
    // Started first so that a few minutes of schedule have passed when the last test looks.
    const cron = (cname: string, policy: string, command: string, keep: number, suspend = false) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: cname, namespace: NS },
      spec: {
        schedule: '* * * * *',
        suspend,
        concurrencyPolicy: policy,
        successfulJobsHistoryLimit: keep,
        jobTemplate: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', command] }] } } } },
      },
    });
    await apply(cron('tick', 'Allow', 'echo tick', 1));
    await apply(cron('slow', 'Forbid', 'sleep 600', 3));
    // Never scheduled: the Job made from it by hand is not pruned by a scheduled run's history.
    await apply(cron('manual', 'Allow', 'echo by hand', 3, true));
  }, 600_000);

  afterAll(async () => {
    await forceRemove(name);
  });

  it('brings a StatefulSet up in order, each pod with its own bound volume on its node', async () => {
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await apply(statefulSet(3));
    const up = await until('web-0..2 Ready', async () => {
      const list = await pods('app=web');
      return list.length === 3 && list.every(ready) && list;
    }, 180_000);
    const byName = Object.fromEntries(up.map((p) => [p.metadata.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    // OrderedReady: each pod is created only once the one before it is Ready.
    for (const [before, after] of [['web-0', 'web-1'], ['web-1', 'web-2']] as const) {
      expect(Date.parse(byName[after]!.metadata.creationTimestamp)).toBeGreaterThanOrEqual(readySince(byName[before]!) - 1000);
    }
    const claims = await json<{ items: Array<{ metadata: { name: string; annotations?: Record<string, string> }; spec: { storageClassName?: string; volumeName?: string }; status: { phase: string } }> }>(['get', 'pvc']);
    expect(claims.items.map((c) => c.metadata.name).sort()).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    for (const c of claims.items) {
      expect(c.status.phase).toBe('Bound');
      expect(c.spec.storageClassName).toBe('standard');
      const pv = await json<{ spec: { nodeAffinity: { required: { nodeSelectorTerms: Array<{ matchExpressions: Array<{ values: string[] }> }> } } } }>(['get', 'pv', c.spec.volumeName!]);
      const node = pv.spec.nodeAffinity.required.nodeSelectorTerms[0]!.matchExpressions[0]!.values[0];
      expect(node).toBe(byName[c.metadata.name.replace('data-', '')]!.spec.nodeName);
    }
    expect(await k(['exec', 'web-1', '--', 'hostname'])).toBe('web-1\n');
  }, 300_000);

  it('keeps web-1 data when web-1 is deleted and across a cluster stop/start', async () => {
    await k(['exec', 'web-1', '--', 'sh', '-c', 'echo kept-by-web-1 > /data/file']);
    const before = (await pods('app=web')).find((p) => p.metadata.name === 'web-1')!;
    await k(['delete', 'pod', 'web-1', '--wait=true']);
    await until('web-1 back', async () => (await pods('app=web')).some((p) => p.metadata.name === 'web-1' && ready(p) && p.metadata.creationTimestamp !== before.metadata.creationTimestamp));
    expect(await k(['exec', 'web-1', '--', 'cat', '/data/file'])).toBe('kept-by-web-1\n');

    expect((await kubelab(['stop', name], { home, env })).code).toBe(0);
    const started = await kubelab(['start', '--name', name], { home, env });
    expect(started.code, started.stderr).toBe(0);
    await until('web-0..2 Ready after the restart', async () => {
      const list = await pods('app=web');
      return list.length === 3 && list.every(ready);
    }, 240_000);
    expect(await until('the file after the restart', async () => (await kTry(['exec', 'web-1', '--', 'cat', '/data/file'])).stdout)).toBe('kept-by-web-1\n');
  }, 420_000);

  it('scales down from the highest ordinal and updates only ordinals at or above the partition', async () => {
    await k(['scale', 'statefulset', 'web', '--replicas=2']);
    await until('web-2 gone', async () => {
      const names = (await pods('app=web')).map((p) => p.metadata.name).sort();
      return names.join() === 'web-0,web-1' && names;
    });
    await k(['scale', 'statefulset', 'web', '--replicas=3']);
    await until('web-2 back', async () => (await pods('app=web')).filter(ready).length === 3);
    const revisionOf = async () => Object.fromEntries((await pods('app=web')).map((p) => [p.metadata.name, p.metadata.labels?.['controller-revision-hash']]));
    const old = await revisionOf();
    await k(['patch', 'statefulset', 'web', '-p', JSON.stringify({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, template: { metadata: { annotations: { rev: '2' } } } } })]);
    const updated = await until('web-2 on the new revision', async () => {
      const now = await revisionOf();
      const list = await pods('app=web');
      return now['web-2'] !== old['web-2'] && list.length === 3 && list.every(ready) && now;
    });
    expect(updated['web-0']).toBe(old['web-0']);
    expect(updated['web-1']).toBe(old['web-1']);
    const sts = await json<{ status: { updateRevision: string; currentRevision: string; updatedReplicas: number } }>(['get', 'statefulset', 'web']);
    expect(sts.status.updatedReplicas).toBe(1);
    expect(`web-${sts.status.updateRevision}`).toContain(updated['web-2']!);
  }, 300_000);

  it('runs one DaemonSet pod per node it tolerates, including a node added later', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'agent', image: BUSYBOX, command: ['sleep', '3600'] }] } },
      },
    });
    const workers = [`${name}-worker`, `${name}-worker2`];
    const placed = await until('an agent pod on each worker', async () => {
      const list = (await pods('app=agent')).filter((p) => p.status?.phase === 'Running');
      return list.length === 2 && list.map((p) => p.spec.nodeName!).sort();
    });
    // The control plane's NoSchedule taint is not tolerated: no pod there.
    expect(placed).toEqual(workers);
    const added = await kubelab(['node', 'add', '--name', name], { home, env });
    expect(added.code, added.stderr).toBe(0);
    const third = await until('a pod on the new node', async () => {
      const list = (await pods('app=agent')).filter((p) => p.status?.phase === 'Running');
      return list.length === 3 && list.map((p) => p.spec.nodeName!).sort();
    }, 240_000);
    expect(third).not.toContain(cp);
    const ds = await json<{ status: { desiredNumberScheduled: number; numberReady: number } }>(['get', 'daemonset', 'agent']);
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3 });
  }, 420_000);

  it('completes a Job of 5 completions 2 at a time and keeps its pods readable', async () => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'count', namespace: NS },
      spec: { completions: 5, parallelism: 2, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', 'sleep 2; echo done by $(hostname)'] }] } } },
    });
    let most = 0;
    await until('Job count Complete', async () => {
      const job = await json<{ status: { active?: number; conditions?: Array<{ type: string; status: string }> } }>(['get', 'job', 'count']);
      most = Math.max(most, job.status.active ?? 0);
      return job.status.conditions?.some((c) => c.type === 'Complete' && c.status === 'True');
    }, 180_000);
    expect(most).toBeLessThanOrEqual(2);
    const done = await pods('job-name=count');
    expect(done.filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(5);
    for (const p of done) expect(await k(['logs', p.metadata.name])).toBe(`done by ${p.metadata.name}\n`);
    expect(await k(['get', 'job', 'count', '--no-headers'])).toMatch(/Complete\s+5\/5/);
  }, 300_000);

  it('stops a failing Job at its backoffLimit and gives an Indexed Job its indexes', async () => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'fail', namespace: NS },
      spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', 'exit 3'] }] } } },
    });
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'indexed', namespace: NS },
      spec: { completions: 3, parallelism: 3, completionMode: 'Indexed', template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', 'echo index $JOB_COMPLETION_INDEX'] }] } } },
    });
    const failed = await until('Job fail Failed', async () => {
      const job = await json<{ status: { failed?: number; conditions?: Array<{ type: string; status: string; reason?: string }> } }>(['get', 'job', 'fail']);
      return job.status.conditions?.find((c) => c.type === 'Failed' && c.status === 'True') && job;
    }, 180_000);
    expect(failed.status.failed).toBe(2);
    expect(failed.status.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    await until('Job indexed Complete', async () => (await k(['get', 'job', 'indexed', '-o', 'jsonpath={.status.conditions[?(@.type=="Complete")].status}'])) === 'True');
    const logs = await Promise.all((await pods('job-name=indexed')).map(async (p) => [p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], (await k(['logs', p.metadata.name])).trim()]));
    expect(logs.sort()).toEqual([['0', 'index 0'], ['1', 'index 1'], ['2', 'index 2']]);
  }, 300_000);

  it('binds a claim of the default class when its pod is scheduled, and removes the data with the claim', async () => {
    await apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'scratch', namespace: NS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Mi' } } } });
    await until('WaitForFirstConsumer event', async () => (await k(['get', 'events', '--field-selector', 'involvedObject.name=scratch'])).includes('WaitForFirstConsumer'));
    expect(await k(['get', 'pvc', 'scratch', '-o', 'jsonpath={.status.phase}'])).toBe('Pending');
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'writer', namespace: NS },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', 'echo data > /d/x; exec sleep 3600'], volumeMounts: [{ name: 'd', mountPath: '/d' }] }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'scratch' } }] },
    });
    await until('writer Running', async () => (await k(['get', 'pod', 'writer', '-o', 'jsonpath={.status.phase}'])) === 'Running');
    const pv = await k(['get', 'pvc', 'scratch', '-o', 'jsonpath={.spec.volumeName}']);
    const node = await k(['get', 'pod', 'writer', '-o', 'jsonpath={.spec.nodeName}']);
    const path = await k(['get', 'pv', pv, '-o', 'jsonpath={.spec.hostPath.path}']);
    expect(await inNode(node, `cat ${path}/x`)).toBe('data');
    await k(['delete', 'pod', 'writer', '--wait=true']);
    await k(['delete', 'pvc', 'scratch', '--wait=true']);
    await until('the volume deleted', async () => (await kubectl(kubeconfig, ['get', 'pv', pv])).code !== 0);
    expect(await inNode(node, `test -e ${path} && echo present || echo gone`)).toBe('gone');
  }, 300_000);

  it('shows usage in kubectl top and autoscales a busy Deployment up and back down', async () => {
    const burn = (load: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'burn', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'burn' } },
        template: {
          metadata: { labels: { app: 'burn' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'burn', image: BUSYBOX, env: [{ name: 'LOAD', value: load }], command: ['sh', '-c', 'if [ "$LOAD" = on ]; then while :; do :; done; else exec sleep 3600; fi'], resources: { requests: { cpu: '100m' } } }],
          },
        },
      },
    });
    await apply(burn('on'));
    await k(['autoscale', 'deployment', 'burn', '--cpu-percent=50', '--min=1', '--max=3']);
    const top = await until('burn in kubectl top', async () => {
      const r = await kTry(['top', 'pods', '-l', 'app=burn', '--no-headers']);
      const m = /(\d+)m\s+\d+Mi/.exec(r.stdout);
      return m && Number(m[1]) >= 200 && r.stdout;
    });
    expect(top).toMatch(/^burn-/);
    const nodes = await kubectl(kubeconfig, ['top', 'nodes', '--no-headers']);
    expect(nodes.stdout.trim().split('\n')).toHaveLength(4);
    expect(nodes.stdout).toMatch(/\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
    await until('the HPA scaling burn up', async () => Number(await k(['get', 'deployment', 'burn', '-o', 'jsonpath={.spec.replicas}'])) > 1, 180_000);
    expect(await k(['get', 'hpa', 'burn', '--no-headers'])).toMatch(/cpu: \d+%\/50%/);
    expect(await k(['describe', 'hpa', 'burn'])).toContain('SuccessfulRescale');
    // The load stops: new pods of the Deployment sleep (set env leaves the replicas to the HPA).
    await k(['set', 'env', 'deployment/burn', 'LOAD=off']);
    await until('the HPA scaling burn back to 1', async () => Number(await k(['get', 'deployment', 'burn', '-o', 'jsonpath={.spec.replicas}'])) === 1, 240_000);
    expect(await k(['describe', 'hpa', 'burn'])).toMatch(/New size: 1; reason: All metrics below target/);
  }, 480_000);

  it('refuses or reports bad specs as upstream does, without disturbing anything else', async () => {
    const badCron = await kTry(['create', 'cronjob', 'bad', '--image', BUSYBOX, '--schedule', '61 * * * *', '--', 'true']);
    expect(badCron.code).not.toBe(0);
    expect(badCron.stderr).toMatch(/spec\.schedule: Invalid value: "61 \* \* \* \*"/);
    const badSts = await kTry(['apply', '-f', '-'], JSON.stringify(statefulSet(1, { serviceName: 'Not_A_Name' }, 'badname')));
    expect(badSts.code).not.toBe(0);
    expect(badSts.stderr).toContain('spec.serviceName');
    // Since 1.33 serviceName is optional: such a set runs, its pods just get no subdomain.
    await apply(statefulSet(1, { serviceName: undefined }, 'solo'));
    await until('solo-0 Ready', async () => (await pods('app=web')).some((p) => p.metadata.name === 'solo-0' && ready(p)));
    await k(['delete', 'statefulset', 'solo']);
    await apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'nowhere', namespace: NS }, spec: { storageClassName: 'nope', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } } });
    await until('ProvisioningFailed', async () => (await k(['describe', 'pvc', 'nowhere'])).includes('storageclass.storage.k8s.io "nope" not found'));
    await apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'norequests', namespace: NS },
      spec: { replicas: 1, selector: { matchLabels: { app: 'norequests' } }, template: { metadata: { labels: { app: 'norequests' } }, spec: { containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }] } } },
    });
    await k(['autoscale', 'deployment', 'norequests', '--cpu-percent=50', '--max=3']);
    await until('FailedGetResourceMetric', async () => (await k(['describe', 'hpa', 'norequests'])).includes('missing request for cpu'));
    // Everything else kept working.
    expect((await pods('app=web')).filter((p) => p.metadata.name.startsWith('web-') && ready(p))).toHaveLength(3);
  }, 300_000);

  it('runs the StatefulSet example, and the autoscaling example passes server validation', async () => {
    const examples = join(import.meta.dirname, '..', 'examples');
    await kubectl(kubeconfig, ['create', 'namespace', 'examples']);
    const ex = (args: string[]) => kubectl(kubeconfig, ['-n', 'examples', ...args]);
    expect((await ex(['apply', '--dry-run=server', '-f', join(examples, 'autoscale.yaml')])).code).toBe(0);
    const applied = await ex(['apply', '-f', join(examples, 'stateful.yaml')]);
    expect(applied.code, applied.stderr).toBe(0);
    await until('counter-1 counting', async () => (await ex(['logs', 'counter-1'])).stdout.includes('counter-1 counted 2'));
    await ex(['delete', 'namespace', 'examples', '--wait=false']);
  }, 240_000);

  it('runs CronJobs every minute within their history limits, and Forbid skips while one runs', async () => {
    await until('two scheduled runs of tick', async () => {
      const events = await k(['get', 'events', '--field-selector', 'involvedObject.name=tick,reason=SuccessfulCreate', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
      return events.trim().split('\n').filter(Boolean).length >= 2;
    }, 200_000);
    await until('tick history at its limit', async () => {
      const ticks = (await k(['get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name} {.status.succeeded}{"\\n"}{end}'])).split('\n').filter((l) => l.startsWith('tick 1'));
      return ticks.length === 1;
    }, 120_000);
    // Never two runs of slow at once. (A run the cluster's stop/start killed counts as failed, and
    // Forbid then starts the next one, so finished runs may be there too.)
    const slow = (await k(['get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name} {.status.active}{"\\n"}{end}'])).split('\n').filter((l) => l === 'slow 1');
    expect(slow).toHaveLength(1);
    expect(await k(['get', 'cronjob', 'slow', '-o', 'jsonpath={.status.active[*].name}'])).toMatch(/^slow-\d+$/);
    expect(await k(['describe', 'cronjob', 'slow'])).toContain('JobAlreadyActive');
    // A suspended CronJob starts nothing by itself; a Job made by hand from it runs.
    expect(await k(['get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name}{"\\n"}{end}'])).not.toMatch(/^manual$/m);
    await k(['create', 'job', 'by-hand', '--from=cronjob/manual']);
    await until('by-hand Complete', async () => (await k(['get', 'job', 'by-hand', '-o', 'jsonpath={.status.succeeded}'])) === '1');
    expect(await k(['logs', 'job/by-hand'])).toBe('by hand\n');
  }, 400_000);
});
