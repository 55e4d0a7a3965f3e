import { describe, expect, it } from 'vitest';
import { ApiHealth } from './api-health';

describe('ApiHealth', () => {
  it('raises a problem on a failing watch and clears it when every failing watch is back', () => {
    const h = new ApiHealth();
    let calls = 0;
    h.subscribe(() => calls++);
    h.fail('dev', 'pods', { error: 'cluster dev is stopped', status: 503 });
    h.fail('dev', 'nodes', { error: 'cluster dev is stopped', status: 503 });
    expect(h.problem('dev')).toEqual({ error: 'cluster dev is stopped', status: 503 });
    expect(h.problem('other')).toBeUndefined();
    h.ok('dev', 'pods');
    expect(h.problem('dev')).toBeDefined();
    h.ok('dev', 'nodes');
    expect(h.problem('dev')).toBeUndefined();
    expect(calls).toBe(4);
  });

  it('does not notify for a repeated identical failure or an ok of a healthy watch', () => {
    const h = new ApiHealth();
    let calls = 0;
    h.subscribe(() => calls++);
    h.ok('dev', 'pods');
    h.fail('dev', 'pods', { error: 'x', status: 503 });
    h.fail('dev', 'pods', { error: 'x', status: 503 });
    expect(calls).toBe(1);
    const v = h.getVersion();
    h.fail('dev', 'pods', { error: 'y', status: 0 });
    expect(h.getVersion()).toBe(v + 1);
  });
});
