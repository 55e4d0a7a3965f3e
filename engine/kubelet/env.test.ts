import { describe, expect, it } from 'vitest';
import { commandLine, containerEnv, ContainerConfigError, expand, podField, resourceField, type ConfigSource } from './env.js';
import type { Pod } from './pod-types.js';

const node = { allocatableMilliCpu: 4000, allocatableMemory: 8 * 1024 ** 3 };
const pod: Pod = {
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'a "quoted" one' } },
  spec: {
    nodeName: 'n1',
    serviceAccountName: 'robot',
    containers: [{ name: 'c', resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } } }, { name: 'bare' }],
  },
  status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], hostIP: '172.30.0.3' },
};
const source = (cms: Record<string, Record<string, string>>, secrets: Record<string, Record<string, string>> = {}): ConfigSource => ({
  configMap: async (ns, name) => cms[`${ns}/${name}`],
  secret: async (ns, name) => secrets[`${ns}/${name}`],
});

describe('environment of a container', () => {
  it.each([
    ['$(A)-$(B)', 'x-y'],
    ['$(MISSING) stays', '$(MISSING) stays'],
    ['$$(A) is escaped', '$(A) is escaped'],
    ['plain $A', 'plain $A'],
  ])('expands %s', (text, want) => {
    expect(expand(text, new Map([['A', 'x'], ['B', 'y']]))).toBe(want);
  });

  it.each([
    ['metadata.name', 'web-1'],
    ['metadata.namespace', 'shop'],
    ['metadata.uid', 'u-1'],
    ['spec.nodeName', 'n1'],
    ['spec.serviceAccountName', 'robot'],
    ['status.podIP', '10.244.1.5'],
    ['status.hostIP', '172.30.0.3'],
    ["metadata.labels['tier']", 'front'],
    ["metadata.annotations['none']", ''],
    ['metadata.labels', 'app="web"\ntier="front"'],
    ['metadata.annotations', 'note="a \\"quoted\\" one"'],
  ])('gives the pod field %s', (path, want) => {
    expect(podField(pod, path)).toBe(want);
  });

  it('refuses field paths the downward API does not have', () => {
    expect(() => podField(pod, 'spec.containers')).toThrow(ContainerConfigError);
  });

  it.each([
    ['c', 'limits.cpu', undefined, '1'],
    ['c', 'limits.cpu', '1m', '500'],
    ['c', 'requests.cpu', '1m', '250'],
    ['c', 'limits.memory', '1Mi', '64'],
    ['c', 'limits.memory', undefined, String(64 * 1024 * 1024)],
    ['bare', 'limits.cpu', undefined, '4'],
    ['bare', 'limits.memory', '1Gi', '8'],
    ['bare', 'requests.memory', undefined, '0'],
  ])('gives %s %s (divisor %s) as %s', (container, resource, divisor, want) => {
    expect(resourceField(pod, container, resource, divisor, node)).toBe(want);
  });

  it('builds env from envFrom, then env entries in order, later names winning, with references expanded', async () => {
    const env = await containerEnv(
      pod,
      {
        name: 'c',
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }, { secretRef: { name: 'creds' } }],
        env: [
          { name: 'USER', value: 'override' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
          { name: 'BOTH', value: '$(GREETING)@$(POD)' },
          { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
        ],
      },
      source({ 'shop/settings': { greeting: 'hi', color: 'red' } }, { 'shop/creds': { USER: 'alice', PASSWORD: 'pw' } }),
      node,
    );
    expect([...env]).toEqual([
      ['CFG_greeting', 'hi'],
      ['CFG_color', 'red'],
      ['USER', 'override'],
      ['PASSWORD', 'pw'],
      ['POD', 'web-1'],
      ['GREETING', 'hi'],
      ['BOTH', 'hi@web-1'],
    ]);
  });

  it.each([
    [{ envFrom: [{ configMapRef: { name: 'gone' } }] }, 'configmap "gone" not found'],
    [{ envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nokey' } } }] }, "couldn't find key nokey in ConfigMap shop/settings"],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }, 'secret "gone" not found'],
  ])('refuses %j with "%s"', async (spec, message) => {
    const run = containerEnv(pod, { name: 'c', ...spec }, source({ 'shop/settings': { greeting: 'hi' } }), node);
    await expect(run).rejects.toThrow(ContainerConfigError);
    await expect(run).rejects.toThrow(message);
  });

  it('overrides the image entrypoint with command and never inherits its CMD then', () => {
    const vars = new Map([['N', '3']]);
    expect(commandLine({ name: 'c', command: ['sh', '-c'], args: ['echo $(N)'] }, vars)).toEqual({ entrypoint: ['sh', '-c'], cmd: ['echo 3'] });
    expect(commandLine({ name: 'c', command: ['sleep'] }, vars)).toEqual({ entrypoint: ['sleep'], cmd: [] });
    expect(commandLine({ name: 'c', args: ['--n=$(N)'] }, vars)).toEqual({ entrypoint: undefined, cmd: ['--n=3'] });
    expect(commandLine({ name: 'c' }, vars)).toEqual({ entrypoint: undefined, cmd: undefined });
  });
});
