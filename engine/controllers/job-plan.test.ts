import { describe, expect, it } from 'vitest';
import { jobContext, type SyncInput } from './job-context.js';
import { activePodsForRemoval, finishedEvents, finishTracking, planAction, planTracking, sameJobStatus, type ActionOutcome, type JobAction } from './job-plan.js';
import type { ContainerStatus, Job, JobSpec, JobStatus } from './job-util.js';
import type { Pod } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:10:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const FIN = 'batch.kubernetes.io/job-tracking';
const cs = (list: ContainerStatus[]) => list as { restartCount?: number }[];

const job = (spec: JobSpec = {}, status: JobStatus = {}, extra: Partial<Job['metadata']> = {}): Job => ({
  metadata: { name: 'pi', namespace: 'ns', uid: 'job-uid', ...extra },
  spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed', template: { spec: { restartPolicy: 'Never' } }, ...spec },
  status,
});

interface PodOpts {
  phase?: string;
  index?: number;
  finalizer?: boolean;
  deleting?: boolean;
  exit?: number;
  at?: number;
  ready?: boolean;
  node?: string;
  conditions?: { type: string; status: string }[];
  annotations?: Record<string, string>;
}
const pod = (name: string, o: PodOpts = {}): Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `uid-${name}`,
    creationTimestamp: iso(-60),
    finalizers: o.finalizer === false ? [] : [FIN],
    annotations: { ...(o.index !== undefined ? { 'batch.kubernetes.io/job-completion-index': String(o.index) } : {}), ...o.annotations },
    ...(o.deleting ? { deletionTimestamp: iso(-1), deletionGracePeriodSeconds: 0 } : {}),
  },
  spec: { nodeName: o.node },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }, ...(o.conditions ?? [])],
    containerStatuses: cs([{ name: 'main', state: o.phase === 'Succeeded' || o.phase === 'Failed' ? { terminated: { exitCode: o.exit ?? (o.phase === 'Failed' ? 1 : 0), finishedAt: iso(o.at ?? -30) } } : {} }]),
  },
});

/** One whole sync where every write succeeds. */
function sync(j: Job, pods: Pod[], o: Partial<SyncInput> = {}) {
  const ctx = jobContext({ job: j, pods, satisfied: true, expectedRemovals: new Set(), backoff: { failuresAfterLastSuccess: 0 }, now: T0, backoffBaseMs: 10_000, backoffMaxMs: 360_000, ...o });
  const { action, managed } = planAction(ctx);
  const outcome = outcomeOf(action);
  const plan = planTracking(ctx, action, managed, outcome);
  const gone = new Set(plan.removeFinalizers.map((p) => String(p.metadata.uid)));
  const done = finishTracking(plan, plan.status, new Set([...plan.withFinalizer].filter((u) => !gone.has(u))), T0);
  return { ctx, action, plan, done, status: done.status };
}
function outcomeOf(action: JobAction): ActionOutcome {
  if (action.type === 'create') return { removed: 0, removedReady: 0, created: action.pods.length };
  if (action.type === 'terminate' || action.type === 'delete') {
    return { removed: action.pods.length, removedReady: action.pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length, created: 0 };
  }
  return { removed: 0, removedReady: 0, created: 0 };
}
const types = (s: JobStatus) => (s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`);

describe('a NonIndexed job', () => {
  it('starts: parallelism pods, startTime, active', () => {
    const r = sync(job({ completions: 5, parallelism: 2 }), []);
    expect(r.action).toEqual({ type: 'create', pods: [{}, {}] });
    expect(r.status).toMatchObject({ active: 2, ready: 0, terminating: 0, startTime: iso(0), uncountedTerminatedPods: {} });
    expect(r.done.finished).toBe(false);
  });

  it('never runs more than the completions left', () => {
    const j = job({ completions: 5, parallelism: 2 }, { succeeded: 4, startTime: iso(-100) });
    expect(sync(j, [pod('a')]).action).toEqual({ type: 'none' });
    expect(sync(j, []).action).toEqual({ type: 'create', pods: [{}] });
  });

  it('counts a finished pod through uncountedTerminatedPods, then removes its finalizer', () => {
    const j = job({ completions: 5, parallelism: 2 }, { startTime: iso(-100), active: 2 });
    const r = sync(j, [pod('a', { phase: 'Succeeded' }), pod('b')]);
    expect(r.ctx.succeeded).toBe(1);
    expect(r.action).toEqual({ type: 'create', pods: [{}] });
    expect(r.plan.status.uncountedTerminatedPods).toEqual({ succeeded: ['uid-a'] });
    expect(r.plan.removeFinalizers.map((p) => p.metadata.name)).toEqual(['a']);
    expect(r.status).toMatchObject({ succeeded: 1, active: 2, uncountedTerminatedPods: {} });
  });

  it('does not count a pod twice while its finalizer removal is pending', () => {
    const j = job({ completions: 5, parallelism: 2 }, { startTime: iso(-100), succeeded: 1 });
    const r = sync(j, [pod('a', { phase: 'Succeeded' })], { expectedRemovals: new Set(['uid-a']) });
    expect(r.ctx.succeeded).toBe(1);
    expect(r.plan.removeFinalizers).toEqual([]);
    expect(r.status.succeeded).toBe(1);
  });

  it('counts a pod in uncountedTerminatedPods once its finalizer is gone (even when the pod is gone)', () => {
    const j = job({ completions: 5, parallelism: 2 }, { startTime: iso(-100), uncountedTerminatedPods: { succeeded: ['uid-gone'], failed: ['uid-x'] } });
    const r = sync(j, []);
    expect(r.ctx.succeeded).toBe(1);
    expect(r.ctx.failed).toBe(1);
    expect(r.status).toMatchObject({ succeeded: 1, failed: 1, uncountedTerminatedPods: {} });
  });

  it('completes: SuccessCriteriaMet then Complete with completionTime, finished pods kept', () => {
    const j = job({ completions: 2, parallelism: 2 }, { startTime: iso(-100), succeeded: 1 });
    const r = sync(j, [pod('a', { phase: 'Succeeded', finalizer: false }), pod('b', { phase: 'Succeeded' })]);
    expect(r.action).toEqual({ type: 'none' });
    expect(types(r.plan.status)).toEqual(['SuccessCriteriaMet=True:CompletionsReached']);
    expect(r.done.finished).toBe(true);
    expect(types(r.status)).toEqual(['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
    expect(r.status.conditions![1]!.message).toBe('Reached expected number of succeeded pods');
    expect(r.status).toMatchObject({ succeeded: 2, completionTime: iso(0), active: 0 });
    expect(finishedEvents(j, r.status, r.plan.final!)).toEqual([{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  });

  it('work queue (completions unset): no new pods after a success; done when none is active', () => {
    const j = job({ completions: undefined, parallelism: 3 }, { startTime: iso(-100) });
    const running = sync(j, [pod('a', { phase: 'Succeeded' }), pod('b'), pod('c')]);
    expect(running.action).toEqual({ type: 'none' });
    expect(running.done.finished).toBe(false);
    expect(sync(j, [pod('a')]).action).toEqual({ type: 'create', pods: [{}, {}] });
    const done = sync(j, [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Succeeded' })]);
    expect(done.done.finished).toBe(true);
    expect(done.status.succeeded).toBe(2);
  });

  it('deletes extra pods after parallelism went down, finalizer first', () => {
    const r = sync(job({ completions: 5, parallelism: 1 }, { startTime: iso(-1) }), [pod('a', { ready: true, node: 'n' }), pod('b')]);
    expect(r.action.type).toBe('delete');
    expect((r.action as { pods: Pod[] }).pods.map((p) => p.metadata.name)).toEqual(['b']);
    expect(r.status).toMatchObject({ active: 1, terminating: 1, ready: 1 });
  });
});

describe('failures and back-off', () => {
  it('waits 10 s after a failure before replacing the pod, doubling after more', () => {
    const j = job({ completions: 1 }, { startTime: iso(-100) });
    const one = sync(j, [pod('a', { phase: 'Failed', at: -3 })]);
    expect(one.action).toEqual({ type: 'wait', after: 7000 });
    expect(one.status).toMatchObject({ failed: 1, active: 0 });
    const two = sync(j, [pod('a', { phase: 'Failed', at: -3 })], { backoff: { failuresAfterLastSuccess: 1, lastFailureTime: T0 - 20_000 } });
    expect(two.action).toEqual({ type: 'wait', after: 17_000 });
    expect(sync(j, [pod('a', { phase: 'Failed', at: -11 })]).action).toEqual({ type: 'create', pods: [{}] });
  });

  it('fails once failures exceed backoffLimit: FailureTarget, active pods deleted, then Failed', () => {
    const j = job({ completions: 3, parallelism: 2, backoffLimit: 2 }, { startTime: iso(-100), failed: 2 });
    const r = sync(j, [pod('a', { phase: 'Failed' }), pod('b', { node: 'n', ready: true })]);
    expect(r.action.type).toBe('terminate');
    expect(types(r.plan.status)).toEqual(['FailureTarget=True:BackoffLimitExceeded']);
    expect(r.plan.status.conditions![0]!.message).toBe('Job has reached the specified backoff limit');
    // b is terminating: Failed waits for it.
    expect(r.done.finished).toBe(false);
    expect(r.status).toMatchObject({ active: 0, terminating: 1, ready: 0 });
    // Next sync: b is gone; a was counted.
    const after = job(j.spec, r.status);
    const end = sync(after, []);
    expect(end.action).toEqual({ type: 'terminate', pods: [] });
    expect(end.done.finished).toBe(true);
    expect(types(end.status)).toEqual(['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
    expect(end.status.completionTime).toBeUndefined();
    expect(end.status.failed).toBe(4);
    expect(finishedEvents(after, end.status, end.plan.final!)).toEqual([{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  });

  it('counts a deleted pod as failed (TerminatingOrFailed) and replaces it at once', () => {
    const r = sync(job({ completions: 2 }, { startTime: iso(-100) }), [pod('a', { deleting: true })]);
    expect(r.ctx.failed).toBe(1);
    expect(r.action).toEqual({ type: 'wait', after: expect.any(Number) });
    expect(r.status.failed).toBe(1);
  });

  it('with podReplacementPolicy Failed waits for a terminating pod to finish', () => {
    const r = sync(job({ completions: 2, podReplacementPolicy: 'Failed' }, { startTime: iso(-100) }), [pod('a', { deleting: true })]);
    expect(r.ctx.failed).toBe(0);
    expect(r.action).toEqual({ type: 'none' });
    expect(r.status.terminating).toBe(1);
  });

  it('fails an OnFailure job whose containers restarted backoffLimit times', () => {
    const p = pod('a');
    (p.status!.containerStatuses as { restartCount?: number }[])[0]!.restartCount = 3;
    const r = sync(job({ backoffLimit: 3, template: { spec: { restartPolicy: 'OnFailure' } } }, { startTime: iso(-100) }), [p]);
    expect(r.action.type).toBe('terminate');
    expect(r.ctx.finished?.reason).toBe('BackoffLimitExceeded');
  });
});

describe('activeDeadlineSeconds', () => {
  it('requeues for the deadline, then fails with DeadlineExceeded and deletes active pods', () => {
    expect(sync(job({ activeDeadlineSeconds: 30 }, { startTime: iso(-10) }), [pod('a')]).ctx.deadlineIn).toBe(20_000);
    const r = sync(job({ activeDeadlineSeconds: 30 }, { startTime: iso(-30) }), [pod('a')]);
    expect(r.action.type).toBe('terminate');
    expect(r.plan.status.conditions?.[0]).toMatchObject({ type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    // The pod had no node: it is gone once its finalizer is (counted as failed).
    expect(r.plan.status.uncountedTerminatedPods).toEqual({ failed: ['uid-a'] });
  });
});

describe('suspend', () => {
  it('a job created suspended gets Suspended and no start time', () => {
    const r = sync(job({ suspend: true }), []);
    expect(r.action).toEqual({ type: 'none' });
    expect(r.status.startTime).toBeUndefined();
    expect(types(r.status)).toEqual(['Suspended=True:JobSuspended']);
    expect(r.plan.events).toEqual([{ type: 'Normal', reason: 'Suspended', message: 'Job suspended' }]);
  });

  it('suspending deletes active pods without counting them as failed', () => {
    const r = sync(job({ suspend: true, completions: 3, parallelism: 2 }, { startTime: iso(-50), active: 2 }), [pod('a'), pod('b')]);
    expect(r.action.type).toBe('delete');
    expect(r.status).toMatchObject({ active: 0, terminating: 2, startTime: iso(-50) });
    expect(r.status.failed ?? 0).toBe(0);
  });

  it('resuming resets startTime, flips Suspended to False and creates pods', () => {
    const suspended = { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastTransitionTime: iso(-40), lastProbeTime: iso(-40) };
    const r = sync(job({ completions: 3, parallelism: 2 }, { startTime: iso(-50), conditions: [suspended] }), []);
    expect(r.action).toEqual({ type: 'create', pods: [{}, {}] });
    expect(r.status.startTime).toBe(iso(0));
    expect(r.status.conditions).toEqual([{ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', lastTransitionTime: iso(0), lastProbeTime: iso(0) }]);
    expect(r.plan.events).toEqual([{ type: 'Normal', reason: 'Resumed', message: 'Job resumed' }]);
  });

  it('a never-suspended job gets no Suspended condition', () => expect(sync(job(), []).status.conditions).toBeUndefined());
});

describe('an Indexed job', () => {
  const indexed = (spec: JobSpec = {}, status: JobStatus = {}) => job({ completionMode: 'Indexed', completions: 5, parallelism: 2, ...spec }, { startTime: iso(-100), ...status });

  it('creates the lowest free indexes and records completed ones as ranges', () => {
    const r = sync(indexed({}, { completedIndexes: '0' }), [pod('a', { index: 1, phase: 'Succeeded' }), pod('b', { index: 3 })]);
    expect(r.action).toEqual({ type: 'create', pods: [{ index: 2 }] });
    expect(r.status).toMatchObject({ completedIndexes: '0,1', succeeded: 2, active: 2 });
    expect(r.status.uncountedTerminatedPods).toEqual({});
  });

  it('deletes repeated and out-of-range indexes', () => {
    const j = indexed();
    const pods = [pod('a', { index: 1, node: 'n', ready: true }), pod('b', { index: 1 }), pod('c', { index: 7 }), pod('d')];
    expect(activePodsForRemoval(j, pods, 0).map((p) => p.metadata.name).sort()).toEqual(['b', 'c', 'd']);
  });

  it('completes when every index succeeded', () => {
    const r = sync(indexed({}, { completedIndexes: '0-3', succeeded: 4 }), [pod('e', { index: 4, phase: 'Succeeded' })]);
    expect(r.status).toMatchObject({ completedIndexes: '0-4', succeeded: 5 });
    expect(r.done.finished).toBe(true);
  });

  it('finishes early by successPolicy, terminating the rest without counting them failed', () => {
    const j = indexed({ successPolicy: { rules: [{ succeededIndexes: '0' }] } });
    const r = sync(j, [pod('a', { index: 0, phase: 'Succeeded' }), pod('b', { index: 1 })]);
    expect(r.action.type).toBe('terminate');
    expect(r.plan.status.conditions?.[0]).toMatchObject({ type: 'SuccessCriteriaMet', reason: 'SuccessPolicy', message: 'Matched rules at index 0' });
    expect(r.plan.status.uncountedTerminatedPods).toEqual({});
    const end = sync(job(j.spec, r.status), []);
    expect(types(end.status)).toEqual(['SuccessCriteriaMet=True:SuccessPolicy', 'Complete=True:SuccessPolicy']);
  });

  it('with backoffLimitPerIndex fails an index, keeps the last failure until it is replaced, and fails the job at the end', () => {
    const j = indexed({ completions: 2, parallelism: 2, backoffLimitPerIndex: 1, backoffLimit: 2_147_483_647 });
    const first = sync(j, [pod('a', { index: 0, phase: 'Failed', at: -20, annotations: { 'batch.kubernetes.io/job-index-failure-count': '0' } }), pod('b', { index: 1 })]);
    expect(first.action).toEqual({ type: 'create', pods: [{ index: 0, failureCounts: { failed: 1, ignored: 0 } }] });
    expect(first.plan.removeFinalizers).toEqual([]);
    expect(first.status.failedIndexes).toBe('');
    const second = sync(j, [pod('a', { index: 0, phase: 'Failed', annotations: { 'batch.kubernetes.io/job-index-failure-count': '1' } }), pod('b', { index: 1, phase: 'Succeeded' })]);
    expect(second.status).toMatchObject({ failedIndexes: '0', completedIndexes: '1' });
    expect(second.plan.status.conditions?.[0]).toMatchObject({ type: 'FailureTarget', reason: 'FailedIndexes', message: 'Job has failed indexes' });
    expect(types(second.status)).toContain('Failed=True:FailedIndexes');
  });
});

describe('podFailurePolicy', () => {
  const policy = { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] };
  const j = job({ completions: 2, podFailurePolicy: policy, podReplacementPolicy: 'Failed' }, { startTime: iso(-100) });

  it('FailJob fails the job at once with the rule in the message', () => {
    const r = sync(j, [pod('a', { phase: 'Failed', exit: 42 })]);
    expect(types(r.status)).toEqual(['FailureTarget=True:PodFailurePolicy', 'Failed=True:PodFailurePolicy']);
    expect(r.status.conditions![1]!.message).toBe('Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 0');
    expect(r.status.failed).toBe(1);
  });

  it('Ignore does not count the failure towards backoffLimit; the pod is replaced', () => {
    const r = sync(j, [pod('a', { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] })]);
    expect(r.ctx.failed).toBe(0);
    expect(r.status.failed ?? 0).toBe(0);
    expect(r.plan.removeFinalizers.map((p) => p.metadata.name)).toEqual(['a']);
    expect(r.action).toEqual({ type: 'create', pods: [{}] });
  });
});

describe('expectations and deletion', () => {
  it('does not act while its own writes are unobserved, nor on a job being deleted', () => {
    expect(sync(job({ completions: 2 }), [], { satisfied: false }).action).toEqual({ type: 'none' });
    const deleting = sync(job({ completions: 2 }, {}, { deletionTimestamp: iso(0) }), [pod('a')]);
    expect(deleting.action).toEqual({ type: 'none' });
    expect(deleting.plan.removeFinalizers.map((p) => p.metadata.name)).toEqual(['a']);
  });
});

describe('sameJobStatus', () => {
  it('ignores zero counters and empty lists the API leaves out', () => {
    expect(sameJobStatus({ active: 0, terminating: 0, ready: 0, uncountedTerminatedPods: {} }, { uncountedTerminatedPods: { succeeded: [] } })).toBe(true);
    expect(sameJobStatus({ active: 1 }, {})).toBe(false);
  });
});
