import { describe, expect, it } from 'vitest';
import { KubelabError } from '../errors.js';
import { parseCreateRequest, parseJsonBody } from './requests.js';

describe('parseCreateRequest', () => {
  it.each([
    [{ name: 'dev', nodes: 1 }],
    [{ name: 'a', nodes: 10 }],
    [{ name: 'lab-2', nodes: 3, extra: true }],
  ])('takes %j', (body) => {
    const { name, nodes } = body as { name: string; nodes: number };
    expect(parseCreateRequest(body)).toEqual({ name, nodes });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    ['dev', /JSON object/],
    [{ nodes: 1 }, /name is required/],
    [{ name: 'dev' }, /nodes must be a number/],
    [{ name: 'dev', nodes: '2' }, /nodes must be a number/],
    [{ name: 'Dev', nodes: 1 }, /invalid cluster name "Dev"/],
    [{ name: '-dev', nodes: 1 }, /invalid cluster name/],
    [{ name: 'x'.repeat(41), nodes: 1 }, /invalid cluster name/],
    [{ name: 'dev', nodes: 0 }, /invalid node count 0/],
    [{ name: 'dev', nodes: 11 }, /invalid node count 11/],
    [{ name: 'dev', nodes: 1.5 }, /invalid node count 1.5/],
  ])('refuses %j with a usage error and a hint', (body, message) => {
    let caught: unknown;
    try {
      parseCreateRequest(body);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KubelabError);
    expect((caught as KubelabError).message).toMatch(message);
    expect((caught as KubelabError).exitCode).toBe(2);
    if (!/JSON object|required|must be/.test(String(message))) expect((caught as KubelabError).hint).toBeTruthy();
  });

  it('says how many nodes the dashboard allows', () => {
    expect(() => parseCreateRequest({ name: 'dev', nodes: 11 })).toThrow(expect.objectContaining({ hint: expect.stringContaining('between 1 and 10') }));
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and refuses the rest as a usage error', () => {
    expect(parseJsonBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(() => parseJsonBody(Buffer.from('{a'))).toThrow(/not JSON/);
  });
});
