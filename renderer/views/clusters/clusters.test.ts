import { describe, expect, it } from 'vitest';
import { validateCreate } from './create-validation';
import { elapsedText, stepLines } from './operation-steps';

describe('validateCreate', () => {
  it.each<[string, string, { name?: RegExp; nodes?: RegExp }]>([
    ['dev', '1', {}],
    ['a1-b2', '10', {}],
    ['', '1', { name: /Enter a name/ }],
    ['Dev', '1', { name: /lowercase/ }],
    ['-dev', '1', { name: /starting and ending/ }],
    ['dev-', '1', { name: /starting and ending/ }],
    ['dev_1', '1', { name: /lowercase/ }],
    ['a'.repeat(41), '1', { name: /at most 40/ }],
    ['taken', '1', { name: /already exists/ }],
    ['dev', '0', { nodes: /1 to 10/ }],
    ['dev', '11', { nodes: /1 to 10/ }],
    ['dev', '2.5', { nodes: /whole number/ }],
    ['dev', '', { nodes: /Enter the number/ }],
  ])('name %j nodes %j', (name, nodes, want) => {
    const errors = validateCreate(name, nodes, ['taken']);
    expect(Object.keys(errors).sort()).toEqual(Object.keys(want).sort());
    if (want.name) expect(errors.name).toMatch(want.name);
    if (want.nodes) expect(errors.nodes).toMatch(want.nodes);
  });
});

describe('stepLines', () => {
  it('folds start/info/done/fail into one line per step', () => {
    const lines = stepLines([
      { step: 'image', status: 'start' },
      { step: 'image', status: 'info', message: 'building layer 2/5' },
      { step: 'image', status: 'done', elapsedMs: 4200 },
      { step: 'nodes', status: 'start', message: 'creating 2 nodes' },
      { step: 'kubeconfig', status: 'start' },
      { step: 'kubeconfig', status: 'fail', message: 'permission denied' },
    ]);
    expect(lines).toEqual([
      { step: 'image', state: 'done', message: 'building layer 2/5', elapsedMs: 4200 },
      { step: 'nodes', state: 'running', message: 'creating 2 nodes' },
      { step: 'kubeconfig', state: 'failed', message: 'permission denied' },
    ]);
  });
  it('a step started again after it ended gets a new line', () => {
    const lines = stepLines([
      { step: 'wait', status: 'start' },
      { step: 'wait', status: 'done' },
      { step: 'wait', status: 'start' },
    ]);
    expect(lines.map((l) => l.state)).toEqual(['done', 'running']);
  });
  it('an info event for a step never started opens it', () => {
    expect(stepLines([{ step: 'x', status: 'info', message: 'hi' }])).toEqual([{ step: 'x', state: 'running', message: 'hi' }]);
  });
});

describe('elapsedText', () => {
  it.each([
    [undefined, ''],
    [850, '850ms'],
    [4200, '4.2s'],
    [65_000, '1m05s'],
  ])('%s → %s', (ms, want) => {
    expect(elapsedText(ms)).toBe(want);
  });
});
