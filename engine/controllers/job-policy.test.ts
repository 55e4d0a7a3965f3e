import { describe, expect, it } from 'vitest';
import { parseIndexes } from './job-indexes.js';
import { backoffRemaining, matchPodFailurePolicy, matchSuccessPolicy, nextBackoffRecord, replacementFailureCounts } from './job-policy.js';
import type { ContainerStatus, Job, PodFailurePolicyRule } from './job-util.js';
import type { Pod } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const cs = (list: ContainerStatus[]) => list as { restartCount?: number }[];
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const failed = (name: string, o: { exit?: number; container?: string; init?: number; at?: number; conditions?: { type: string; status: string }[]; annotations?: Record<string, string> } = {}): Pod => ({
  metadata: { name, namespace: 'ns', uid: name, annotations: o.annotations },
  status: {
    phase: 'Failed',
    conditions: o.conditions,
    containerStatuses: cs([{ name: o.container ?? 'main', state: { terminated: { exitCode: o.exit ?? 1, finishedAt: iso(o.at ?? 0) } } }]),
    ...(o.init !== undefined ? { initContainerStatuses: cs([{ name: 'setup', state: { terminated: { exitCode: o.init, finishedAt: iso(0) } } }]) } : {}),
  },
});
const succeeded = (name: string, at: number): Pod => ({
  metadata: { name, namespace: 'ns', uid: name },
  status: { phase: 'Succeeded', containerStatuses: cs([{ name: 'main', state: { terminated: { exitCode: 0, finishedAt: iso(at) } } }]) },
});

describe('matchPodFailurePolicy', () => {
  const rules: PodFailurePolicyRule[] = [
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
  ];
  it.each([
    ['FailJob on exit code 42', failed('a', { exit: 42 }), { count: true, action: 'FailJob', failJobMessage: 'Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 0' }],
    ['another container is not matched by name', failed('b', { exit: 42, container: 'side' }), { count: true, action: 'Count' }],
    ['Ignore a disruption', failed('c', { conditions: [{ type: 'DisruptionTarget', status: 'True' }] }), { count: false, action: 'Ignore' }],
    ['a condition with another status does not match', failed('d', { conditions: [{ type: 'DisruptionTarget', status: 'False' }] }), { count: true }],
    ['NotIn matches exit code 3', failed('e', { exit: 3 }), { count: true, action: 'Count' }],
    ['no rule: counted', failed('f', { exit: 2 }), { count: true }],
    ['init containers are checked too', failed('g', { exit: 1, init: 7 }), { count: true, action: 'Count' }],
  ])('%s', (_, pod, want) => expect(matchPodFailurePolicy(rules, pod)).toEqual(want));

  it('never matches exit code 0, not even with NotIn', () => {
    const pod = failed('z', { exit: 0 });
    expect(matchPodFailurePolicy([{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }], pod)).toEqual({ count: true });
  });

  it('names the condition in a FailJob message', () => {
    const pod = failed('x', { conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    expect(matchPodFailurePolicy([{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }], pod).failJobMessage).toBe('Pod ns/x has condition DisruptionTarget matching FailJob rule at index 0');
  });
});

describe('matchSuccessPolicy', () => {
  const job = (rules: { succeededIndexes?: string; succeededCount?: number }[]): Job => ({ metadata: { name: 'j' }, spec: { completions: 10, completionMode: 'Indexed', successPolicy: { rules } } });
  it.each([
    [[{ succeededIndexes: '0-2' }], '0-2,5', 'Matched rules at index 0'],
    [[{ succeededIndexes: '0-3' }], '0-2,5', undefined],
    [[{ succeededIndexes: '0-3', succeededCount: 2 }], '1,5', undefined],
    [[{ succeededIndexes: '0-3', succeededCount: 2 }], '1,3', 'Matched rules at index 0'],
    [[{ succeededIndexes: '9' }, { succeededCount: 3 }], '1,3,5', 'Matched rules at index 1'],
    [[{ succeededCount: 3 }], '', undefined],
  ])('rules %j with %j succeeded → %j', (rules, done, want) => expect(matchSuccessPolicy(job(rules), parseIndexes(done, 10))).toBe(want));
});

describe('back-off', () => {
  it.each([
    [0, 0, 0],
    [1, 0, 10_000],
    [1, 4_000, 6_000],
    [2, 0, 20_000],
    [3, 5_000, 35_000],
    [6, 0, 320_000],
    [7, 0, 360_000],
    [20, 0, 360_000],
    [1, 11_000, 0],
  ])('%i failures, last %i ms ago → wait %i ms', (failures, ago, want) => expect(backoffRemaining(failures, T0, T0 + ago)).toBe(want));

  it('honours a different base (the test override)', () => expect(backoffRemaining(3, T0, T0, 100)).toBe(400));

  it('counts failures after the last success only', () => {
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 2, lastFailureTime: T0 }, [], [failed('a', { at: 5 }), failed('b', { at: 9 })])).toEqual({ failuresAfterLastSuccess: 4, lastFailureTime: T0 + 9000 });
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 2, lastFailureTime: T0 }, [succeeded('s', 6)], [failed('a', { at: 5 }), failed('b', { at: 9 })])).toEqual({ failuresAfterLastSuccess: 1, lastFailureTime: T0 + 9000 });
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 2, lastFailureTime: T0 }, [succeeded('s', 6)], [])).toEqual({ failuresAfterLastSuccess: 0 });
    const same = { failuresAfterLastSuccess: 1, lastFailureTime: T0 };
    expect(nextBackoffRecord(same, [], [])).toBe(same);
  });

  it('carries per-index failure counts to the replacement', () => {
    const job: Job = { metadata: { name: 'j' }, spec: { completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 2 } };
    expect(replacementFailureCounts(job, undefined)).toEqual({ failed: 0, ignored: 0 });
    expect(replacementFailureCounts(job, failed('a', { annotations: { 'batch.kubernetes.io/job-index-failure-count': '1' } }))).toEqual({ failed: 2, ignored: 0 });
    const ignoring: Job = { ...job, spec: { ...job.spec, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [9] } }] } } };
    expect(replacementFailureCounts(ignoring, failed('b', { exit: 9, annotations: { 'batch.kubernetes.io/job-index-failure-count': '1' } }))).toEqual({ failed: 1, ignored: 1 });
  });
});
