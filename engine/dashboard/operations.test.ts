import { describe, expect, it } from 'vitest';
import { KubelabError } from '../errors.js';
import { step, type Progress } from '../log/progress.js';
import type { ProgressStep } from './contract.js';
import { OperationBusyError, Operations } from './operations.js';

/** A run whose end the test decides. */
function gated() {
  let open!: () => void;
  let fail!: (err: unknown) => void;
  let progress!: Progress;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { run: (p: Progress) => ((progress = p), done), open: () => open(), fail: (e: unknown) => fail(e), progress: () => progress };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Operations', () => {
  it('records steps and success, and tells about each step boundary', async () => {
    let changes = 0;
    let n = 0;
    const ops = new Operations(() => changes++, () => `op${++n}`);
    const op = ops.start('create', 'dev', async (p) => {
      await step(p, 'Building node image', async () => p({ step: 'Building node image', status: 'info', message: 'layer 1' }));
    });
    expect(op).toMatchObject({ id: 'op1', kind: 'create', cluster: 'dev', state: 'running' });
    await ops.settle();
    expect(ops.get('op1')).toMatchObject({ state: 'succeeded' });
    expect(ops.get('op1')!.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['Building node image:start', 'Building node image:info', 'Building node image:done']);
    expect(ops.get('op1')!.steps[2]!.elapsedMs).toBeTypeOf('number');
    // start, done, and the end (info lines do not count)
    expect(changes).toBe(3);
  });

  it('a node operation names its node, and keeps the cluster busy meanwhile', async () => {
    let n = 0;
    const ops = new Operations(() => {}, () => `n${++n}`);
    const g = gated();
    const op = ops.start('node-stop', 'dev', g.run, 'dev-worker2');
    expect(op).toMatchObject({ kind: 'node-stop', cluster: 'dev', node: 'dev-worker2', state: 'running' });
    expect(() => ops.start('node-start', 'dev', async () => {}, 'dev-worker')).toThrow(/cluster "dev" is busy: a node-stop of dev-worker2 is running/);
    expect(ops.start('stop', 'lab', async () => {})).not.toHaveProperty('node');
    g.open();
    await ops.settle();
    expect(ops.get('n1')).toMatchObject({ state: 'succeeded', node: 'dev-worker2' });
  });

  it('records a failure with the engine hint', async () => {
    const ops = new Operations();
    const op = ops.start('start', 'dev', async () => {
      throw new KubelabError('cannot reach a Docker engine', { hint: 'start Docker' });
    });
    await ops.settle();
    expect(ops.get(op.id)).toMatchObject({ state: 'failed', error: 'cannot reach a Docker engine (start Docker)' });
  });

  it('runs one operation per cluster at a time', async () => {
    const ops = new Operations();
    const g = gated();
    const first = ops.start('create', 'dev', g.run);
    expect(() => ops.start('delete', 'dev', async () => {})).toThrow(OperationBusyError);
    try {
      ops.start('stop', 'dev', async () => {});
    } catch (err) {
      expect((err as OperationBusyError).running.id).toBe(first.id);
    }
    ops.start('create', 'other', async () => {});
    expect(ops.activeAll().map((o) => o.cluster).sort()).toEqual(['dev', 'other']);
    expect(ops.active('dev')?.id).toBe(first.id);
    g.open();
    await ops.settle();
    expect(ops.active('dev')).toBeUndefined();
    expect(() => ops.start('delete', 'dev', async () => {})).not.toThrow();
  });

  it('gives a follower the steps so far, then each new one, then the end', async () => {
    const ops = new Operations();
    const g = gated();
    const op = ops.start('create', 'dev', g.run);
    await tick();
    g.progress()({ step: 'a', status: 'start' });
    const seen: string[] = [];
    const stop = ops.follow(op.id, { step: (s: ProgressStep) => seen.push(`${s.step}:${s.status}`), end: (state, error) => seen.push(`end:${state}:${error ?? ''}`) });
    expect(stop).toBeTypeOf('function');
    expect(seen).toEqual(['a:start']);
    g.progress()({ step: 'a', status: 'done' });
    g.fail(new Error('boom'));
    await ops.settle();
    expect(seen).toEqual(['a:start', 'a:done', 'end:failed:boom']);
  });

  it('stops telling a follower that unsubscribed, and follows finished and unknown operations', async () => {
    const ops = new Operations();
    const g = gated();
    const op = ops.start('stop', 'dev', g.run);
    await tick();
    const seen: string[] = [];
    const stop = ops.follow(op.id, { step: (s) => seen.push(s.step), end: () => seen.push('end') })!;
    stop();
    g.progress()({ step: 'x', status: 'start' });
    g.open();
    await ops.settle();
    expect(seen).toEqual([]);
    const late: string[] = [];
    ops.follow(op.id, { step: (s) => late.push(s.step), end: (state) => late.push(state) });
    expect(late).toEqual(['x', 'succeeded']);
    expect(ops.follow('nope', { step: () => {}, end: () => {} })).toBeUndefined();
  });

  it('keeps a failing follower from breaking the operation', async () => {
    const ops = new Operations();
    const g = gated();
    const op = ops.start('create', 'dev', g.run);
    await tick();
    ops.follow(op.id, { step: () => { throw new Error('socket gone'); }, end: () => { throw new Error('socket gone'); } });
    g.progress()({ step: 'a', status: 'start' });
    g.open();
    await ops.settle();
    expect(ops.get(op.id)!.state).toBe('succeeded');
  });

  it('forgets the oldest finished operations past 50 and caps the steps kept', async () => {
    let n = 0;
    const ops = new Operations(() => {}, () => `op${++n}`);
    for (let i = 0; i < 55; i++) {
      ops.start('stop', `c${i}`, async () => {});
      await ops.settle();
    }
    expect(ops.get('op1')).toBeUndefined();
    expect(ops.get('op5')).toBeUndefined();
    expect(ops.get('op6')).toBeDefined();
    const big = ops.start('create', 'big', async (p) => {
      p({ step: 'Build', status: 'start' });
      for (let i = 0; i < 1500; i++) p({ step: 'Build', status: 'info', message: `line ${i}` });
      p({ step: 'Build', status: 'done' });
    });
    await ops.settle();
    const steps = ops.get(big.id)!.steps;
    expect(steps).toHaveLength(1000);
    expect(steps[0]).toEqual({ step: 'Build', status: 'start' });
    expect(steps.at(-1)).toMatchObject({ step: 'Build', status: 'done' });
    expect(steps.at(-2)).toMatchObject({ message: 'line 1499' });
  });
});
