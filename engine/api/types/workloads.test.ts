// Workload API types (apps, batch, autoscaling, policy): defaults, validation, printer columns and
// schema facts, exercised through the kinds' own hooks without I/O.
import { describe, expect, it } from 'vitest';
import type { ApiObject, Column, ResourceType, TypeGroup } from '../resource-type.js';
import { APPS } from './apps.js';
import { AUTOSCALING, formatMetrics } from './autoscaling.js';
import { BATCH } from './batch.js';
import { cronError, timeZoneError } from './batch-cron.js';
import { POLICY } from './policy.js';

const type = (g: TypeGroup, kind: string, version?: string): ResourceType => g.resources.find((r) => r.kind === kind && (!version || r.version === version))!;
const DEPLOY = type(APPS, 'Deployment');
const RS = type(APPS, 'ReplicaSet');
const STS = type(APPS, 'StatefulSet');
const DS = type(APPS, 'DaemonSet');
const CR = type(APPS, 'ControllerRevision');
const JOB = type(BATCH, 'Job');
const CRON = type(BATCH, 'CronJob');
const HPA2 = type(AUTOSCALING, 'HorizontalPodAutoscaler', 'v2');
const HPA1 = type(AUTOSCALING, 'HorizontalPodAutoscaler', 'v1');
const PDB = type(POLICY, 'PodDisruptionBudget');

const template = (labels: Record<string, string> = { app: 'web' }, extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...extra },
});
const obj = (spec: Record<string, unknown>, extra: Partial<ApiObject> = {}): ApiObject => ({
  metadata: { name: 'web', namespace: 'demo', uid: 'uid-1', creationTimestamp: new Date(Date.now() - 30_000).toISOString() },
  spec,
  ...extra,
});
/** Defaults applied to a fresh copy, as the server does before validating. */
const defaulted = (t: ResourceType, o: ApiObject, old?: ApiObject): ApiObject => {
  const copy = structuredClone(o);
  t.defaults!(copy, old);
  return copy;
};
/** "field: message" lines of a kind's own validation after defaulting. */
const problems = (t: ResourceType, o: ApiObject, old?: ApiObject) => t.validate!(defaulted(t, o, old), old).map((e) => `${e.field}: ${e.message}`);
const cells = (t: ResourceType, o: ApiObject, wide = false) => Object.fromEntries(t.columns.filter((c: Column) => wide || !c.wide).map((c) => [c.name, c.cell(o)]));
const deployment = (spec: Record<string, unknown> = {}) => obj({ replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template(), ...spec });

describe('apps/v1 defaults', () => {
  it('gives a Deployment 1 replica, a 25%/25% rolling update, 10 revisions and a 600s deadline', () => {
    const d = defaulted(DEPLOY, obj({ selector: { matchLabels: { app: 'web' } }, template: template() }));
    expect(d.spec).toMatchObject({ replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    expect(d.status).toEqual({});
  });

  it('keeps what the user chose, zero included', () => {
    const d = defaulted(DEPLOY, deployment({ replicas: 0, revisionHistoryLimit: 0, strategy: { type: 'Recreate' } }));
    expect(d.spec).toMatchObject({ replicas: 0, revisionHistoryLimit: 0, strategy: { type: 'Recreate' } });
    expect((d.spec as { strategy: object }).strategy).not.toHaveProperty('rollingUpdate');
    const surge = defaulted(DEPLOY, deployment({ strategy: { rollingUpdate: { maxSurge: 0 } } }));
    expect((surge.spec as { strategy: unknown }).strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' } });
  });

  it('gives a ReplicaSet 1 replica and a status with replicas 0', () => {
    const rs = defaulted(RS, obj({ selector: { matchLabels: { app: 'web' } }, template: template() }));
    expect((rs.spec as { replicas: number }).replicas).toBe(1);
    expect(rs.status).toEqual({ replicas: 0 });
  });

  it('gives a StatefulSet OrderedReady, partition 0, retained claims and claim-template defaults', () => {
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    const s = defaulted(STS, obj({ selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 'web', volumeClaimTemplates: [claim] }));
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
    expect(s.status).toEqual({ replicas: 0, availableReplicas: 0 });
    // An explicit RollingUpdate without parameters stays without them, as upstream.
    const explicit = defaulted(STS, obj({ updateStrategy: { type: 'RollingUpdate' } }));
    expect((explicit.spec as { updateStrategy: unknown }).updateStrategy).toEqual({ type: 'RollingUpdate' });
  });

  it('gives a DaemonSet maxUnavailable 1, maxSurge 0 and counts template generations', () => {
    const ds = defaulted(DS, obj({ selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }) }));
    expect(ds.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
    expect(ds.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(ds.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    const relabelled = structuredClone(ds);
    relabelled.metadata.labels = { tier: 'node' };
    expect(defaulted(DS, relabelled, ds).metadata.annotations!['deprecated.daemonset.template.generation']).toBe('1');
    const newImage = structuredClone(ds);
    (newImage.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'nginx:1.28';
    expect(defaulted(DS, newImage, ds).metadata.annotations!['deprecated.daemonset.template.generation']).toBe('2');
  });
});

describe('apps/v1 validation', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['selector that misses the template', { selector: { matchLabels: { app: 'db' } } }, 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    ['empty selector', { selector: {} }, 'spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    ['negative replicas', { replicas: -1 }, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['no room to roll', { strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }, 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ['rolling parameters with Recreate', { strategy: { type: 'Recreate', rollingUpdate: {} } }, "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ['over 100% unavailable', { strategy: { rollingUpdate: { maxUnavailable: '150%' } } }, 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    ['a percentage without digits', { strategy: { rollingUpdate: { maxSurge: 'lots' } } }, 'spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string'],
    ['deadline below minReadySeconds', { minReadySeconds: 30, progressDeadlineSeconds: 10 }, 'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
    ['pods that never restart', { template: template({ app: 'web' }, { restartPolicy: 'Never' }) }, 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['a pod deadline', { template: template({ app: 'web' }, { activeDeadlineSeconds: 5 }) }, 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
  ])('rejects a Deployment with %s', (_what, spec, message) => {
    expect(problems(DEPLOY, deployment(spec)).join('\n')).toContain(message);
  });

  it('accepts a sound Deployment and keeps its selector on updates', () => {
    const d = defaulted(DEPLOY, deployment());
    expect(DEPLOY.validate!(d)).toEqual([]);
    const scaled = structuredClone(d);
    (scaled.spec as { replicas: number }).replicas = 5;
    expect(DEPLOY.validate!(scaled, d)).toEqual([]);
    const moved = structuredClone(d);
    (moved.spec as Record<string, unknown>).selector = { matchLabels: { app: 'web', v: '2' } };
    (moved.spec as { template: { metadata: { labels: object } } }).template.metadata.labels = { app: 'web', v: '2' };
    expect(problems(DEPLOY, moved, d)).toEqual([expect.stringMatching(/^spec\.selector: Invalid value: .*: field is immutable$/)]);
  });

  it('checks ReplicaSets like Deployments, with upstream wording', () => {
    const rs = obj({ selector: { matchLabels: { app: 'web' } }, template: template(), minReadySeconds: -3 });
    expect(problems(RS, rs)).toEqual(['spec.minReadySeconds: Invalid value: -3: must be greater than or equal to 0']);
    expect(problems(RS, obj({ selector: { matchLabels: { app: 'x' } }, template: template() }))).toEqual([expect.stringContaining('`selector` does not match template `labels`')]);
  });

  it('lets StatefulSet updates change only the allowed fields', () => {
    const s = defaulted(STS, obj({ selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 'web' }));
    expect(STS.validate!(s)).toEqual([]);
    const allowed = structuredClone(s);
    Object.assign(allowed.spec as object, { replicas: 4, minReadySeconds: 5, ordinals: { start: 1 }, updateStrategy: { type: 'OnDelete' } });
    expect(problems(STS, allowed, s)).toEqual([]);
    const renamed = structuredClone(s);
    (renamed.spec as { serviceName: string }).serviceName = 'other';
    expect(problems(STS, renamed, s)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['OnDelete with rolling parameters', { updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }, "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'"],
    ['a negative partition', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }, 'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    ['an unknown retention policy', { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'],
    ['a service name that is no DNS label', { serviceName: 'Web_Svc' }, 'spec.serviceName: Invalid value: "Web_Svc": a lowercase RFC 1123 label'],
    ['an empty selector', { selector: {} }, 'spec.selector: Invalid value: {}: empty selector is invalid for statefulset'],
  ])('rejects a StatefulSet with %s', (_what, spec, message) => {
    expect(problems(STS, obj({ selector: { matchLabels: { app: 'web' } }, template: template(), ...spec })).join('\n')).toContain(message);
  });

  it('checks only the labels of a StatefulSet template, as upstream, so claims can be mounted by name', () => {
    const mounted = template({ app: 'web' }, { containers: [{ name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] });
    const claims = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
    expect(problems(STS, obj({ selector: { matchLabels: { app: 'web' } }, template: mounted, volumeClaimTemplates: claims }))).toEqual([]);
    expect(problems(STS, obj({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', 'bad key!': 'x' }) }))).toEqual([
      expect.stringMatching(/^spec\.template\.labels: Invalid value: "bad key!"/),
    ]);
  });

  it('requires StatefulSet names to be DNS labels', () => {
    const s = obj({ selector: { matchLabels: { app: 'web' } }, template: template() });
    s.metadata.name = 'web.v2';
    expect(problems(STS, s)).toEqual([expect.stringMatching(/^metadata\.name: Invalid value: "web\.v2": a lowercase RFC 1123 label/)]);
  });

  it.each<[string, unknown, string]>([
    ['surge and unavailability together', { maxUnavailable: 1, maxSurge: 1 }, 'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero'],
    ['no room to roll', { maxUnavailable: 0, maxSurge: 0 }, 'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ['more than all nodes', { maxUnavailable: '101%' }, 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%'],
  ])('rejects a DaemonSet rolling update with %s', (_what, rollingUpdate, message) => {
    const ds = obj({ selector: { matchLabels: { app: 'web' } }, template: template(), updateStrategy: { type: 'RollingUpdate', rollingUpdate } });
    expect(problems(DS, ds)).toContain(message);
  });

  it('requires ControllerRevision data and never lets it change', () => {
    const rev: ApiObject = { metadata: { name: 'web-7d9f', namespace: 'demo' }, revision: 1 };
    expect(problems(CR, rev)).toEqual(['data: Required value: data is mandatory']);
    const withData = defaulted(CR, { ...rev, data: { spec: { template: {} } } });
    expect(CR.validate!(withData)).toEqual([]);
    expect(problems(CR, { ...withData, data: { spec: {} } }, withData)).toEqual(['data: Invalid value: {"spec":{}}: field is immutable']);
    expect(defaulted(CR, { metadata: { name: 'x' }, data: {} }).revision).toBe(0);
  });
});

describe('batch/v1 Jobs', () => {
  const job = (spec: Record<string, unknown> = {}) => obj({ template: template({}, { restartPolicy: 'Never' }), ...spec });

  it('defaults completions, parallelism, backoff, mode and suspend, and generates the selector from the uid', () => {
    const j = defaulted(JOB, job());
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect((j.spec as Record<string, unknown>).manualSelector).toBeUndefined();
    const labels = { 'batch.kubernetes.io/controller-uid': 'uid-1', 'batch.kubernetes.io/job-name': 'web', 'controller-uid': 'uid-1', 'job-name': 'web' };
    expect((j.spec as { selector: unknown }).selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    expect((j.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels).toEqual(labels);
    expect(j.metadata.labels).toEqual(labels);
    expect(JOB.validate!(j)).toEqual([]);
  });

  it('keeps the job\'s own labels, and leaves manual selectors alone', () => {
    const own = defaulted(JOB, job({ template: template({ app: 'batch' }, { restartPolicy: 'OnFailure' }) }));
    expect(own.metadata.labels).toEqual({ app: 'batch' });
    const manual = defaulted(JOB, job({ manualSelector: true, selector: { matchLabels: { app: 'batch' } }, template: template({ app: 'batch' }, { restartPolicy: 'Never' }) }));
    expect((manual.spec as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'batch' } });
    expect(JOB.validate!(manual)).toEqual([]);
  });

  it('defaults work-queue jobs, per-index backoff and failure policies as upstream', () => {
    expect(defaulted(JOB, job({ parallelism: 4 })).spec).toMatchObject({ parallelism: 4 });
    expect((defaulted(JOB, job({ parallelism: 4 })).spec as Record<string, unknown>).completions).toBeUndefined();
    const perIndex = defaulted(JOB, job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 }));
    expect((perIndex.spec as { backoffLimit: number }).backoffLimit).toBe(2147483647);
    const pfp = defaulted(JOB, job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }));
    expect(pfp.spec).toMatchObject({ podReplacementPolicy: 'Failed', podFailurePolicy: { rules: [{ onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['pods that restart forever', { template: template({}, { restartPolicy: 'Always' }) }, 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['no restart policy', { template: template({}) }, 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['an unknown restart policy', { template: template({}, { restartPolicy: 'Sometimes' }) }, 'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"'],
    ['negative completions', { completions: -1 }, 'spec.completions: Invalid value: -1: must be greater than or equal to 0'],
    ['Indexed without completions', { completionMode: 'Indexed', parallelism: 2 }, 'spec.completions: Required value: when completion mode is Indexed'],
    ['per-index backoff without Indexed', { backoffLimitPerIndex: 1 }, 'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
    ['OnFailure with a failure policy', { template: template({}, { restartPolicy: 'OnFailure' }), podFailurePolicy: { rules: [] } }, 'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ['a manual selector that misses the pods', { manualSelector: true, selector: { matchLabels: { app: 'x' } } }, '`selector` does not match template `labels`'],
  ])('rejects a Job with %s', (_what, spec, message) => {
    expect(problems(JOB, job(spec)).join('\n')).toContain(message);
  });

  it('rejects labels that pretend to be another job\'s', () => {
    expect(problems(JOB, job({ template: template({ 'controller-uid': 'someone-else' }, { restartPolicy: 'Never' }) }))).toContain(
      "spec.template.metadata.labels[controller-uid]: Invalid value: \"someone-else\": must be 'uid-1'",
    );
  });

  it('keeps the template of a started job, but lets a suspended one move its pods', () => {
    const j = defaulted(JOB, job());
    const changed = structuredClone(j);
    (changed.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'busybox';
    expect(problems(JOB, changed, j)).toEqual([expect.stringMatching(/^spec\.template: Invalid value: .*: field is immutable$/)]);
    const suspended = defaulted(JOB, job({ suspend: true }));
    const moved = structuredClone(suspended);
    (moved.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = { zone: 'a' };
    expect(problems(JOB, moved, suspended)).toEqual([]);
    const resized = structuredClone(j);
    (resized.spec as { completions: number }).completions = 2;
    expect(problems(JOB, resized, j)).toEqual(['spec.completions: Invalid value: 2: field is immutable']);
  });
});

describe('batch/v1 CronJobs', () => {
  it.each(['*/5 * * * *', '0 3 * * mon-fri', '@hourly', '@every 1h30m', '0 0 1 jan,jul *', '5/15 * * * ?', '0 0 * * SUN', '0-59/10 9-17 1-31 1-12 0-6'])('accepts the schedule %s', (s) => {
    expect(cronError(s)).toBeUndefined();
  });

  it.each([
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['', 'empty spec string'],
  ])('rejects the schedule "%s"', (s, why) => {
    expect(cronError(s)).toBe(why);
  });

  it('knows IANA time zones, links included', () => {
    for (const tz of ['Europe/Berlin', 'UTC', 'Etc/UTC', 'America/Argentina/Buenos_Aires', 'US/Eastern']) expect(timeZoneError(tz), tz).toBeUndefined();
    expect(timeZoneError('Mars/Olympus_Mons')).toBe('unknown time zone Mars/Olympus_Mons');
  });

  const cron = (spec: Record<string, unknown>) => obj({ schedule: '*/5 * * * *', jobTemplate: { spec: { template: template({}, { restartPolicy: 'OnFailure' }) } }, ...spec });

  it('defaults Allow, not suspended, and 3/1 jobs of history, but no job defaults in the template', () => {
    const c = defaulted(CRON, cron({}));
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect((c.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec.completions).toBeUndefined();
    expect(CRON.validate!(c)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad schedule', { schedule: '99 * * * *' }, 'spec.schedule: Invalid value: "99 * * * *": end of range (99) above maximum (59): 99'],
    ['a zone in the schedule', { schedule: 'CRON_TZ=UTC 0 * * * *' }, 'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['an unknown time zone', { timeZone: 'Moon/Base' }, 'spec.timeZone: Invalid value: "Moon/Base": unknown time zone Moon/Base'],
    ['the Local zone', { timeZone: 'Local' }, 'spec.timeZone: Invalid value: "Local": unknown time zone Local'],
    ['pods that restart forever', { jobTemplate: { spec: { template: template({}, { restartPolicy: 'Always' }) } } }, 'spec.jobTemplate.spec.template.spec.restartPolicy: Required value'],
    ['a selector of its own', { jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: template({}, { restartPolicy: 'Never' }) } } }, 'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated'],
  ])('rejects a CronJob with %s', (_what, spec, message) => {
    expect(problems(CRON, cron(spec)).join('\n')).toContain(message);
  });

  it('limits CronJob names to 52 characters', () => {
    const c = cron({});
    c.metadata.name = 'n'.repeat(53);
    expect(problems(CRON, c)).toEqual([`metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`]);
  });
});

describe('printer columns', () => {
  it('prints Deployments as kubectl does', () => {
    const d = defaulted(DEPLOY, deployment());
    d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(cells(DEPLOY, d)).toEqual({ Name: 'web', Ready: '2/3', 'Up-to-date': 3, Available: 2, Age: '30s' });
    expect(cells(DEPLOY, d, true)).toMatchObject({ Containers: 'web', Images: 'nginx:1.27', Selector: 'app=web' });
    expect(DEPLOY.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  });

  it('prints ReplicaSets, StatefulSets, DaemonSets and ControllerRevisions', () => {
    const sel = { matchLabels: { app: 'web', tier: 'front' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] };
    const rs = obj({ replicas: 3, selector: sel, template: template() }, { status: { replicas: 3, readyReplicas: 1 } });
    expect(cells(RS, rs, true)).toMatchObject({ Desired: 3, Current: 3, Ready: 1, Selector: 'app=web,env in (dev,prod),tier=front' });
    expect(cells(STS, obj({ replicas: 2 }, { status: { readyReplicas: 1 } }))).toMatchObject({ Ready: '1/2' });
    const ds = obj({ template: template({ app: 'a' }, { nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } }) }, { status: { desiredNumberScheduled: 3, numberReady: 2 } });
    expect(cells(DS, ds)).toMatchObject({ Desired: 3, Current: 0, Ready: 2, 'Up-to-date': 0, Available: 0, 'Node Selector': 'disk=ssd,kubernetes.io/os=linux' });
    expect(cells(DS, obj({ template: template() }))['Node Selector']).toBe('<none>');
    const rev: ApiObject = { metadata: { name: 'web-5d4', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }, revision: 2 };
    expect(cells(CR, rev)).toMatchObject({ Controller: 'statefulset.apps/web', Revision: 2 });
    expect(cells(CR, { metadata: { name: 'x' }, revision: 1 }).Controller).toBe('<none>');
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, string | undefined]>([
    ['Running', { completions: 1 }, {}, undefined],
    ['Complete', { completions: 1 }, { conditions: [{ type: 'Complete', status: 'True' }] }, undefined],
    ['Failed', { completions: 1 }, { conditions: [{ type: 'Failed', status: 'True' }] }, undefined],
    ['Terminating', { completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }] }, '2026-01-01T00:00:00Z'],
    ['Suspended', { completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }, { type: 'FailureTarget', status: 'True' }] }, undefined],
    ['FailureTarget', { completions: 1 }, { conditions: [{ type: 'FailureTarget', status: 'True' }] }, undefined],
    ['SuccessCriteriaMet', { completions: 1 }, { conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'False' }] }, undefined],
  ])('prints the Job status %s', (status, spec, st, deleting) => {
    const j = obj(spec, { status: st });
    if (deleting) j.metadata.deletionTimestamp = deleting;
    expect(cells(JOB, j).Status).toBe(status);
  });

  it('prints Job completions and durations', () => {
    const start = new Date(Date.now() - 90_000).toISOString();
    const done = obj({ completions: 3 }, { status: { succeeded: 3, startTime: start, completionTime: new Date(Date.parse(start) + 65_000).toISOString() } });
    expect(cells(JOB, done)).toMatchObject({ Completions: '3/3', Duration: '65s' });
    expect(cells(JOB, obj({ parallelism: 4 }, { status: { succeeded: 1, startTime: start } }))).toMatchObject({ Completions: '1/1 of 4', Duration: '90s' });
    expect(cells(JOB, obj({ parallelism: 1 }))).toMatchObject({ Completions: '0/1', Duration: '' });
  });

  it('prints CronJobs', () => {
    const c = defaulted(CRON, obj({ schedule: '*/5 * * * *', jobTemplate: { spec: { template: template() } } }));
    expect(cells(CRON, c, true)).toMatchObject({ Schedule: '*/5 * * * *', Timezone: '<none>', Suspend: 'False', Active: 0, 'Last Schedule': '<none>', Containers: 'web', Selector: '<none>' });
    const zoned = obj({ schedule: '@daily', timeZone: 'Europe/Berlin' }, { status: { active: [{ name: 'a' }], lastScheduleTime: new Date(Date.now() - 300_000).toISOString() } });
    expect(cells(CRON, zoned)).toMatchObject({ Timezone: 'Europe/Berlin', Suspend: '<unset>', Active: 1, 'Last Schedule': '5m' });
  });

  it('prints HPA targets as kubectl does', () => {
    const cpu = (u?: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });
    expect(formatMetrics([], [])).toBe('<none>');
    expect(formatMetrics([cpu(50)], [])).toBe('cpu: <unknown>/50%');
    expect(formatMetrics([cpu(50)], [{ resource: { current: { averageUtilization: 20 } } }])).toBe('cpu: 20%/50%');
    expect(formatMetrics([cpu()], [])).toBe('cpu: <unknown>/<auto>');
    const mem = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } };
    const queue = { type: 'External', external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '30' } } };
    const rps = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } };
    expect(formatMetrics([mem, queue], [{ resource: { current: { averageValue: '120Mi' } } }])).toBe('memory: 120Mi/200Mi, <unknown>/30 (avg)');
    expect(formatMetrics([cpu(50), mem, queue, rps], [])).toBe('cpu: <unknown>/50%, memory: <unknown>/200Mi + 2 more...');
    const h = defaulted(HPA2, obj({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, metrics: [cpu(60)] }));
    expect(cells(HPA2, h)).toEqual({ Name: 'web', Reference: 'Deployment/web', Targets: 'cpu: <unknown>/60%', MinPods: '2', MaxPods: 5, Replicas: 0, Age: '30s' });
    const v1 = obj({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4, targetCPUUtilizationPercentage: 70 }, { status: { currentReplicas: 2, currentCPUUtilizationPercentage: 35 } });
    expect(cells(HPA1, v1)).toMatchObject({ Targets: 'cpu: 35%/70%', MinPods: '<unset>', Replicas: 2 });
  });

  it('prints PodDisruptionBudgets', () => {
    const pdb = obj({ minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }, { status: { disruptionsAllowed: 1 } });
    expect(cells(PDB, pdb)).toEqual({ Name: 'web', 'Min Available': '50%', 'Max Unavailable': 'N/A', 'Allowed Disruptions': 1, Age: '30s' });
  });
});

describe('autoscaling', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

  it('defaults v2 to 1 minimum replica and 80% CPU, and fills a given behavior', () => {
    const h = defaulted(HPA2, obj({ scaleTargetRef: ref, maxReplicas: 5 }));
    expect(h.spec).toEqual({ scaleTargetRef: ref, maxReplicas: 5, minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect(h.status).toEqual({ desiredReplicas: 0, currentMetrics: null });
    const b = defaulted(HPA2, obj({ scaleTargetRef: ref, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }));
    expect((b.spec as { behavior: unknown }).behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(HPA2.validate!(b)).toEqual([]);
  });

  it('defaults v1 to 1 minimum replica only', () => {
    const h = defaulted(HPA1, obj({ scaleTargetRef: ref, maxReplicas: 5 }));
    expect(h.spec).toEqual({ scaleTargetRef: ref, maxReplicas: 5, minReplicas: 1 });
    expect(h.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['more minimum than maximum', { minReplicas: 6, maxReplicas: 5 }, 'spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`'],
    ['a zero minimum', { minReplicas: 0, maxReplicas: 5 }, 'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
    ['no maximum', {}, 'spec.maxReplicas: Invalid value: 0: must be greater than 0'],
    ['no target kind', { maxReplicas: 3, scaleTargetRef: { name: 'web' } }, 'spec.scaleTargetRef.kind: Required value'],
    ['a metric without its source', { maxReplicas: 3, metrics: [{ type: 'Pods' }] }, 'spec.metrics[0].pods: Required value: must populate information for the given metric source'],
    ['an unknown metric type', { maxReplicas: 3, metrics: [{ type: 'Magic' }] }, 'spec.metrics[0].type: Unsupported value: "Magic"'],
    ['a zero utilization', { maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }, 'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0'],
    ['a long scaling period', { maxReplicas: 3, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 3600 }] } } }, 'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800'],
  ])('rejects a v2 autoscaler with %s', (_what, spec, message) => {
    expect(problems(HPA2, obj({ scaleTargetRef: ref, ...spec })).join('\n')).toContain(message);
  });

  it('checks the v1 CPU target', () => {
    expect(problems(HPA1, obj({ scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 0 }))).toEqual(['spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than 0']);
  });
});

describe('policy/v1', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ minAvailable: 1, maxUnavailable: 1 }, 'spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set'],
    [{ maxUnavailable: '120%' }, 'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%'],
    [{ minAvailable: -1 }, 'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
    [{ unhealthyPodEvictionPolicy: 'Never' }, 'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'],
  ])('rejects the budget %j', (spec, message) => {
    expect(problems(PDB, obj(spec))).toEqual([message]);
  });

  it('prints a fresh budget\'s status counters as zero', () => {
    expect(defaulted(PDB, obj({ minAvailable: 1 })).status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });
});

describe('schemas', () => {
  const defs = { ...APPS.definitions, ...BATCH.definitions, ...AUTOSCALING.definitions, ...POLICY.definitions };
  it.each([
    ['io.k8s.api.apps.v1.DeploymentSpec', 'progressDeadlineSeconds', 9],
    ['io.k8s.api.apps.v1.DeploymentStatus', 'readyReplicas', 7],
    ['io.k8s.api.apps.v1.DeploymentStatus', 'terminatingReplicas', 9],
    ['io.k8s.api.apps.v1.ReplicaSetSpec', 'minReadySeconds', 4],
    ['io.k8s.api.apps.v1.StatefulSetSpec', 'ordinals', 11],
    ['io.k8s.api.apps.v1.StatefulSetStatus', 'availableReplicas', 11],
    ['io.k8s.api.apps.v1.DaemonSetSpec', 'revisionHistoryLimit', 6],
    ['io.k8s.api.batch.v1.JobSpec', 'podFailurePolicy', 11],
    ['io.k8s.api.batch.v1.JobSpec', 'managedBy', 15],
    ['io.k8s.api.batch.v1.JobSpec', 'successPolicy', 16],
    ['io.k8s.api.batch.v1.JobStatus', 'terminating', 11],
    ['io.k8s.api.batch.v1.CronJobSpec', 'timeZone', 8],
    ['io.k8s.api.batch.v1.CronJobStatus', 'lastSuccessfulTime', 5],
    ['io.k8s.api.autoscaling.v2.MetricSpec', 'containerResource', 7],
    ['io.k8s.api.autoscaling.v2.HPAScalingRules', 'stabilizationWindowSeconds', 3],
    ['io.k8s.api.autoscaling.v2.HPAScalingRules', 'tolerance', 4],
    ['io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec', 'targetCPUUtilizationPercentage', 4],
    ['io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'unhealthyPodEvictionPolicy', 4],
    ['io.k8s.api.policy.v1.PodDisruptionBudgetStatus', 'conditions', 7],
  ])('%s.%s is protobuf field %i', (name, field, n) => {
    expect(defs[name]?.properties?.[field]?.proto).toBe(n);
  });

  it('carries the merge semantics of upstream', () => {
    expect(defs['io.k8s.api.apps.v1.DeploymentSpec']!.properties!.strategy!.patchStrategy).toBe('retainKeys');
    expect(defs['io.k8s.api.apps.v1.StatefulSetSpec']!.properties!.volumeClaimTemplates!.listType).toBe('atomic');
    expect(defs['io.k8s.api.batch.v1.JobStatus']!.properties!.conditions).toMatchObject({ listType: 'atomic', patchStrategy: 'merge', patchMergeKey: 'type' });
    expect(defs['io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement']!.properties!.values!.listType).toBe('set');
    expect(defs['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']!.properties!.selector!.patchStrategy).toBe('replace');
    expect(defs['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus']!.properties!.conditions).toMatchObject({ listType: 'map', listMapKeys: ['type'] });
  });

  it('serves HPA v2 before v1, with the discovery names of upstream', () => {
    expect(AUTOSCALING.resources.map((r) => r.version)).toEqual(['v2', 'v1']);
    const names = [...APPS.resources, ...BATCH.resources, ...AUTOSCALING.resources, ...POLICY.resources].map((r) => `${r.resource}:${r.shortNames.join(',')}:${r.categories.join(',')}`);
    expect(names).toEqual([
      'deployments:deploy:all',
      'replicasets:rs:all',
      'statefulsets:sts:all',
      'daemonsets:ds:all',
      'controllerrevisions::',
      'jobs::all',
      'cronjobs:cj:all',
      'horizontalpodautoscalers:hpa:all',
      'horizontalpodautoscalers:hpa:all',
      'poddisruptionbudgets:pdb:',
    ]);
    expect(DEPLOY.subresources).toEqual({ status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' } });
    expect([...(AUTOSCALING.bodyKinds ?? []), ...(POLICY.bodyKinds ?? [])].map((b) => `${b.apiVersion}/${b.kind}`)).toEqual(['autoscaling/v1/Scale', 'policy/v1/Eviction', '*/DeleteOptions']);
  });
});
