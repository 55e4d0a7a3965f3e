// The smaller kinds' columns: workloads, jobs, cronjobs, config, storage, events.
import { describe, expect, it } from 'vitest';
import type { KubeEvent, Workload } from '../api/types';
import { CONFIGMAP_COLUMNS } from './configmaps/columns';
import { boolText, CRONJOB_COLUMNS } from './cronjobs/columns';
import { DAEMONSET_COLUMNS, formatLabels } from './daemonsets/columns';
import { DEPLOYMENT_COLUMNS, replicasTone } from './deployments/columns';
import { lastSeenText, sortEvents, EVENT_COLUMNS } from './events/columns';
import { jobCompletions, jobDuration, jobStatus, type Job } from './jobs/columns';
import { claimOf, PV_COLUMNS } from './persistentvolumes/columns';
import { accessModes, PVC_COLUMNS } from './persistentvolumeclaims/columns';
import { REPLICASET_COLUMNS } from './replicasets/columns';
import { SECRET_COLUMNS } from './secrets/columns';
import { STATEFULSET_COLUMNS } from './statefulsets/columns';

const T0 = '2024-01-01T00:00:00Z';
const at = (s: number) => Date.parse(T0) + s * 1000;
const meta = { name: 'x', namespace: 'default', creationTimestamp: T0 };
const texts = (cols: { text(o: never, now: number): string }[], o: unknown, now = at(30)) => cols.map((c) => c.text(o as never, now));

describe('workload columns', () => {
  const d: Workload = { metadata: meta, spec: { replicas: 3 }, status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
  it('deployments: READY UP-TO-DATE AVAILABLE AGE', () => {
    expect(texts(DEPLOYMENT_COLUMNS, d)).toEqual(['x', '2/3', '3', '2', '30s']);
    expect(replicasTone(d)).toBe('progress');
    expect(replicasTone({ ...d, status: { readyReplicas: 3 } })).toBe('ok');
  });
  it('deployments without status yet', () => {
    expect(texts(DEPLOYMENT_COLUMNS, { metadata: meta, spec: { replicas: 2 } })).toEqual(['x', '0/2', '0', '0', '30s']);
  });
  it('replicasets: DESIRED CURRENT READY AGE', () => {
    expect(texts(REPLICASET_COLUMNS, d)).toEqual(['x', '3', '3', '2', '30s']);
  });
  it('statefulsets: READY AGE', () => {
    expect(texts(STATEFULSET_COLUMNS, d)).toEqual(['x', '2/3', '30s']);
  });
  it('daemonsets: DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE', () => {
    const ds: Workload = {
      metadata: meta,
      spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
    };
    expect(texts(DAEMONSET_COLUMNS, ds)).toEqual(['x', '2', '2', '1', '2', '1', 'kubernetes.io/os=linux', '30s']);
    expect(formatLabels(undefined)).toBe('<none>');
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
  });
});

describe('jobs', () => {
  const job = (spec: Job['spec'], status: Job['status'], deleting = false): Job => ({ metadata: { ...meta, ...(deleting ? { deletionTimestamp: T0 } : {}) }, spec, status });
  const cond = (type: string) => [{ type, status: 'True' }];
  it.each([
    [job({}, { conditions: cond('Complete') }), 'Complete'],
    [job({}, { conditions: cond('Failed') }), 'Failed'],
    [job({}, {}, true), 'Terminating'],
    [job({ suspend: true }, { conditions: cond('Suspended') }), 'Suspended'],
    [job({}, { conditions: cond('FailureTarget') }), 'FailureTarget'],
    [job({}, { conditions: cond('SuccessCriteriaMet') }), 'SuccessCriteriaMet'],
    [job({}, { active: 1 }), 'Running'],
  ])('status %#', (j, want) => {
    expect(jobStatus(j)).toBe(want);
  });
  it.each([
    [{ completions: 3 }, { succeeded: 1 }, '1/3'],
    [{ parallelism: 4 }, { succeeded: 2 }, '2/1 of 4'],
    [{}, {}, '0/1'],
  ])('completions %j %j → %s', (spec, status, want) => {
    expect(jobCompletions(job(spec, status))).toBe(want);
  });
  it('duration runs until completion', () => {
    expect(jobDuration(job({}, {}), at(10))).toBe('');
    expect(jobDuration(job({}, { startTime: T0 }), at(75))).toBe('75s');
    expect(jobDuration(job({}, { startTime: T0, completionTime: new Date(at(12)).toISOString() }), at(999))).toBe('12s');
  });
});

describe('cronjobs', () => {
  it('SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    const c = { metadata: meta, spec: { schedule: '*/5 * * * *', suspend: false }, status: { active: [{}], lastScheduleTime: new Date(at(20)).toISOString() } };
    expect(texts(CRONJOB_COLUMNS, c)).toEqual(['x', '*/5 * * * *', '<none>', 'False', '1', '10s', '30s']);
    expect(boolText(undefined)).toBe('<unset>');
    expect(texts(CRONJOB_COLUMNS, { metadata: meta, spec: { schedule: '@daily' } })[5]).toBe('<none>');
  });
});

describe('config and storage', () => {
  it('configmaps count data and binaryData keys', () => {
    expect(texts(CONFIGMAP_COLUMNS, { metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })).toEqual(['x', '3', '30s']);
  });
  it('secrets show type and key count, never values', () => {
    const row = texts(SECRET_COLUMNS, { metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': 'QUJD', 'tls.key': 'REVG' } });
    expect(row).toEqual(['x', 'kubernetes.io/tls', '2', '30s']);
  });
  it('pvcs', () => {
    const pvc = { metadata: meta, spec: { volumeName: 'pv-1', storageClassName: 'standard' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteOncePod'] } };
    expect(texts(PVC_COLUMNS, pvc)).toEqual(['x', 'Bound', 'pv-1', '1Gi', 'RWO,RWOP', 'standard', '30s']);
    expect(accessModes(['ReadOnlyMany', 'ReadWriteMany'])).toBe('ROX,RWX');
  });
  it('pvs', () => {
    const pv = {
      metadata: meta,
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', claimRef: { namespace: 'default', name: 'data' } },
      status: { phase: 'Bound' },
    };
    expect(texts(PV_COLUMNS, pv)).toEqual(['x', '1Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard', '', '30s']);
    expect(claimOf({ metadata: meta })).toBe('');
  });
});

describe('events', () => {
  const ev = (name: string, last: string, extra: Partial<KubeEvent> = {}): KubeEvent => ({
    metadata: { name, namespace: 'default', creationTimestamp: last },
    type: 'Normal',
    reason: 'Scheduled',
    message: 'Successfully assigned default/web to n1',
    involvedObject: { kind: 'Pod', name: 'web' },
    lastTimestamp: last,
    ...extra,
  });
  it('LAST SEEN TYPE REASON OBJECT MESSAGE', () => {
    expect(texts(EVENT_COLUMNS, ev('e1', T0))).toEqual(['30s', 'Normal', 'Scheduled', 'pod/web', 'Successfully assigned default/web to n1']);
  });
  it('repeated events say how often over how long', () => {
    const e = ev('e1', new Date(at(100)).toISOString(), { count: 3, firstTimestamp: T0 });
    expect(lastSeenText(e, at(160))).toBe('60s (x3 over 2m40s)');
  });
  it('falls back to eventTime for events.k8s.io-style events', () => {
    const e: KubeEvent = { metadata: { name: 'e' }, eventTime: T0 };
    expect(lastSeenText(e, at(5))).toBe('5s');
  });
  it('sorts newest first', () => {
    const out = sortEvents([ev('old', T0), ev('new', new Date(at(50)).toISOString()), ev('mid', new Date(at(20)).toISOString())]);
    expect(out.map((e) => e.metadata.name)).toEqual(['new', 'mid', 'old']);
  });
});
