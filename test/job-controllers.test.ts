// The Job and TTL-after-finished controllers, run in-process on a real apiserver and etcd and
// driven with real kubectl. The test plays the node agent by writing pod status (Running, then
// Succeeded or Failed with a terminated container and its exit code) through pods/status; the
// real node agent runs job pods in the Docker-backed suites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, everyFew, exitedStatus, runningStatus, startControllers, type InProcessControllers } from './helpers/in-process.js';

let api: TestApiServer;
let controllers: InProcessControllers;
const NS = 'jobs';
const { k, ok, getJson, until, podsIn, eventsIn, setPodStatus } = apiShorthands(() => api, { namespace: NS });

type Cond = { type: string; status: string; reason?: string; message?: string };
type Pod = ApiObject & {
  metadata: { finalizers?: string[]; generateName?: string; ownerReferences?: { uid: string; kind: string; controller?: boolean; blockOwnerDeletion?: boolean }[] };
  spec: { hostname?: string; containers: { env?: { name: string; valueFrom?: unknown }[] }[] };
  status?: { phase?: string };
};
type Job = ApiObject & { status: { active?: number; succeeded?: number; failed?: number; ready?: number; terminating?: number; startTime?: string; completionTime?: string; completedIndexes?: string; conditions?: Cond[]; uncountedTerminatedPods?: object } };
const jobPods = (job: string) => podsIn<Pod>(NS, `job-name=${job}`);
const getJob = (name: string) => getJson<Job>(`/apis/batch/v1/namespaces/${NS}/jobs/${name}`);
const cond = (j: Job, type: string) => j.status.conditions?.find((c) => c.type === type);
const events = async (name: string) => (await eventsIn(NS)).filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === name);
const isActive = (p: Pod) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** Writes the status the node agent would: Running, or finished with one terminated container. */
const setPhase = (p: Pod, phase: 'Running' | 'Succeeded' | 'Failed') => setPodStatus(NS, p.metadata.name, phase === 'Running' ? runningStatus() : exitedStatus(phase === 'Failed' ? 1 : 0));

/**
 * Plays the node agent for a job's pods: each new pod runs, then finishes as `outcome` says.
 * Tracks the most pods ever active at once.
 */
function kubelet(job: string, outcome: (p: Pod) => 'Succeeded' | 'Failed' | 'Running'): { stop(): void; maxActive(): number } {
  let max = 0;
  const stop = everyFew(async () => {
    const pods = (await jobPods(job)).filter(isActive);
    max = Math.max(max, pods.length);
    for (const p of pods) {
      const next = p.status?.phase === 'Running' ? outcome(p) : 'Running';
      if (next !== p.status?.phase) await setPhase(p, next).catch(() => undefined);
    }
  });
  return { stop, maxActive: () => max };
}

const jobYaml = (name: string, spec: string) => `
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: [sh, -c, "exit 0"]}]
`;

beforeAll(async () => {
  api = await startTestApiServer();
  // Back-off from 200 ms instead of 10 s, so that failing jobs fail within the suite's time.
  controllers = await startControllers(api, { jobBackoffMs: 200 });
  await ok(['create', 'namespace', NS]);
});

afterAll(async () => {
  await controllers?.stop();
  await api?.stop();
});

describe.sequential('Job controller', () => {
  it('runs completions 5 at parallelism 2: never more than 2 active, Complete, 5 pods kept', async () => {
    await ok(['apply', '-f', '-'], jobYaml('five', '  completions: 5\n  parallelism: 2'));
    const node = kubelet('five', () => 'Succeeded');
    try {
      const waited = await k(['wait', '--for=condition=Complete', 'job/five', '--timeout=40s']);
      expect(waited.code, waited.stderr).toBe(0);
      expect(waited.stdout).toContain('job.batch/five condition met');
    } finally {
      node.stop();
    }
    expect(node.maxActive()).toBeGreaterThan(0);
    expect(node.maxActive()).toBeLessThanOrEqual(2);
    const job = await getJob('five');
    expect(job.status).toMatchObject({ succeeded: 5, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(job.status.active ?? 0).toBe(0);
    expect(job.status.failed ?? 0).toBe(0);
    expect(job.status.completionTime).toBeTruthy();
    expect(cond(job, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(cond(job, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    const pods = await until('the finalizers to go', async () => {
      const p = await jobPods('five');
      return p.every((x) => !x.metadata.finalizers?.length) && p;
    });
    expect(pods).toHaveLength(5);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Succeeded');
      expect(p.metadata.generateName).toBe('five-');
      expect(p.metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'five', 'job-name': 'five', 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'controller-uid': job.metadata.uid });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'five', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const out = await ok(['get', 'jobs', 'five', '--no-headers']);
    expect(out).toMatch(/^five\s+Complete\s+5\/5\s+\d+s\s+/);
    const ev = await until('events', async () => {
      const e = await events('five');
      return e.some((x) => x.reason === 'Completed') && e;
    });
    expect(ev.filter((e) => e.reason === 'SuccessfulCreate' && /^Created pod: five-[a-z0-9]{5}$/.test(e.message))).toHaveLength(5);
    expect(ev.find((e) => e.reason === 'Completed')).toMatchObject({ type: 'Normal', message: 'Job completed' });
  });

  it('stops an always-failing job at backoffLimit: Failed / BackoffLimitExceeded, failed pods kept', async () => {
    await ok(['apply', '-f', '-'], jobYaml('fails', '  backoffLimit: 2'));
    const node = kubelet('fails', () => 'Failed');
    try {
      const job = await until('Failed', async () => {
        const j = await getJob('fails');
        return cond(j, 'Failed')?.status === 'True' && j;
      });
      expect(cond(job, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
      expect(cond(job, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
      expect(job.status.failed).toBe(3);
      expect(job.status.succeeded ?? 0).toBe(0);
      expect(job.status.completionTime).toBeUndefined();
    } finally {
      node.stop();
    }
    const pods = await jobPods('fails');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === 'Failed')).toBe(true);
    expect(await ok(['get', 'job', 'fails', '--no-headers'])).toMatch(/^fails\s+Failed\s+0\/1\s+/);
    const warn = await until('the BackoffLimitExceeded event', async () => (await events('fails')).find((e) => e.reason === 'BackoffLimitExceeded'));
    expect(warn).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
  });

  it('gives each pod of an Indexed job its index: annotation, label, env, hostname; completedIndexes as ranges', async () => {
    await ok(['apply', '-f', '-'], jobYaml('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed'));
    const pods = await until('3 pods', async () => {
      const p = await jobPods('idx');
      return p.length === 3 && p;
    });
    const key = 'batch.kubernetes.io/job-completion-index';
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.[key], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    for (const [ix, p] of byIndex) {
      expect(p.metadata.labels?.[key]).toBe(ix);
      expect(p.metadata.name).toMatch(new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      expect(p.spec.hostname).toBe(`idx-${ix}`);
      expect(p.spec.containers[0]!.env).toContainEqual({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${key}']` } } });
    }
    await setPhase(byIndex.get('0')!, 'Succeeded');
    await setPhase(byIndex.get('2')!, 'Succeeded');
    await until('completedIndexes 0,2', async () => (await getJob('idx')).status.completedIndexes === '0,2');
    await setPhase(byIndex.get('1')!, 'Succeeded');
    const job = await until('Complete', async () => {
      const j = await getJob('idx');
      return cond(j, 'Complete')?.status === 'True' && j;
    });
    expect(job.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
    expect(await jobPods('idx')).toHaveLength(3);
  });

  it('deletes a finished job ttlSecondsAfterFinished later, with its pods', async () => {
    await ok(['apply', '-f', '-'], jobYaml('short', '  ttlSecondsAfterFinished: 1'));
    const node = kubelet('short', () => 'Succeeded');
    try {
      await until('Complete', async () => cond(await getJob('short'), 'Complete')?.status === 'True');
      await until('the job to be deleted', async () => (await api.raw('GET', `/apis/batch/v1/namespaces/${NS}/jobs/short`)).code === 404);
    } finally {
      node.stop();
    }
    await until('its pods to be deleted', async () => (await jobPods('short')).length === 0);
  });

  it('suspends and resumes: Suspended condition, pods deleted without counting, startTime reset', async () => {
    await ok(['apply', '-f', '-'], jobYaml('paused', '  suspend: true\n  completions: 4\n  parallelism: 2'));
    let job = await until('Suspended', async () => {
      const j = await getJob('paused');
      return cond(j, 'Suspended')?.status === 'True' && j;
    });
    expect(cond(job, 'Suspended')).toMatchObject({ reason: 'JobSuspended', message: 'Job suspended' });
    expect(job.status.startTime).toBeUndefined();
    expect(await jobPods('paused')).toHaveLength(0);
    expect(await ok(['get', 'job', 'paused', '--no-headers'])).toMatch(/^paused\s+Suspended\s+0\/4\s/);

    await ok(['patch', 'job', 'paused', '-p', '{"spec":{"suspend":false}}']);
    job = await until('resumed with 2 pods', async () => {
      const j = await getJob('paused');
      return cond(j, 'Suspended')?.status === 'False' && j.status.active === 2 && (await jobPods('paused')).length === 2 && j;
    });
    expect(cond(job, 'Suspended')).toMatchObject({ reason: 'JobResumed', message: 'Job resumed' });
    const started = job.status.startTime;
    expect(started).toBeTruthy();

    await new Promise((r) => setTimeout(r, 1100));
    await ok(['patch', 'job', 'paused', '-p', '{"spec":{"suspend":true}}']);
    job = await until('suspended again, pods gone', async () => {
      const j = await getJob('paused');
      return cond(j, 'Suspended')?.status === 'True' && (await jobPods('paused')).length === 0 && (j.status.active ?? 0) === 0 && j;
    });
    expect(job.status.failed ?? 0).toBe(0);
    expect(job.status.startTime).toBe(started);
    await ok(['patch', 'job', 'paused', '-p', '{"spec":{"suspend":false}}']);
    job = await until('resumed again', async () => {
      const j = await getJob('paused');
      return cond(j, 'Suspended')?.status === 'False' && j;
    });
    expect(Date.parse(job.status.startTime!)).toBeGreaterThan(Date.parse(started!));
    const reasons = (await events('paused')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Suspended', 'Resumed', 'SuccessfulDelete']));
  });

  it('lets the pods of a deleted running job go (their tracking finalizers are removed)', async () => {
    await ok(['apply', '-f', '-'], jobYaml('gone', '  parallelism: 2\n  completions: 4'));
    const node = kubelet('gone', () => 'Running');
    try {
      await until('2 running pods with finalizers', async () => {
        const p = await jobPods('gone');
        return p.length === 2 && p.every((x) => x.status?.phase === 'Running' && x.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
      });
    } finally {
      node.stop();
    }
    await ok(['delete', 'job', 'gone']);
    await until('its pods to be deleted', async () => (await jobPods('gone')).length === 0);
  });

  it('fails a job past activeDeadlineSeconds with DeadlineExceeded and deletes its active pods', async () => {
    await ok(['apply', '-f', '-'], jobYaml('late', '  activeDeadlineSeconds: 2\n  parallelism: 2\n  completions: 2'));
    const job = await until(
      'Failed',
      async () => {
        const j = await getJob('late');
        return cond(j, 'Failed')?.status === 'True' && j;
      },
      15_000,
    );
    expect(cond(job, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(job.status.failed).toBe(2);
    expect(job.status.active ?? 0).toBe(0);
    expect(await jobPods('late')).toHaveLength(0);
    expect((await events('late')).find((e) => e.reason === 'DeadlineExceeded')).toMatchObject({ type: 'Warning' });
  });
});
