// The CronJob controller, run in-process (through startWorkloadControllers, with the Job
// controller) on a real apiserver and etcd and driven with real kubectl. The CronJob controller's
// clock is a test clock that runs with real time plus an offset the test moves forward, so minutes
// pass in seconds. The test plays the node agent: it makes a Job's pods exit by writing pod status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, exitedStatus, stamp, startControllers, type InProcessControllers } from './helpers/in-process.js';

let api: TestApiServer;
let controllers: InProcessControllers;
let offset = 0;
const now = () => Date.now() + offset;
const MINUTE = 60_000;

const { ok, getJson, until, podsIn, eventsIn: events, setPodStatus } = apiShorthands(() => api, { untilMs: 15_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Job = ApiObject & { spec: Record<string, unknown>; status?: { conditions?: { type: string; status: string }[] } };
type CronJob = ApiObject & { status?: { active?: { name: string; uid: string; kind: string }[]; lastScheduleTime?: string; lastSuccessfulTime?: string } };
const jobsIn = async (ns: string) => (await getJson<{ items: Job[] }>(`/apis/batch/v1/namespaces/${ns}/jobs`)).items.filter((j) => !j.metadata.deletionTimestamp);
const names = (jobs: Job[]) => jobs.map((j) => j.metadata.name).sort();
const cronJob = (ns: string, name: string) => getJson<CronJob>(`/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`);
const hasEvent = async (ns: string, reason: string, message: string) => (await events(ns)).some((e) => e.reason === reason && e.message === message && e.involvedObject.kind === 'CronJob');
/** Moves the clock to 1 s into the next minute, so a test has most of a minute of real time before the next one. */
const startOfMinute = () => {
  offset += Math.ceil(now() / MINUTE) * MINUTE + 1_000 - now();
};
/** The name of the Job for the run at `t`. */
const runName = (cj: string, t: number) => `${cj}-${Math.floor(t / MINUTE)}`;

/**
 * Plays the node agent for the pods of Job `name`: they run and exit (0 for 'Complete', 1 for
 * 'Failed', with backoffLimit 0); resolves with the Job once the Job controller has finished it.
 */
async function finish(ns: string, name: string, how: 'Complete' | 'Failed'): Promise<Job & { status: { completionTime?: string } }> {
  const running = await until(`a pod of job ${name}`, async () => {
    const pods = (await podsIn(ns, `batch.kubernetes.io/job-name=${name}`)).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length > 0 && pods;
  });
  for (const pod of running) await setPodStatus(ns, pod.metadata.name, exitedStatus(how === 'Complete' ? 0 : 1));
  return until(`job ${name} ${how}`, async () => {
    const job = await getJson<Job & { status: { completionTime?: string } }>(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
    return job.status?.conditions?.some((c) => c.type === how && c.status === 'True') && job;
  });
}

/** Touches the CronJob so that the controller looks at it now (as any change would). */
let pokes = 0;
const poke = (ns: string, name: string) => ok(['-n', ns, 'annotate', 'cronjob', name, `test/poke=${++pokes}`, '--overwrite']);

const CRONJOB = (name: string, spec: string) => `
apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: "*/1 * * * *"
${spec}
  jobTemplate:
    metadata:
      labels: {app: ${name}}
      annotations: {team: batch}
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox, command: [date]}]
`;

beforeAll(async () => {
  api = await startTestApiServer();
  controllers = await startControllers(api, { now });
  for (const ns of ['tick', 'forbid', 'replace', 'manual']) await ok(['create', 'namespace', ns]);
}, 60_000);

afterAll(async () => {
  await controllers?.stop();
  await api?.stop();
});

describe.sequential('CronJob controller', () => {
  it('creates a Job per minute at the scheduled time, tracks status and keeps the history limits; suspend stops it', async () => {
    // The clock: 2 s before the end of a minute that starts well after the CronJob is made.
    const boundary = Math.ceil((Date.now() + 5_000) / MINUTE) * MINUTE;
    offset = boundary + 58_000 - Date.now();
    await ok(['-n', 'tick', 'apply', '-f', '-'], CRONJOB('tick', '  successfulJobsHistoryLimit: 2\n  failedJobsHistoryLimit: 1'));
    const cj = await cronJob('tick', 'tick');

    // The latest missed run starts at once (only that one).
    const [first] = await until('the first job', async () => {
      const j = await jobsIn('tick');
      return j.length === 1 && j;
    });
    expect(first!.metadata.name).toBe(runName('tick', boundary));
    expect(first!.metadata.labels).toMatchObject({ app: 'tick' });
    expect(first!.metadata.annotations).toMatchObject({ team: 'batch', 'batch.kubernetes.io/cronjob-scheduled-timestamp': stamp(boundary) });
    expect(first!.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect((first!.spec.template as { spec: { restartPolicy: string } }).spec.restartPolicy).toBe('Never');
    await until('SuccessfulCreate', () => hasEvent('tick', 'SuccessfulCreate', `Created job ${first!.metadata.name}`));
    await until('status with the active job', async () => {
      const s = (await cronJob('tick', 'tick')).status;
      return s?.lastScheduleTime === stamp(boundary) && s.active?.length === 1 && s.active[0]!.name === first!.metadata.name && s.active[0]!.uid === first!.metadata.uid && s.active[0]!.kind === 'Job';
    });

    // Nothing pokes it: the controller comes back by itself when the next minute starts (in ~2 s).
    const second = runName('tick', boundary + MINUTE);
    const t0 = Date.now();
    await until('the next minute\'s job', async () => names(await jobsIn('tick')).includes(second), 10_000);
    expect(now()).toBeGreaterThanOrEqual(boundary + MINUTE);
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(await ok(['-n', 'tick', 'get', 'cronjob', 'tick', '--no-headers'])).toMatch(/^tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+2\s+/);

    // Finished Jobs leave status.active; one more minute brings a third Job.
    offset += MINUTE;
    await finish('tick', first!.metadata.name, 'Complete');
    const lastSuccess = (await finish('tick', second, 'Complete')).status.completionTime;
    const third = runName('tick', boundary + 2 * MINUTE);
    await until('SawCompletedJob', () => hasEvent('tick', 'SawCompletedJob', `Saw completed job: ${second}, condition: Complete`));
    await until('the third job, alone in active, and lastSuccessfulTime', async () => {
      const s = (await cronJob('tick', 'tick')).status;
      return s?.active?.map((a) => a.name).join() === third && s.lastSuccessfulTime === lastSuccess;
    });

    // Three successful Jobs with a limit of 2: the oldest goes.
    offset += MINUTE;
    await finish('tick', third, 'Complete');
    const fourth = runName('tick', boundary + 3 * MINUTE);
    await until('history trimmed to 2 successful + the running one', async () => names(await jobsIn('tick')).join() === [second, third, fourth].sort().join());
    await until('SuccessfulDelete', () => hasEvent('tick', 'SuccessfulDelete', `Deleted job ${first!.metadata.name}`));

    // Failed Jobs keep 1.
    offset += MINUTE;
    await finish('tick', fourth, 'Failed');
    const fifth = runName('tick', boundary + 4 * MINUTE);
    await until('the fifth job', async () => names(await jobsIn('tick')).includes(fifth));
    offset += MINUTE;
    await finish('tick', fifth, 'Failed');
    const sixth = runName('tick', boundary + 5 * MINUTE);
    await until('one failed job kept', async () => names(await jobsIn('tick')).join() === [second, third, fifth, sixth].sort().join());

    // Suspended: minutes pass, nothing starts; resumed: the latest missed run starts at once.
    await ok(['-n', 'tick', 'patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}']);
    offset += 2 * MINUTE;
    await poke('tick', 'tick');
    await sleep(1_500);
    expect(names(await jobsIn('tick'))).toEqual([second, third, fifth, sixth].sort());
    expect(await ok(['-n', 'tick', 'get', 'cronjob', 'tick', '--no-headers'])).toMatch(/^tick\s+\S+ \S+ \S+ \S+ \S+\s+<none>\s+True\s+1\s+/);
    await ok(['-n', 'tick', 'patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":false}}']);
    const resumed = runName('tick', boundary + 7 * MINUTE);
    await until('the run after resuming', async () => names(await jobsIn('tick')).includes(resumed));
    expect(names(await jobsIn('tick'))).not.toContain(runName('tick', boundary + 6 * MINUTE));
    await ok(['-n', 'tick', 'patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}']);
  });

  it('Forbid skips a run while a Job is active, and starts it once that Job finishes', async () => {
    startOfMinute();
    await ok(['-n', 'forbid', 'apply', '-f', '-'], CRONJOB('solo', '  concurrencyPolicy: Forbid'));
    const [first] = await until('the first job', async () => {
      const j = await jobsIn('forbid');
      return j.length === 1 && j;
    });
    const startedAt = Date.parse(first!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']!);
    offset += MINUTE;
    await poke('forbid', 'solo');
    await until('JobAlreadyActive', () => hasEvent('forbid', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid'));
    expect(names(await jobsIn('forbid'))).toEqual([first!.metadata.name]);
    await finish('forbid', first!.metadata.name, 'Complete');
    await until('the skipped run, started once the first finished', async () => names(await jobsIn('forbid')).length === 2);
    // The new Job is made before the status that lists it is written.
    await until('active lists only the new run', async () => (await cronJob('forbid', 'solo')).status?.active?.map((a) => a.name).join() === runName('solo', startedAt + MINUTE));
  });

  it('Replace deletes the active Job and starts the new one', async () => {
    startOfMinute();
    await ok(['-n', 'replace', 'apply', '-f', '-'], CRONJOB('swap', '  concurrencyPolicy: Replace'));
    const [first] = await until('the first job', async () => {
      const j = await jobsIn('replace');
      return j.length === 1 && j;
    });
    offset += MINUTE;
    await poke('replace', 'swap');
    const [second] = await until('only the replacement', async () => {
      const j = await jobsIn('replace');
      return j.length === 1 && j[0]!.metadata.name !== first!.metadata.name && j;
    });
    await until('SuccessfulDelete', () => hasEvent('replace', 'SuccessfulDelete', `Deleted job ${first!.metadata.name}`));
    await until('active lists only the replacement', async () => (await cronJob('replace', 'swap')).status?.active?.map((a) => a.name).join() === second!.metadata.name);
  });

  it('kubectl create job --from=cronjob makes an owned Job that counts for history but not for active', async () => {
    await ok(['-n', 'manual', 'apply', '-f', '-'], CRONJOB('hand', '  suspend: true\n  successfulJobsHistoryLimit: 1'));
    const cj = await cronJob('manual', 'hand');
    await ok(['-n', 'manual', 'create', 'job', 'hand-run-1', '--from=cronjob/hand']);
    const made = await getJson<Job>('/apis/batch/v1/namespaces/manual/jobs/hand-run-1');
    expect(made.metadata.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual', team: 'batch' });
    expect(made.metadata.ownerReferences).toMatchObject([{ kind: 'CronJob', name: 'hand', uid: cj.metadata.uid, controller: true }]);
    await until('UnexpectedJob', () => hasEvent('manual', 'UnexpectedJob', 'Saw a job that the controller did not create or forgot: hand-run-1'));
    expect((await cronJob('manual', 'hand')).status?.active ?? []).toEqual([]);

    const done1 = (await finish('manual', 'hand-run-1', 'Complete')).status.completionTime;
    await until('lastSuccessfulTime from the manual run', async () => (await cronJob('manual', 'hand')).status?.lastSuccessfulTime === done1);
    await sleep(1_000); // a later start time than the first run's (second precision)
    await ok(['-n', 'manual', 'create', 'job', 'hand-run-2', '--from=cronjob/hand']);
    const done2 = (await finish('manual', 'hand-run-2', 'Complete')).status.completionTime;
    await until('the older manual run deleted for the history limit', async () => names(await jobsIn('manual')).join() === 'hand-run-2');
    await until('lastSuccessfulTime moved on', async () => (await cronJob('manual', 'hand')).status?.lastSuccessfulTime === done2);
    expect((await cronJob('manual', 'hand')).status?.lastScheduleTime).toBeUndefined();
  });
});
