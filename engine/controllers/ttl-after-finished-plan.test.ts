import { describe, expect, it } from 'vitest';
import type { Job, JobCondition } from './job-util.js';
import { ttlVerdict } from './ttl-after-finished-plan.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const job = (ttl: number | undefined, conditions: JobCondition[], deleting = false): Job => ({
  metadata: { name: 'j', namespace: 'ns', ...(deleting ? { deletionTimestamp: iso(0) } : {}) },
  spec: { ttlSecondsAfterFinished: ttl },
  status: { conditions },
});
const cond = (type: string, at: number, status = 'True'): JobCondition => ({ type, status, lastTransitionTime: iso(at) });

describe('ttlVerdict', () => {
  it.each([
    ['no ttl', job(undefined, [cond('Complete', 0)]), { type: 'ignore' }],
    ['not finished', job(10, [cond('SuccessCriteriaMet', 0)]), { type: 'ignore' }],
    ['being deleted', job(0, [cond('Complete', 0)], true), { type: 'ignore' }],
    ['Complete False is not finished', job(0, [cond('Complete', 0, 'False')]), { type: 'ignore' }],
    ['complete, ttl running', job(100, [cond('SuccessCriteriaMet', 0), cond('Complete', 30)]), { type: 'wait', ms: 80_000 }],
    ['failed, ttl over', job(5, [cond('FailureTarget', 0), cond('Failed', 0)]), { type: 'expired', at: T0 + 5000 }],
    ['ttl 0 expires at once', job(0, [cond('Complete', 50)]), { type: 'expired', at: T0 + 50_000 }],
  ])('%s', (_, j, want) => expect(ttlVerdict(j, T0 + 50_000)).toEqual(want));

  it('refuses a finished job without a finish time', () => {
    expect(() => ttlVerdict(job(5, [{ type: 'Complete', status: 'True' }]), T0)).toThrow(/unable to find the time when the Job ns\/j finished/);
  });
});
