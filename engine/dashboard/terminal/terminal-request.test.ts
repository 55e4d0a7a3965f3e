import { describe, expect, it } from 'vitest';
import { chooseContainer, parseTerminalMessage, parseTerminalQuery } from './terminal-request.js';

const q = (s: string) => new URLSearchParams(s);

describe('parseTerminalQuery', () => {
  it.each([
    ['kind=host&cluster=dev', { kind: 'host', cluster: 'dev' }, { cols: 80, rows: 24 }],
    ['kind=node&cluster=dev&node=dev-worker&cols=120&rows=40', { kind: 'node', cluster: 'dev', node: 'dev-worker' }, { cols: 120, rows: 40 }],
    ['kind=pod&cluster=dev&namespace=web&pod=api-7f9c-x2&container=app', { kind: 'pod', cluster: 'dev', namespace: 'web', pod: 'api-7f9c-x2', container: 'app' }, { cols: 80, rows: 24 }],
    ['kind=pod&cluster=dev&namespace=web&pod=api&container=', { kind: 'pod', cluster: 'dev', namespace: 'web', pod: 'api' }, { cols: 80, rows: 24 }],
  ])('reads %s', (query, target, size) => {
    expect(parseTerminalQuery(q(query))).toEqual({ target, size });
  });

  it.each([
    ['', 'the query parameter "kind" is missing'],
    ['kind=vm&cluster=dev', 'unknown terminal kind "vm"'],
    ['kind=host', 'a host terminal needs the query parameter "cluster"'],
    ['kind=host&cluster=Dev!', 'invalid cluster name "Dev!"'],
    ['kind=node&cluster=dev', 'a node terminal needs the query parameter "node"'],
    ['kind=node&cluster=dev&node=../etc', '"../etc" is not a valid node name'],
    ['kind=pod&cluster=dev&pod=x', 'a pod terminal needs the query parameter "namespace"'],
    ['kind=pod&cluster=dev&namespace=a.b&pod=x', '"a.b" is not a valid namespace name'],
    ['kind=pod&cluster=dev&namespace=a&pod=X', '"X" is not a valid pod name'],
    ['kind=pod&cluster=dev&namespace=a&pod=x&container=a_b', '"a_b" is not a valid container name'],
    ['kind=host&cluster=dev&cols=0', 'cols must be a whole number from 1 to 1000, not "0"'],
    ['kind=host&cluster=dev&rows=2.5', 'rows must be a whole number from 1 to 1000, not "2.5"'],
    ['kind=host&cluster=dev&rows=abc', 'rows must be a whole number from 1 to 1000, not "abc"'],
  ])('refuses %j: %s', (query, message) => {
    expect(() => parseTerminalQuery(q(query))).toThrow(message);
  });
});

describe('parseTerminalMessage', () => {
  it.each([
    ['{"type":"resize","cols":100,"rows":30}', { type: 'resize', cols: 100, rows: 30 }],
    ['{"type":"resize","cols":0,"rows":30}', undefined],
    ['{"type":"resize","cols":"100","rows":30}', undefined],
    ['{"type":"resize","cols":100.5,"rows":30}', undefined],
    ['{"type":"exit"}', undefined],
    ['not json', undefined],
    ['null', undefined],
  ])('%s', (text, want) => {
    expect(parseTerminalMessage(text)).toEqual(want);
  });
});

describe('chooseContainer', () => {
  const pod = (extra: object = {}) => ({ metadata: { name: 'web' }, spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] }, status: { phase: 'Running' }, ...extra });
  it('takes the container asked for, else the annotated default, else the first', () => {
    expect(chooseContainer(pod(), 'sidecar')).toBe('sidecar');
    expect(chooseContainer(pod({ metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/default-container': 'sidecar' } } }), undefined)).toBe('sidecar');
    expect(chooseContainer(pod({ metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/default-container': 'gone' } } }), undefined)).toBe('app');
    expect(chooseContainer(pod(), undefined)).toBe('app');
  });
  it('refuses an unknown container, a finished pod and a pod without containers', () => {
    expect(() => chooseContainer(pod(), 'db')).toThrow('container "db" is not valid for pod "web"');
    expect(() => chooseContainer(pod({ status: { phase: 'Succeeded' } }), undefined)).toThrow('cannot exec into a container in a completed pod; current phase is Succeeded');
    expect(() => chooseContainer({ metadata: { name: 'x' }, spec: { containers: [] } }, undefined)).toThrow('pod "x" has no containers');
  });
});
