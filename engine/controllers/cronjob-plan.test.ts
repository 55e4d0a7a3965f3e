import { describe, expect, it } from 'vitest';
import {
  decideSchedule,
  effectiveSchedule,
  historyToDelete,
  jobFromTemplate,
  jobName,
  MAX_REQUEUE_MS,
  nextRunDelay,
  ownedJobs,
  requeueAfter,
  scheduleTimes,
  trackJobs,
  type CronJob,
  type Job,
} from './cronjob-plan.js';

const T = (s: string) => Date.parse(`2024-01-15T${s}Z`);
const at = (s: string) => new Date(T(s)).toISOString().replace('.000Z', 'Z');

const cron = (spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}, created = '10:02:00'): CronJob => ({
  metadata: { name: 'tick', namespace: 'ns', uid: 'cj-1', creationTimestamp: at(created) },
  spec: {
    schedule: '*/5 * * * *',
    concurrencyPolicy: 'Allow',
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    jobTemplate: { metadata: { labels: { app: 'tick' }, annotations: { team: 'a' } }, spec: { template: { spec: { restartPolicy: 'Never' } } } },
    ...spec,
  },
  status,
});

const job = (name: string, o: { done?: 'Complete' | 'Failed'; started?: string; completed?: string; owner?: string; kind?: string } = {}): Job => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `u-${name}`,
    ownerReferences: [{ apiVersion: 'batch/v1', kind: o.kind ?? 'CronJob', name: o.owner ?? 'tick', uid: 'cj-1', controller: true }],
  },
  status: {
    ...(o.started ? { startTime: at(o.started) } : {}),
    ...(o.completed ? { completionTime: at(o.completed) } : {}),
    ...(o.done ? { conditions: [{ type: o.done, status: 'True' }] } : {}),
  },
});
const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'ns', name, uid: `u-${name}` });

describe('decideSchedule', () => {
  it.each<[string, CronJob, string, { start: boolean; scheduled?: string; requeueAfter?: number; events?: string[] }]>([
    ['waits for the first start time', cron(), '10:04:00', { start: false, requeueAfter: 60_100 }],
    ['starts a due run and comes back just after the next one', cron(), '10:05:03', { start: true, scheduled: '10:05:00', requeueAfter: 297_100 }],
    ['starts only the latest of several missed runs', cron({}, { lastScheduleTime: at('10:00:00') }), '10:17:00', { start: true, scheduled: '10:15:00', requeueAfter: 180_100 }],
    ['skips runs older than startingDeadlineSeconds', cron({ startingDeadlineSeconds: 60 }, { lastScheduleTime: at('10:00:00') }), '10:17:00', { start: false, requeueAfter: 180_100 }],
    ['starts a run still within startingDeadlineSeconds', cron({ startingDeadlineSeconds: 60 }, { lastScheduleTime: at('10:00:00') }), '10:15:30', { start: true, scheduled: '10:15:00' }],
    ['does not start a run twice (lastScheduleTime)', cron({}, { lastScheduleTime: at('10:05:00') }), '10:06:00', { start: false, requeueAfter: 240_100 }],
    ['does not start a run twice (its Job is active)', cron({}, { active: [ref('tick-28421885')] }), '10:05:30', { start: false }],
    ['runs alongside an active Job with Allow', cron({}, { active: [ref('old')], lastScheduleTime: at('10:00:00') }), '10:05:01', { start: true, scheduled: '10:05:00' }],
    [
      'skips while a Job is active with Forbid',
      cron({ concurrencyPolicy: 'Forbid' }, { active: [ref('old')], lastScheduleTime: at('10:00:00') }),
      '10:05:01',
      { start: false, requeueAfter: 299_100, events: ['Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid'] },
    ],
    ['starts with Forbid when nothing is active', cron({ concurrencyPolicy: 'Forbid' }, { lastScheduleTime: at('10:00:00') }), '10:05:01', { start: true, scheduled: '10:05:00' }],
    ['does nothing while suspended', cron({ suspend: true }, { lastScheduleTime: at('10:00:00') }), '10:05:01', { start: false }],
    [
      'reports too many missed start times and starts the latest',
      cron({ schedule: '* * * * *' }, { lastScheduleTime: at('07:00:00') }),
      '10:00:30',
      { start: true, scheduled: '10:00:00', events: ['Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'] },
    ],
    [
      'refuses an unknown time zone',
      cron({ timeZone: 'Mars/Olympus' }),
      '10:05:01',
      { start: false, events: ['Warning UnknownTimeZone invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus'] },
    ],
    [
      'refuses a schedule that never comes',
      cron({ schedule: '0 0 30 2 *' }),
      '10:05:01',
      { start: false, events: ['Warning InvalidSchedule invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second'] },
    ],
    ['evaluates the schedule in spec.timeZone', cron({ schedule: '0 11 * * *', timeZone: 'Europe/Berlin' }, {}, '09:00:00'), '10:00:05', { start: true, scheduled: '10:00:00', requeueAfter: 86_400_000 - 5_000 + 100 }],
    [
      'warns about a legacy TZ= prefix but follows it',
      cron({ schedule: 'TZ=Asia/Tokyo 0 19 * * *' }, {}, '09:00:00'),
      '10:00:05',
      { start: true, scheduled: '10:00:00', events: ['Warning UnsupportedSchedule CRON_TZ or TZ used in schedule "TZ=Asia/Tokyo 0 19 * * *" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details'] },
    ],
  ])('%s', (_, cj, now, want) => {
    const d = decideSchedule(cj, T(now), 'UTC');
    expect(d.start).toBe(want.start);
    if (want.scheduled) expect(d.start && new Date(d.scheduledTime).toISOString().replace('.000Z', 'Z')).toBe(at(want.scheduled));
    if (want.requeueAfter !== undefined) expect(d.requeueAfter).toBe(want.requeueAfter);
    expect(d.events.map((e) => `${e.type} ${e.reason} ${e.message}`)).toEqual(want.events ?? []);
  });

  it('lists the active Jobs to delete with Replace, none with Allow', () => {
    const active = [ref('a'), ref('b')];
    const replace = decideSchedule(cron({ concurrencyPolicy: 'Replace' }, { active, lastScheduleTime: at('10:00:00') }), T('10:05:01'), 'UTC');
    expect(replace.start && replace.replace).toEqual(active);
    const allow = decideSchedule(cron({}, { active, lastScheduleTime: at('10:00:00') }), T('10:05:01'), 'UTC');
    expect(allow.start && allow.replace).toEqual([]);
  });

  it('uses the default zone when spec.timeZone is unset', () => {
    const cj = cron({ schedule: '0 11 * * *' }, {}, '09:00:00');
    expect(decideSchedule(cj, T('10:00:05'), 'Europe/Berlin').start).toBe(true);
    expect(decideSchedule(cj, T('10:00:05'), 'UTC').start).toBe(false);
  });
});

describe('scheduleTimes and nextRunDelay', () => {
  const s = (cj: CronJob) => effectiveSchedule(cj, 'UTC');
  it('counts missed runs from the gap between the next two start times', () => {
    const cj = cron({}, { lastScheduleTime: at('10:00:00') });
    expect(scheduleTimes(cj, T('10:04:00'), s(cj), false)).toEqual({ earliest: T('10:00:00'), missed: 'none' });
    expect(scheduleTimes(cj, T('10:05:00'), s(cj), false)).toEqual({ earliest: T('10:00:00'), mostRecent: T('10:05:00'), missed: 'none' });
    expect(scheduleTimes(cj, T('10:31:00'), s(cj), false)).toEqual({ earliest: T('10:00:00'), mostRecent: T('10:30:00'), missed: 'few' });
    const hourly = cron({ schedule: '0 * * * *' }, { lastScheduleTime: '2024-01-01T00:00:00Z' });
    expect(scheduleTimes(hourly, T('10:31:00'), s(hourly), false)).toMatchObject({ mostRecent: T('10:00:00'), missed: 'many' });
  });

  it('finds the latest run of an irregular schedule', () => {
    const cj = cron({ schedule: '30 6-16/4 * * 1-5' }, { lastScheduleTime: '2024-01-12T14:30:00Z' }); // a Friday
    expect(scheduleTimes(cj, T('11:00:00'), s(cj), false).mostRecent).toBe(T('10:30:00')); // Monday 15th
  });

  it('comes back 100 ms after the next start time, even after missed ones', () => {
    const cj = cron({}, { lastScheduleTime: at('10:00:00') });
    expect(nextRunDelay(cj, T('10:02:00'), s(cj))).toBe(180_100);
    expect(nextRunDelay(cj, T('10:17:00'), s(cj))).toBe(180_100);
    const never = cron({ schedule: '0 0 30 2 *' });
    expect(nextRunDelay(never, T('10:00:00'), s(never))).toBeUndefined();
  });

  it('never asks to wait longer than a timer can (a yearly schedule looks again daily)', () => {
    const yearly = cron({ schedule: '@yearly' });
    const delay = nextRunDelay(yearly, T('10:00:00'), s(yearly))!;
    expect(delay).toBe(Date.parse('2025-01-01T00:00:00.100Z') - T('10:00:00'));
    expect(requeueAfter(delay)).toEqual({ requeueAfter: MAX_REQUEUE_MS });
    expect(requeueAfter(60_100)).toEqual({ requeueAfter: 60_100 });
    expect(requeueAfter(undefined)).toBeUndefined();
  });
});

describe('historyToDelete', () => {
  it('deletes the oldest finished Jobs beyond each limit, by start time then name', () => {
    const jobs = [
      job('ok-1', { done: 'Complete', started: '10:00:00' }),
      job('ok-4', { done: 'Complete', started: '10:15:00' }),
      job('ok-2', { done: 'Complete', started: '10:05:00' }),
      job('ok-3b', { done: 'Complete', started: '10:10:00' }),
      job('ok-3a', { done: 'Complete', started: '10:10:00' }),
      job('ok-unstarted', { done: 'Complete' }),
      job('bad-1', { done: 'Failed', started: '10:00:00' }),
      job('bad-2', { done: 'Failed', started: '10:05:00' }),
      job('running', { started: '09:00:00' }),
    ];
    expect(historyToDelete(cron(), jobs).map((j) => j.metadata.name)).toEqual(['ok-1', 'ok-2', 'ok-3a', 'bad-1']);
    expect(historyToDelete(cron({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }), jobs)).toHaveLength(8);
    expect(historyToDelete(cron({ successfulJobsHistoryLimit: undefined, failedJobsHistoryLimit: undefined }), jobs)).toEqual([]);
  });
});

describe('trackJobs', () => {
  it('drops finished Jobs from active, moves lastSuccessfulTime, and reports unknown and vanished ones', () => {
    const jobs = [
      job('done', { done: 'Complete', completed: '10:06:00' }),
      job('failed', { done: 'Failed' }),
      job('running'),
      job('manual'),
      job('old-success', { done: 'Complete', completed: '10:09:00' }),
      job('older-success', { done: 'Complete', completed: '09:00:00' }),
    ];
    const t = trackJobs({ active: [ref('done'), ref('failed'), ref('running'), ref('gone')], lastSuccessfulTime: at('10:00:00') }, jobs);
    expect(t.status.active).toEqual([ref('running'), ref('gone')]);
    expect(t.status.lastSuccessfulTime).toBe(at('10:09:00'));
    expect(t.events.map((e) => `${e.reason} ${e.message}`)).toEqual(['SawCompletedJob Saw completed job: done, condition: Complete', 'SawCompletedJob Saw completed job: failed, condition: Failed']);
    expect(t.unexpected.map((j) => j.metadata.name)).toEqual(['manual']);
    expect(t.missing).toEqual([ref('gone')]);
  });
});

describe('Jobs of a CronJob', () => {
  it('belong by controller reference to a CronJob of that name', () => {
    const jobs = [job('a'), job('b', { owner: 'other' }), job('c', { kind: 'Workflow' })];
    expect(ownedJobs(cron(), jobs).map((j) => j.metadata.name)).toEqual(['a']);
  });

  it('are made from the template, named after the minute, with the scheduled time in the CronJob zone', () => {
    const scheduled = T('10:05:00');
    expect(jobName(cron(), scheduled)).toBe(`tick-${scheduled / 60_000}`);
    const j = jobFromTemplate(cron(), scheduled);
    expect(j.metadata).toEqual({
      name: 'tick-28421885',
      namespace: 'ns',
      labels: { app: 'tick' },
      annotations: { team: 'a', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2024-01-15T10:05:00Z' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-1', controller: true, blockOwnerDeletion: true }],
    });
    expect(j.spec).toEqual({ template: { spec: { restartPolicy: 'Never' } } });
    const berlin = jobFromTemplate(cron({ timeZone: 'Europe/Berlin' }), scheduled);
    expect(berlin.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2024-01-15T11:05:00+01:00');
  });
});
